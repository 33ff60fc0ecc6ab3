//! STUB: to be replaced by the real algorithm (owned by the helper assigned to this module).

use super::{ClusterView, Controller, Decision};
use crate::model::{Autoscaler, Millis};

pub struct AibrixController {
    next: Millis,
}

impl AibrixController {
    pub fn new(_autoscaler: &Autoscaler) -> Self {
        AibrixController { next: 0 }
    }
}

impl Controller for AibrixController {
    fn next_wake(&self) -> Millis {
        self.next
    }

    fn wake(&mut self, _view: &ClusterView<'_>) -> Option<Decision> {
        self.next += 15_000;
        None
    }
}
