//! `window-shorter-than-scrape`: a window that cannot hold more than one sample.
//!
//! How the check works (the rule's docs, what / why / example / fix / references, are
//! [`DOC`], shown by `scalelens rule` and in SARIF):
//! Compares each averaging window with the interval at which its samples arrive:
//! - **AIBrix** KPA/APA: a stable (`observeWindowSeconds`, v0.4.0 `kpa.../stable-window`) or
//!   panic window written shorter than the controller's resync interval (10 s). AIBrix scrapes
//!   the pods once per reconcile, so such a window holds only the latest sample: its "average"
//!   is one reading, and the panic-versus-stable comparison loses its meaning.
//! - **Kubernetes HPA / KEDA**: a `behavior` stabilization window written between 1 s and the
//!   sync period (15 s). Recommendations are recorded once per sync, so the window holds only the
//!   current one and behaves exactly like 0.
//! - **KEDA prometheus query** (from samples, [`check_query_ranges`]): a `rate`/`irate`/
//!   `increase`/`delta`/`deriv` range selector shorter than two scrape intervals, measured as
//!   the median step between the samples of one series (CSV or timestamped scrapes only; the
//!   step of a `query_range` export is the query's, not the scrape's). Such a range holds at most
//!   one sample, these functions need two, and the query returns nothing, which KEDA's
//!   prometheus scaler reads as 0 (`ignoreNullValues` defaults to true).
//!
//! Knative is not checked: its autoscaler scrapes the queue-proxies itself every second and
//! its windows are at least 6 s (`stable-window`) and 1 s (panic), so they always hold samples.
//! Defaults are not reported (AIBrix v0.4.0's 10 s panic window equals its resync and holds
//! one sample by upstream design).

use super::value_vs_averagevalue::paren_group;
use crate::codes::rule_doc;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::display::Dur;
use crate::model::{
    AibrixParams, Algorithm, Autoscaler, Behavior, HpaParams, MetricSource, Millis, SECOND,
};
use crate::samples::{Format, Samples, TimeBase};
use crate::span::Param;
use crate::text::split_while;

/// Static window checks of one autoscaler.
pub fn check_windows(a: &Autoscaler) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match &a.algorithm {
        // v0.5.0 – v0.7.0's windows are fixed (180 s / 60 s, `metrics/client.go`), far above
        // their 10 s resync: only v0.4.0's annotation windows can be too short.
        Algorithm::AibrixKpa(AibrixParams::V04(p)) | Algorithm::AibrixApa(AibrixParams::V04(p)) => {
            let resync = p.resync_interval.value;
            let kpa = matches!(a.algorithm, Algorithm::AibrixKpa(_));
            // KPA reads the stable and panic windows; APA `apa.autoscaling.aibrix.ai/window`.
            let windows: Vec<(&str, &Param<Millis>)> = if kpa {
                vec![
                    ("stable window", &p.stable_window),
                    ("panic window", &p.panic_window),
                ]
            } else {
                vec![("APA window", &p.apa_window)]
            };
            for (what, w) in windows {
                let Some(span) = w.span() else { continue };
                if w.value < resync {
                    out.push(
                        Diagnostic::warning(
                            Code::WindowShorterThanScrape,
                            format!(
                                "the {what} ({}) is shorter than AIBrix's metric collection interval ({}, one scrape of the pods per resync): it holds only the latest sample, so its average is a single reading",
                                Dur(w.value),
                                Dur(resync)
                            ),
                        )
                        .at(span)
                        .with_help("AIBrix v0.4.0 records one sample per reconcile and averages the samples of the window (vllm-project/aibrix v0.4.0 pkg/controller/podautoscaler/aggregation/window.go)")
                        .with_fix(
                            format!("hold at least 3 samples: {}", Dur(3 * resync)),
                            span,
                            format!("\"{}s\"", 3 * resync / SECOND),
                        ),
                    );
                }
            }
        }
        Algorithm::AibrixKpa(_) | Algorithm::AibrixApa(_) => {}
        Algorithm::Hpa(p) => hpa_windows(p, &mut out),
        Algorithm::Keda(p) => hpa_windows(&p.hpa, &mut out),
        Algorithm::KnativeKpa(_) => {}
    }
    out
}

fn hpa_windows(p: &HpaParams, out: &mut Vec<Diagnostic>) {
    let Some(Behavior {
        scale_up,
        scale_down,
    }) = &p.behavior
    else {
        return;
    };
    let sync = p.sync_period.value;
    for (dir, rules) in [("scaleUp", scale_up), ("scaleDown", scale_down)] {
        let w = &rules.stabilization_window;
        let Some(span) = w.span() else { continue };
        if w.value > 0 && w.value < sync {
            out.push(
                Diagnostic::warning(
                    Code::WindowShorterThanScrape,
                    format!(
                        "`{dir}.stabilizationWindowSeconds: {}` is shorter than the HPA sync period ({}): the controller records one recommendation per sync, so the window holds only the current one and behaves exactly like 0",
                        w.value / SECOND,
                        Dur(sync)
                    ),
                )
                .at(span)
                .with_help("stabilizeRecommendationWithBehaviors keeps recommendations newer than now − window (kubernetes/kubernetes v1.34 pkg/controller/podautoscaler/horizontal.go); the previous one is a sync period old")
                .with_fix(
                    format!("span at least two syncs: {}", (2 * sync) / SECOND),
                    span,
                    format!("{}", (2 * sync) / SECOND),
                ),
            );
        }
    }
}

