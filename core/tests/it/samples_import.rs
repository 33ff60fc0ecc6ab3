//! Metric-sample importers (`scalelens_core::samples`) on realistic fixtures, one per format
//! (tests/testdata/samples/, described in its README.md), each pinned by an insta snapshot of a
//! compact summary: detected format, series, notes, and the first rows of the demand.

use crate::fixtures::read_testdata;
use scalelens_core::samples::{
    detect_and_parse, fmt_time, to_demand, Format, Hints, Interpretation, Samples, TimeBase,
};
use std::fmt::Write as _;

fn hints(metric: Option<&str>) -> Hints {
    Hints {
        metric: metric.map(str::to_string),
        ..Hints::default()
    }
}

fn num(v: f64) -> String {
    // Deterministic, short: up to 6 significant decimals.
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// A compact, deterministic summary of an import and of its demand (with `interp`).
fn summary(s: &Samples, interp: Interpretation) -> String {
    let base = s.time_base;
    let mut o = String::new();
    let _ = writeln!(o, "format: {}", s.format.as_str());
    let _ = writeln!(o, "metric: {}", s.metric.as_deref().unwrap_or("-"));
    let _ = writeln!(o, "time base: {base:?}, counter: {}", s.counter);
    let _ = writeln!(o, "series: {}", s.series.len());
    for x in &s.series {
        let (first, last) = (x.points.first(), x.points.last());
        let min = x.points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let max = x
            .points
            .iter()
            .map(|p| p.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let labels: Vec<String> = x.labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        let _ = writeln!(
            o,
            "  pod={} labels={{{}}} n={} first={} {} last={} {} min={} max={}",
            x.pod.as_deref().unwrap_or("-"),
            labels.join(","),
            x.points.len(),
            first.map_or("-".into(), |p| fmt_time(p.0, base)),
            first.map_or("-".into(), |p| num(p.1)),
            last.map_or("-".into(), |p| fmt_time(p.0, base)),
            last.map_or("-".into(), |p| num(p.1)),
            num(min),
            num(max),
        );
    }
    if !s.replicas.is_empty() {
        let _ = writeln!(
            o,
            "replicas: n={} first={} last={}",
            s.replicas.len(),
            num(s.replicas[0].1),
            num(s.replicas[s.replicas.len() - 1].1)
        );
    }
    let _ = writeln!(o, "notes:");
    for n in &s.notes {
        let _ = writeln!(o, "  {}", scalelens_core::samples::note_text(n));
    }
    let (d, dnotes) = to_demand(s, interp);
    let _ = writeln!(
        o,
        "demand ({}): points={} offset={} last={}",
        interp.as_str(),
        d.points.len(),
        d.offset,
        d.last_time()
    );
    for n in &dnotes {
        let _ = writeln!(o, "  {}", scalelens_core::samples::note_text(n));
    }
    for (t, v) in d.points.iter().take(8) {
        let _ = writeln!(o, "  {t} {}", num(*v));
    }
    let peak = d.points.iter().map(|p| p.1).fold(0.0, f64::max);
    let _ = writeln!(o, "  peak {}", num(peak));
    o
}

/// The seed's samples are the product example's (`examples/seed-kpa-gpu-cache/`); the other
/// fixtures are under `tests/testdata/samples/`.
fn fixture(file: &str) -> String {
    match file {
        "seed-fraction.csv" => "examples/seed-kpa-gpu-cache/samples-fraction.csv".to_string(),
        "seed-percent.prom.json" => {
            "examples/seed-kpa-gpu-cache/samples-percent.prom.json".to_string()
        }
        other => format!("samples/{other}"),
    }
}

fn import(file: &str, metric: Option<&str>) -> Samples {
    let text = read_testdata(&fixture(file));
    match detect_and_parse(&text, &hints(metric)) {
        Ok(s) => s,
        Err(e) => panic!("{file}: {e}"),
    }
}

/// Fixture, metric hint, interpretation for the demand, expected format.
const CASES: &[(&str, Option<&str>, Interpretation, Format)] = &[
    ("seed-fraction.csv", None, Interpretation::Auto, Format::Csv),
    (
        "seed-percent.prom.json",
        Some("gpu_cache_usage_perc"),
        Interpretation::Auto,
        Format::PrometheusJson,
    ),
    (
        "csv-average-replicas.csv",
        None,
        Interpretation::Auto,
        Format::Csv,
    ),
    (
        "csv-per-pod-restart.csv",
        None,
        Interpretation::Auto,
        Format::Csv,
    ),
    (
        "exposition-scrapes.prom",
        Some("gpu_cache_usage_perc"),
        Interpretation::Auto,
        Format::Exposition,
    ),
    (
        "exposition-scrapes.prom",
        Some("vllm:request_success"),
        Interpretation::Auto,
        Format::Exposition,
    ),
    (
        "exposition-timestamps.prom",
        None,
        Interpretation::Auto,
        Format::Exposition,
    ),
    (
        "range-gaps.prom.json",
        None,
        Interpretation::Auto,
        Format::PrometheusJson,
    ),
    (
        "query-vector.prom.json",
        Some("num_requests_running"),
        Interpretation::Auto,
        Format::PrometheusJson,
    ),
    (
        "grafana-wide.csv",
        None,
        Interpretation::Auto,
        Format::GrafanaWide,
    ),
    (
        "grafana-long.csv",
        None,
        Interpretation::PerPod,
        Format::GrafanaLong,
    ),
    (
        "grafana-total-epoch.csv",
        None,
        Interpretation::Auto,
        Format::GrafanaWide,
    ),
];

#[test]
fn fixtures_snapshots() {
    for &(file, metric, interp, format) in CASES {
        let s = import(file, metric);
        assert_eq!(s.format, format, "{file}");
        let name = match metric {
            Some(m) => format!("{file}--{}", m.replace(':', "_")),
            None => file.to_string(),
        };
        // `samples_import__<case>.snap`: the module's name, not the binary's (`it__`).
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("samples_import__{name}"), summary(&s, interp));
        });
    }
}

