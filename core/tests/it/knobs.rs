//! The family knob tables (`core::knobs`): which setting plays each part in an autoscaler
//! (snapshot per family and version, fixtures under `tests/testdata/knobs/`), and that
//! every table's upstream default is the default the reader actually fills in.

use scalelens_core::config::ParseOptions;
use scalelens_core::knobs::{self, Concept, KnobInfo, Setting};
use scalelens_core::model::{AibrixParams, AibrixVersion, Algorithm};
use scalelens_core::span::Origin;
use scalelens_core::Autoscaler;

use crate::fixtures::{one_autoscaler_with, read_testdata};

/// `(fixture under tests/testdata/knobs/, AIBrix version it is read as)`.
const CASES: &[(&str, AibrixVersion)] = &[
    ("hpa-legacy.yaml", AibrixVersion::V0_7),
    ("hpa-behavior.yaml", AibrixVersion::V0_7),
    ("keda-behavior.yaml", AibrixVersion::V0_7),
    ("knative.yaml", AibrixVersion::V0_7),
    ("aibrix-v07.yaml", AibrixVersion::V0_7),
    ("aibrix-v04.yaml", AibrixVersion::V0_4),
];

fn load(name: &str, version: AibrixVersion) -> Autoscaler {
    one_autoscaler_with(
        &read_testdata(&format!("knobs/{name}")),
        &ParseOptions {
            aibrix_version: version,
            ..Default::default()
        },
    )
}

fn line(s: &Setting) -> String {
    let origin = s.origin.describe(None, "default: ");
    format!("{} = {} at `{}` ({origin})", s.what, s.value, s.setting)
}

/// Each concept's setting per fixture, or that the family has none.
#[test]
fn each_concept_names_the_family_setting() {
    for &(name, version) in CASES {
        let a = load(name, version);
        let mut out = String::new();
        for c in Concept::ALL {
            let text = knobs::setting(&a, c).map_or("-".to_string(), |s| line(&s));
            out.push_str(&format!("{c:?}: {text}\n"));
        }
        insta::assert_snapshot!(format!("knobs__{name}"), out);
    }
}

/// Every knob left unwritten shows the upstream default its table names (value and source):
/// the table and the reader agree.
#[test]
fn unwritten_knobs_show_their_table_default() {
    fn check<P>(name: &str, table: &knobs::Table<P>, a: &Autoscaler, p: &P) -> usize {
        let object = table
            .object
            .iter()
            .map(|k| (*k as &dyn KnobInfo<_>, k.setting_of(a)));
        let params = table
            .params
            .iter()
            .map(|k| (k.what(), k.place(), k.default_value(), k.setting_of(p)));
        let mut checked = 0;
        let rows: Vec<_> = object
            .map(|(k, s)| (k.what(), k.place(), k.default_value(), s))
            .chain(params)
            .collect();
        for (what, place, default, setting) in rows {
            let Some(s) = setting else { continue };
            let Origin::Default { source } = s.origin else {
                continue;
            };
            let Some((value, table_source)) = default else {
                continue;
            };
            assert_eq!(
                (s.value.as_str(), source),
                (value.as_str(), table_source),
                "{name}: {what} at {place}: the reader's default differs from the table's"
            );
            checked += 1;
        }
        checked
    }
    let mut checked = 0;
    // The Gen-B fixture read as each Gen-B release: each has its own table, citing its tag.
    let gen_b = [
        ("aibrix-v07.yaml", AibrixVersion::V0_5),
        ("aibrix-v07.yaml", AibrixVersion::V0_6),
    ];
    for &(name, version) in CASES.iter().chain(&gen_b) {
        let a = load(name, version);
        checked += match &a.algorithm {
            Algorithm::Hpa(p) => check(name, &knobs::hpa::TABLE, &a, p),
            Algorithm::Keda(k) => {
                check(name, &knobs::keda::TABLE, &a, k)
                    + check(name, &knobs::hpa::TABLE, &a, &k.hpa)
            }
            Algorithm::KnativeKpa(p) => check(name, &knobs::knative::TABLE, &a, p),
            Algorithm::AibrixKpa(
                params @ (AibrixParams::V05(p) | AibrixParams::V06(p) | AibrixParams::V07(p)),
            )
            | Algorithm::AibrixApa(
                params @ (AibrixParams::V05(p) | AibrixParams::V06(p) | AibrixParams::V07(p)),
            ) => {
                let table = knobs::aibrix::gen_b_table(params.version()).expect("a Gen-B table");
                assert_eq!(params.version(), version, "{name}");
                check(name, table, &a, p)
            }
            Algorithm::AibrixKpa(AibrixParams::V04(p))
            | Algorithm::AibrixApa(AibrixParams::V04(p)) => {
                check(name, &knobs::aibrix::TABLE_V04, &a, p)
            }
        };
    }
    assert!(checked > 20, "only {checked} defaults checked");
}
