//! `--prometheus URL --query PROMQL [--from T --to T --step D]`: samples straight from a
//! Prometheus server's HTTP API (`GET /api/v1/query_range`), handed to the pipeline as the text
//! of a samples file. The response goes through the same importer as a saved range-query JSON
//! (`scalelens_core::samples`, detected as `prometheus-json`); nothing here reads its data. This
//! module only builds the request, bounds it (timeouts, response size, Prometheus' points per
//! series) and words what went wrong: every failure is a [`PrometheusError`] that says which
//! server, query and range it is about.
//!
//! The network lives here, in the CLI: `core` stays pure and only gets the bytes.
//!
//! The token for a protected server (a bearer token: an OpenShift or GKE service account, a
//! Grafana Cloud key) is read from an environment variable ([`DEFAULT_TOKEN_ENV`], or the one
//! `--prometheus-token-env` names), never from the command line, where other users of the
//! machine could read it in the process list. It is never printed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use scalelens_core::display::{Dur, Utc};
use scalelens_core::pipeline::WindowBound;
use scalelens_core::samples::{ErrorKind, SampleError};
use scalelens_core::text::quote;
use scalelens_core::Millis;

/// Most points Prometheus returns per series from one range query: it refuses a query whose
/// `(end - start) / step` exceeds 11 000 ("exceeded maximum resolution of 11,000 points per
/// timeseries"; prometheus/prometheus `web/api/v1/api.go` `queryRange`, v2.42.0 as in Debian 12
/// and unchanged through v3). The range and step are checked against it before the request, so
/// the message can say which step fits.
pub const MAX_POINTS_PER_SERIES: u64 = 11_000;

/// The range fetched when `--from` is not given: the hour before `--to` (default: now). An hour
/// covers every controller's windows (the longest default, HPA's 5-minute scale-down
/// stabilization) several times over, and at the default step it is 240 points per series.
pub const DEFAULT_RANGE: Millis = 3_600_000;

/// The finest default step: 15 s, the `scrape_interval` of Prometheus' example configuration
/// (`documentation/examples/prometheus.yml`) and the usual one for vLLM pods. A finer step than
/// the scrape interval only repeats samples; a longer range gets a coarser step so that each
/// series fits [`MAX_POINTS_PER_SERIES`] ([`default_step`]).
pub const DEFAULT_STEP: Millis = scalelens_core::samples::DEFAULT_SCRAPE_INTERVAL;

/// The environment variable read for a bearer token when `--prometheus-token-env` is not given
/// (no token when it is unset).
pub const DEFAULT_TOKEN_ENV: &str = "SCALELENS_PROMETHEUS_TOKEN";

/// How long to wait for the TCP connection and the TLS handshake: 10 s (a server that has not
/// answered a connection in that time is not there; the default of `--prometheus-timeout` bounds
/// the rest).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default of `--prometheus-timeout`, the whole request (connection, query, response): 2
/// minutes, Prometheus' own `--query.timeout` default (`cmd/prometheus/main.go`, v2.42.0), so
/// the server gives up on a slow query first and its error is the one shown.
pub const DEFAULT_TIMEOUT: Millis = 120_000;

/// Longest excerpt of an unexpected response body in a message (characters): enough for an
/// HTML title or a proxy's one-line error.
const BODY_EXCERPT_CHARS: usize = 120;

