//! Scalelens charts: the observed metric against the target, and the replica counts, over the
//! simulated time. One drawing routine, [`draw`], takes any plotters [`DrawingArea`]: the CLI
//! renders it with plotters' SVG backend ([`render_svg`]), the playground with
//! `plotters-canvas`. [`draw_metric`] and [`draw_replicas`] draw one panel each, with an
//! [`Overlay`] (a pinned earlier run, a time cursor), and return the plot's [`PlotGeometry`] for
//! pointer-to-time mapping. [`ChartInput`] borrows a `SimOutput` timeline and the autoscaler's
//! target, min/max and metric.
//!
//! Two panels: the observed metric against the target (with the demand, per ready pod unless the
//! target is a `Value`), and `spec.replicas`, ready pods and the metric-only recommendation as
//! step lines with min/max dashed; panic periods shaded; time in `h:mm` on round minute/hour
//! ticks; the title names the upstream algorithm. Long timelines are reduced per pixel column
//! (first/min/max/last), NaN/infinite values break a line, huge values are clipped, an empty
//! timeline draws a message.
//!
//! **Invariant:** pure and deterministic. No I/O, no clock; same input, same drawing commands
//! (and so the same SVG bytes). Never panics on any timeline: empty, a single point, NaN or
//! infinite observations, huge values; backend failures come back as [`ChartError`].
//!
//! Text goes through the backend (SVG `<text>` elements, canvas `fillText`): no font files and
//! no system font libraries are involved. Text extents on native targets are plotters' estimate.
//! plotters is built with `default-features = false` and only `svg_backend` + `line_series` (no
//! `ttf`/font-kit). The crate builds for `wasm32-unknown-unknown` (a `cargo xtask test` step).

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use scalelens_core::algorithm::Mode;
use scalelens_core::display::{Clock, Num};
use scalelens_core::metrics;
use scalelens_core::model::{Autoscaler, TargetType};
use scalelens_core::sim::{SimOutput, TimelineEntry};
use scalelens_core::Millis;

/// The time axis: linear in ms, with ticks on round minutes/hours ([`time_ticks`]).
#[derive(Clone)]
struct TimeAxis {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl TimeAxis {
    fn new(x: std::ops::Range<f64>) -> Self {
        let ticks = time_ticks(&x);
        TimeAxis {
            inner: x.into(),
            ticks,
        }
    }
}

impl Ranged for TimeAxis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }
    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Values are clipped to this magnitude before plotting: beyond it an axis has no readable
/// labels and pixel coordinates lose meaning.
pub const MAX_PLOTTED: f64 = 1e15;

/// Most points one polyline gets per pixel column of the plot; longer series are reduced
/// (first, min, max and last of each column kept), so a week at 1 s stays small.
const POINTS_PER_COLUMN: usize = 4;

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// The drawing backend failed (the message is the backend's).
    #[error("chart drawing failed: {0}")]
    Backend(String),
    /// The requested image has no room for the two panels.
    #[error("chart size {width}x{height} is too small (at least {min_width}x{min_height})")]
    TooSmall {
        width: u32,
        height: u32,
        min_width: u32,
        min_height: u32,
    },
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Backend(e.to_string())
    }
}

/// Smallest image [`render_svg`] accepts.
pub const MIN_SIZE: (u32, u32) = (320, 240);

/// Everything a chart shows, borrowed from the simulation and the autoscaler.
#[derive(Debug, Clone, Copy)]
pub struct ChartInput<'a> {
    pub timeline: &'a [TimelineEntry],
    /// The upstream algorithm being replayed (`Algorithm::upstream()`), for the title.
    pub algorithm: &'a str,
    /// The autoscaler's name, for the title.
    pub name: &'a str,
    /// The metric the demand drives.
    pub metric_name: &'a str,
    /// The metric's unit in words, when known.
    pub metric_unit: Option<&'a str>,
    /// The target in the metric's unit (what `observed` is compared with).
    pub target: Option<f64>,
    /// Whether the target is for the whole workload (`Value`): then the demand is drawn as
    /// is, else per ready pod.
    pub target_is_total: bool,
    /// Whether `observed` is a sum over pods against a per-pod target (Knative KPA, AIBrix
    /// v0.4): then it is drawn per ready pod, on the target's scale.
    pub observed_is_total: bool,
    pub min_replicas: u32,
    /// `u32::MAX` means "no limit" (no line drawn).
    pub max_replicas: u32,
    /// Whether the algorithm enters panic mode with no load (AIBrix v0.7.0 KPA,
    /// `Algorithm::panics_without_load`): its panic decisions with `observed` ≤ 0 are shaded
    /// and labelled apart from a real panic ([`PANIC_NO_LOAD_LABEL`]).
    pub panics_without_load: bool,
}

impl<'a> ChartInput<'a> {
    /// The chart of `output`, a run of `autoscaler` (its first metric, which the demand drives).
    pub fn new(autoscaler: &'a Autoscaler, output: &'a SimOutput) -> Self {
        let metric = autoscaler.metrics.first();
        let metric_name = metric.map_or("metric", |m| m.name.value.as_str());
        ChartInput {
            timeline: &output.timeline,
            algorithm: autoscaler.algorithm.upstream(),
            name: &autoscaler.name,
            metric_name,
            metric_unit: match metric.map(|m| m.target.target_type) {
                Some(TargetType::Utilization) => Some("percent of the pods' request"),
                _ => metrics::lookup(metric_name).map(|k| k.unit),
            },
            target: metric.map(|m| m.target.value.value),
            target_is_total: metric.is_some_and(|m| m.target.target_type == TargetType::Value),
            observed_is_total: autoscaler.algorithm.observed_is_workload_total(),
            min_replicas: autoscaler.min_replicas.value,
            max_replicas: autoscaler.max_replicas.value,
            panics_without_load: autoscaler.algorithm.panics_without_load(),
        }
    }
}