/// Parse a Prometheus duration (`30s`, `1m30s`, `500ms`, `2h`) into milliseconds.
pub fn prom_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut rest = s;
    let mut total: Millis = 0;
    while !rest.is_empty() {
        let (digits, tail) = split_while(rest, |c| c.is_ascii_digit());
        let n: Millis = digits.parse().ok()?;
        let (unit, tail) = split_while(tail, |c| c.is_ascii_alphabetic());
        rest = tail;
        let ms: Millis = match unit {
            "ms" => 1,
            "s" => SECOND,
            "m" => 60 * SECOND,
            "h" => 3600 * SECOND,
            "d" => 86_400 * SECOND,
            "w" => 7 * 86_400 * SECOND,
            "y" => 365 * 86_400 * SECOND,
            _ => return None,
        };
        total = total.saturating_add(n.saturating_mul(ms));
    }
    Some(total)
}

/// Range functions that need two samples in their range, with the ranges written in `query`.
pub fn rate_ranges(query: &str) -> Vec<(&'static str, Millis)> {
    let mut out = Vec::new();
    for f in ["irate", "rate", "increase", "delta", "deriv"] {
        let mut from = 0usize;
        while let Some(pos) = query.get(from..).and_then(|q| q.find(f)) {
            let at = from + pos;
            from = at + f.len();
            let before = query.get(..at).and_then(|b| b.chars().last());
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue; // part of another name (`irate` inside `rate` search, `my_rate`)
            }
            let Some(rest) = query.get(from..) else { break };
            let Some((inner, _)) = paren_group(rest.trim_start()) else {
                continue;
            };
            // The last `[...]` of the argument is the range (a subquery has a `:`).
            if let Some(open) = inner.rfind('[') {
                if let Some(close) = inner.get(open..).and_then(|r| r.find(']')) {
                    let sel = inner.get(open + 1..open + close).unwrap_or("");
                    if !sel.contains(':') {
                        if let Some(ms) = prom_duration(sel) {
                            out.push((f, ms));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The median step between consecutive samples of the series, when the samples' times are
/// scrape times (CSV, timestamped exposition).
pub fn scrape_step(samples: &Samples) -> Option<Millis> {
    let scrape_times = match samples.format {
        Format::Csv => true,
        Format::Exposition => samples.time_base == TimeBase::Epoch,
        _ => false,
    };
    if !scrape_times {
        return None;
    }
    let mut steps: Vec<f64> = samples
        .series
        .iter()
        .flat_map(|s| {
            s.points
                .iter()
                .zip(s.points.iter().skip(1))
                .map(|(a, b)| b.0.saturating_sub(a.0) as f64)
        })
        .filter(|d| *d > 0.0)
        .collect();
    if steps.len() < 3 {
        return None;
    }
    super::median(&mut steps).map(|m| m as Millis)
}

/// KEDA prometheus triggers whose rate ranges are shorter than two scrape intervals, as the
/// samples' step measures them. A range `promql-rate-window` already reported against
/// `scrape` (the given or assumed interval, [`super::promql_rate`]) is not reported twice.
pub fn check_query_ranges(
    a: &Autoscaler,
    samples: &Samples,
    scrape: super::ScrapeInterval,
) -> Option<Diagnostic> {
    let step = scrape_step(samples)?;
    let m = a.metrics.first()?;
    let MetricSource::KedaPrometheus { query, .. } = &m.source else {
        return None;
    };
    // Without the PromQL parser (the playground) nothing was reported before.
    let reported = if cfg!(feature = "promql") {
        2u64.saturating_mul(scrape.millis())
    } else {
        0
    };
    let (f, range) = rate_ranges(query)
        .into_iter()
        .find(|(_, r)| *r < 2 * step && *r >= reported)?;
    let message = format!(
        "`{f}(...[{}])` in the query spans less than two scrape intervals (the samples arrive every {}): the range holds at most one sample, `{f}` needs two, so the query returns no data and KEDA's prometheus scaler reads 0 (`ignoreNullValues` defaults to true): the HPA never sees the load",
        Dur(range),
        Dur(step),
    );
    Some(
        Diagnostic::warning(Code::WindowShorterThanScrape, message)
            .at(m.span)
            .with_help(format!(
                "use a range of at least 4 × the scrape interval: [{}]",
                Dur(4 * step)
            )),
    )
}

rule_doc! {
    /// A window that cannot hold more than one sample.
    ///
    /// # What it does
    /// Reports a window that holds at most one sample: an AIBrix stable/panic window written shorter
    /// than the 10 s resync (one scrape per reconcile), an HPA/KEDA stabilization window written
    /// between 1 s and the 15 s sync period (one recommendation per sync), or, from samples, a KEDA
    /// query's `rate(...[d])` range shorter than two scrape intervals. See
    /// [`crate::analysis::check_windows`], [`crate::analysis::check_query_ranges`]. Knative (1 s
    /// scrape, windows ≥ 6 s) cannot have it.
    ///
    /// # Why is this bad
    /// A one-sample window passes every spike to the count; a PromQL rate over a one-sample range
    /// returns nothing, which KEDA reads as 0.
    ///
    /// # Example
    /// ```text
    /// metadata:
    ///   query: sum(rate(vllm:request_success_total[30s]))   # scraped every 30 s
    /// ```
    ///
    /// # Fix
    /// Windows of several sample intervals: AIBrix ≥ 30 s, HPA stabilization 0 or ≥ 15 s, PromQL
    /// ranges ≥ 4 × scrape interval.
    ///
    /// # References
    /// - vllm-project/aibrix v0.7.0 `pkg/controller/podautoscaler/podautoscaler_controller.go`
    ///   (`DefaultResyncInterval`), `types/metrics.go`; kubernetes/kubernetes v1.34
    ///   `pkg/controller/podautoscaler/horizontal.go`; prometheus/prometheus
    ///   `docs/querying/functions.md` (`rate`); kedacore/keda v2.18 `pkg/scalers/prometheus_scaler.go`
    ///   (`ignoreNullValues`).
    pub(crate) const DOC;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::autoscaler;
    use crate::model::AibrixVersion;

    #[test]
    fn durations_and_ranges() {
        assert_eq!(prom_duration("30s"), Some(30_000));
        assert_eq!(prom_duration("1m30s"), Some(90_000));
        assert_eq!(prom_duration("500ms"), Some(500));
        assert_eq!(prom_duration("5x"), None);
        assert_eq!(prom_duration(""), None);
        assert_eq!(
            rate_ranges("sum(rate(a{x=\"y\"}[30s])) + sum(irate(b[1m]))"),
            vec![("irate", 60_000), ("rate", 30_000)]
        );
        assert!(rate_ranges("sum(rate(a[5m:1m]))").is_empty());
        assert!(rate_ranges("sum(my_rate_total)").is_empty());
    }

    /// v0.4.0 windows come from annotations; v0.7.0 has fixed 180 s / 60 s windows (the spec
    /// fields are in no release) and never fires.
    #[test]
    fn aibrix_windows_below_resync() {
        let y = |ann: &str, strategy: &str| {
            crate::analysis::test_util::kpa_yaml("num_requests_waiting", "8", ann).replace(
                "  scalingStrategy: KPA\n",
                &format!("  scalingStrategy: {strategy}\n"),
            )
        };
        let v04 = crate::config::ParseOptions {
            aibrix_version: AibrixVersion::V0_4,
            ..Default::default()
        };
        let stable = "    kpa.autoscaling.aibrix.ai/stable-window: \"8s\"\n";
        let panic = "    kpa.autoscaling.aibrix.ai/panic-window: \"5s\"\n";
        let apa = "    apa.autoscaling.aibrix.ai/window: \"5s\"\n";
        // (annotations, strategy, version, diagnostics)
        for (ann, strategy, options, n) in [
            (panic.to_string(), "KPA", &v04, 1),
            (panic.to_string(), "APA", &v04, 0), // APA reads only its own window
            (apa.to_string(), "APA", &v04, 1),
            (format!("{stable}{panic}"), "KPA", &v04, 2),
            (
                "    kpa.autoscaling.aibrix.ai/panic-window: \"10s\"\n".to_string(),
                "KPA",
                &v04,
                0,
            ),
            (String::new(), "KPA", &v04, 0),
            (
                String::new(),
                "KPA",
                &crate::config::ParseOptions::default(),
                0,
            ),
        ] {
            let parsed = crate::config::parse_with(&y(&ann, strategy), options);
            let a = parsed.autoscalers.first().expect("one autoscaler");
            let d = check_windows(a);
            assert_eq!(d.len(), n, "{ann} {strategy}: {d:?}");
            if let Some(d) = d.first() {
                assert_eq!(d.fixes[0].edits[0].replacement, "\"30s\"");
            }
        }
    }

    #[test]
    fn hpa_window_below_sync() {
        let y = |w: u32| {
            format!(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef: {{kind: Deployment, name: x}}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n    - type: Pods\n      pods:\n        metric: {{name: rps}}\n        target: {{type: AverageValue, averageValue: \"10\"}}\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: {w}\n"
        )
        };
        for (w, fires) in [(0, false), (10, true), (15, false), (300, false)] {
            let d = check_windows(&autoscaler(&y(w)));
            assert_eq!(d.len(), usize::from(fires), "{w}: {d:?}");
        }
    }
}