/// What went wrong reading samples from Prometheus. Every message names the server (and, once
/// the request was sent, the query and range) and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrometheusError {
    /// `--prometheus` is not an `http://` or `https://` URL of a server.
    #[error("bad --prometheus URL \"{url}\": {why}; give the server's base URL, e.g. http://127.0.0.1:9090 or https://prometheus.example.com/prometheus")]
    BadUrl { url: String, why: String },
    /// The token variable is unset (when named by `--prometheus-token-env`), empty or not a
    /// header value.
    #[error("{0}")]
    Token(String),
    /// `--prometheus-ca` cannot be read or holds no certificate.
    #[error("--prometheus-ca {path}: {why}")]
    Ca { path: String, why: String },
    /// `--from`/`--to`/`--step` describe no range Prometheus can answer.
    #[error("{0}")]
    Range(String),
    /// More than [`MAX_POINTS_PER_SERIES`] points per series.
    #[error(
        "{points} points per series from {from} to {to} at step {step}: more than Prometheus' \
         {max} per series; use --step {fits} (or coarser), or a shorter --from/--to"
    )]
    TooManyPoints {
        points: u64,
        from: String,
        to: String,
        step: String,
        max: u64,
        /// The finest whole-second step that fits.
        fits: String,
    },
    /// No connection: the host does not resolve, refuses, or TLS failed.
    #[error("cannot reach Prometheus at {url}: {why}")]
    Unreachable { url: String, why: String },
    /// No answer within the time allowed.
    #[error("Prometheus at {url} did not answer within {after} ({what}); raise --prometheus-timeout or ask for less (a shorter range, a coarser --step, an aggregated query)")]
    Timeout {
        url: String,
        after: String,
        what: String,
    },
    /// A response status other than 2xx, with Prometheus' own error when it sent one.
    #[error("Prometheus answered HTTP {status} to {request}: {message}")]
    Status {
        url: String,
        status: u16,
        request: String,
        message: String,
    },
    /// The response is larger than `--max-input-size`.
    #[error("the response to {request} is larger than the {limit} input limit: stopped reading; ask for less (a coarser --step, a shorter range, `sum by (pod)`) or raise --max-input-size")]
    TooLarge { request: String, limit: String },
    /// A 2xx response that is not JSON (a login page, a proxy's HTML).
    #[error("the response to {request} is not JSON ({content_type}): {excerpt}; is {url} the Prometheus server (its /api/v1 path)?")]
    NotJson {
        url: String,
        request: String,
        content_type: String,
        excerpt: String,
    },
    /// `"status": "error"` in a response (read by the samples importer).
    #[error("Prometheus returned an error ({error_type}) for {request}: {error}")]
    Query {
        request: String,
        error_type: String,
        error: String,
    },
    /// The query matched no series in the range.
    #[error("{request} returned no series: check the metric name and labels (Prometheus' /graph page lists what exists), or widen --from/--to")]
    Empty { request: String },
    /// The response body is not what the importer reads, at a line and column of it.
    #[error("bad response to {request}: {message} (response line {line}, column {column})")]
    Response {
        request: String,
        message: String,
        line: u32,
        column: u32,
    },
    /// Any other transport failure.
    #[error("request to Prometheus at {url} failed: {why}")]
    Transport { url: String, why: String },
}

/// One range query: where, what, and which times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeQuery {
    /// The server's base URL as given, without a trailing `/` (or `/api/v1/query_range`).
    pub base: String,
    pub query: String,
    /// Unix milliseconds.
    pub start: i64,
    /// Unix milliseconds, after `start`.
    pub end: i64,
    /// Milliseconds, at least 1.
    pub step: Millis,
}

/// How to reach the server.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// The bearer token, when one is configured.
    pub token: Option<String>,
    /// PEM CA certificates to trust instead of the Mozilla roots (`--prometheus-ca`).
    pub ca: Option<PathBuf>,
    /// The whole request's deadline.
    pub timeout: Millis,
}