/// `h:mm` of an axis position in ms ([`Clock`]'s alternate form); empty for negative values,
/// which the axes never need.
pub fn hmm(t_ms: f64) -> String {
    if !t_ms.is_finite() || t_ms < 0.0 {
        return String::new();
    }
    format!("{:#}", Clock(t_ms.round() as Millis))
}

/// A value label: [`Num`] with at most 3 decimals (an axis needs no more).
fn number(v: f64) -> String {
    format!("{:.3}", Num(v))
}

/// The observed metric's line.
pub const C_OBSERVED: RGBColor = RGBColor(31, 119, 180);
const C_TARGET: RGBColor = RGBColor(214, 39, 40);
const C_DEMAND: RGBColor = RGBColor(127, 127, 127);
const C_REPLICAS: RGBColor = RGBColor(31, 119, 180);
const C_READY: RGBColor = RGBColor(44, 160, 44);
const C_DESIRED: RGBColor = RGBColor(255, 127, 14);
const C_BOUNDS: RGBColor = RGBColor(90, 90, 90);
/// Panic mode under load.
pub const C_PANIC: RGBColor = RGBColor(255, 228, 228);
/// Panic mode with no load (an upstream quirk, not a surge): a neutral grey, not alarm red.
pub const C_PANIC_NO_LOAD: RGBColor = RGBColor(232, 232, 240);

/// The legend of a panic with load.
pub const PANIC_LABEL: &str = "panic mode";
/// The legend of a panic-mode span with no load ([`ChartInput::panics_without_load`]).
pub const PANIC_NO_LOAD_LABEL: &str = "panic (no load: upstream AIBrix quirk)";

/// A run of panic-mode decisions: `[start, end)` in ms, and whether it had no load.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PanicSpan {
    start: f64,
    end: f64,
    no_load: bool,
}
const C_PINNED: RGBColor = RGBColor(148, 103, 189);

/// Draw the two panels (metric vs target on top, replicas below) on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
) -> Result<(), ChartError> {
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let title = format!("{}: {}", input.name, input.algorithm);
    let area = area.titled(&title, ("sans-serif", 20).into_font().color(&BLACK))?;
    let tl = input.timeline;
    if tl.is_empty() {
        return draw_empty(&area);
    }
    let _ = (w, h);
    let (_, ah) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically(ah / 2);

    let t0 = axis_start(tl.first().map_or(0, |e| e.t));
    let t_last = tl.last().map_or(0, |e| e.t);
    // A single point (or a zero-length run) still gets a minute of axis.
    let t1 = t_last.max(t0.saturating_add(60_000));
    let x_range = ms(t0)..ms(t1);
    let panic_spans = panic_spans(tl, t1, input.panics_without_load);

    let overlay = Overlay::default();
    draw_metric_panel(&top, input, x_range.clone(), &panic_spans, &overlay)?;
    draw_replica_panel(&bottom, input, x_range, &panic_spans, t1, &overlay)?;
    area.present()?;
    Ok(())
}

/// Extra layers for interactive front ends: a pinned earlier run drawn under the current one
/// (before/after), and a time cursor (the decision being inspected).
#[derive(Debug, Clone, Copy, Default)]
pub struct Overlay<'a> {
    /// The pinned run's timeline, drawn dashed in grey.
    pub pinned: Option<&'a [TimelineEntry]>,
    /// A vertical line at this time.
    pub cursor: Option<Millis>,
}

/// Where a panel's plot landed on the drawing area, to map a pointer position back to a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotGeometry {
    /// Left and right pixel of the plot, relative to the drawing area.
    pub x_pixels: (i32, i32),
    /// Times (ms) at the left and right pixel.
    pub t_range: (f64, f64),
    /// Values at the bottom and the top of the plot (the y axis).
    pub y_range: (f64, f64),
}

impl PlotGeometry {
    /// The time under pixel column `x` (relative to the drawing area), when inside the plot.
    pub fn time_at(&self, x: f64) -> Option<Millis> {
        let (l, r) = (f64::from(self.x_pixels.0), f64::from(self.x_pixels.1));
        if !(l..=r).contains(&x) || r <= l {
            return None;
        }
        let t = self.t_range.0 + (x - l) / (r - l) * (self.t_range.1 - self.t_range.0);
        (t.is_finite() && t >= 0.0).then(|| t.round() as Millis)
    }
}

/// The time axis of a single panel: the current run and the pinned one.
fn single_panel_axis(
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
) -> (std::ops::Range<f64>, Millis) {
    // The first and last decision of either run.
    let (t0, t_last) = [Some(input.timeline), overlay.pinned]
        .into_iter()
        .flatten()
        .filter_map(|tl| Some((tl.first()?.t, tl.last()?.t)))
        .reduce(|(a0, a1), (b0, b1)| (a0.min(b0), a1.max(b1)))
        .unwrap_or((0, 0));
    let t0 = axis_start(t0);
    let t1 = t_last.max(t0.saturating_add(60_000));
    (ms(t0)..ms(t1), t1)
}

