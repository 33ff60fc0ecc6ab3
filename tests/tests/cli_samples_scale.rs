//! The seed case's unit fixes, end to end (issue 3 acceptance): the per-pod bound follows the
//! samples' scale, the static and the sample-based advice agree, and the AIBrix v0.7.0
//! scale-down cooldown's oscillation is explained (and goes away with the advised setting).

use scalelens_tests::run_cli;

const FIXED: &str = "testdata/analysis/seed-percent-fixed/autoscaler.yaml"; // target "50"
const SEED: &str = "../examples/seed-kpa-gpu-cache/autoscaler.yaml"; // target "0.5"
const PERCENT: &str = "../examples/seed-kpa-gpu-cache/samples-percent.prom.json";
const FRACTION: &str = "../examples/seed-kpa-gpu-cache/samples-fraction.csv";

fn json(args: &[&str]) -> serde_json::Value {
    let mut argv = args.to_vec();
    argv.extend(["--format", "json"]);
    let run = run_cli(&argv);
    assert!(run.code <= 1, "{args:?}: {}", run.err);
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", run.out))
}

fn codes(v: &serde_json::Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_string(),
                        d["severity"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Replacements the fixes propose for the target (line 52 of both YAMLs).
fn target_replacements(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for d in v["diagnostics"].as_array().into_iter().flatten() {
        for f in d["fixes"].as_array().into_iter().flatten() {
            for e in f["edits"].as_array().into_iter().flatten() {
                if e["line"] == 52 {
                    out.push(
                        e["replacement"]
                            .as_str()
                            .unwrap_or("")
                            .trim_matches('"')
                            .to_string(),
                    );
                }
            }
        }
    }
    out
}

/// A replay of samples and what it must show.
struct ReplayCase {
    name: &'static str,
    yaml: &'static str,
    samples: &'static str,
    /// `samples.per_pod_bound` in the JSON.
    per_pod_bound: serde_json::Value,
    /// Every observed per-pod value is at most this.
    observed_cap: f64,
    /// The largest observed value is above this (the load reaches the data's scale).
    observed_peak_above: Option<f64>,
    /// No flapping and no warning or error at all.
    quiet: bool,
}

/// Both unit fixes replayed from samples. "Write the target in percent" (percent samples, target
/// 50): the replay caps each pod at 100 (the data's scale), neither drops the bound nor caps at
/// the registry's 1. "Convert the metric" (fraction samples, target 0.5): the registry's bound
/// of 1 holds. Either way no bound warning, the KPA scales with the load (to its ceiling of 2
/// for a target at half the bound) and returns to minReplicas.
#[test]
fn samples_replay_with_the_bound_of_their_scale() {
    let cases = [
        ReplayCase {
            name: "target in percent, percent samples",
            yaml: FIXED,
            samples: PERCENT,
            per_pod_bound: serde_json::json!(100.0),
            observed_cap: 100.0,
            observed_peak_above: Some(90.0),
            quiet: true,
        },
        ReplayCase {
            name: "metric converted, fraction samples",
            yaml: SEED,
            samples: FRACTION,
            per_pod_bound: serde_json::Value::Null,
            observed_cap: 1.0,
            observed_peak_above: None,
            quiet: false,
        },
    ];
    for case in &cases {
        let name = case.name;
        let v = json(&["simulate", case.yaml, "--samples", case.samples]);
        assert_eq!(v["samples"]["per_pod_bound"], case.per_pod_bound, "{name}");
        let tl = v["timeline"].as_array().expect("timeline");
        let observed: Vec<f64> = tl.iter().filter_map(|e| e["observed"].as_f64()).collect();
        assert!(
            observed.iter().all(|o| *o <= case.observed_cap),
            "{name}: observed above {}",
            case.observed_cap
        );
        if let Some(above) = case.observed_peak_above {
            let max_obs = observed.iter().copied().fold(0.0, f64::max);
            assert!(max_obs > above, "{name}: per-pod mean {max_obs}");
        }
        let desired: Vec<u64> = tl.iter().filter_map(|e| e["desired"].as_u64()).collect();
        assert_eq!(desired.iter().max(), Some(&2), "{name}");
        assert_eq!(desired.last(), Some(&1), "{name}");
        let c = codes(&v);
        assert!(
            !c.iter().any(|(k, _)| k == "sim-demand-above-bound"),
            "{name}: {c:?}"
        );
        if case.quiet {
            assert!(!c.iter().any(|(k, _)| k == "flapping"), "{name}: {c:?}");
            assert!(
                c.iter().all(|(_, s)| s != "warning" && s != "error"),
                "{name}: {c:?}"
            );
        }
    }
}

/// The percent replay from the demand CSV in percent: the simulator infers the percent cap.
#[test]
fn percent_demand_csv_replays_with_a_percent_cap() {
    let v = json(&[
        "simulate",
        FIXED,
        "--demand",
        "../examples/seed-kpa-gpu-cache/demand-percent.csv",
    ]);
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "sim-demand-above-bound"))
        .expect("a note about the bound");
    assert_eq!(d["severity"], "note");
    assert!(d["message"]
        .as_str()
        .is_some_and(|m| m.contains("capped at 100")));
    let tl = v["timeline"].as_array().expect("timeline");
    assert!(tl
        .iter()
        .filter_map(|e| e["observed"].as_f64())
        .all(|o| o <= 100.0));
}

