//! A real Prometheus for tests — one launcher and one API client for every suite that needs
//! it — and a loopback HTTP server that plays a broken one or an exporter.
//!
//! [`Prometheus`] runs Debian's `prometheus` (2.42; or `$SCALELENS_PROMETHEUS`) as a child
//! process on 127.0.0.1 with its own configuration and storage in a temporary directory,
//! killed on drop (the directory is kept when the test failed, for its log). It can start with
//! known data (OpenMetrics text backfilled by `promtool tsdb create-blocks-from openmetrics`,
//! no scrape needed), scrape loopback targets every second with static labels (an Envoy
//! admin endpoint, an exporter stand-in), and serve https with a certificate. Its HTTP API
//! (`/api/v1/query`, `series`, `label/<l>/values`, any other endpoint through
//! [`Prometheus::api`]) is read with this module's own bare HTTP/1.1 client.
//! [`FakeServer`] answers every request with one canned response and records the request
//! heads (a bearer token's header, a server that never answers, a text exposition).
//!
//! Users: `cli_prometheus.rs` (the `--prometheus` replay), `gateway_prometheus.rs` (every
//! documented PromQL query; the readers that pull them out of the files are in
//! [`crate::promql`]).
//!
//! **Skip or fail.** [`prometheus_or_skip`] is the one rule: without a `prometheus` (and
//! `promtool`) binary a test skips, saying how to install it — unless it runs in CI (`CI`
//! set), or `SCALELENS_REQUIRE_PROMETHEUS` is set (`.ci/run` sets it), or
//! `SCALELENS_PROMETHEUS` names a binary: then a missing binary is a failure.
//!
//! Only `std` and `serde_json`; nothing here is used by the product.

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long Prometheus may take to say it is ready (a cold start with a backfilled block takes
/// about a second here).
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long [`Prometheus::start`] waits for every scrape target's first successful scrape
/// (`up == 1`): a few 1 s scrape intervals, with margin for a loaded machine.
const TARGETS_UP_TIMEOUT: Duration = Duration::from_secs(30);

/// Scrape and rule evaluation interval of the test Prometheus (1 s: a test waits seconds,
/// not the default minute).
pub const SCRAPE_INTERVAL: &str = "1s";

/// How to get Prometheus, for messages.
pub const INSTALL: &str = "install Debian's package (`apt-get install -y prometheus`, do not \
     start its service) or set SCALELENS_PROMETHEUS to a prometheus binary";

/// `$SCALELENS_PROMETHEUS`, else `prometheus` on `PATH` (Debian: `/usr/bin/prometheus`).
/// Panics when `$SCALELENS_PROMETHEUS` names no file (a mistake, not an absence).
pub fn prometheus_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCALELENS_PROMETHEUS") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "SCALELENS_PROMETHEUS={} is not a file: {INSTALL}",
            p.display()
        );
        return Some(p);
    }
    on_path("prometheus")
}

/// `promtool` next to [`prometheus_binary`], else on `PATH`.
pub fn promtool_binary() -> Option<PathBuf> {
    let beside = prometheus_binary()?.with_file_name("promtool");
    if beside.is_file() {
        return Some(beside);
    }
    on_path("promtool")
}

/// Whether a missing Prometheus fails the test instead of skipping it: in CI (`CI`), when
/// `.ci/run` asks for it (`SCALELENS_REQUIRE_PROMETHEUS`), or when `SCALELENS_PROMETHEUS`
/// is set (someone said where it is).
pub fn prometheus_required() -> bool {
    ["CI", "SCALELENS_REQUIRE_PROMETHEUS", "SCALELENS_PROMETHEUS"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()))
}