/// Where a time axis starts: the first decision's time rounded down to a whole minute, so a
/// run whose first decision comes a tick after its start (Knative decides every 2 s from
/// 0:02) still has its 0:00 tick, and a replay window its round start (issue 14, item 9).
fn axis_start(first: Millis) -> Millis {
    first - first % 60_000
}

/// Draw a message instead of a panel (empty timeline).
fn draw_empty<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
    let (_, ah) = area.dim_in_pixel();
    area.draw_text(
        "no decisions in the simulated time: nothing to chart",
        &("sans-serif", 16).into_font().color(&BLACK),
        (20, (ah / 2) as i32),
    )?;
    area.present()?;
    Ok(())
}

/// Draw only the metric panel (observed metric and demand against the target, unit on the
/// axis, panic periods shaded) on `area`, with `overlay`. For front ends that show the panels
/// on separate canvases. Returns where the plot is, for pointer-to-time mapping.
pub fn draw_metric<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
) -> Result<Option<PlotGeometry>, ChartError> {
    draw_single(area, input, overlay, |x, panic, _| {
        draw_metric_panel(area, input, x, panic, overlay)
    })
}

/// Draw only the replica panel (`spec.replicas`, ready pods, the metric-only recommendation,
/// min/max, panic periods shaded) on `area`, with `overlay`. See [`draw_metric`].
pub fn draw_replicas<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
) -> Result<Option<PlotGeometry>, ChartError> {
    draw_single(area, input, overlay, |x, panic, t1| {
        draw_replica_panel(area, input, x, panic, t1, overlay)
    })
}

/// The frame of [`draw_metric`] and [`draw_replicas`]: a white area, the empty-state text when
/// there is nothing to draw, else `panel` over the single-panel time axis and panic spans.
fn draw_single<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
    panel: impl FnOnce(std::ops::Range<f64>, &[PanicSpan], Millis) -> Result<PlotGeometry, ChartError>,
) -> Result<Option<PlotGeometry>, ChartError> {
    area.fill(&WHITE)?;
    if input.timeline.is_empty() && overlay.pinned.is_none_or(|p| p.is_empty()) {
        draw_empty(area)?;
        return Ok(None);
    }
    let (x, t1) = single_panel_axis(input, overlay);
    let panic = panic_spans(input.timeline, t1, input.panics_without_load);
    let g = panel(x, &panic, t1)?;
    area.present()?;
    Ok(Some(g))
}

fn geometry<DB: DrawingBackend, Y: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<TimeAxis, Y>>,
    x: &std::ops::Range<f64>,
    y: &std::ops::Range<f64>,
) -> PlotGeometry {
    // Backend pixels: for a drawing area that is a whole canvas, the canvas's own pixels.
    let (px, _) = chart.plotting_area().get_pixel_range();
    PlotGeometry {
        x_pixels: (px.start, px.end),
        t_range: (x.start, x.end),
        y_range: (y.start, y.end),
    }
}

/// A vertical line at `cursor` across the plot.
fn draw_cursor<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<TimeAxis, RangedCoordf64>>,
    cursor: Option<Millis>,
    y: &std::ops::Range<f64>,
) -> Result<(), ChartError> {
    if let Some(c) = cursor {
        let c = ms(c);
        chart.draw_series(LineSeries::new(
            [(c, y.start), (c, y.end)],
            BLACK.stroke_width(1),
        ))?;
    }
    Ok(())
}

fn ms(t: Millis) -> f64 {
    t as f64
}

fn clip(v: f64) -> f64 {
    v.clamp(-MAX_PLOTTED, MAX_PLOTTED)
}

/// Each run of panic-mode decisions (a decision's mode holds until the next), split where the
/// load stops or starts when the algorithm panics with no load (`panics_without_load`): a
/// decision is "no load" when [`TimelineEntry::is_panic_without_load`].
fn panic_spans(tl: &[TimelineEntry], end: Millis, panics_without_load: bool) -> Vec<PanicSpan> {
    let kind = |e: &TimelineEntry| {
        (e.mode == Mode::Panic).then(|| e.is_panic_without_load(panics_without_load))
    };
    let mut spans = Vec::new();
    let mut start: Option<Millis> = None;
    for (i, e) in tl.iter().enumerate() {
        let next = tl.get(i + 1).map_or(end, |n| n.t);
        if let Some(no_load) = kind(e) {
            start.get_or_insert(e.t);
            if tl.get(i + 1).and_then(kind) != Some(no_load) {
                if let Some(s) = start.take() {
                    spans.push(PanicSpan {
                        start: ms(s),
                        end: ms(next.max(s)),
                        no_load,
                    });
                }
            }
        }
    }
    spans
}

/// Keep at most `POINTS_PER_COLUMN * columns` points: per column, the first, lowest, highest
/// and last point, in time order. Deterministic; keeps the envelope of the series.
fn reduce(points: Vec<(f64, f64)>, x0: f64, x1: f64, columns: u32) -> Vec<(f64, f64)> {
    let columns = columns.max(1) as usize;
    if points.len() <= POINTS_PER_COLUMN * columns || x1 <= x0 {
        return points;
    }
    let width = (x1 - x0) / columns as f64;
    let mut out = Vec::with_capacity(POINTS_PER_COLUMN * columns);
    let mut i = 0;
    while i < points.len() {
        let col = ((points[i].0 - x0) / width).floor();
        let mut j = i + 1;
        while j < points.len() && ((points[j].0 - x0) / width).floor() == col {
            j += 1;
        }
        let bucket = &points[i..j];
        let (mut lo, mut hi) = (0usize, 0usize);
        for (k, p) in bucket.iter().enumerate() {
            if p.1 < bucket[lo].1 {
                lo = k;
            }
            if p.1 > bucket[hi].1 {
                hi = k;
            }
        }
        let mut keep = [0, lo.min(hi), lo.max(hi), bucket.len() - 1];
        scalelens_core::sort::natural(&mut keep);
        let mut last = usize::MAX;
        for k in keep {
            if k != last {
                out.push(bucket[k]);
                last = k;
            }
        }
        i = j;
    }
    out
}

