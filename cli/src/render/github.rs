//! GitHub Actions workflow commands, one line per diagnostic:
//! `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::MESSAGE`.
//!
//! Escaping follows the Actions toolkit (`@actions/core` `command.ts`): in the message `%`,
//! `\r`, `\n` become `%25`, `%0D`, `%0A`; in property values `:` and `,` are escaped too
//! (`%3A`, `%2C`). Notes become `::notice`. Other control characters, bidirectional overrides
//! and zero-width characters are escaped ([`scalelens_core::text::push_escaped`]): the
//! Actions log would act on an ANSI escape, and a code-scanning page would reorder bidi text.

use std::fmt::Write as _;

use scalelens_core::diagnostic::Applicability;
use scalelens_core::{Diagnostic, Severity};

/// Escape a command's message (data).
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => scalelens_core::text::push_escaped(&mut out, c),
        }
    }
    out
}

/// Escape a property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// One workflow command per diagnostic, each ending in a newline.
pub fn render(file: &str, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let mut props = format!("file={}", escape_property(file));
        if let Some(span) = d.span {
            let _ = write!(
                props,
                ",line={},col={},endLine={},endColumn={}",
                span.start.line, span.start.column, span.end.line, span.end.column
            );
        }
        let _ = write!(props, ",title={}", escape_property(d.code.as_str()));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push('\n');
            message.push_str(help);
        }
        if let Some(fix) = d.fixes.first() {
            message.push_str(match fix.applicability {
                Applicability::AdviceOnly => "\nadvice: ",
                Applicability::SafeEdit | Applicability::NeedsReview => "\nfix: ",
            });
            message.push_str(&fix.description);
        }
        let _ = writeln!(
            out,
            "::{} {props}::{}",
            command(d.severity),
            escape_data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(
            escape_data("a\u{1b}[2J\u{202e}\nb"),
            "a\\u{1b}[2J\\u{202e}%0Ab"
        );
        assert_eq!(escape_property("f\u{0}.yaml"), "f\\u{0}.yaml");
    }
}
