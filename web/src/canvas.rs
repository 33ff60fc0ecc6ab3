//! Drawing the charts on the page's canvases: `scalelens-chart` over `plotters-canvas`.

use plotters::prelude::{DrawingBackend, IntoDrawingArea};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use scalelens_chart::{ChartInput, Overlay, PlotGeometry};
use scalelens_core::pipeline::AutoscalerSummary;
use scalelens_core::sim::TimelineEntry;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;
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

/// Draw `panel` on `canvas`, one canvas pixel per drawing unit. Returns where the plot is (for
/// pointer → time).
pub fn draw(
    canvas: &HtmlCanvasElement,
    panel: Panel,
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
) -> Result<Option<PlotGeometry>, String> {
    draw_scaled(canvas, 1.0, panel, input, overlay)
}

/// Draw `panel` on `canvas` in CSS pixels, `scale` canvas pixels to each (the canvas sized by
/// [`fit`]): text and lines keep their CSS size and are drawn at the screen's resolution. The
/// geometry is in CSS pixels.
pub fn draw_scaled(
    canvas: &HtmlCanvasElement,
    scale: f64,
    panel: Panel,
    input: &ChartInput<'_>,
    overlay: &Overlay<'_>,
) -> Result<Option<PlotGeometry>, String> {
    let inner = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "this browser gives no 2D canvas".to_string())?;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok());
    if let Some(ctx) = &ctx {
        let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    }
    let size = (
        (f64::from(canvas.width()) / scale).round() as u32,
        (f64::from(canvas.height()) / scale).round() as u32,
    );
    let area = Scaled { inner, size }.into_drawing_area();
    let r = match panel {
        Panel::Metric => scalelens_chart::draw_metric(&area, input, overlay),
        Panel::Replicas => scalelens_chart::draw_replicas(&area, input, overlay),
    };
    if let Some(ctx) = &ctx {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    }
    r.map_err(|e| e.to_string())
}

/// Size `canvas`'s pixels to its laid-out CSS width and `css_height` (its CSS height is set
/// too) times the screen's `devicePixelRatio`, so the chart is crisp on HiDPI screens and in
/// embeds rather than a fixed bitmap stretched (issue 14). A canvas not laid out (hidden, or
/// not in the page) keeps `fallback_width` CSS pixels. Returns the scale, canvas pixels per
/// CSS pixel.
pub fn fit(canvas: &HtmlCanvasElement, fallback_width: u32, css_height: u32) -> f64 {
    let dpr = pixel_ratio();
    let css_w = match canvas.client_width() {
        w if w > 0 => w as u32,
        _ => fallback_width,
    };
    let (w, h) = (
        (f64::from(css_w) * dpr).round() as u32,
        (f64::from(css_height) * dpr).round() as u32,
    );
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let _ = canvas.set_attribute("style", &format!("height: {css_height}px"));
    dpr
}

/// The screen's `devicePixelRatio`, at most 4 (a canvas's memory grows with its square).
fn pixel_ratio() -> f64 {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    if dpr.is_finite() && dpr > 0.0 {
        dpr.min(4.0)
    } else {
        1.0
    }
}

/// Whether `canvas` has the pixels [`fit`] would give it now (so a resize need not redraw).
pub fn fits(canvas: &HtmlCanvasElement, css_height: u32) -> bool {
    let dpr = pixel_ratio();
    let w = canvas.client_width();
    w <= 0
        || (canvas.width() == (f64::from(w) * dpr).round() as u32
            && canvas.height() == (f64::from(css_height) * dpr).round() as u32)
}

/// The chart's x (CSS pixels, as the geometry is) under a pointer at CSS offset `offset_x`.
pub fn canvas_x(canvas: &HtmlCanvasElement, scale: f64, offset_x: i32) -> f64 {
    let client = f64::from(canvas.client_width().max(1));
    let drawn = f64::from(canvas.width()) / if scale > 0.0 { scale } else { 1.0 };
    f64::from(offset_x) * drawn / client
}

/// The CSS x of time `t` on a panel drawn with `g`, relative to the canvas's left edge as laid
/// out (the crosshair's position).
pub fn x_of(canvas: &HtmlCanvasElement, scale: f64, g: &PlotGeometry, t: f64) -> Option<f64> {
    let (l, r) = (f64::from(g.x_pixels.0), f64::from(g.x_pixels.1));
    let (t0, t1) = g.t_range;
    if t1 <= t0 || !(t0..=t1).contains(&t) {
        return None;
    }
    let x = l + (t - t0) / (t1 - t0) * (r - l);
    let client = f64::from(canvas.client_width().max(1));
    let drawn = f64::from(canvas.width()) / if scale > 0.0 { scale } else { 1.0 };
    Some(x * client / drawn.max(1.0))
}

/// A canvas backend that draws in CSS pixels on a canvas whose context is scaled to the
/// screen's pixels: it reports the CSS size and hands everything else to plotters-canvas.
struct Scaled {
    inner: CanvasBackend,
    size: (u32, u32),
}

type Failed = DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>;

impl DrawingBackend for Scaled {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Result<(), Failed> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), Failed> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Failed> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Failed> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Failed> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Failed> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Failed> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Failed> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Failed> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Failed> {
        self.inner.estimate_text_size(text, style)
    }
}
