//! Diagnostics are data: a stable code, a severity, a message, the span it points at and, where
//! possible, a concrete fix. Front ends (CLI text/JSON/SARIF/GitHub, the playground) render them.
//!
//! A message, help or fix description never holds a control, bidirectional or zero-width
//! character (they are escaped, `\u{202e}`; `\n` separates lines) and never exceeds
//! [`crate::text::MESSAGE_MAX_CHARS`]: the constructors pass them through
//! [`crate::text::bound_message`], so user text quoted into a message cannot reorder, hide or
//! flood what a terminal, a CI log or a code-scanning page shows. Fix replacements are edits of
//! the input and stay as they are.

use serde::Serialize;

use crate::codes::Code;
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

/// How far a [`Fix`] can be trusted: whether a tool may apply it, a person should look first, or
/// there is nothing to apply. Serializes as `safe-edit`, `needs-review`, `advice-only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// The edits change how a value is written, not what it means (quote a value the CRD types
    /// as a string, unquote an integer written as a string): apply without review.
    SafeEdit,
    /// The edits are the likely correction but change what the controller does or guess what
    /// was meant (the closest known name, a target on another scale, a raised minimum): review
    /// before applying.
    NeedsReview,
    /// No edits: a change to make by hand, outside the input or with a choice to make (convert
    /// the metric, change the query, add a field).
    AdviceOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::SafeEdit => "safe-edit",
            Applicability::NeedsReview => "needs-review",
            Applicability::AdviceOnly => "advice-only",
        }
    }
}

/// A fix: a description, how far it can be trusted and the edits that make it. Advice has no
/// edits, and only advice ([`Diagnostic::with_advice`]); a fix with edits is
/// [`Applicability::SafeEdit`] ([`Diagnostic::with_safe_fix`]) or
/// [`Applicability::NeedsReview`] ([`Diagnostic::with_fix`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub description: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The stable code ([`Code`]); serializes as its kebab-case string.
    pub code: Code,
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
    pub fn new(code: Code, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: crate::text::bound_message(message.into()),
            span: None,
            help: None,
            fixes: Vec::new(),
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    pub fn note(code: Code, message: impl Into<String>) -> Self {
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
        self.help = Some(crate::text::bound_message(help.into()));
        self
    }

    /// Add a fix that replaces `span` with `replacement`, to review before applying
    /// ([`Applicability::NeedsReview`]).
    pub fn with_fix(
        self,
        description: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.with_edit(Applicability::NeedsReview, description, span, replacement)
    }

    /// Add a fix that only changes how a value is written ([`Applicability::SafeEdit`]).
    pub fn with_safe_fix(
        self,
        description: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.with_edit(Applicability::SafeEdit, description, span, replacement)
    }

    /// Add advice: a fix without edits ([`Applicability::AdviceOnly`]).
    pub fn with_advice(mut self, description: impl Into<String>) -> Self {
        self.fixes.push(Fix {
            description: crate::text::bound_message(description.into()),
            applicability: Applicability::AdviceOnly,
            edits: Vec::new(),
        });
        self
    }

    fn with_edit(
        mut self,
        applicability: Applicability,
        description: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.fixes.push(Fix {
            description: crate::text::bound_message(description.into()),
            applicability,
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
    crate::sort::by(diags, order);
}

/// The output order of [`sort`]: by position, then severity, then code (for sorting values that
/// carry a diagnostic).
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let pa = a.span.map(|s| s.start);
    let pb = b.span.map(|s| s.start);
    pa.cmp(&pb)
        .then(a.severity.cmp(&b.severity))
        .then(a.code.cmp(&b.code))
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_and_bounded() {
        let big = "x".repeat(1 << 20);
        let d = Diagnostic::error(
            Code::YamlSyntax,
            format!("found `a\u{0}\u{202e}b`\nline two: {big}"),
        )
        .with_help("h\u{1b}[2J")
        .with_fix("use `\u{200b}`", Span::default(), "raw\u{0}");
        assert!(d
            .message
            .starts_with("found `a\\u{0}\\u{202e}b`\nline two: xxx"));
        assert!(d.message.chars().count() < crate::text::MESSAGE_MAX_CHARS + 30);
        assert_eq!(d.help.as_deref(), Some("h\\u{1b}[2J"));
        assert_eq!(d.fixes[0].description, "use `\\u{200b}`");
        // The edit is the input's new text: unchanged.
        assert_eq!(d.fixes[0].edits[0].replacement, "raw\u{0}");
    }

    /// Each constructor's applicability, and advice (only advice) without edits.
    #[test]
    fn fixes_carry_their_applicability() {
        let d = Diagnostic::warning(Code::UnquotedString, "m")
            .with_safe_fix("quote", Span::default(), "\"1\"")
            .with_fix("rename", Span::default(), "x")
            .with_advice("convert the metric");
        let got: Vec<(Applicability, usize)> = d
            .fixes
            .iter()
            .map(|f| (f.applicability, f.edits.len()))
            .collect();
        assert_eq!(
            got,
            [
                (Applicability::SafeEdit, 1),
                (Applicability::NeedsReview, 1),
                (Applicability::AdviceOnly, 0)
            ]
        );
        assert_eq!(Applicability::AdviceOnly.as_str(), "advice-only");
    }
}
