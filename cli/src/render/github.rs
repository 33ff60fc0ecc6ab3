//! GitHub Actions workflow commands, one line per diagnostic:
//! `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::MESSAGE`.
//!
//! Escaping follows the Actions toolkit (`@actions/core` `command.ts`): in the message `%`,
//! `\r`, `\n` become `%25`, `%0D`, `%0A`; in property values `:` and `,` are escaped too
//! (`%3A`, `%2C`). Notes become `::notice`.

use std::fmt::Write as _;

use scalelens_core::{Diagnostic, Severity};

/// Escape a command's message (data).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
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
        let _ = write!(props, ",title={}", escape_property(d.code));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push('\n');
            message.push_str(help);
        }
        if let Some(fix) = d.fixes.first() {
            message.push_str("\nfix: ");
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
    }
}
