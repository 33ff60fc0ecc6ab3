//! The whole pipeline (`pipeline::run`) on YAML plus a demand text, split at the first 0xFF
//! byte (`split_texts` in `fuzz/src/lib.rs`): the demand is read as a demand CSV when it is one
//! (for half the inputs), else as samples in any format. Checks: no panic, hang or memory
//! blow-up; every finding's span lies in its text; `run_cached` (cold, then warm) gives what
//! `run` gives; the timeline renders as CSV; the default moment explains.
//!
//! The replay horizon is the demand's own (the default): huge or stray timestamps must end in
//! `replay-too-long` or a `samples-stray` note, never an unbounded replay.

use super::super::{split_texts, Extent};
use scalelens_core::demand::{self, DemandSeries};
use scalelens_core::explain;
use scalelens_core::model::AibrixVersion;
use scalelens_core::pipeline::{
    self, DemandInput, InputText, PipelineInput, PipelineOptions, SamplesCache,
};
use scalelens_core::samples::Interpretation;

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let (yaml, demand_text) = split_texts(data);
    let k = data.len();
    let series: Option<DemandSeries> = demand_text
        .as_deref()
        .filter(|_| k % 2 == 0)
        .and_then(|t| demand::parse_csv(t).ok());
    let demand = match (&series, &demand_text) {
        (Some(s), _) => DemandInput::Series(s),
        (None, Some(t)) => DemandInput::Samples(t),
        (None, None) => DemandInput::None,
    };
    let input = PipelineInput {
        yaml: &yaml,
        demand,
        options: PipelineOptions {
            aibrix_version: AibrixVersion::SELECTABLE
                .get(k % AibrixVersion::SELECTABLE.len())
                .copied()
                .unwrap_or_default(),
            samples_are: [
                Interpretation::Auto,
                Interpretation::PerPod,
                Interpretation::Average,
                Interpretation::Total,
            ][(k / 6) % 4],
            ..PipelineOptions::default()
        },
    };
    let out = pipeline::run(&input);

    let yaml_extent = Extent::of(&yaml);
    let samples_extent = Extent::of(demand_text.as_deref().unwrap_or(""));
    for f in &out.findings {
        if let Some(span) = &f.diagnostic.span {
            let extent = match f.input {
                InputText::Yaml => &yaml_extent,
                InputText::Samples => &samples_extent,
            };
            extent.check_span(span, f.diagnostic.code.as_str());
        }
    }

    // The playground's path: a cold cache, then a warm one, give what `run` gives (compared
    // as Debug text: NaN metric values are equal to themselves there).
    let mut cache = SamplesCache::default();
    let expected = format!("{out:?}");
    assert_eq!(
        format!("{:?}", pipeline::run_cached(&input, &mut cache)),
        expected,
        "cold cache"
    );
    assert_eq!(
        format!("{:?}", pipeline::run_cached(&input, &mut cache)),
        expected,
        "warm cache"
    );

    if let (Some(sim), Some(a)) = (&out.sim, out.autoscaler()) {
        let _ = pipeline::timeline_csv(sim);
        if let Some((at, _)) = explain::interesting_moment(a, sim) {
            match explain::explain(a, sim, at, 60_000) {
                // Its terminal text is the CLI's (`render::explain`), which this crate does not
                // depend on; the explanation itself is built above.
                Ok(_) => {}
                Err(e) => panic!("the default moment {at} does not explain: {e:?}"),
            }
        }
    }
}
