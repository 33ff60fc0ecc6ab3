//! The samples importers' invariants (the `samples_*` targets).

use super::{check_demand, Extent};
use scalelens_core::samples::{self, Hints, Interpretation, SampleError, Samples};

/// Hints for an input of `len` bytes: none, a metric name (with and without the `vllm:`
/// prefix), or a scrape interval, picked by the length so every kind of call is made
/// without spending input bytes on it.
pub fn hints(len: usize) -> Hints {
    match len % 4 {
        0 => Hints::default(),
        1 => Hints {
            metric: Some("vllm:num_requests_running".into()),
            ..Hints::default()
        },
        2 => Hints {
            metric: Some("gpu_cache_usage_perc".into()),
            scrape_interval: Some(1_000),
            ..Hints::default()
        },
        _ => Hints {
            scrape_interval: Some(30_000),
            ..Hints::default()
        },
    }
}

/// Panics (the fuzzer's finding) unless the import result holds its invariants: an error
/// points into the text; series have strictly increasing times and finite values; the
/// `replicas` column is sorted, one value per time; notes point into the text; every
/// interpretation gives a valid demand series with notes that point into the text.
pub fn check(src: &str, result: Result<Samples, SampleError>) {
    let extent = Extent::of(src);
    let s = match result {
        Err(e) => {
            extent.check_line(Some(e.line), Some(e.column), "samples error");
            assert!(!e.message().is_empty(), "an error without a message");
            return;
        }
        Ok(s) => s,
    };
    for series in &s.series {
        for w in series.points.windows(2) {
            if let [a, b] = w {
                assert!(
                    a.0 < b.0,
                    "{}: times not strictly increasing",
                    series.name()
                );
            }
        }
        for p in &series.points {
            assert!(
                p.1.is_finite(),
                "{}: value {} not finite",
                series.name(),
                p.1
            );
        }
    }
    for w in s.replicas.windows(2) {
        if let [a, b] = w {
            assert!(a.0 < b.0, "replicas: times not strictly increasing");
        }
    }
    for n in &s.notes {
        extent.check_line(
            n.span.map(|s| s.start.line),
            n.span.map(|s| s.start.column),
            n.code.as_str(),
        );
    }
    for interpretation in [
        Interpretation::Auto,
        Interpretation::PerPod,
        Interpretation::Average,
        Interpretation::Total,
    ] {
        let _ = samples::resolve_interpretation(&s, interpretation);
        let (demand, notes) = samples::to_demand(&s, interpretation);
        check_demand(&demand.points, interpretation.as_str());
        for n in &notes {
            extent.check_line(
                n.span.map(|s| s.start.line),
                n.span.map(|s| s.start.column),
                n.code.as_str(),
            );
        }
    }
}
