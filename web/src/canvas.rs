//! Drawing the charts on the page's canvases: `scalelens-chart` over `plotters-canvas`.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use scalelens_chart::{ChartInput, Overlay, PlotGeometry};
use scalelens_core::pipeline::AutoscalerSummary;
use scalelens_core::sim::TimelineEntry;
use web_sys::HtmlCanvasElement;

/// The chart input for a run of `summary` (an empty timeline draws a message).
pub fn chart_input<'a>(
    summary: Option<&'a AutoscalerSummary>,
    timeline: &'a [TimelineEntry],
) -> ChartInput<'a> {
    ChartInput {
        timeline,
        algorithm: summary.map_or("", |s| s.algorithm),
        name: summary.map_or("", |s| s.name.as_str()),
        metric_name: summary
            .and_then(|s| s.metric.as_deref())
            .unwrap_or("metric"),
        metric_unit: summary.and_then(|s| s.unit),
        target: summary.and_then(|s| s.target),
        target_is_total: summary.and_then(|s| s.target_type) == Some("Value"),
        observed_is_total: summary.is_some_and(|s| s.observed_is_total),
        min_replicas: summary.map_or(0, |s| s.min_replicas),
        max_replicas: summary.map_or(u32::MAX, |s| s.max_replicas),
        panics_without_load: summary.is_some_and(|s| s.panics_without_load),
    }
}

/// Which panel a canvas holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Metric,
    Replicas,
}

/// Draw `panel` on `canvas`. Returns where the plot is (for pointer → time).
pub fn draw(
    canvas: &HtmlCanvasElement,
    panel: Panel,
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
) -> Result<Option<PlotGeometry>, String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "this browser gives no 2D canvas".to_string())?;
    let area = backend.into_drawing_area();
    let r = match panel {
        Panel::Metric => scalelens_chart::draw_metric(&area, input, overlay),
        Panel::Replicas => scalelens_chart::draw_replicas(&area, input, overlay),
    };
    r.map_err(|e| e.to_string())
}

/// Canvas pixel column under a pointer at CSS offset `offset_x` (the canvas may be scaled).
pub fn canvas_x(canvas: &HtmlCanvasElement, offset_x: i32) -> f64 {
    let client = f64::from(canvas.client_width().max(1));
    f64::from(offset_x) * f64::from(canvas.width()) / client
}