/// Split a series at NaN/infinite values into runs of finite points.
fn finite_runs(points: impl Iterator<Item = (f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (x, y) in points {
        if y.is_finite() {
            if let Some(r) = runs.last_mut() {
                r.push((x, clip(y)));
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// A step line: each value holds until the next point's time, the last until `end`.
fn steps(points: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, &(x, y)) in points.iter().enumerate() {
        if let Some(&(_, prev)) = i.checked_sub(1).and_then(|p| points.get(p)) {
            if prev != y {
                out.push((x, prev));
            }
        }
        out.push((x, y));
    }
    if let Some(&(x, y)) = out.last() {
        if end > x {
            out.push((end, y));
        }
    }
    out
}

/// A y range from 0 (or below, for negative values) to a bit above the largest value.
fn y_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()).map(clip) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    (lo - if lo < 0.0 { pad } else { 0.0 })..(hi + pad)
}

/// Shade the panic spans: with load in light red ([`PANIC_LABEL`]), with no load in grey
/// ([`PANIC_NO_LOAD_LABEL`]); a legend entry for each kind present.
fn shade_panic<'a, DB: DrawingBackend + 'a, X: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    spans: &[PanicSpan],
    y: &std::ops::Range<f64>,
) -> Result<(), ChartError> {
    for (no_load, color, label) in [
        (false, C_PANIC, PANIC_LABEL),
        (true, C_PANIC_NO_LOAD, PANIC_NO_LOAD_LABEL),
    ] {
        let rects: Vec<_> = spans
            .iter()
            .filter(|s| s.no_load == no_load)
            .map(|s| Rectangle::new([(s.start, y.start), (s.end, y.end)], color.filled()))
            .collect();
        if rects.is_empty() {
            continue;
        }
        chart
            .draw_series(rects)
            .map_err(|e| ChartError::Backend(e.to_string()))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], color.filled()));
    }
    Ok(())
}

/// Round time ticks (1, 2, 5, 10, 15, 30 minutes, 1, 2, 3, 6, 12, 24 hours, then whole days)
/// for `x`: at most about ten.
fn time_ticks(x: &std::ops::Range<f64>) -> Vec<f64> {
    const MIN: f64 = 60_000.0;
    const STEPS: [f64; 12] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 360.0, 720.0, 1440.0,
    ];
    let span = (x.end - x.start).max(0.0);
    let mut step = STEPS
        .iter()
        .map(|m| m * MIN)
        .find(|s| span / s <= 10.0)
        .unwrap_or(1440.0 * MIN);
    while span / step > 10.0 {
        step *= 2.0;
    }
    let mut t = (x.start / step).ceil() * step;
    let mut out = Vec::new();
    while t <= x.end && out.len() < 64 {
        out.push(t);
        t += step;
    }
    out
}

fn draw_metric_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    x: std::ops::Range<f64>,
    panic: &[PanicSpan],
    overlay: &Overlay<'_>,
) -> Result<PlotGeometry, ChartError> {
    let tl = input.timeline;
    let (pw, _) = area.dim_in_pixel();
    let demand = |e: &TimelineEntry| {
        if input.target_is_total {
            e.demand
        } else if e.ready > 0 {
            e.demand / f64::from(e.ready)
        } else {
            f64::NAN
        }
    };
    let observed = |e: &TimelineEntry| {
        if input.observed_is_total {
            e.observed / f64::from(e.ready.max(1))
        } else {
            e.observed
        }
    };
    let observed_label = if input.observed_is_total {
        "observed per ready pod"
    } else {
        "observed"
    };
    let target = input.target.filter(|t| t.is_finite()).map(clip);
    let pinned = overlay.pinned.unwrap_or(&[]);
    let y = y_range(
        tl.iter()
            .flat_map(|e| [observed(e), demand(e)])
            .chain(pinned.iter().map(observed))
            .chain(target),
    );
    let caption = match input.metric_unit {
        Some(u) => format!("observed {} vs target ({u})", input.metric_name),
        None => format!("observed {} vs target", input.metric_name),
    };
    let y_desc = match input.metric_unit.map(axis_unit) {
        Some(u) => format!("{} [{u}]", input.metric_name),
        None => input.metric_name.to_string(),
    };
    let mut chart = panel(area, &caption, (&x, &y), (None, &y_desc), false)?;
    shade_panic(&mut chart, panic, &y)?;

    let columns = pw;
    let demand_label = if input.target_is_total {
        "demand"
    } else {
        "demand per ready pod"
    };
    let runs = |points: &mut dyn Iterator<Item = (f64, f64)>| -> Vec<Vec<(f64, f64)>> {
        finite_runs(points)
            .into_iter()
            .map(|run| reduce(run, x.start, x.end, columns))
            .collect()
    };
    let demand_runs = runs(&mut tl.iter().map(|e| (ms(e.t), demand(e))));
    let style = C_DEMAND.stroke_width(1);
    draw_lines(&mut chart, demand_runs, None, style, demand_label)?;
    // The target first: the observed line goes over it, so an observed value equal to the
    // target stays visible (issue 14, item 9).
    if let Some(t) = target {
        let line = vec![vec![(x.start, t), (x.end, t)]];
        let label = format!("target {}", number(t));
        draw_lines(&mut chart, line, None, C_TARGET.stroke_width(2), &label)?;
    }
    let observed_runs = runs(&mut tl.iter().map(|e| (ms(e.t), observed(e))));
    let style = C_OBSERVED.stroke_width(2);
    draw_lines(&mut chart, observed_runs, None, style, observed_label)?;
    let pinned_runs = runs(&mut pinned.iter().map(|e| (ms(e.t), observed(e))));
    let style = C_PINNED.stroke_width(2);
    draw_lines(
        &mut chart,
        pinned_runs,
        Some((6, 4)),
        style,
        "pinned run: observed",
    )?;
    draw_cursor(&mut chart, overlay.cursor, &y)?;
    legend(&mut chart)?;
    Ok(geometry(&chart, &x, &y))
}

