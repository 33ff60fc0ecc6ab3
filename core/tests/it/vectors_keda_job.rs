//! KEDA ScaledJob reference vectors (`core/tests/testdata/vectors/keda-job.json`): the scaling
//! strategies' `GetEffectiveMaxScale`, `getScalingDecision` and `IsScaledJobActive`, from
//! `scale_jobs_test.go` and `scale_handler_test.go`.

use scalelens_core::algorithm::keda_job::{
    is_scaled_job_active, jobs_to_create, queue_length_and_max_value, replica_counts,
    scaling_decision, ScalerMetrics, Strategy,
};
use serde_json::Value;

fn strategy(c: &Value) -> Strategy {
    Strategy::select(
        c["strategy"].as_str().unwrap(),
        c["deduction"].as_i64().map(|d| d as i32),
        c["percentage"].as_str().unwrap_or("0"),
    )
}

fn pair(v: &Value) -> (i64, i64) {
    let a = v.as_array().unwrap();
    (a[0].as_i64().unwrap(), a[1].as_i64().unwrap())
}

#[test]
fn strategy_selection() {
    let doc: Value = crate::common::load_vectors("keda-job.json");
    for c in doc["select"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert_eq!(strategy(c).name(), c["expect"].as_str().unwrap(), "{id}");
    }
}

#[test]
fn strategies_table() {
    let doc: Value = crate::common::load_vectors("keda-job.json");
    let cases = doc["strategies"].as_array().unwrap();
    assert!(cases.len() >= 17);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let a: Vec<i64> = c["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        let got = strategy(c).effective_max_scale(a[0], a[1], a[2], a[3], a[4]);
        assert_eq!(got, pair(&c["expect"]), "{id}");
    }
}

#[test]
fn decision_table() {
    let doc: Value = crate::common::load_vectors("keda-job.json");
    for c in doc["decision"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let n = |k: &str| c[k].as_i64().unwrap();
        let got = scaling_decision(
            Strategy::Default,
            n("min"),
            100,
            n("running"),
            n("pending"),
            n("scale_to"),
            n("max_scale"),
        );
        assert_eq!(got, pair(&c["expect"]), "{id}");
    }
}

#[test]
fn activity_table() {
    let doc: Value = crate::common::load_vectors("keda-job.json");
    for c in doc["active"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let (min, max) = replica_counts(c["min"].as_i64(), c["max"].as_i64());
        let scalers: Vec<ScalerMetrics> = c["scalers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let s = s.as_array().unwrap();
                let mut m =
                    queue_length_and_max_value(s[0].as_f64().unwrap(), s[1].as_f64().unwrap(), max);
                m.is_active = s[2].as_bool().unwrap();
                m
            })
            .collect();
        let (active, queue, max_scale, _) =
            is_scaled_job_active(&scalers, c["calculation"].as_str().unwrap(), min, max);
        let e = c["expect"].as_array().unwrap();
        assert_eq!(active, e[0].as_bool().unwrap(), "{id}");
        assert_eq!(
            (queue, max_scale),
            (e[1].as_i64().unwrap(), e[2].as_i64().unwrap()),
            "{id}"
        );
    }
}

/// One poll end to end: 12 messages at `queueLength: 1` with 40 allowed and 5 Jobs running.
/// default creates min(12, 12 − 5) = 7; accurate min(12, 12 − 0 pending) = 12; eager raises
/// scaleTo to 40 and creates min(40 − 5 − 0, 12) = 12.
#[test]
fn one_poll_per_strategy() {
    let (min, max) = replica_counts(None, Some(40));
    let mut m = queue_length_and_max_value(12.0, 1.0, max);
    m.is_active = true;
    let (active, scale_to, max_scale, _) = is_scaled_job_active(&[m], "", min, max);
    for (s, want) in [
        (Strategy::Default, 7),
        (Strategy::Accurate, 12),
        (Strategy::Eager, 12),
        (
            Strategy::Custom {
                deduction: 0,
                percentage: 0.5,
            },
            10,
        ),
    ] {
        let (eff, to) = scaling_decision(s, min, max, 5, 0, scale_to, max_scale);
        assert_eq!(jobs_to_create(active, eff, to), want, "{}", s.name());
    }
}
