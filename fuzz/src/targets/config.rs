//! Autoscaler YAML (`config::parse_with`, both AIBrix generations): never panics, hangs or
//! exhausts memory (the runner's `-timeout` and `-rss_limit_mb`); every diagnostic's span lies
//! in the text; an input without an autoscaler says why with an error; every autoscaler read
//! summarises. Run with `-max_len=65536` and `dicts/yaml.dict` so alias bombs and deep nesting
//! are reachable.

use super::super::{text, Extent};
use scalelens_core::config::{self, ParseOptions};
use scalelens_core::model::AibrixVersion;
use scalelens_core::{pipeline, Severity};

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let src = text(data);
    let extent = Extent::of(&src);
    for aibrix_version in AibrixVersion::SELECTABLE {
        let parsed = config::parse_with(
            &src,
            &ParseOptions {
                aibrix_version,
                ..ParseOptions::default()
            },
        );
        for d in &parsed.diagnostics {
            if let Some(span) = &d.span {
                extent.check_span(span, d.code.as_str());
            }
            assert!(!d.message.is_empty(), "{}: empty message", d.code);
        }
        if parsed.autoscalers.is_empty() {
            assert!(
                parsed
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error),
                "no autoscaler and no error to say why"
            );
        }
        for a in &parsed.autoscalers {
            let _ = pipeline::summarize(a);
        }
    }
}
