//! Bad input never panics: every config fixture, truncated at any point or with bytes replaced
//! by YAML-significant characters, goes through `config::parse` (and, when it still yields an
//! autoscaler, a short simulation); arbitrary text goes through the demand CSV reader.

use proptest::prelude::*;
use scalelens_core::config::{self, ParseOptions};
use scalelens_core::demand::{parse_csv, DemandSeries};
use scalelens_core::model::AibrixVersion;
use scalelens_core::sim::{simulate, SimOptions};

fn fixtures() -> Vec<String> {
    let root = crate::fixtures::testdata("config");
    let mut out = Vec::new();
    for family in std::fs::read_dir(&root).expect("config fixtures") {
        for f in std::fs::read_dir(family.expect("entry").path()).expect("family dir") {
            let p = f.expect("entry").path();
            if p.extension().is_some_and(|e| e == "yaml") {
                out.push(std::fs::read_to_string(&p).expect("fixture reads"));
            }
        }
    }
    out.sort();
    out
}

const NOISE: &[&str] = &[
    ":",
    "-",
    " ",
    "\n",
    "\"",
    "'",
    "{",
    "}",
    "[",
    "]",
    "#",
    "&a",
    "*a",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999",
    "0.0000000001",
    "~",
    "\t",
    "é",
    "|",
    ">",
];

fn parse_and_replay(src: &str) {
    for version in AibrixVersion::SELECTABLE {
        let parsed = config::parse_with(
            src,
            &ParseOptions {
                aibrix_version: version,
                ..Default::default()
            },
        );
        for a in &parsed.autoscalers {
            let demand = DemandSeries::from_points(vec![(0, 5.0), (60_000, 0.0), (120_000, 1e9)]);
            let opts = SimOptions {
                initial_replicas: None,
                pod_startup: Some(10_000),
                duration: Some(600_000),
                max_evaluations: None,
                outage: None,
            };
            let _ = simulate(a, &demand, &opts);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_configs_never_panic(
        which in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..NOISE.len()), 0..6),
    ) {
        let all = fixtures();
        let mut src = all[which.index(all.len())].clone();
        for (at, noise) in edits {
            let mut i = at.index(src.len() + 1);
            while !src.is_char_boundary(i) { i -= 1; }
            src.insert_str(i, NOISE[noise]);
        }
        let mut end = cut.index(src.len() + 1).max(src.len() / 2);
        while !src.is_char_boundary(end) { end -= 1; }
        parse_and_replay(&src[..end]);
    }

    #[test]
    fn arbitrary_demand_text_never_panics(text in "(time|value|[0-9.eE+-]{0,6}|,|\n|\"|#|T|Z|:| ){0,60}") {
        let _ = parse_csv(&text);
    }
}