/// Read the bearer token: from `named` (`--prometheus-token-env`), which must then be set, else
/// from [`DEFAULT_TOKEN_ENV`] when it is set. `lookup` reads a variable (the process environment
/// in the command line). Surrounding white space (a newline from `$(cat token)`) is trimmed; the
/// token's text never appears in a message.
pub fn token_from_env(
    named: Option<&str>,
    lookup: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<Option<String>, PrometheusError> {
    let name = named.unwrap_or(DEFAULT_TOKEN_ENV);
    let Some(raw) = lookup(name) else {
        return match named {
            Some(n) => Err(PrometheusError::Token(format!(
                "--prometheus-token-env {n}: the environment variable {n} is not set; export the bearer token in it"
            ))),
            None => Ok(None),
        };
    };
    let Some(text) = raw.to_str() else {
        return Err(PrometheusError::Token(format!(
            "the environment variable {name} (the Prometheus bearer token) is not valid UTF-8"
        )));
    };
    let token = text.trim();
    if token.is_empty() {
        return Err(PrometheusError::Token(format!(
            "the environment variable {name} (the Prometheus bearer token) is set but empty; unset it for a server without authentication"
        )));
    }
    if !token.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(PrometheusError::Token(format!(
            "the environment variable {name} (the Prometheus bearer token) holds a space or a character an HTTP header cannot carry"
        )));
    }
    Ok(Some(token.to_string()))
}

/// `--step`: a Go duration (`15s`, `1m30s`, `500ms`), seconds (`15`), or a Prometheus duration
/// with days, weeks or years in front (`1d`, `1w`, `1d12h`; a day 24 h, a week 7 days, a year
/// 365 days, as Prometheus counts them: `model.ParseDuration`). At least 1 ms.
pub fn parse_step(s: &str) -> Result<Millis, String> {
    let t = s.trim();
    let ms = match crate::duration::parse_arg(t) {
        Ok(ms) => ms,
        Err(go) => {
            // Prometheus' longer units come first: `<n>y`, `<n>w`, `<n>d`, then the Go part.
            let mut rest = t;
            let mut total: Millis = 0;
            let mut any = false;
            for (unit, ms) in [
                ('y', 365 * 86_400_000u64),
                ('w', 7 * 86_400_000),
                ('d', 86_400_000),
            ] {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let (num, after) = rest.split_at(digits);
                if digits > 0 && after.starts_with(unit) {
                    let n: u64 = num.parse().map_err(|_| go.clone())?;
                    total = n
                        .checked_mul(ms)
                        .and_then(|v| total.checked_add(v))
                        .ok_or_else(|| format!("{:?} is out of range", quote(t)))?;
                    rest = &after[1..];
                    any = true;
                }
            }
            if !any {
                return Err(go);
            }
            let tail = if rest.is_empty() {
                0
            } else {
                scalelens_core::duration::parse_millis(rest).map_err(|_| go.clone())?
            };
            total
                .checked_add(tail)
                .ok_or_else(|| format!("{:?} is out of range", quote(t)))?
        }
    };
    if ms == 0 {
        return Err(format!(
            "{:?}: the step must be at least 1ms (Prometheus refuses a zero step)",
            quote(t)
        ));
    }
    Ok(ms)
}

/// The default step for a range of `range` ms: [`DEFAULT_STEP`], or the finest whole-second step
/// that keeps each series within [`MAX_POINTS_PER_SERIES`] when that is coarser.
pub fn default_step(range: Millis) -> Millis {
    DEFAULT_STEP.max(fitting_step(range))
}

/// The finest whole-second step for which `range / step` (whole steps, as Prometheus divides)
/// stays within [`MAX_POINTS_PER_SERIES`].
fn fitting_step(range: Millis) -> Millis {
    let per_point = range.div_ceil(MAX_POINTS_PER_SERIES);
    per_point.div_ceil(1000).max(1).saturating_mul(1000)
}

/// A Unix time in milliseconds from a window bound: RFC 3339, or Unix seconds (for Prometheus
/// the input's own times are Unix times).
fn unix_ms(b: WindowBound, flag: &str) -> Result<i64, PrometheusError> {
    let ms = match b {
        WindowBound::Unix(ms) | WindowBound::InputTime(ms) => ms,
    };
    if ms < 0 {
        return Err(PrometheusError::Range(format!(
            "{flag} {} is before 1970: with --prometheus give an RFC 3339 time (2025-11-28T08:00:00Z) or Unix seconds",
            Utc(ms)
        )));
    }
    Ok(ms)
}

