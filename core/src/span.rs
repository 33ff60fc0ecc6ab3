//! Source positions. Every value read from YAML carries the span it came from, so diagnostics can
//! point at `line:column` in the user's file.
//!
//! [`Pos`] and [`Span`] count 1-based lines and character (not byte) columns; [`Spanned`] pairs a
//! value with its span; [`Param`] is an effective parameter value with its [`Origin`]: the YAML
//! span, or the upstream default and the upstream file it comes from.

use serde::Serialize;

/// A position in the source text. `line` and `column` are 1-based; `column` counts characters
/// (not bytes), like rustc. `offset` is the 0-based character index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// A half-open range `[start, end)` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }

    /// A zero-width span at `pos`.
    pub const fn point(pos: Pos) -> Self {
        Span {
            start: pos,
            end: pos,
        }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    #[serde(skip)]
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// Where a parameter's effective value comes from: the user's YAML, or an upstream default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Origin {
    /// Written in the input at this span.
    Yaml {
        #[serde(skip)]
        span: Span,
        line: u32,
        column: u32,
    },
    /// Not written: the upstream default, named by its source file.
    Default { source: &'static str },
}

/// An algorithm parameter: its effective value and where that value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Param<T> {
    pub value: T,
    #[serde(flatten)]
    pub origin: Origin,
}

impl<T> Param<T> {
    /// A value written in the YAML at `span`.
    pub fn yaml(value: T, span: Span) -> Self {
        Param {
            value,
            origin: Origin::Yaml {
                span,
                line: span.start.line,
                column: span.start.column,
            },
        }
    }

    /// An upstream default; `source` names the upstream file (and version) it comes from.
    pub const fn default(value: T, source: &'static str) -> Self {
        Param {
            value,
            origin: Origin::Default { source },
        }
    }

    /// The span the value was written at, if it was written.
    pub fn span(&self) -> Option<Span> {
        match self.origin {
            Origin::Yaml { span, .. } => Some(span),
            Origin::Default { .. } => None,
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self.origin, Origin::Default { .. })
    }
}
