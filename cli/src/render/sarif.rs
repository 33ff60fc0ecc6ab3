//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), for code-scanning UIs.
//!
//! One run, tool driver `scalelens`, one rule per diagnostic code (sorted) with the rule's docs
//! from the code registry (`shortDescription`: its summary; `fullDescription`: the same and
//! "What it does"; `help`: the five sections as text and Markdown; `helpUri`:
//! [`Code::help_uri`]; `defaultConfiguration.level`: its default severity), one result per
//! diagnostic with its `physicalLocation` region (1-based; `endColumn` is the column after the
//! last character, as SARIF defines it), and the diagnostic's fixes with edits as SARIF `fixes`
//! (each with `properties.applicability`: `safe-edit` or `needs-review`). Advice (a fix without
//! edits) is not a SARIF fix, whose `artifactChanges` must hold a replacement: it is appended to
//! the result's message as `advice: ...` lines.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use scalelens_core::codes::{Code, Section};
use scalelens_core::diagnostic::{Applicability, Fix};
use scalelens_core::{Diagnostic, Severity, Span};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Percent-encode a file path into a relative URI reference (RFC 3986: unreserved characters
/// and `/` kept, everything else `%XX` per UTF-8 byte).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(span: Span) -> Value {
    json!({
        "startLine": span.start.line.max(1),
        "startColumn": span.start.column.max(1),
        "endLine": span.end.line.max(span.start.line).max(1),
        "endColumn": span.end.column.max(1),
    })
}

/// The SARIF `reportingDescriptor` of a code: its id and docs.
pub fn rule(code: Code) -> Value {
    let doc = code.doc();
    let summary = doc.summary();
    let what = doc.section(Section::What).unwrap_or_default();
    let markdown = doc.markdown();
    json!({
        "id": code.as_str(),
        "name": code.as_str(),
        "shortDescription": { "text": summary },
        "fullDescription": { "text": format!("{summary}\n\n{what}") },
        "help": { "text": markdown, "markdown": markdown },
        "helpUri": code.help_uri(),
        "defaultConfiguration": { "level": level(code.default_severity()) },
    })
}

/// The SARIF log for one file's diagnostics, pretty-printed with a trailing newline.
pub fn render(file: &str, diags: &[Diagnostic]) -> String {
    render_files(&[(file, diags)])
}

/// One SARIF log for several checked files: one run, the rules of every code reported in any
/// of them, and each file's results with its own artifact location.
pub fn render_files(files: &[(&str, &[Diagnostic])]) -> String {
    let codes: Vec<Code> = files
        .iter()
        .flat_map(|(_, diags)| diags.iter().map(|d| d.code))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rules: Vec<Value> = codes.iter().map(|code| rule(*code)).collect();
    let results: Vec<Value> = files
        .iter()
        .flat_map(|(file, diags)| diags.iter().map(move |d| (json!({ "uri": uri(file) }), d)))
        .map(|(artifact, d)| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push('\n');
                text.push_str(help);
            }
            let (advice, edits): (Vec<&Fix>, Vec<&Fix>) = d
                .fixes
                .iter()
                .partition(|f| f.applicability == Applicability::AdviceOnly || f.edits.is_empty());
            for a in &advice {
                text.push_str("\nadvice: ");
                text.push_str(&a.description);
            }
            let mut location = json!({ "artifactLocation": artifact });
            if let Some(span) = d.span {
                location["region"] = region(span);
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": codes.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [ { "physicalLocation": location } ],
            });
            if !edits.is_empty() {
                let fixes: Vec<Value> = edits
                    .iter()
                    .map(|fix| {
                        let replacements: Vec<Value> = fix
                            .edits
                            .iter()
                            .map(|e| {
                                json!({
                                    "deletedRegion": region(e.span),
                                    "insertedContent": { "text": e.replacement },
                                })
                            })
                            .collect();
                        json!({
                            "description": { "text": fix.description },
                            "properties": { "applicability": fix.applicability.as_str() },
                            "artifactChanges": [ {
                                "artifactLocation": artifact,
                                "replacements": replacements,
                            } ],
                        })
                    })
                    .collect();
                result["fixes"] = Value::Array(fixes);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": {
                "name": "scalelens",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        } ],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
