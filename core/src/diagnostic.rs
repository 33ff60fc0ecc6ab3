//! Diagnostics are data: a stable code, a severity, a message, the span it points at and, where
//! possible, a concrete fix. Front ends (CLI text/JSON/SARIF/GitHub, the playground) render them.

use serde::Serialize;

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as written (the real controller would reject it or misbehave).
    Error,
    /// Accepted, but probably not what the user meant.
    Warning,
    /// Information about how the input was read (defaults taken, documents ignored, ...).
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One text replacement in the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A concrete fix: a description and the edits that make it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case code, one of [`crate::codes`].
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where in the input; `None` for diagnostics about the input as a whole.
    pub span: Option<Span>,
    /// Extra explanation shown under the source excerpt.
    pub help: Option<String>,
    /// Concrete fixes, best first.
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span: None,
            help: None,
            fixes: Vec::new(),
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Note, message)
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Add a fix that replaces `span` with `replacement`.
    pub fn with_fix(
        mut self,
        description: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.fixes.push(Fix {
            description: description.into(),
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        });
        self
    }
}

/// Sort diagnostics for output: by position, then severity, then code. Stable and deterministic.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(order);
}

/// The output order of [`sort`]: by position, then severity, then code (for sorting values that
/// carry a diagnostic).
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let pa = a.span.map(|s| s.start);
    let pb = b.span.map(|s| s.start);
    pa.cmp(&pb)
        .then(a.severity.cmp(&b.severity))
        .then(a.code.cmp(b.code))
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}