/// Check the base URL: `http://` or `https://`, a host, no query or fragment. A trailing `/`
/// and a pasted `/api/v1/query_range` (or `/api/v1/query`) are dropped; another path (a proxy's
/// prefix, `/prometheus`) is kept.
pub fn base_url(url: &str) -> Result<String, PrometheusError> {
    let bad = |why: &str| PrometheusError::BadUrl {
        url: quote(url).into_owned(),
        why: why.to_string(),
    };
    let t = url.trim();
    let rest = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
        .ok_or_else(|| bad("it must start with http:// or https://"))?;
    if t.contains(['?', '#']) {
        return Err(bad(
            "it has a query or fragment (the query goes in --query)",
        ));
    }
    if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains white space"));
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() || authority.starts_with(':') {
        return Err(bad("it names no host"));
    }
    if authority.contains('@') {
        return Err(bad(
            "it carries credentials; put a bearer token in the environment variable SCALELENS_PROMETHEUS_TOKEN instead",
        ));
    }
    let parsed: Result<ureq::http::Uri, _> = t.parse();
    if let Err(e) = parsed {
        return Err(bad(&e.to_string()));
    }
    let mut base = t.trim_end_matches('/');
    for api in ["/api/v1/query_range", "/api/v1/query"] {
        if let Some(b) = base.strip_suffix(api) {
            base = b.trim_end_matches('/');
        }
    }
    Ok(base.to_string())
}

impl RangeQuery {
    /// The query the flags describe, with the defaults: `--to` now (`now`, Unix ms), `--from`
    /// [`DEFAULT_RANGE`] before `--to`, `--step` [`default_step`].
    pub fn new(
        url: &str,
        query: &str,
        from: Option<WindowBound>,
        to: Option<WindowBound>,
        step: Option<Millis>,
        now: i64,
    ) -> Result<Self, PrometheusError> {
        let base = base_url(url)?;
        if query.trim().is_empty() {
            return Err(PrometheusError::Range(
                "--query is empty: give a PromQL expression, e.g. 'vllm:gpu_cache_usage_perc{model_name=\"m\"}'".into(),
            ));
        }
        let end = match to {
            Some(b) => unix_ms(b, "--to")?,
            None => now,
        };
        let start = match from {
            Some(b) => unix_ms(b, "--from")?,
            None => end.saturating_sub(DEFAULT_RANGE as i64).max(0),
        };
        if start >= end {
            return Err(PrometheusError::Range(format!(
                "--from {} is not before --to {}: the range is empty",
                Utc(start),
                Utc(end)
            )));
        }
        let range = end.abs_diff(start);
        let step = step.unwrap_or_else(|| default_step(range));
        let points = range / step.max(1);
        if points > MAX_POINTS_PER_SERIES {
            return Err(PrometheusError::TooManyPoints {
                points,
                from: Utc(start).to_string(),
                to: Utc(end).to_string(),
                step: Dur(step).to_string(),
                max: MAX_POINTS_PER_SERIES,
                fits: Dur(fitting_step(range)).to_string(),
            });
        }
        Ok(RangeQuery {
            base,
            query: query.to_string(),
            start,
            end,
            step,
        })
    }

    /// The endpoint requested.
    pub fn endpoint(&self) -> String {
        format!("{}/api/v1/query_range", self.base)
    }

    /// The request in words, for messages and the import report: `query `Q` from T to T
    /// (step S) at URL`.
    pub fn describe(&self) -> String {
        format!(
            "query `{}` from {} to {} (step {}) at {}",
            quote(&self.query),
            Utc(self.start),
            Utc(self.end),
            Dur(self.step),
            self.base
        )
    }

