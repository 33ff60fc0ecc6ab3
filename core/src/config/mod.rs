//! Reading autoscaler YAML into the normalized [`crate::model`].
//!
//! **Invariant:** parsing never fails and never panics: it returns every autoscaler it could
//! read and a list of diagnostics, each with the `line:column` of the offending field.

use crate::diagnostic::Diagnostic;
use crate::model::Autoscaler;

/// Everything read from one input file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub autoscalers: Vec<Autoscaler>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse a (multi-document) YAML input.
pub fn parse(_source: &str) -> Parsed {
    Parsed::default()
}
