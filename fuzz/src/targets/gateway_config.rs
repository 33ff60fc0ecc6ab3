//! The filter's configuration (`GatewayConfig::from_json`): never panics; an error is one line
//! and points into the text; an accepted configuration has every field in its documented
//! range, round-trips (written back as JSON it reads as the same configuration), labels every
//! allow-listed model as itself when a request names it, and runs the request path and the
//! load aggregator without panicking.

use super::super::{text, Extent};
use scalelens_gateway::{
    GatewayConfig, LoadAggregator, ModelLabel, Outcome, RequestSignals, TargetMetric,
};
use std::fmt::Write;
use std::rc::Rc;

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The configuration as the JSON that configures it (every field written).
fn to_json(c: &GatewayConfig) -> String {
    let target_key = match c.target.metric {
        TargetMetric::Concurrency => "concurrency_per_pod",
        TargetMetric::TokensPerSecond => "tokens_per_second_per_pod",
    };
    let list = |items: Vec<&str>| {
        items
            .into_iter()
            .map(json_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = format!(
        "{{\"stable_window\":\"{}s\",\"panic_window_percentage\":{:?},\
         \"panic_threshold_percentage\":{:?},\"target\":{{\"{target_key}\":{:?},\
         \"utilization_percentage\":{:?}}},\"max_scale_up_rate\":{:?},\
         \"max_scale_down_rate\":{:?},\"routes\":[{}],\"models\":[{}],\"max_body_bytes\":{},\
         \"max_sse_event_bytes\":{},\"debug_headers\":{},\"max_endpoints\":{}",
        c.stable_window / 1000,
        c.panic_window_percentage,
        c.panic_threshold_percentage,
        c.target.per_pod,
        c.target.utilization * 100.0,
        c.max_scale_up_rate,
        c.max_scale_down_rate,
        list(c.routes.iter().map(String::as_str).collect()),
        list(c.models.iter().map(|m| m.name.as_str()).collect()),
        c.max_body_bytes,
        c.max_sse_event_bytes,
        c.debug_headers,
        c.max_endpoints,
    );
    if let Some(l) = &c.cluster_label {
        let _ = write!(out, ",\"cluster_label\":{}", json_string(l));
    }
    out.push('}');
    out
}

fn check_ranges(c: &GatewayConfig) {
    assert!((6_000..=3_600_000).contains(&c.stable_window) && c.stable_window % 1000 == 0);
    assert!((1.0..=100.0).contains(&c.panic_window_percentage));
    assert!((110.0..=1000.0).contains(&c.panic_threshold_percentage));
    assert!(
        c.target.per_pod.is_finite() && c.target.per_pod >= 0.01,
        "{:?}",
        c.target
    );
    assert!(c.target.utilization > 0.0 && c.target.utilization <= 1.0);
    assert!(
        c.max_scale_up_rate.is_finite() && c.max_scale_up_rate > 1.0,
        "{}",
        c.max_scale_up_rate
    );
    assert!(
        c.max_scale_down_rate.is_finite() && c.max_scale_down_rate > 1.0,
        "{}",
        c.max_scale_down_rate
    );
    assert!((1..=16).contains(&c.routes.len()) && c.routes.iter().all(|r| r.starts_with('/')));
    assert!(c.models.len() <= 32);
    assert!((1024..=16 << 20).contains(&c.max_body_bytes));
    assert!((256..=1 << 20).contains(&c.max_sse_event_bytes));
    assert!(c.max_endpoints <= 256);
}

/// The target: panics on a finding (module doc).
pub fn run(data: &[u8]) {
    let src = text(data);
    let c = match GatewayConfig::from_json(&src) {
        Err(e) => {
            let extent = Extent::of(&src);
            let line = u32::try_from(e.line).ok();
            let column = u32::try_from(e.column).ok();
            extent.check_line(line, column, "config error");
            assert!(e.offset <= src.len(), "offset {} past the text", e.offset);
            assert!(
                !e.to_string().contains('\n'),
                "a message of several lines: {e}"
            );
            return;
        }
        Ok(c) => c,
    };
    check_ranges(&c);

    let json = to_json(&c);
    let again = GatewayConfig::from_json(&json).unwrap_or_else(|e| panic!("re-read: {e}\n{json}"));
    // Utilization is stored as a fraction: written back in percent, it may move by an ulp.
    assert!((again.target.utilization - c.target.utilization).abs() <= 1e-12);
    let again = GatewayConfig {
        target: scalelens_gateway::Target {
            utilization: c.target.utilization,
            ..again.target
        },
        ..again
    };
    assert_eq!(again, c, "round trip through {json}");

    for (i, m) in c.models.iter().enumerate() {
        assert_eq!(
            c.model_label(Some(m.name.as_bytes())),
            ModelLabel::Listed(i as u8),
            "models[{i}]"
        );
    }
    let config = Rc::new(c);
    // A request naming each listed model gets that model's label.
    for (i, m) in config.models.iter().enumerate() {
        let mut r = RequestSignals::new(Rc::clone(&config));
        let route = config.routes.first().map_or("/", String::as_str);
        r.on_request_headers(0, route.as_bytes(), b"POST");
        let body = format!("{{\"model\":{},\"stream\":false}}", json_string(&m.name));
        r.on_request_body(body.as_bytes(), true);
        assert_eq!(
            r.model(),
            ModelLabel::Listed(i as u8),
            "a request for models[{i}] {body}"
        );
        let _ = r.debug_headers();
        r.on_done(5, Outcome::Completed);
    }
    let _ = config.decider_spec();
    let _ = config.panic_window();
    let mut load = LoadAggregator::new(&config);
    load.start(0, 1);
    for t in 1..=8u64 {
        let _ = load.tick(t * 2_000, t * 7, t * 1_000);
        let _ = load.recommendation(t * 2_000, 3);
    }
    let _ = load.tick_average(20_000, 1e12, u64::MAX);
    let _ = load.recommendation(22_000, u32::MAX);
}