    /// The request's parameters: Unix seconds with millisecond decimals and the step in seconds,
    /// as the HTTP API takes them.
    fn params(&self) -> [(&'static str, String); 4] {
        let secs = |ms: u64| {
            if ms % 1000 == 0 {
                (ms / 1000).to_string()
            } else {
                format!("{}.{:03}", ms / 1000, ms % 1000)
            }
        };
        [
            ("query", self.query.clone()),
            ("start", secs(self.start.unsigned_abs())),
            ("end", secs(self.end.unsigned_abs())),
            ("step", secs(self.step)),
        ]
    }

    /// The import's failure in the words of this request: Prometheus' `"status": "error"`, an
    /// empty result, or a response the importer cannot read.
    pub fn import_error(&self, e: &SampleError) -> PrometheusError {
        match &e.kind {
            ErrorKind::Prometheus { error_type, error } => PrometheusError::Query {
                request: self.describe(),
                error_type: error_type.clone(),
                error: error.clone(),
            },
            ErrorKind::NoSamples(_) => PrometheusError::Empty {
                request: self.describe(),
            },
            _ => PrometheusError::Response {
                request: self.describe(),
                message: e.message(),
                line: e.line,
                column: e.column,
            },
        }
    }
}

/// Read PEM CA certificates for `--prometheus-ca`.
fn ca_certs(path: &Path) -> Result<Vec<ureq::tls::Certificate<'static>>, PrometheusError> {
    let err = |why: String| PrometheusError::Ca {
        path: path.display().to_string(),
        why,
    };
    // A CA bundle is kilobytes; 1 MB bounds a mistaken path (a log file) without refusing any.
    const MAX_PEM_BYTES: u64 = 1_000_000;
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.len() > MAX_PEM_BYTES {
        return Err(err(format!(
            "{} bytes is not a CA bundle (at most 1 MB)",
            meta.len()
        )));
    }
    let pem = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => return Err(err(format!("not PEM: {e}"))),
        }
    }
    if certs.is_empty() {
        return Err(err(
            "no certificate (expected -----BEGIN CERTIFICATE-----)".into()
        ));
    }
    Ok(certs)
}

/// Fetch the range query's response body: at most `limit` bytes of UTF-8 text starting with a
/// JSON object, from a 2xx response. The body's data is for the samples importer to read.
pub fn fetch(q: &RangeQuery, access: &Access, limit: u64) -> Result<String, PrometheusError> {
    let url = q.base.clone();
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(ca) = &access.ca {
        tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&ca_certs(ca)?));
    }
    let timeout = Duration::from_millis(access.timeout.max(1));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
        .timeout_global(Some(timeout))
        .user_agent(concat!("scalelens/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls.build())
        .build()
        .into();
    let mut req = agent
        .get(q.endpoint())
        .query_pairs(q.params())
        .header("Accept", "application/json");
    if let Some(token) = &access.token {
        req = req.header("Authorization", format!("Bearer {token}"));
    }
    let mut resp = req
        .call()
        .map_err(|e| transport_error(&url, access.timeout, e))?;
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|s| quote(s).into_owned())
        .unwrap_or_else(|| "no content type".into());
    let bytes = match resp.body_mut().with_config().limit(limit).read_to_vec() {
        Ok(b) => b,
        Err(ureq::Error::BodyExceedsLimit(_)) => {
            return Err(PrometheusError::TooLarge {
                request: q.describe(),
                limit: crate::commands::size_text(limit),
            })
        }
        Err(e) => return Err(transport_error(&url, access.timeout, e)),
    };
    // Messages quote the body even when it is not UTF-8; the importer only ever gets UTF-8.
    let (text, bad_utf8) = match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    let body = scalelens_core::text::strip_bom(&text).trim_start();
    if !(200..300).contains(&status) {
        return Err(PrometheusError::Status {
            url,
            status,
            request: q.describe(),
            message: status_message(status, body, &content_type),
        });
    }
    if !body.starts_with('{') {
        return Err(PrometheusError::NotJson {
            url,
            request: q.describe(),
            content_type,
            excerpt: excerpt(body),
        });
    }
    match bad_utf8 {
        None => Ok(text),
        Some(at) => Err(PrometheusError::Response {
            request: q.describe(),
            message: format!("not UTF-8 text (invalid byte at offset {at})"),
            line: 1,
            column: 1,
        }),
    }
}

