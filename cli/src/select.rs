//! Choosing the autoscaler to simulate (`--name`).
//!
//! TODO(merge): `core::config::Parsed::select(name)` is being written on another branch with
//! this exact signature and better diagnostics; once it lands, make [`select`] call
//! `parsed.select(name)` and drop the body below.

use scalelens_core::config::Parsed;
use scalelens_core::{Autoscaler, Diagnostic};

/// The autoscaler named `name` (or the only/first one), with notes or errors about the choice.
pub fn select<'a>(
    parsed: &'a Parsed,
    name: Option<&str>,
) -> (Option<&'a Autoscaler>, Vec<Diagnostic>) {
    let list = &parsed.autoscalers;
    match name {
        Some(name) => match list.iter().find(|a| a.name == name) {
            Some(a) => (Some(a), Vec::new()),
            None => {
                let known: Vec<&str> = list.iter().map(|a| a.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    "unknown-autoscaler",
                    format!("no autoscaler named {name:?} in the input"),
                );
                if !known.is_empty() {
                    d = d.with_help(format!("the input has: {}", known.join(", ")));
                }
                (None, vec![d])
            }
        },
        None => match list.as_slice() {
            [] => (
                None,
                vec![Diagnostic::error(
                    "no-autoscaler",
                    "the input has no autoscaler (AIBrix PodAutoscaler, HorizontalPodAutoscaler, KEDA ScaledObject or Knative Service)",
                )],
            ),
            [one] => (Some(one), Vec::new()),
            [first, ..] => (
                Some(first),
                vec![Diagnostic::note(
                    "several-autoscalers",
                    format!(
                        "the input has {} autoscalers; using {:?} (choose one with --name)",
                        list.len(),
                        first.name
                    ),
                )
                .at(first.name_span)],
            ),
        },
    }
}
