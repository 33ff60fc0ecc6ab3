//! KServe objects and Knative's HPA class replay through the family they become: a constant
//! demand, start-up 0, one initial replica, and the replica count at the end of the replay,
//! derived by hand from the controller each becomes (each case says how).

use scalelens_core::pipeline::{run, DemandInput, PipelineInput, PipelineOptions};

use crate::fixtures::read_testdata;

/// A constant total demand of `value` for ten minutes.
fn constant(value: f64) -> String {
    let mut csv = String::from("time,value\n");
    for t in (0..=600).step_by(15) {
        csv.push_str(&format!("{t},{value}\n"));
    }
    csv
}

#[test]
fn kserve_and_knative_hpa_class_replay_as_the_family_they_become() {
    // (fixture, autoscaler, demand, replicas at the end, upstream header starts with, why)
    let cases: &[(&str, &str, f64, u32, &str, &str)] = &[
        (
            "config/knative/hpa-class.yaml",
            "resnet",
            560.0,
            8,
            "Knative HPA class → Kubernetes HPA",
            // HPA on cpu Utilization 70: ceil(560 / 70) = 8 pods, within 2..10.
            "cpu Utilization 70 → ceil(560/70) = 8",
        ),
        (
            "config/kserve/isvc-raw-cpu.yaml",
            "fraud-predictor",
            300.0,
            5,
            "KServe v0.20.0 InferenceService → Kubernetes v1.34 HPA",
            "scaleTarget 60 → HPA cpu Utilization 60: ceil(300/60) = 5, within 2..8",
        ),
        (
            "config/kserve/isvc-raw-cpu.yaml",
            "fraud-transformer",
            300.0,
            1,
            "KServe v0.20.0 InferenceService → Kubernetes v1.34 HPA",
            "no maxReplicas → KServe's HPA is 1..1: pinned at 1",
        ),
        (
            "config/kserve/isvc-serverless-concurrency.yaml",
            "sentiment-predictor",
            20.0,
            4,
            "KServe v0.20.0 InferenceService → Knative Serving v1.20 KPA",
            "scaleTarget 8 × 70 % utilization = 5.6 per pod: ceil(20/5.6) = 4, within 1..6",
        ),
        (
            "config/kserve/isvc-serverless-concurrency.yaml",
            "sentiment-predictor",
            50.0,
            6,
            "KServe v0.20.0 InferenceService → Knative Serving v1.20 KPA",
            "ceil(50/5.6) = 9, capped by maxReplicas 6 (max-scale)",
        ),
        (
            "config/kserve/isvc-keda.yaml",
            "chat-predictor",
            12.0,
            3,
            "KServe v0.20.0 InferenceService → KEDA v2.18",
            "prometheus trigger threshold 4 (AverageValue): ceil(12/4) = 3, within 1..5",
        ),
        (
            "config/kserve/llmisvc.yaml",
            "llama-kserve-hpa",
            1.0,
            1,
            "KServe v0.20.0 LLMInferenceService → Kubernetes v1.34 HPA",
            "wva_desired_replicas 1 against Value 1: ratio 1, inside the tolerance: stays at 1",
        ),
        (
            "config/kserve/llmisvc.yaml",
            "llama-kserve-hpa",
            3.0,
            8,
            "KServe v0.20.0 LLMInferenceService → Kubernetes v1.34 HPA",
            // An External Value target multiplies: desired = ceil(3/1 × ready) = 3, then 9 → 8.
            "Value target: ceil(ratio 3 × ready) grows each sync until maxReplicas 8",
        ),
    ];
    for (fixture, name, demand, want, upstream, why) in cases {
        let yaml = read_testdata(fixture);
        let csv = constant(*demand);
        let series = scalelens_core::demand::parse_csv(&csv).expect("demand");
        let out = run(&PipelineInput {
            yaml: &yaml,
            demand: DemandInput::Series(&series),
            options: PipelineOptions {
                autoscaler: Some((*name).to_string()),
                initial_replicas: Some(1),
                pod_startup: Some(0),
                ..PipelineOptions::default()
            },
        });
        let summary = out.selected.as_ref().expect("selected");
        assert!(
            summary.algorithm.starts_with(upstream),
            "{fixture} {name}: {}",
            summary.algorithm
        );
        let sim = out.sim.as_ref().expect("replayed");
        let last = sim.timeline.last().map(|e| e.desired);
        assert_eq!(last, Some(*want), "{fixture} {name} at {demand}: {why}");
    }
}

/// `--kserve-deployment-mode` (the option) chooses the mode of an InferenceService that writes
/// none, and silences the note; the annotation still wins over it.
#[test]
fn deployment_mode_option_replaces_the_assumed_default() {
    use scalelens_core::codes::Code;
    use scalelens_core::config::{parse_with, ParseOptions};
    use scalelens_core::model::Family;
    use scalelens_core::upstream::kserve::DeploymentMode;
    let yaml = read_testdata("config/kserve/isvc-default-mode.yaml");
    let cases = [
        (None, Family::Knative, true),
        (Some(DeploymentMode::Knative), Family::Knative, false),
        (Some(DeploymentMode::Standard), Family::Hpa, false),
    ];
    for (mode, family, noted) in cases {
        let parsed = parse_with(
            &yaml,
            &ParseOptions {
                kserve_mode: mode,
                ..ParseOptions::default()
            },
        );
        assert_eq!(parsed.autoscalers.first().map(|a| a.family), Some(family));
        let note = parsed
            .diagnostics
            .iter()
            .any(|d| d.code == Code::KserveAssumedMode);
        assert_eq!(note, noted, "{mode:?}");
    }
    let annotated = read_testdata("config/kserve/isvc-raw-cpu.yaml");
    let parsed = parse_with(
        &annotated,
        &ParseOptions {
            kserve_mode: Some(DeploymentMode::Knative),
            ..ParseOptions::default()
        },
    );
    assert_eq!(
        parsed.autoscalers.first().map(|a| a.family),
        Some(Family::Hpa)
    );
}

/// What `explain` says about a KServe replay: the header names the chain from the object
/// written to the controller replayed, and a decision held at max names the KServe field.
#[test]
fn explain_names_the_kserve_object_and_its_fields() {
    use scalelens_core::explain;
    let mut text = String::new();
    for (fixture, name, demand) in [
        ("config/kserve/isvc-raw-cpu.yaml", "fraud-predictor", 900.0),
        ("config/knative/hpa-class.yaml", "resnet", 560.0),
        ("config/kserve/llmisvc.yaml", "llama-kserve-hpa", 3.0),
    ] {
        let yaml = read_testdata(fixture);
        let csv = constant(demand);
        let series = scalelens_core::demand::parse_csv(&csv).expect("demand");
        let out = run(&PipelineInput {
            yaml: &yaml,
            demand: DemandInput::Series(&series),
            options: PipelineOptions {
                autoscaler: Some(name.to_string()),
                initial_replicas: Some(1),
                pod_startup: Some(0),
                ..PipelineOptions::default()
            },
        });
        let (a, sim) = (
            out.autoscaler().expect("read"),
            out.sim.as_ref().expect("replayed"),
        );
        let at = sim.timeline.last().map_or(0, |e| e.t);
        let e = explain::explain(a, sim, at, 0).expect("explained");
        text.push_str(&format!(
            "{name} at {demand}:\n  {}\n  {}\n",
            e.upstream, e.headline
        ));
    }
    insta::assert_snapshot!(text);
}
