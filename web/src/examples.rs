//! The examples gallery: the repository's product examples (`examples/`), the seed case first.

use crate::state::{PatternState, State};

/// One gallery entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Example {
    /// Stable id (used in `#example-select` option values and in share links).
    pub id: &'static str,
    pub title: &'static str,
    pub yaml: &'static str,
    /// Samples text (empty when the example uses a pattern).
    pub samples: &'static str,
    /// A generated demand `(shape, base, peak, duration s, step s)` instead of samples.
    pub pattern: Option<(&'static str, f64, f64, u64, u64)>,
    pub initial_replicas: Option<u32>,
    pub pod_startup_s: Option<u64>,
}

const REQUESTS: &str = include_str!("../../examples/demand/requests.csv");

/// The gallery, in display order. The seed case comes first (it is also the default state).
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "seed",
        title: "Seed case: AIBrix KPA on gpu_cache_usage_perc, samples in percent",
        yaml: include_str!("../../examples/seed-kpa-gpu-cache/autoscaler.yaml"),
        samples: include_str!("../../examples/seed-kpa-gpu-cache/samples-percent.prom.json"),
        pattern: None,
        initial_replicas: None,
        pod_startup_s: None,
    },
    Example {
        id: "hpa-behavior",
        title: "Kubernetes HPA with behavior (scale-down stabilization 120 s)",
        yaml: include_str!("../../examples/hpa-behavior/autoscaler.yaml"),
        samples: REQUESTS,
        pattern: None,
        initial_replicas: Some(1),
        pod_startup_s: Some(30),
    },
    Example {
        id: "keda-activation",
        title: "KEDA ScaledObject with activationThreshold (scale from zero)",
        yaml: include_str!("../../examples/keda-activation/autoscaler.yaml"),
        samples: REQUESTS,
        pattern: None,
        initial_replicas: Some(0),
        pod_startup_s: Some(30),
    },
    Example {
        id: "knative-panic",
        title: "Knative KPA: a burst puts it in panic mode",
        yaml: include_str!("../../examples/knative-panic/autoscaler.yaml"),
        samples: "",
        pattern: Some(("spike", 20.0, 300.0, 1800, 2)),
        initial_replicas: None,
        pod_startup_s: Some(10),
    },
    Example {
        id: "aibrix-apa",
        title: "AIBrix APA on num_requests_running",
        yaml: include_str!("../../examples/aibrix-apa/autoscaler.yaml"),
        samples: REQUESTS,
        pattern: None,
        initial_replicas: None,
        pod_startup_s: Some(120),
    },
];

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

impl Example {
    /// The state this example loads.
    pub fn state(&self) -> State {
        State {
            example: Some(self.id.to_string()),
            yaml: self.yaml.to_string(),
            samples: self.samples.to_string(),
            pattern: self
                .pattern
                .map(|(shape, base, peak, duration_s, step_s)| PatternState {
                    shape: shape.to_string(),
                    base,
                    peak,
                    duration_s,
                    step_s,
                }),
            initial_replicas: self.initial_replicas,
            pod_startup_s: self.pod_startup_s,
            ..State::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelens_core::algorithm::Mode;
    use scalelens_core::diagnostic::Severity;
    use scalelens_core::pipeline::{run, PipelineOutput};

    fn out(id: &str) -> PipelineOutput {
        run(&find(id).expect(id).state().pipeline_input())
    }

    #[test]
    fn every_example_replays_without_errors() {
        assert_eq!(EXAMPLES.first().map(|e| e.id), Some("seed"));
        for e in EXAMPLES {
            let o = run(&e.state().pipeline_input());
            let sim = o.sim.as_ref().unwrap_or_else(|| panic!("{}: no run", e.id));
            assert!(sim.timeline.len() > 10, "{}", e.id);
            let errors: Vec<_> = o
                .findings
                .iter()
                .filter(|f| f.diagnostic.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", e.id);
        }
    }

    #[test]
    fn examples_show_what_their_titles_say() {
        let seed = out("seed");
        assert!(seed.has_code(scalelens_core::codes::Code::UnitMismatch));
        let knative = out("knative-panic");
        let tl = &knative.sim.as_ref().expect("run").timeline;
        assert!(tl.iter().any(|e| e.mode == Mode::Panic), "knative panics");
        let keda = out("keda-activation");
        let tl = &keda.sim.as_ref().expect("run").timeline;
        assert_eq!(tl.first().map(|e| e.replicas), Some(0));
        assert!(
            tl.iter().any(|e| e.desired > 1),
            "keda activates and scales"
        );
        for id in ["hpa-behavior", "aibrix-apa"] {
            let o = out(id);
            let tl = &o.sim.as_ref().expect("run").timeline;
            let peak = tl.iter().map(|e| e.desired).max().unwrap_or(0);
            assert!(peak > 2, "{id}: peak {peak}");
        }
    }
}
