//! Choosing the autoscaler to use (`--name`): core decides, the CLI adds nothing.

use scalelens_core::config::Parsed;
use scalelens_core::{Autoscaler, Diagnostic};

/// The autoscaler named `name` (or the first one), with a note or an error about the choice.
pub fn select<'a>(
    parsed: &'a Parsed,
    name: Option<&str>,
) -> (Option<&'a Autoscaler>, Vec<Diagnostic>) {
    let (chosen, about) = parsed.select(name);
    (chosen, about.into_iter().collect())
}
