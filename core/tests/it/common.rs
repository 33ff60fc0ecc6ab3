//! Helpers only core's tests use: the reference vectors (`core/tests/testdata/vectors/`, each
//! case naming its upstream test) and a minimal closed loop for controller tests.

use scalelens_core::algorithm::{controller_for, ClusterView, Decision, MetricReading};
use scalelens_core::model::Autoscaler;

/// Path of a reference-vector file (`core/tests/testdata/vectors/<name>`); the gateway's tests
/// read the Knative ones from there too.
pub fn vectors_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testdata/vectors")
        .join(name)
}

/// Read `core/tests/testdata/vectors/<name>` as `T`; panics with the path.
pub fn load_vectors<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = vectors_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Run every reference-vector case (at least `min` of them, so a truncated file fails) and
/// report all failures at once, one line each.
pub fn check_vectors<C>(cases: &[C], min: usize, run: impl Fn(&C) -> Result<(), String>) {
    assert!(
        cases.len() >= min,
        "{} cases, expected at least {min}",
        cases.len()
    );
    let failures: Vec<String> = cases.iter().filter_map(|c| run(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A minimal closed loop for controller tests: pods are ready the moment they are asked for,
/// and the demand (`demand(t)`, a workload total) is spread evenly over them (0 per pod with
/// none). Starts at `start` replicas; returns `(t, replicas after, decision)` for each wake-up
/// up to `until` (ms) that decided something.
pub fn instant_loop(
    a: &Autoscaler,
    start: u32,
    demand: impl Fn(u64) -> f64,
    until: u64,
) -> Vec<(u64, u32, Decision)> {
    let mut c = controller_for(a);
    let mut replicas = start;
    let mut out = Vec::new();
    loop {
        let t = c.next_wake();
        if t > until {
            break;
        }
        let total = demand(t);
        let readings = [MetricReading {
            total,
            per_pod: if replicas > 0 {
                total / f64::from(replicas)
            } else {
                0.0
            },
            reporting: replicas,
        }];
        let view = ClusterView {
            t,
            epoch: None,
            replicas,
            ready: replicas,
            metrics: &readings,
        };
        if let Some(d) = c.wake(&view) {
            replicas = d.desired;
            out.push((t, replicas, d));
        }
    }
    out
}

/// The origin of parameters a test writes itself (not an upstream default).
pub static TEST_SOURCE: scalelens_core::upstream::Source = scalelens_core::upstream::Source::new(
    scalelens_core::upstream::Project::Scalelens,
    "test fixture",
    "",
    "test",
);

/// An autoscaler a test builds itself: `family`'s object `kind` (`api_version`) named `name`,
/// bounds and metric targets written by the test ([`TEST_SOURCE`]).
pub fn test_autoscaler(
    family: scalelens_core::model::Family,
    (api_version, kind, name): (&str, &str, &str),
    (min, max): (u32, u32),
    metrics: Vec<scalelens_core::model::Metric>,
    algorithm: scalelens_core::model::Algorithm,
) -> Autoscaler {
    use scalelens_core::{Param, Span};
    Autoscaler {
        family,
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        namespace: None,
        span: Span::default(),
        name_span: Span::default(),
        target: None,
        min_replicas: Param::default(min, &TEST_SOURCE),
        max_replicas: Param::default(max, &TEST_SOURCE),
        initial_replicas: None,
        metrics,
        algorithm,
        via: None,
    }
}

/// A metric `name` of `source` with a `target_type` target written by the test.
pub fn test_metric(
    name: &str,
    source: scalelens_core::model::MetricSource,
    target_type: scalelens_core::model::TargetType,
    target: f64,
) -> scalelens_core::model::Metric {
    use scalelens_core::{Param, Span, Spanned};
    scalelens_core::model::Metric {
        name: Spanned::new(name.to_string(), Span::default()),
        source,
        target: scalelens_core::model::MetricTarget {
            target_type,
            value: Param::default(target, &TEST_SOURCE),
        },
        bound: None,
        activation_threshold: None,
        selector: Vec::new(),
        span: Span::default(),
    }
}

/// One metric's reading: the workload total, the per-pod value and how many pods reported.
pub fn reading(total: f64, per_pod: f64, reporting: u32) -> MetricReading {
    MetricReading {
        total,
        per_pod,
        reporting,
    }
}

/// What a controller sees at `t`: `replicas` asked for, `ready` of them, `metrics`.
pub fn view(t: u64, replicas: u32, ready: u32, metrics: &[MetricReading]) -> ClusterView<'_> {
    ClusterView {
        t,
        epoch: None,
        replicas,
        ready,
        metrics,
    }
}

/// A Knative Service `chat` with a per-pod target of 10 and `annotations` (whole lines, at the
/// annotations' indent) after it.
pub fn knative_chat(annotations: &str) -> String {
    format!(
        "apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: chat
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/target: \"10\"
{annotations}    spec:
      containers:
        - image: chat
"
    )
}

/// The fixture `rel` (under `tests/testdata/`) and the same text after the first fix whose
/// description contains `words`.
pub fn fixed_by(rel: &str, words: &str) -> (String, String) {
    let text = crate::fixtures::read_testdata(rel);
    let parsed = scalelens_core::config::parse(&text);
    let fix = parsed
        .diagnostics
        .iter()
        .flat_map(|d| &d.fixes)
        .find(|f| f.description.contains(words))
        .unwrap_or_else(|| panic!("{rel}: no fix `{words}`"));
    let fixed = scalelens_core::pipeline::apply_edits(&text, &fix.edits).expect("edits apply");
    (text, fixed)
}
