//! The seed case's unit fixes, end to end (issue 3 acceptance): the per-pod bound follows the
//! samples' scale, the static and the sample-based advice agree, and the AIBrix v0.7.0
//! scale-down cooldown's oscillation is explained (and goes away with the advised setting).

use scalelens_tests::run_cli;

const FIXED: &str = "testdata/analysis/seed-percent-fixed/autoscaler.yaml"; // target "50"
const SEED: &str = "testdata/examples/seed-kpa-gpu-cache/autoscaler.yaml"; // target "0.5"
const PERCENT: &str = "testdata/examples/seed-kpa-gpu-cache/samples-percent.prom.json";
const FRACTION: &str = "testdata/examples/seed-kpa-gpu-cache/samples-fraction.csv";

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

/// Fix "write the target in percent" applied, percent samples: the replay caps each pod at 100
/// (the data's scale), neither drops the bound nor caps at the registry's 1, scales with the
/// load (to the KPA's ceiling of 2 for a target at half the bound) and returns to minReplicas.
#[test]
fn percent_samples_replay_with_a_percent_bound() {
    let v = json(&["simulate", FIXED, "--samples", PERCENT]);
    assert_eq!(v["samples"]["per_pod_bound"], 100.0);
    let tl = v["timeline"].as_array().expect("timeline");
    let observed: Vec<f64> = tl.iter().filter_map(|e| e["observed"].as_f64()).collect();
    let max_obs = observed.iter().copied().fold(0.0, f64::max);
    assert!(max_obs > 90.0 && max_obs <= 100.0, "per-pod mean {max_obs}");
    let desired: Vec<u64> = tl.iter().filter_map(|e| e["desired"].as_u64()).collect();
    assert_eq!(desired.iter().max(), Some(&2));
    assert_eq!(desired.last(), Some(&1));
    let c = codes(&v);
    assert!(
        !c.iter().any(|(k, _)| k == "sim-demand-above-bound"),
        "{c:?}"
    );
    assert!(!c.iter().any(|(k, _)| k == "flapping"), "{c:?}");
    assert!(
        c.iter().all(|(_, s)| s != "warning" && s != "error"),
        "{c:?}"
    );

    // The same replay from the demand CSV in percent: the simulator infers the percent cap.
    let v = json(&[
        "simulate",
        FIXED,
        "--demand",
        "testdata/examples/seed-kpa-gpu-cache/demand-percent.csv",
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

/// Fix "convert the metric" applied (fraction samples, target 0.5): the registry's bound of 1
/// holds, no bound warning, scales with load and back to minReplicas.
#[test]
fn fraction_samples_keep_the_registry_bound() {
    let v = json(&["simulate", SEED, "--samples", FRACTION]);
    assert_eq!(v["samples"]["per_pod_bound"], serde_json::Value::Null);
    let tl = v["timeline"].as_array().expect("timeline");
    assert!(tl
        .iter()
        .filter_map(|e| e["observed"].as_f64())
        .all(|o| o <= 1.0));
    let desired: Vec<u64> = tl.iter().filter_map(|e| e["desired"].as_u64()).collect();
    assert_eq!(desired.iter().max(), Some(&2));
    assert_eq!(desired.last(), Some(&1));
    let c = codes(&v);
    assert!(
        !c.iter().any(|(k, _)| k == "sim-demand-above-bound"),
        "{c:?}"
    );
}

/// The static `target-above-bound` and the sample-based `unit-mismatch` never advise opposite
/// targets, in either order of units.
#[test]
fn static_and_sample_advice_agree() {
    // Target 50, percent samples: consistent. target-above-bound defers (a note, no fix);
    // no unit-mismatch.
    let v = json(&["check", FIXED, "--samples", PERCENT]);
    let c = codes(&v);
    assert!(
        c.contains(&("target-above-bound".into(), "note".into())),
        "{c:?}"
    );
    assert!(!c.iter().any(|(k, _)| k == "unit-mismatch"), "{c:?}");
    assert!(
        target_replacements(&v).is_empty(),
        "{:?}",
        target_replacements(&v)
    );

    // Target 0.5, percent samples: unit-mismatch advises 50 (or converting); no static warning.
    let v = json(&["check", SEED, "--samples", PERCENT]);
    let c = codes(&v);
    assert!(
        c.contains(&("unit-mismatch".into(), "warning".into())),
        "{c:?}"
    );
    assert!(!c.iter().any(|(k, _)| k == "target-above-bound"), "{c:?}");
    assert_eq!(target_replacements(&v), vec!["50".to_string()]);

    // Target 50, fraction samples: both the static check and unit-mismatch advise 0.5.
    let v = json(&["check", FIXED, "--samples", FRACTION]);
    let c = codes(&v);
    assert!(
        c.contains(&("target-above-bound".into(), "warning".into())),
        "{c:?}"
    );
    let r = target_replacements(&v);
    assert!(!r.is_empty() && r.iter().all(|x| x == "0.5"), "{r:?}");

    // Without samples the registry's 0–1 stands: target 50 is a warning with the 0.5 fix.
    let v = json(&["check", FIXED]);
    assert!(codes(&v).contains(&("target-above-bound".into(), "warning".into())));
    assert_eq!(target_replacements(&v), vec!["0.5".to_string()]);
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