fn draw_replica_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    input: &ChartInput<'_>,
    x: std::ops::Range<f64>,
    panic: &[PanicSpan],
    end: Millis,
    overlay: &Overlay<'_>,
) -> Result<PlotGeometry, ChartError> {
    let tl = input.timeline;
    let pinned = overlay.pinned.unwrap_or(&[]);
    let (pw, _) = area.dim_in_pixel();
    let max_line = (input.max_replicas != u32::MAX).then_some(input.max_replicas);
    let (y, max_line, raw_label) = replica_axis(input, pinned, max_line);
    let descs = (Some("time (h:mm)"), "pods");
    let mut chart = panel(area, "replicas", (&x, &y), descs, true)?;
    shade_panic(&mut chart, panic, &y)?;

    // min and max as one legend entry: the first line carries the label.
    let bound_lines = [Some(input.min_replicas), max_line]
        .into_iter()
        .flatten()
        .map(|v| vec![(x.start, f64::from(v)), (x.end, f64::from(v))])
        .collect();
    let label = format!("min/max {}", bounds_label(input));
    draw_lines(
        &mut chart,
        bound_lines,
        Some((8, 5)),
        C_BOUNDS.stroke_width(1),
        &label,
    )?;

    let end = ms(end);
    let series: [ReplicaSeries; 3] = [
        (&raw_label, C_DESIRED, 1, |e| e.desired_raw),
        ("ready pods", C_READY, 2, |e| e.ready),
        ("spec.replicas", C_REPLICAS, 2, |e| e.desired),
    ];
    for (label, color, width, value) in series {
        // Clipped to the axis (only the metric-only recommendation goes past it).
        let pts: Vec<(f64, f64)> = tl
            .iter()
            .map(|e| (ms(e.t), f64::from(value(e)).min(y.end)))
            .collect();
        let pts = reduce(steps(&pts, end), x.start, x.end, pw);
        draw_lines(
            &mut chart,
            vec![pts],
            None,
            color.stroke_width(width),
            label,
        )?;
    }
    if !pinned.is_empty() {
        let pts: Vec<(f64, f64)> = pinned
            .iter()
            .map(|e| (ms(e.t), f64::from(e.desired)))
            .collect();
        let pts = reduce(steps(&pts, end), x.start, x.end, pw);
        let (style, label) = (C_PINNED.stroke_width(2), "pinned run: spec.replicas");
        draw_lines(&mut chart, vec![pts], Some((6, 4)), style, label)?;
    }
    draw_cursor(&mut chart, overlay.cursor, &y)?;
    legend(&mut chart)?;
    Ok(geometry(&chart, &x, &y))
}

/// A panel on `area` with `caption`, time on x and `y` on y, its mesh drawn with the axis
/// descriptions (`x_desc` only on the bottom panel, which gets the room for it) and, with
/// `y_numbers`, [`number`]s on the y axis.
fn panel<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    caption: &str,
    (x, y): (&std::ops::Range<f64>, &std::ops::Range<f64>),
    (x_desc, y_desc): (Option<&str>, &str),
    y_numbers: bool,
) -> Result<ChartContext<'a, DB, Cartesian2d<TimeAxis, RangedCoordf64>>, ChartError> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(8)
        .margin_right(16)
        .x_label_area_size(if x_desc.is_some() { 36 } else { 28 })
        .y_label_area_size(64)
        .build_cartesian_2d(TimeAxis::new(x.clone()), y.clone())?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(RGBColor(235, 235, 235))
        .x_labels(64)
        .x_label_formatter(&|v| hmm(*v));
    if let Some(d) = x_desc {
        mesh.x_desc(d);
    }
    mesh.y_labels(6);
    if y_numbers {
        mesh.y_label_formatter(&|v| number(*v));
    }
    mesh.y_desc(y_desc)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 14))
        .draw()?;
    Ok(chart)
}

/// Draw `lines` in `style`, solid or dashed (`dash`: dash size and spacing in pixels); the
/// first carries the legend entry `label` (a line drawn in its style).
fn draw_lines<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<TimeAxis, RangedCoordf64>>,
    lines: Vec<Vec<(f64, f64)>>,
    dash: Option<(u32, u32)>,
    style: ShapeStyle,
    label: &str,
) -> Result<(), ChartError> {
    for (i, pts) in lines.into_iter().enumerate() {
        let series = match dash {
            Some((size, spacing)) => {
                chart.draw_series(DashedLineSeries::new(pts, size, spacing, style))?
            }
            None => chart.draw_series(LineSeries::new(pts, style))?,
        };
        if i == 0 {
            series
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
        }
    }
    Ok(())
}

