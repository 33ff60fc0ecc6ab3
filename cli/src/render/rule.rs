//! `scalelens rule`: a diagnostic code's docs, from the code registry
//! ([`scalelens_core::codes`]), as text or JSON.
//!
//! JSON: one object per code with `code`, `severity` (the default one), `summary`, the five
//! sections `what`, `why`, `example`, `fix`, `references` (Markdown, as written next to the
//! check) and `help_uri` (the rule's docs page, [`Code::help_uri`]).

use serde::Serialize;

use scalelens_core::codes::{Code, Section};

/// A rule's docs as `scalelens rule --format json` prints them.
#[derive(Debug, Serialize)]
pub struct RuleJson {
    pub code: &'static str,
    pub severity: &'static str,
    pub summary: String,
    pub what: String,
    pub why: String,
    pub example: String,
    pub fix: String,
    pub references: String,
    pub help_uri: String,
}

impl From<Code> for RuleJson {
    fn from(code: Code) -> Self {
        let doc = code.doc();
        let section = |s| doc.section(s).unwrap_or_default();
        RuleJson {
            code: code.as_str(),
            severity: code.default_severity().as_str(),
            summary: doc.summary(),
            what: section(Section::What),
            why: section(Section::Why),
            example: section(Section::Example),
            fix: section(Section::Fix),
            references: section(Section::References),
            help_uri: code.help_uri(),
        }
    }
}

/// The docs of `code` as text: the code, its default severity and summary, then each section
/// under its heading, then the docs page.
pub fn render_text(code: Code) -> String {
    let doc = code.doc();
    let mut out = format!(
        "{} ({} by default)\n{}\n",
        code.as_str(),
        code.default_severity().as_str(),
        doc.summary()
    );
    for s in Section::ALL {
        out.push_str(&format!(
            "\n# {}\n{}\n",
            s.heading(),
            doc.section(s).unwrap_or_default()
        ));
    }
    out.push_str(&format!("\nDocs: {}\n", code.help_uri()));
    out
}

/// Every code's docs as text, separated by a blank line.
pub fn render_all_text() -> String {
    Code::ALL
        .iter()
        .map(|c| render_text(*c))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One code's docs as a JSON object.
pub fn render_json(code: Code) -> String {
    super::json::to_string(&RuleJson::from(code))
}

/// Every code's docs as a JSON array, in registry order.
pub fn render_all_json() -> String {
    let all: Vec<RuleJson> = Code::ALL.iter().map(|c| RuleJson::from(*c)).collect();
    super::json::to_string(&all)
}

/// The error for a code that is not in the registry, with the closest codes.
pub fn unknown_code_message(typed: &str) -> String {
    let shown = scalelens_core::text::quote(typed);
    let suggestions = Code::suggest(typed);
    match suggestions.as_slice() {
        [] => format!(
            "error: unknown rule code `{shown}`\n  = help: `scalelens rule --all` lists every code\n"
        ),
        [one] => format!("error: unknown rule code `{shown}`\n  = help: did you mean `{one}`?\n"),
        many => {
            let list: Vec<String> = many.iter().take(3).map(|c| format!("`{c}`")).collect();
            format!(
                "error: unknown rule code `{shown}`\n  = help: did you mean {}?\n",
                list.join(" or ")
            )
        }
    }
}
