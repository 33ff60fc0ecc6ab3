//! `scalelens simulate --chart FILE.svg` on the seed case writes the charts drawn by
//! `scalelens-chart` with plotters' SVG backend.

use scalelens_tests::run_cli;

const SEED: &str = "../examples/seed-kpa-gpu-cache";

fn temp_svg(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scalelens-chart-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// `scalelens simulate` of the seed case with `--chart out`.
fn simulate_seed_chart(out: &std::path::Path) -> scalelens_tests::CliRun {
    run_cli(&[
        "simulate",
        &format!("{SEED}/autoscaler.yaml"),
        "--demand",
        &format!("{SEED}/demand.csv"),
        "--chart",
        &out.display().to_string(),
    ])
}

#[test]
fn simulate_chart_writes_the_seed_svg() {
    let out = temp_svg("seed.svg");
    let _ = std::fs::remove_file(&out);
    let run = simulate_seed_chart(&out);
    assert_eq!(run.code, 0, "stderr: {}", run.err);
    assert!(
        run.out.contains("Replaying AIBrix v0.7.0 KPA"),
        "the report is still printed"
    );
    let svg = std::fs::read_to_string(&out).expect("chart written");
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    for text in [
        "deepseek-llm-7b-chat-kpa: AIBrix v0.7.0 KPA (vllm-project/aibrix pkg/controller/podautoscaler/algorithm/kpa.go)",
        "observed gpu_cache_usage_perc vs target",
        "target 0.5",
        "spec.replicas",
        "ready pods",
        "min/max 1/10",
        "time (h:mm)",
        ">\n0:40\n</text>",
        ">\n1:30\n</text>",
        // After the load stops AIBrix v0.7.0 panics on a stable value of 0: labelled apart.
        ">\npanic (no load: upstream AIBrix quirk)\n</text>",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    assert!(svg.matches("<polyline").count() >= 6);
    let _ = std::fs::remove_file(&out);
}

#[test]
fn simulate_chart_unwritable_path_is_an_error() {
    let out = temp_svg("no-such-dir/x/seed.svg");
    let run = simulate_seed_chart(&out);
    assert_eq!(run.code, 2);
    assert!(run.err.starts_with("error: cannot write "), "{}", run.err);
}

/// Knative's KPA and AIBrix v0.4's KPA observe the SUM over pods against a per-pod target: the
/// chart draws that per ready pod, on the target's scale; per-pod algorithms draw it as is.
#[test]
fn observed_totals_are_drawn_per_ready_pod() {
    let cases: [(&[&str], bool); 3] = [
        (&["../examples/knative-panic/autoscaler.yaml"], true),
        (
            &[
                "../examples/seed-kpa-gpu-cache/autoscaler.yaml",
                "--aibrix-version",
                "v0.4",
            ],
            true,
        ),
        (&["../examples/hpa-behavior/autoscaler.yaml"], false),
    ];
    for (i, (config, per_ready_pod)) in cases.into_iter().enumerate() {
        let out = temp_svg(&format!("scope-{i}.svg"));
        let out_s = out.display().to_string();
        let mut args = vec!["simulate"];
        args.extend_from_slice(config);
        args.extend([
            "--demand",
            "../examples/demand/requests.csv",
            "--chart",
            &out_s,
        ]);
        let run = run_cli(&args);
        assert_eq!(run.code, 0, "{config:?}: {}", run.err);
        let svg = std::fs::read_to_string(&out).expect("chart written");
        assert_eq!(
            svg.contains("observed per ready pod"),
            per_ready_pod,
            "{config:?}"
        );
        let _ = std::fs::remove_file(&out);
    }
}