/// The message of a non-2xx response: Prometheus' `errorType` and `error` when the body is its
/// error JSON (read by the samples importer, which reports `"status": "error"` as
/// [`ErrorKind::Prometheus`]), else an excerpt of the body.
fn status_message(status: u16, body: &str, content_type: &str) -> String {
    let hints = scalelens_core::samples::Hints::default();
    if body.starts_with('{') {
        if let Err(e) = scalelens_core::samples::parse_prometheus_json(body, &hints) {
            if let ErrorKind::Prometheus { error_type, error } = e.kind {
                return format!("{error_type}: {error}");
            }
        }
    }
    let hint = match status {
        401 | 403 => "; the server wants credentials: export a bearer token in SCALELENS_PROMETHEUS_TOKEN (or the variable --prometheus-token-env names)",
        404 => "; is the URL the Prometheus server's base (its /api/v1 path)?",
        _ => "",
    };
    format!("{} ({content_type}){hint}", excerpt(body))
}

/// The start of a body for a message: one line, escaped, cut.
fn excerpt(body: &str) -> String {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty());
    match line {
        None => "an empty body".into(),
        Some(l) => format!(
            "\"{}\"",
            scalelens_core::text::quote_max(l, BODY_EXCERPT_CHARS)
        ),
    }
}

/// A failed TLS handshake in words, with the way out when the certificate is not trusted.
fn tls_why(why: &str) -> String {
    let hint = if why.contains("certificate") || why.contains("Certificate") {
        "; for a private CA give its certificate with --prometheus-ca FILE.pem"
    } else if why.contains("corrupt message") {
        "; is the server speaking plain HTTP? use http://"
    } else {
        ""
    };
    format!("TLS handshake failed: {why}{hint}")
}