/// The seed case: the percent JSON's per-pod values are 100× the fraction CSV's at the same
/// times (the same run, exported in percent), for every pod and every sample.
#[test]
fn seed_percent_is_100x_fraction() {
    let frac = import("seed-fraction.csv", None);
    let pct = import("seed-percent.prom.json", Some("gpu_cache_usage_perc"));
    assert_eq!(frac.series.len(), 7);
    assert_eq!(pct.series.len(), 7);
    assert_eq!(frac.time_base, TimeBase::Relative);
    assert_eq!(pct.time_base, TimeBase::Epoch);
    let t0 = pct
        .series
        .iter()
        .filter_map(|s| s.points.first())
        .map(|p| p.0)
        .min()
        .unwrap();
    let mut compared = 0;
    for (f, p) in frac.series.iter().zip(&pct.series) {
        assert_eq!(f.pod, p.pod);
        assert_eq!(f.points.len(), p.points.len(), "{:?}", f.pod);
        for (a, b) in f.points.iter().zip(&p.points) {
            assert_eq!(a.0, b.0 - t0, "{:?}: same times", f.pod);
            assert!(
                (b.1 - 100.0 * a.1).abs() < 1e-6,
                "{:?} at {}: {} vs 100 × {}",
                f.pod,
                a.0,
                b.1,
                a.1
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 2179);
    // The demands (sum over pods) differ by the same factor.
    let (df, _) = to_demand(&frac, Interpretation::Auto);
    let (dp, _) = to_demand(&pct, Interpretation::Auto);
    assert_eq!(df.points.len(), dp.points.len());
    for (a, b) in df.points.iter().zip(&dp.points) {
        assert_eq!(a.0, b.0);
        assert!((b.1 - 100.0 * a.1).abs() < 1e-6);
    }
}

/// Per-pod sums: a pod that is absent at a step adds nothing (no zero sample), and the sum at
/// each step is exactly the sum of the pods present.
#[test]
fn per_pod_sum_counts_absent_pods_as_absent() {
    let text = "time,pod,value\n0,a,1\n0,b,2\n15,a,1\n30,a,1\n30,b,2\n45,b,2\n";
    let s = detect_and_parse(text, &Hints::default()).unwrap();
    let (d, notes) = to_demand(&s, Interpretation::Auto);
    assert_eq!(
        d.points,
        vec![(0, 3.0), (15_000, 1.0), (30_000, 3.0), (45_000, 2.0)]
    );
    let absent: Vec<_> = notes
        .iter()
        .filter(|n| n.code == "samples-demand-pod-absent")
        .collect();
    assert_eq!(absent.len(), 1, "{notes:#?}");
    assert!(absent[0]
        .message
        .contains("pod b: no sample at 1 of the 4 steps"));
}

/// Jittered scrapes (pods scraped a few hundred ms apart) land on the same step.
#[test]
fn per_pod_alignment_tolerates_jitter() {
    let text = "time,pod,value\n0,a,1\n0.3,b,2\n15.1,a,1\n14.8,b,2\n30,a,1\n30.4,b,2\n";
    let s = detect_and_parse(text, &Hints::default()).unwrap();
    let (d, _) = to_demand(&s, Interpretation::PerPod);
    let pts: Vec<_> = d.points.iter().map(|p| (p.0, p.1)).collect();
    assert_eq!(pts, vec![(0, 3.0), (15_000, 3.0), (30_000, 3.0)]);
}

/// A CSV with a replicas column, read both ways below.
const WITH_REPLICAS: &str = "time,value,replicas\n0,0.5,2\n15,0.25,4\n30,0.5,\n";

/// Auto reads a value with a replicas column as an average: average × replicas (the last
/// known count where a row has none), and says so.
#[test]
fn auto_reads_average_times_replicas() {
    let s = detect_and_parse(WITH_REPLICAS, &Hints::default()).unwrap();
    let (d, notes) = to_demand(&s, Interpretation::Auto);
    assert_eq!(d.points, vec![(0, 1.0), (15_000, 1.0), (30_000, 2.0)]);
    assert!(notes[0].message.contains("read as average"), "{notes:#?}");
}

/// Total takes the values as they are, whatever the replicas column says.
#[test]
fn total_reads_values_as_is() {
    let s = detect_and_parse(WITH_REPLICAS, &Hints::default()).unwrap();
    let (d, _) = to_demand(&s, Interpretation::Total);
    assert_eq!(d.points, vec![(0, 0.5), (15_000, 0.25), (30_000, 0.5)]);
}

/// Exposition scrapes without timestamps take the caller's scrape interval.
#[test]
fn exposition_scrape_interval() {
    let text = "up{pod=\"a\"} 1\nup{pod=\"a\"} 2\nup{pod=\"a\"} 3\n";
    let h = Hints {
        scrape_interval: Some(10_000),
        ..Hints::default()
    };
    let s = detect_and_parse(text, &h).unwrap();
    assert_eq!(
        s.series[0].points,
        vec![(0, 1.0), (10_000, 2.0), (20_000, 3.0)]
    );
    assert!(s
        .notes
        .iter()
        .any(|n| n.code == "samples-scrape-interval" && n.message.contains("10s apart")));
}

/// Duplicate timestamps: the last sample in the file wins.
#[test]
fn duplicate_time_last_wins() {
    let text = "time,value\n0,1\n15,2\n15,3\n30,4\n";
    let s = detect_and_parse(text, &Hints::default()).unwrap();
    assert_eq!(
        s.series[0].points,
        vec![(0, 1.0), (15_000, 3.0), (30_000, 4.0)]
    );
    let n = s
        .notes
        .iter()
        .find(|n| n.code == "samples-duplicate-time")
        .unwrap();
    assert_eq!(n.span.map(|s| (s.start.line, s.start.column)), Some((4, 4)));
}

/// The seed's per-pod samples summed by `to_demand` give the demand files the lead derived
/// by hand (examples/seed-kpa-gpu-cache/demand.csv, demand-percent.csv), row by
/// row, with the same offset.
#[test]
fn seed_samples_give_the_seed_demand() {
    use scalelens_core::demand::parse_csv;
    let cases = [
        (
            "seed-fraction.csv",
            None,
            "examples/seed-kpa-gpu-cache/demand.csv",
        ),
        (
            "seed-percent.prom.json",
            Some("gpu_cache_usage_perc"),
            "examples/seed-kpa-gpu-cache/demand-percent.csv",
        ),
    ];
    for (samples, metric, demand) in cases {
        let (got, _) = to_demand(&import(samples, metric), Interpretation::Auto);
        let want = parse_csv(&read_testdata(demand)).unwrap();
        assert_eq!(got.offset, want.offset, "{samples}");
        assert_eq!(got.points.len(), want.points.len(), "{samples}");
        for (g, w) in got.points.iter().zip(&want.points) {
            assert_eq!(g.0, w.0, "{samples}");
            assert!(
                (g.1 - w.1).abs() <= 1e-6 * w.1.abs().max(1.0),
                "{samples} at {}: {} vs {}",
                g.0,
                g.1,
                w.1
            );
        }
    }
}