/// The Prometheus binary for `test`, with `promtool` beside it; `None` (and a `SKIPPED` line
/// on stderr) when they are not installed and [`prometheus_required`] is false; a panic when
/// it is true.
pub fn prometheus_or_skip(test: &str) -> Option<PathBuf> {
    match (prometheus_binary(), promtool_binary()) {
        (Some(p), Some(_)) => Some(p),
        _ if prometheus_required() => panic!(
            "{test}: the prometheus and promtool binaries are not installed, and CI, \
             SCALELENS_REQUIRE_PROMETHEUS or SCALELENS_PROMETHEUS is set: {INSTALL}"
        ),
        _ => {
            eprintln!(
                "SKIPPED {test}: the prometheus and promtool binaries are not installed: {INSTALL}"
            );
            None
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A fresh, empty temporary directory for one test's files (removed by its owner).
pub fn scratch_dir(what: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "scalelens-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

/// A free loopback port (bound, then released for the child to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a loopback port")
        .port()
}

/// How to start a [`Prometheus`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// OpenMetrics text (timestamps in seconds, ending with `# EOF`) backfilled before start.
    pub openmetrics: Option<String>,
    /// Loopback targets scraped every [`SCRAPE_INTERVAL`]; [`Prometheus::start`] returns once
    /// each has been scraped.
    pub scrape: Vec<Scrape>,
    /// Serve https with this certificate and key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// One scrape job: `job` (the `job` label), a `host:port` target, its metrics path (Envoy's
/// admin: `/stats/prometheus`) and static labels (what Kubernetes service discovery would
/// attach, e.g. `namespace`).
#[derive(Debug, Clone)]
pub struct Scrape {
    pub job: String,
    pub target: String,
    pub metrics_path: String,
    pub labels: Vec<(String, String)>,
}

impl Scrape {
    /// `127.0.0.1:port` at `path`, no static labels.
    pub fn loopback(job: &str, port: u16, path: &str) -> Scrape {
        Scrape {
            job: job.to_string(),
            target: format!("127.0.0.1:{port}"),
            metrics_path: path.to_string(),
            labels: Vec::new(),
        }
    }

    /// With the static label `key="value"`.
    pub fn label(mut self, key: &str, value: &str) -> Scrape {
        self.labels.push((key.to_string(), value.to_string()));
        self
    }
}

/// The Prometheus configuration: 1 s intervals, one job per [`Scrape`].
pub fn config_yaml(scrape: &[Scrape]) -> String {
    let mut config = format!(
        "global:\n  scrape_interval: {SCRAPE_INTERVAL}\n  evaluation_interval: {SCRAPE_INTERVAL}\n"
    );
    if !scrape.is_empty() {
        config.push_str("scrape_configs:\n");
    }
    for s in scrape {
        config.push_str(&format!(
            "  - job_name: {}\n    metrics_path: {}\n    static_configs:\n      - targets: [\"{}\"]\n",
            s.job, s.metrics_path, s.target
        ));
        if !s.labels.is_empty() {
            config.push_str("        labels:\n");
            for (k, v) in &s.labels {
                config.push_str(&format!("          {k}: '{v}'\n"));
            }
        }
    }
    config
}

/// One series of an instant query's result: its labels and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// A running Prometheus, killed on drop (its directory removed unless the test failed).
pub struct Prometheus {
    child: Child,
    dir: PathBuf,
    port: u16,
    https: bool,
}

impl Prometheus {
    /// Start one with `binary` (from [`prometheus_or_skip`]) and wait until it is ready and
    /// has scraped every target once; panics with Prometheus' log when it does not within
    /// 30 s each.
    pub fn start(binary: &Path, options: &Options) -> Prometheus {
        let dir = scratch_dir("prometheus");
        let data = dir.join("data");
        if let Some(om) = &options.openmetrics {
            let file = dir.join("backfill.om");
            std::fs::write(&file, om).expect("write the OpenMetrics file");
            let promtool = promtool_binary().expect("promtool (package prometheus) is installed");
            let out = Command::new(promtool)
                .args(["tsdb", "create-blocks-from", "openmetrics"])
                .arg(&file)
                .arg(&data)
                .output()
                .expect("promtool runs");
            assert!(
                out.status.success(),
                "promtool tsdb create-blocks-from openmetrics failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::fs::write(dir.join("prometheus.yml"), config_yaml(&options.scrape))
            .expect("write the configuration");
        // The port is free when picked; another process may take it before Prometheus binds it:
        // then try another.
        for attempt in 1.. {
            let port = free_port();
            match Self::spawn(binary, options, &dir, &data, port) {
                Ok(p) => {
                    p.wait_for_targets(&options.scrape);
                    return p;
                }
                Err(log) if attempt < 3 && log.contains("address already in use") => continue,
                Err(log) => {
                    let _ = std::fs::remove_dir_all(&dir);
                    panic!("prometheus did not start on port {port}:\n{log}")
                }
            }
        }
        unreachable!("the loop returns or panics")
    }

    /// Start on `port` and wait until ready; the log on failure.
    fn spawn(
        binary: &Path,
        options: &Options,
        dir: &Path,
        data: &Path,
        port: u16,
    ) -> Result<Prometheus, String> {
        let log = dir.join("prometheus.log");
        let mut cmd = Command::new(binary);
        cmd.arg(format!(
            "--config.file={}",
            dir.join("prometheus.yml").display()
        ))
        .arg(format!("--storage.tsdb.path={}", data.display()))
        // Backfilled data is old: keep it whatever its age.
        .arg("--storage.tsdb.retention.time=100y")
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"));
        if let Some((cert, key)) = &options.tls {
            let web = dir.join("web.yml");
            std::fs::write(
                &web,
                format!(
                    "tls_server_config:\n  cert_file: {}\n  key_file: {}\n",
                    cert.display(),
                    key.display()
                ),
            )
            .expect("write the web configuration");
            cmd.arg(format!("--web.config.file={}", web.display()));
        }
        let mut child = cmd.spawn().expect("prometheus starts");
        let start = Instant::now();
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("Server is ready to receive web requests") {
                return Ok(Prometheus {
                    child,
                    dir: dir.to_path_buf(),
                    port,
                    https: options.tls.is_some(),
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("exited ({status}) before it was ready:\n{text}"));
            }
            if start.elapsed() > READY_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("not ready within {READY_TIMEOUT:?}:\n{text}"));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until every job of `scrape` has `up == 1` (skipped over https: the client speaks
    /// plain HTTP only).
    fn wait_for_targets(&self, scrape: &[Scrape]) {
        if self.https || scrape.is_empty() {
            return;
        }
        let deadline = Instant::now() + TARGETS_UP_TIMEOUT;
        for s in scrape {
            let up = format!("up{{job=\"{}\"}}", s.job);
            while !self
                .query(&up)
                .is_ok_and(|v| v.iter().any(|s| s.value == 1.0))
            {
                assert!(
                    Instant::now() < deadline,
                    "job {} ({}{}) not scraped within {TARGETS_UP_TIMEOUT:?}; log:\n{}",
                    s.job,
                    s.target,
                    s.metrics_path,
                    self.log()
                );
                thread::sleep(Duration::from_millis(200));
            }
        }
    }

    /// Its base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Its port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its temporary directory (configuration, data, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Its log so far (stderr), for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }

    /// `GET path` over plain HTTP: the status and the body (the path must be URL-encoded).
    pub fn get(&self, path: &str) -> (u16, String) {
        assert!(!self.https, "Prometheus::get speaks plain HTTP only");
        http_get(&format!("127.0.0.1:{}", self.port), path)
    }

    /// `GET /api/v1/<endpoint>?<params>`: its `data`; `Err` with Prometheus's `errorType:
    /// error` for a refused query (`status: error`: `bad_data: …` for a parse error), or
    /// naming the non-JSON answer.
    pub fn api(&self, endpoint: &str, params: &[(&str, &str)]) -> Result<Value, String> {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect();
        let (status, body) = self.get(&format!("/api/v1/{endpoint}?{}", query.join("&")));
        let json: Value = serde_json::from_str(&body)
            .map_err(|e| format!("{endpoint}: HTTP {status} not JSON ({e}): {body}"))?;
        if json.get("status").and_then(Value::as_str) != Some("success") {
            return Err(format!(
                "{}: {}",
                json.get("errorType")
                    .and_then(Value::as_str)
                    .unwrap_or("error"),
                json.get("error").and_then(Value::as_str).unwrap_or("?")
            ));
        }
        Ok(json.get("data").cloned().unwrap_or(Value::Null))
    }

    /// An instant query (`/api/v1/query`) at the current time: its vector (a scalar result
    /// is one sample without labels). `Err` when Prometheus refuses it (parse errors among
    /// them) or returns another result type.
    pub fn query(&self, promql: &str) -> Result<Vec<Sample>, String> {
        let data = self.api("query", &[("query", promql)])?;
        let kind = data.get("resultType").and_then(Value::as_str);
        let result = data.get("result").cloned().unwrap_or(Value::Null);
        let value_of = |v: &Value| -> Result<f64, String> {
            v.get(1)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("no value in {v}"))?
                .parse::<f64>()
                .map_err(|e| format!("value in {v}: {e}"))
        };
        match kind {
            Some("vector") => result
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|s| {
                    Ok(Sample {
                        labels: labels(s.get("metric").unwrap_or(&Value::Null)),
                        value: value_of(s.get("value").unwrap_or(&Value::Null))?,
                    })
                })
                .collect(),
            Some("scalar") => Ok(vec![Sample {
                labels: BTreeMap::new(),
                value: value_of(&result)?,
            }]),
            other => Err(format!("result type {other:?}, not an instant vector")),
        }
    }

    /// The series matching a selector (`/api/v1/series`), as label maps.
    pub fn series(&self, selector: &str) -> Result<Vec<BTreeMap<String, String>>, String> {
        let data = self.api("series", &[("match[]", selector)])?;
        Ok(data
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(labels)
            .collect())
    }

    /// The values of `label` on series matching `selector` (`/api/v1/label/<label>/values`):
    /// what Grafana's `label_values(selector, label)` variable query lists.
    pub fn label_values(&self, selector: &str, label: &str) -> Result<Vec<String>, String> {
        let data = self.api(&format!("label/{label}/values"), &[("match[]", selector)])?;
        Ok(data
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect())
    }
}

/// A JSON object of label names to string values, as a map (other values read as `""`).
fn labels(metric: &Value) -> BTreeMap<String, String> {
    metric
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Percent-encoding of a query-string component (RFC 3986 unreserved characters kept).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A bare HTTP/1.1 `GET` (connection closed after the response): the status and the body.
pub fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// What a [`FakeServer`] answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status, content type and body, then the connection closes.
    Canned {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Read the request, then say nothing (until the server is dropped).
    Silence,
}

/// A loopback HTTP/1.1 server answering every request with one [`Reply`], recording each
/// request head (request line and headers, as received). Stops on drop.
pub struct FakeServer {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl FakeServer {
    pub fn start(reply: Reply) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (requests.clone(), stop.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (seen, stopped, reply) = (seen.clone(), stopped.clone(), reply.clone());
                thread::spawn(move || serve(conn, &reply, &seen, &stopped));
            }
        });
        FakeServer {
            port,
            requests,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The request heads received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(conn: TcpStream, reply: &Reply, seen: &Mutex<Vec<String>>, stop: &AtomicBool) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(&conn);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => head.push_str(&line),
        }
    }
    if let Ok(mut r) = seen.lock() {
        r.push(head);
    }
    let mut w = &conn;
    match reply {
        Reply::Canned {
            status,
            content_type,
            body,
        } => {
            let _ = write!(
                w,
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = w.write_all(body);
        }
        Reply::Silence => {
            while !stop.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_encoding() {
        assert_eq!(url_encode("a b{c=\"d\"}"), "a%20b%7Bc%3D%22d%22%7D");
        let config = config_yaml(&[
            Scrape::loopback("envoy", 9901, "/stats/prometheus").label("namespace", "llm"),
            Scrape::loopback("ksm", 8080, "/metrics"),
        ]);
        assert_eq!(
            config,
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n\
             \x20 - job_name: envoy\n    metrics_path: /stats/prometheus\n    static_configs:\n\
             \x20     - targets: [\"127.0.0.1:9901\"]\n        labels:\n          namespace: 'llm'\n\
             \x20 - job_name: ksm\n    metrics_path: /metrics\n    static_configs:\n\
             \x20     - targets: [\"127.0.0.1:8080\"]\n"
        );
        assert!(!config_yaml(&[]).contains("scrape_configs"));
    }
}