/// A replica series: legend label, colour, stroke width, value of an entry.
type ReplicaSeries<'a> = (&'a str, RGBColor, u32, fn(&TimelineEntry) -> u32);

/// The replica panel's y axis, scaled to the replicas (issue 14): `spec.replicas` and ready
/// pods of the run, the pinned run's `spec.replicas`, minReplicas, and maxReplicas when it is
/// near (at most twice that peak). The metric-only recommendation does not stretch it: a
/// recommendation of 68 would squash 1–10 into the bottom sixth. Returns the range, the max
/// line when it is on the axis, and the recommendation's legend label, which says when it is
/// clipped and how high it went.
fn replica_axis(
    input: &ChartInput<'_>,
    pinned: &[TimelineEntry],
    max_line: Option<u32>,
) -> (std::ops::Range<f64>, Option<u32>, String) {
    let tl = input.timeline;
    let peak = tl
        .iter()
        .flat_map(|e| [e.replicas, e.ready, e.desired])
        .chain(pinned.iter().map(|e| e.desired))
        .chain([input.min_replicas, 1])
        .max()
        .unwrap_or(1);
    let near = max_line.filter(|&m| m <= peak.saturating_mul(2));
    let top = near.map_or(peak, |m| m.max(peak));
    let y = 0.0..(f64::from(top) * 1.1).max(f64::from(top) + 1.0);
    let raw_peak = tl.iter().map(|e| e.desired_raw).max().unwrap_or(0);
    let label = if f64::from(raw_peak) > y.end {
        format!("desired (metric only), clipped: up to {raw_peak}")
    } else {
        "desired (metric only)".to_string()
    };
    (y, near, label)
}

fn bounds_label(input: &ChartInput<'_>) -> String {
    if input.max_replicas == u32::MAX {
        format!("{}/unlimited", input.min_replicas)
    } else {
        format!("{}/{}", input.min_replicas, input.max_replicas)
    }
}

fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<TimeAxis, RangedCoordf64>>,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 14))
        .draw()?;
    Ok(())
}

/// A unit short enough for an axis description: `fraction 0–1`, `%`, `count`, `tokens/s`, else
/// the unit's words up to the first comma or parenthesis (at most 24 characters).
pub fn axis_unit(unit: &str) -> String {
    if unit.contains("percent 0–100") || unit.starts_with("percent") {
        return "%".to_string();
    }
    if unit.contains("0–1") {
        return "fraction 0–1".to_string();
    }
    if unit.contains("(count)") {
        return "count".to_string();
    }
    if unit.contains("tokens per second") {
        return "tokens/s".to_string();
    }
    let head = unit.split([',', '(']).next().unwrap_or(unit).trim();
    head.chars().take(24).collect()
}

