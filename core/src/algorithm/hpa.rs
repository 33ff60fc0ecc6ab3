//! STUB: to be replaced by the real algorithm (owned by the helper assigned to this module).

use super::{ClusterView, Controller, Decision};
use crate::model::{Autoscaler, Millis};

pub struct HpaController {
    next: Millis,
}

impl HpaController {
    pub fn new(_autoscaler: &Autoscaler) -> Self {
        HpaController { next: 0 }
    }
}

impl Controller for HpaController {
    fn next_wake(&self) -> Millis {
        self.next
    }

    fn wake(&mut self, _view: &ClusterView<'_>) -> Option<Decision> {
        self.next += 15_000;
        None
    }
}