/// What the fixes may propose for the target.
enum TargetFix {
    /// No fix edits the target.
    None,
    /// Exactly these replacements.
    Exactly(&'static [&'static str]),
    /// At least one, all this value.
    AllOf(&'static str),
}

/// A `check` and the advice it must give.
struct AdviceCase {
    name: &'static str,
    yaml: &'static str,
    samples: Option<&'static str>,
    /// (code, severity) reported.
    reported: &'static [(&'static str, &'static str)],
    /// Codes not reported.
    absent: &'static [&'static str],
    target_fix: TargetFix,
}

/// The static `target-above-bound` and the sample-based `unit-mismatch` never advise opposite
/// targets, in either order of units.
#[test]
fn static_and_sample_advice_agree() {
    let cases = [
        // Consistent: target-above-bound defers (a note, no fix); no unit-mismatch.
        AdviceCase {
            name: "target 50, percent samples",
            yaml: FIXED,
            samples: Some(PERCENT),
            reported: &[("target-above-bound", "note")],
            absent: &["unit-mismatch"],
            target_fix: TargetFix::None,
        },
        // unit-mismatch advises 50 (or converting); no static warning.
        AdviceCase {
            name: "target 0.5, percent samples",
            yaml: SEED,
            samples: Some(PERCENT),
            reported: &[("unit-mismatch", "warning")],
            absent: &["target-above-bound"],
            target_fix: TargetFix::Exactly(&["50"]),
        },
        // Both the static check and unit-mismatch advise 0.5.
        AdviceCase {
            name: "target 50, fraction samples",
            yaml: FIXED,
            samples: Some(FRACTION),
            reported: &[("target-above-bound", "warning")],
            absent: &[],
            target_fix: TargetFix::AllOf("0.5"),
        },
        // Without samples the registry's 0–1 stands: a warning with the 0.5 fix.
        AdviceCase {
            name: "target 50, no samples",
            yaml: FIXED,
            samples: None,
            reported: &[("target-above-bound", "warning")],
            absent: &[],
            target_fix: TargetFix::Exactly(&["0.5"]),
        },
    ];
    for case in &cases {
        let name = case.name;
        let mut args = vec!["check", case.yaml];
        if let Some(s) = case.samples {
            args.extend(["--samples", s]);
        }
        let v = json(&args);
        let c = codes(&v);
        for (code, severity) in case.reported {
            assert!(
                c.contains(&(code.to_string(), severity.to_string())),
                "{name}: no {severity} {code}: {c:?}"
            );
        }
        for code in case.absent {
            assert!(!c.iter().any(|(k, _)| k == code), "{name}: {code}: {c:?}");
        }
        let r = target_replacements(&v);
        match case.target_fix {
            TargetFix::None => assert!(r.is_empty(), "{name}: {r:?}"),
            TargetFix::Exactly(want) => assert_eq!(r, want, "{name}"),
            TargetFix::AllOf(want) => {
                assert!(
                    !r.is_empty() && r.iter().all(|x| x == want),
                    "{name}: {r:?}"
                )
            }
        }
    }
}

/// AIBrix v0.7.0's scale-down cooldown takes the MIN of the window (upstream
/// `podautoscaler_controller.go` `stabilizeRecommendation`, checked against the source): under
/// steady high load a scale-down drops to a stale low recommendation and scales back up. The
/// flapping diagnostic says so, and the advised `scale-down-cooldown-window: "0s"` removes it.
/// (An unbounded metric so that per-pod values can exceed 100, as in the first replay.)
#[test]
fn aibrix_min_cooldown_flapping_is_explained_and_the_advice_works() {
    let yaml = scalelens_tests::read_testdata("analysis/seed-percent-fixed/autoscaler.yaml")
        .replace(
            "targetMetric: gpu_cache_usage_perc",
            "targetMetric: custom_load",
        );
    let dir = std::env::temp_dir().join(format!("scalelens-flap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let flap = dir.join("flap.yaml");
    std::fs::write(&flap, &yaml).expect("write");
    let fixed = dir.join("fixed.yaml");
    std::fs::write(
        &fixed,
        yaml.replace(
            "  name: deepseek-llm-7b-chat-kpa\n",
            "  name: deepseek-llm-7b-chat-kpa\n  annotations:\n    autoscaling.aibrix.ai/scale-down-cooldown-window: \"0s\"\n",
        ),
    )
    .expect("write");
    let flap = flap.display().to_string();
    let fixed = fixed.display().to_string();

    let v = json(&["check", &flap, "--samples", PERCENT]);
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "flapping"))
        .expect("flapping");
    let msg = d["message"].as_str().unwrap_or("");
    assert!(msg.contains("This is what AIBrix v0.7.0 does"), "{msg}");
    assert!(msg.contains("LOWEST recommendation"), "{msg}");
    let help = d["help"].as_str().unwrap_or("");
    assert!(
        help.contains("\"0s\"") && help.contains("makes it worse"),
        "{help}"
    );
    // The min-cooldown rule is in the timeline that flapped.
    let sim = json(&["simulate", &flap, "--samples", PERCENT]);
    assert!(sim["timeline"]
        .as_array()
        .is_some_and(|t| t.iter().any(|e| e["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("scale-down cooldown took the lowest")))));

    let v = json(&["check", &fixed, "--samples", PERCENT]);
    assert!(
        !codes(&v).iter().any(|(k, _)| k == "flapping"),
        "{:?}",
        codes(&v)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
