//! Demand series. SHIM written on the `cli` branch so the CLI compiles; the real reader (owned
//! by another helper) replaces this file at merge. Same public signatures.

use crate::model::Millis;

/// A step function of demand over time, sorted by time, `t` in ms from the start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemandSeries {
    pub points: Vec<(Millis, f64)>,
}

/// A CSV error at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct DemandError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// SHIM: reads `time` (seconds) and `value` columns only.
pub fn parse_csv(text: &str) -> Result<DemandSeries, DemandError> {
    let err = |line: usize, message: &str| DemandError {
        line: line as u32,
        column: 1,
        message: message.to_string(),
    };
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = match lines.next() {
        Some((_, h)) => h.split(',').map(str::trim).collect(),
        None => {
            return Err(err(
                1,
                "empty file: expected a header with `time` and `value`",
            ))
        }
    };
    let ti = header.iter().position(|c| *c == "time");
    let vi = header.iter().position(|c| *c == "value");
    let (Some(ti), Some(vi)) = (ti, vi) else {
        return Err(err(1, "the header needs `time` and `value` columns"));
    };
    let mut points = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let t: f64 = cells
            .get(ti)
            .and_then(|c| c.parse().ok())
            .filter(|t: &f64| t.is_finite() && *t >= 0.0)
            .ok_or_else(|| err(i + 1, "bad time"))?;
        let v: f64 = cells
            .get(vi)
            .and_then(|c| c.parse().ok())
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| err(i + 1, "bad value"))?;
        points.push(((t * 1000.0) as Millis, v));
    }
    points.sort_by_key(|p| p.0);
    Ok(DemandSeries { points })
}