/// A ureq failure in words.
fn transport_error(url: &str, timeout: Millis, e: ureq::Error) -> PrometheusError {
    let unreachable = |why: String| PrometheusError::Unreachable {
        url: url.to_string(),
        why,
    };
    match e {
        ureq::Error::HostNotFound => unreachable("the host name does not resolve".into()),
        ureq::Error::ConnectionFailed => unreachable("the connection failed".into()),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                unreachable("connection refused (is Prometheus listening on that port?)".into())
            }
            std::io::ErrorKind::TimedOut => PrometheusError::Timeout {
                url: url.to_string(),
                after: Dur(timeout).to_string(),
                what: "no data".into(),
            },
            // rustls reports a failed handshake as invalid data (a plain-HTTP port answering
            // https://, an untrusted certificate).
            std::io::ErrorKind::InvalidData if url.starts_with("https://") => {
                unreachable(tls_why(&io.to_string()))
            }
            _ => unreachable(io.to_string()),
        },
        ureq::Error::Timeout(t) => PrometheusError::Timeout {
            url: url.to_string(),
            after: match t {
                ureq::Timeout::Connect => {
                    let connect = u64::try_from(CONNECT_TIMEOUT.as_millis()).unwrap_or(u64::MAX);
                    Dur(connect.min(timeout)).to_string()
                }
                _ => Dur(timeout).to_string(),
            },
            what: match t {
                ureq::Timeout::Connect | ureq::Timeout::Resolve => "connecting".into(),
                _ => "waiting for the response".into(),
            },
        },
        ureq::Error::Tls(why) => unreachable(format!("TLS: {why}")),
        ureq::Error::Rustls(why) => unreachable(tls_why(&why.to_string())),
        other => PrometheusError::Transport {
            url: url.to_string(),
            why: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    const T0: i64 = 1_764_316_800_000;

    #[test]
    fn steps() {
        let ok: &[(&str, Millis)] = &[
            ("15s", 15_000),
            ("15", 15_000),
            ("1m30s", 90_000),
            ("500ms", 500),
            ("1d", 86_400_000),
            ("1w", 604_800_000),
            ("1y", 31_536_000_000),
            ("1d12h", 129_600_000),
            ("2w3d", 1_468_800_000),
        ];
        for (s, ms) in ok {
            assert_eq!(parse_step(s), Ok(*ms), "{s}");
        }
        for s in ["", "0", "0s", "100us", "d", "1x", "-15s", "1d-1h", "1h1d"] {
            assert!(parse_step(s).is_err(), "{s} should fail");
        }
        assert!(parse_step("0s").is_err_and(|e| e.contains("at least 1ms")));
    }

    #[test]
    fn default_steps_fit_the_points_limit() {
        // (range, step): 15 s up to 45 h 50 m (11 000 points at 15 s), then whole seconds.
        let cases: &[(Millis, Millis)] = &[
            (60_000, 15_000),
            (DEFAULT_RANGE, 15_000),
            (165_000_000, 15_000),
            (165_000_001, 16_000),
            (7 * 86_400_000, 55_000),
            (30 * 86_400_000, 236_000),
        ];
        for (range, step) in cases {
            assert_eq!(default_step(*range), *step, "{range}");
            assert!(range / step <= MAX_POINTS_PER_SERIES);
        }
    }

    #[test]
    fn ranges() {
        let q =
            |from, to, step| RangeQuery::new("http://p:9090/", "up", from, to, step, T0 + 123_000);
        let ok = q(None, None, None).expect("defaults");
        assert_eq!(
            (ok.start, ok.end, ok.step, ok.base.as_str()),
            (
                T0 + 123_000 - 3_600_000,
                T0 + 123_000,
                15_000,
                "http://p:9090"
            )
        );
        let ok = q(
            Some(WindowBound::InputTime(T0)),
            Some(WindowBound::Unix(T0 + 11_000_000)),
            Some(1000),
        )
        .expect("11000 points fit");
        assert_eq!(
            ok.params()[1..],
            [
                ("start", "1764316800".to_string()),
                ("end", "1764327800".to_string()),
                ("step", "1".to_string())
            ]
        );
        assert_eq!(
            ok.describe(),
            "query `up` from 2025-11-28T08:00:00Z to 2025-11-28T11:03:20Z (step 1s) at http://p:9090"
        );
        let err = |from, to, step| q(from, to, step).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err(Some(WindowBound::InputTime(T0)), Some(WindowBound::InputTime(T0 + 11_001_000)), Some(1000)),
            "11001 points per series from 2025-11-28T08:00:00Z to 2025-11-28T11:03:21Z at step 1s: \
             more than Prometheus' 11000 per series; use --step 2s (or coarser), or a shorter --from/--to"
        );
        assert!(err(
            Some(WindowBound::InputTime(T0)),
            Some(WindowBound::InputTime(T0)),
            None
        )
        .contains("is not before --to"));
        assert!(err(Some(WindowBound::InputTime(-3_600_000)), None, None).contains("before 1970"));
        let ms = q(Some(WindowBound::InputTime(T0 + 500)), None, Some(1500)).expect("decimals");
        assert_eq!(ms.params()[1].1, "1764316800.500");
        assert_eq!(ms.params()[3].1, "1.500");
        assert!(RangeQuery::new("http://p", " ", None, None, None, T0)
            .is_err_and(|e| e.to_string().contains("--query is empty")));
    }

    #[test]
    fn urls() {
        let ok: &[(&str, &str)] = &[
            ("http://127.0.0.1:9090", "http://127.0.0.1:9090"),
            ("https://prom.example.com/", "https://prom.example.com"),
            (
                "https://grafana.example.com/api/datasources/proxy/1",
                "https://grafana.example.com/api/datasources/proxy/1",
            ),
            ("http://p:9090/api/v1/query_range", "http://p:9090"),
            (
                "http://p:9090/prometheus/api/v1/query/",
                "http://p:9090/prometheus",
            ),
            (" http://[::1]:9090 ", "http://[::1]:9090"),
        ];
        for (url, base) in ok {
            assert_eq!(base_url(url).as_deref(), Ok(*base), "{url}");
        }
        let bad: &[(&str, &str)] = &[
            ("prom:9090", "must start with http:// or https://"),
            ("ftp://p", "must start with http:// or https://"),
            ("http://", "names no host"),
            ("http://:9090", "names no host"),
            ("http://p/?query=up", "query or fragment"),
            ("http://p/#x", "query or fragment"),
            ("http://p q", "white space"),
            ("http://u:pw@p", "credentials"),
        ];
        for (url, why) in bad {
            let e = base_url(url).unwrap_err().to_string();
            assert!(e.contains(why), "{url}: {e}");
        }
    }

    #[test]
    fn tokens() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(token_from_env(None, env(&[])), Ok(None));
        assert_eq!(
            token_from_env(None, env(&[(DEFAULT_TOKEN_ENV, "abc.def\n")])),
            Ok(Some("abc.def".into()))
        );
        assert_eq!(
            token_from_env(Some("T"), env(&[("T", "x"), (DEFAULT_TOKEN_ENV, "y")])),
            Ok(Some("x".into()))
        );
        let err = |named, pairs| token_from_env(named, env(pairs)).unwrap_err().to_string();
        assert!(err(Some("T"), &[]).contains("T is not set"));
        assert!(err(None, &[(DEFAULT_TOKEN_ENV, " ")]).contains("set but empty"));
        let bad = err(None, &[(DEFAULT_TOKEN_ENV, "se cret")]);
        assert!(
            bad.contains("cannot carry") && !bad.contains("se cret"),
            "{bad}"
        );
    }

    #[test]
    fn import_errors_name_the_request() {
        let q = RangeQuery::new(
            "http://p",
            "up",
            Some(WindowBound::InputTime(T0)),
            Some(WindowBound::InputTime(T0 + 60_000)),
            None,
            0,
        )
        .expect("query");
        let hints = scalelens_core::samples::Hints::default();
        let e = |body: &str| {
            q.import_error(
                &scalelens_core::samples::parse_prometheus_json(body, &hints).unwrap_err(),
            )
        };
        assert!(matches!(
            e(r#"{"status":"error","errorType":"execution","error":"boom"}"#),
            PrometheusError::Query { ref error_type, ref error, .. } if error_type == "execution" && error == "boom"
        ));
        assert_eq!(
            e(r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#).to_string(),
            "query `up` from 2025-11-28T08:00:00Z to 2025-11-28T08:01:00Z (step 15s) at http://p returned no series: \
             check the metric name and labels (Prometheus' /graph page lists what exists), or widen --from/--to"
        );
        assert!(matches!(
            e(r#"{"status":"success","data":"#),
            PrometheusError::Response { line: 1, .. }
        ));
    }

    #[test]
    fn status_messages() {
        let prom = r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error"}"#;
        assert_eq!(
            status_message(400, prom, "application/json"),
            "bad_data: 1:5: parse error"
        );
        let html = "\n<html>\u{202e}<title>502 Bad Gateway</title>";
        assert_eq!(
            status_message(502, html, "text/html"),
            "\"<html>\\u{202e}<title>502 Bad Gateway</title>\" (text/html)"
        );
        assert!(status_message(401, "", "text/plain")
            .starts_with("an empty body (text/plain); the server wants credentials"));
        assert!(
            status_message(404, "404 page not found", "text/plain").contains("its /api/v1 path")
        );
        let long = "x".repeat(1000);
        assert!(status_message(500, &long, "text/plain").chars().count() < 200);
    }
}