/// Render the chart as an SVG document of `width` x `height` pixels.
pub fn render_svg(input: &ChartInput<'_>, width: u32, height: u32) -> Result<String, ChartError> {
    if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
        return Err(ChartError::TooSmall {
            width,
            height,
            min_width: MIN_SIZE.0,
            min_height: MIN_SIZE.1,
        });
    }
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&area, input)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelens_core::algorithm::Reason;

    fn entry(t_s: u64, observed: f64, ready: u32, desired: u32, mode: Mode) -> TimelineEntry {
        TimelineEntry {
            t: t_s * 1000,
            demand: observed * f64::from(ready),
            observed,
            ready,
            replicas: ready,
            desired_raw: desired,
            desired,
            mode,
            reason: Reason::MinReplicas { min: 1 },
            metric: None,
        }
    }

    fn input(tl: &[TimelineEntry]) -> ChartInput<'_> {
        ChartInput {
            timeline: tl,
            algorithm: "AIBrix v0.7.0 KPA (test)",
            name: "demo",
            metric_name: "gpu_cache_usage_perc",
            metric_unit: Some("fraction"),
            target: Some(0.5),
            target_is_total: false,
            observed_is_total: false,
            min_replicas: 1,
            max_replicas: 10,
            panics_without_load: true,
        }
    }

    fn small() -> Vec<TimelineEntry> {
        vec![
            entry(0, 0.3, 1, 1, Mode::Stable),
            entry(600, 0.9, 1, 2, Mode::Stable),
            entry(1200, 1.0, 2, 4, Mode::Panic),
            entry(1800, 0.6, 4, 4, Mode::Stable),
            entry(3600, 0.0, 4, 1, Mode::Stable),
        ]
    }

    #[test]
    fn svg_has_title_target_series_and_axis_labels() {
        let tl = small();
        let svg = render_svg(&input(&tl), 1000, 700).expect("renders");
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
        assert!(svg.trim_end().ends_with("</svg>"));
        for text in [
            "demo: AIBrix v0.7.0 KPA (test)",
            "observed gpu_cache_usage_perc vs target (fraction)",
            "replicas",
            "target 0.5",
            "observed",
            "demand per ready pod",
            "spec.replicas",
            "ready pods",
            "desired (metric only)",
            "min/max 1/10",
            "panic mode",
            "time (h:mm)",
            "pods",
            ">\n0:00\n</text>",
            ">\n0:30\n</text>",
            ">\n1:00\n</text>",
        ] {
            assert!(svg.contains(text), "missing {text:?}");
        }
        // demand, observed, target, and three replica series: one polyline each (plus the legend
        // samples).
        assert!(svg.matches("<polyline").count() >= 6);
        // The target line is horizontal across the top panel in the target's colour.
        assert!(svg.contains("stroke=\"#D62728\""));
    }

    #[test]
    fn svg_is_deterministic() {
        let tl = small();
        let a = render_svg(&input(&tl), 800, 600).unwrap();
        let b = render_svg(&input(&tl), 800, 600).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let huge = vec![
            entry(0, 1e300, 1, u32::MAX, Mode::Panic),
            entry(10, f64::INFINITY, u32::MAX, 3, Mode::Panic),
            entry(10, f64::NEG_INFINITY, 0, 0, Mode::Inactive),
        ];
        let nan = vec![
            entry(0, f64::NAN, 0, 1, Mode::Stable),
            entry(15, f64::NAN, 1, 1, Mode::Stable),
        ];
        let cases: Vec<Vec<TimelineEntry>> = vec![
            vec![],
            vec![entry(0, 0.2, 1, 1, Mode::Stable)],
            vec![entry(u64::MAX / 1000, 0.2, 1, 1, Mode::Panic)],
            nan,
            huge,
            vec![
                entry(5, -3.0, 1, 1, Mode::Stable),
                entry(5, 2.0, 1, 1, Mode::Panic),
            ],
        ];
        for tl in &cases {
            for (target, total, max) in [
                (Some(0.5), false, 10),
                (None, true, u32::MAX),
                (Some(f64::NAN), false, 0),
                (Some(1e308), true, 5),
            ] {
                let mut i = input(tl);
                i.target = target;
                i.target_is_total = total;
                i.max_replicas = max;
                let svg = render_svg(&i, 640, 480).expect("renders");
                assert!(svg.contains("</svg>"));
            }
        }
        let tl = small();
        assert!(matches!(
            render_svg(&input(&tl), 10, 10),
            Err(ChartError::TooSmall { .. })
        ));
    }

    #[test]
    fn long_series_are_reduced_per_pixel_column() {
        let tl: Vec<TimelineEntry> = (0..100_000u64)
            .map(|i| {
                entry(
                    i * 2,
                    (i % 7) as f64 / 7.0,
                    1 + (i % 3) as u32,
                    2,
                    Mode::Stable,
                )
            })
            .collect();
        let svg = render_svg(&input(&tl), 800, 600).unwrap();
        assert!(svg.len() < 2_000_000, "svg is {} bytes", svg.len());
    }

    #[test]
    fn ticks_are_round_times() {
        assert_eq!(
            time_ticks(&(0.0..5_400_000.0))
                .iter()
                .map(|t| hmm(*t))
                .collect::<Vec<_>>(),
            ["0:00", "0:10", "0:20", "0:30", "0:40", "0:50", "1:00", "1:10", "1:20", "1:30"]
        );
        assert_eq!(time_ticks(&(0.0..604_800_000.0)).len(), 8); // 0 d ..= 7 d
        assert!(time_ticks(&(0.0..1e300)).len() <= 64);
    }

    fn single_panel_svg(
        tl: &[TimelineEntry],
        overlay: &Overlay<'_>,
        metric: bool,
    ) -> (String, Option<PlotGeometry>) {
        let mut out = String::new();
        let g = {
            let area = SVGBackend::with_string(&mut out, (800, 300)).into_drawing_area();
            if metric {
                draw_metric(&area, &input(tl), overlay).expect("draws")
            } else {
                draw_replicas(&area, &input(tl), overlay).expect("draws")
            }
        };
        (out, g)
    }

    #[test]
    fn single_panels_draw_overlay_and_cursor_and_map_pixels_to_time() {
        let tl = small();
        let pinned: Vec<TimelineEntry> = small()
            .into_iter()
            .map(|mut e| {
                e.desired += 3;
                e
            })
            .collect();
        let plain = single_panel_svg(&tl, &Overlay::default(), true).0;
        assert!(plain.contains("gpu_cache_usage_perc"));
        assert!(!plain.contains("pinned run"));
        assert!(!plain.contains("spec.replicas"), "metric panel only");
        let overlay = Overlay {
            pinned: Some(&pinned),
            cursor: Some(900_000),
        };
        let (svg, g) = single_panel_svg(&tl, &overlay, false);
        assert!(svg.contains("pinned run: spec.replicas"));
        assert!(svg.contains("spec.replicas"));
        assert!(!svg.contains("vs target"), "replica panel only");
        let g = g.expect("geometry");
        assert!(g.x_pixels.0 > 0 && g.x_pixels.1 < 800 && g.x_pixels.0 < g.x_pixels.1);
        assert_eq!(g.time_at(f64::from(g.x_pixels.0)), Some(0));
        assert_eq!(g.time_at(f64::from(g.x_pixels.1)), Some(3_600_000));
        assert_eq!(g.time_at(0.0), None);
        let (svg, _) = single_panel_svg(&tl, &overlay, true);
        assert!(svg.contains("pinned run: observed"));
        let (svg, g) = single_panel_svg(&[], &Overlay::default(), true);
        assert!(svg.contains("nothing to chart"));
        assert!(g.is_none());
    }

    #[test]
    fn the_replica_axis_is_the_replicas_and_the_recommendation_is_clipped() {
        // Issue 14: replicas 1-7, a metric-only recommendation of 68, max 10.
        let mut tl = small();
        if let Some(e) = tl.get_mut(2) {
            e.desired_raw = 68;
            e.desired = 7;
        }
        // (maxReplicas, expected y range, max line drawn)
        type Case = (u32, Option<(f64, f64)>, bool);
        let cases: &[Case] = &[
            (10, Some((0.0, 11.0)), true),
            (100, Some((0.0, 8.0)), false),
        ];
        for &(max, want, max_drawn) in cases {
            let mut i = input(&tl);
            i.max_replicas = max;
            let (y, line, label) = replica_axis(&i, &[], Some(max));
            assert_eq!(Some((y.start, y.end)), want, "max {max}");
            assert_eq!(line.is_some(), max_drawn, "max {max}");
            assert_eq!(label, "desired (metric only), clipped: up to 68");
            let mut out = String::new();
            let g = {
                let area = SVGBackend::with_string(&mut out, (800, 300)).into_drawing_area();
                draw_replicas(&area, &i, &Overlay::default()).expect("draws")
            };
            assert_eq!(g.map(|g| g.y_range), want, "max {max}");
            assert!(out.contains("clipped: up to 68"), "max {max}");
        }
        // Nothing clipped: the plain label; a peak of 4 and max 10 (more than twice as high):
        // the axis is the replicas', the max line is off it.
        let tl = small();
        let (y, line, label) = replica_axis(&input(&tl), &[], Some(10));
        assert_eq!(((y.start, y.end), line), ((0.0, 5.0), None));
        assert_eq!(label, "desired (metric only)");
        let (y, line, _) = replica_axis(&input(&tl), &[], Some(8));
        assert_eq!(((y.start, y.end), line), ((0.0, 9.0), Some(8)));
    }

    #[test]
    fn axis_units_are_short() {
        assert_eq!(
            axis_unit("fraction of KV-cache blocks in use, 0–1 (1 means 100 percent)"),
            "fraction 0–1"
        );
        assert_eq!(axis_unit("percent of the pods' request"), "%");
        assert_eq!(axis_unit("GPU utilization, percent 0–100"), "%");
        assert_eq!(
            axis_unit("requests waiting to be processed (count)"),
            "count"
        );
        assert_eq!(axis_unit("generated tokens per second"), "tokens/s");
        assert_eq!(
            axis_unit("in-flight requests per pod (time-weighted average)"),
            "in-flight requests per p"
        );
        assert_eq!(axis_unit("in-flight requests per p").chars().count(), 24);
        let tl = small();
        let svg = render_svg(&input(&tl), 1000, 700).expect("renders");
        assert!(svg.contains("gpu_cache_usage_perc [fraction]"));
    }

    fn span(start: f64, end: f64, no_load: bool) -> PanicSpan {
        PanicSpan {
            start,
            end,
            no_load,
        }
    }

    #[test]
    fn panic_spans_cover_consecutive_panic_decisions() {
        let tl = small();
        assert_eq!(
            panic_spans(&tl, 3_600_000, true),
            vec![span(1_200_000.0, 1_800_000.0, false)]
        );
    }

    /// The seed case's shape: a panic with load, then the load stops and AIBrix v0.7.0 stays in
    /// panic because its stable value is 0. The two runs are split, and only an algorithm that
    /// panics without load gets the "no load" kind (a NaN observation is not "no load").
    fn surge_then_idle() -> Vec<TimelineEntry> {
        vec![
            entry(0, 0.3, 1, 1, Mode::Stable),
            entry(600, 1.0, 1, 2, Mode::Panic),
            entry(900, 0.0, 2, 1, Mode::Panic),
            entry(1200, 0.0, 1, 1, Mode::Panic),
            entry(1500, f64::NAN, 1, 1, Mode::Panic),
            entry(1800, 0.0, 1, 1, Mode::Panic),
        ]
    }

    #[test]
    fn panic_with_no_load_is_its_own_span_for_aibrix_v07() {
        let tl = surge_then_idle();
        assert_eq!(
            panic_spans(&tl, 3_600_000, true),
            vec![
                span(600_000.0, 900_000.0, false),
                span(900_000.0, 1_500_000.0, true),
                span(1_500_000.0, 1_800_000.0, false),
                span(1_800_000.0, 3_600_000.0, true),
            ]
        );
        assert_eq!(
            panic_spans(&tl, 3_600_000, false),
            vec![span(600_000.0, 3_600_000.0, false)]
        );
    }

    #[test]
    fn svg_labels_a_panic_with_no_load_apart() {
        let tl = surge_then_idle();
        let svg = render_svg(&input(&tl), 1000, 700).expect("renders");
        for text in [PANIC_LABEL, PANIC_NO_LOAD_LABEL] {
            assert!(
                svg.contains(&format!(">\n{text}\n</text>")),
                "missing legend {text:?}"
            );
        }
        // Both shades, each in both panels (plus its legend swatch).
        assert!(svg.matches("fill=\"#FFE4E4\"").count() >= 4, "panic shade");
        assert!(
            svg.matches("fill=\"#E8E8F0\"").count() >= 4,
            "no-load shade"
        );
        // Another algorithm: one kind of panic, no quirk label.
        let mut other = input(&tl);
        other.panics_without_load = false;
        let svg = render_svg(&other, 1000, 700).expect("renders");
        assert!(svg.contains(PANIC_LABEL));
        assert!(!svg.contains(PANIC_NO_LOAD_LABEL));
        assert!(!svg.contains("#E8E8F0"));
        // Only idle panic: no "panic mode" legend at all.
        let idle: Vec<TimelineEntry> = tl.iter().filter(|e| e.observed == 0.0).copied().collect();
        let svg = render_svg(&input(&idle), 1000, 700).expect("renders");
        assert!(svg.contains(PANIC_NO_LOAD_LABEL));
        assert!(!svg.contains(&format!(">\n{PANIC_LABEL}\n</text>")));
    }
}
