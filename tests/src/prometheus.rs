//! A real Prometheus for tests, and a loopback HTTP server that plays one.
//!
//! [`Prometheus`] runs Debian's `prometheus` (2.42; or `$SCALELENS_PROMETHEUS`) as a child
//! process on 127.0.0.1 with its own configuration and storage in a temporary directory, killed
//! on drop. It can start with known data (OpenMetrics text backfilled by `promtool tsdb
//! create-blocks-from openmetrics`, no scrape needed), scrape loopback targets every second (an
//! Envoy admin endpoint), and serve https with a certificate. [`FakeServer`] answers every
//! request with one canned response and records the request heads (a bearer token's header, a
//! server that never answers).
//!
//! Only `std`; nothing here is used by the product. [`prometheus_binary`] returns `None` when
//! Prometheus is not installed: the caller decides whether that skips or fails.

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

/// `$SCALELENS_PROMETHEUS`, else `prometheus` on `PATH` (Debian: `/usr/bin/prometheus`).
/// Panics when `$SCALELENS_PROMETHEUS` names no file (a mistake, not an absence).
pub fn prometheus_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCALELENS_PROMETHEUS") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "SCALELENS_PROMETHEUS={} is not a file",
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
    /// Loopback targets scraped every second.
    pub scrape: Vec<Scrape>,
    /// Serve https with this certificate and key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// One scrape job: `job` (the `job` label), a `host:port` target and its metrics path (Envoy's
/// admin: `/stats/prometheus`).
#[derive(Debug, Clone)]
pub struct Scrape {
    pub job: String,
    pub target: String,
    pub metrics_path: String,
}

/// A running Prometheus, killed (and its directory removed) on drop.
pub struct Prometheus {
    child: Child,
    dir: PathBuf,
    port: u16,
    https: bool,
}

impl Prometheus {
    /// Start one with `binary` (from [`prometheus_binary`]); panics with Prometheus' log when it
    /// does not become ready within 30 s.
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
        let mut config =
            String::from("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
        if !options.scrape.is_empty() {
            config.push_str("scrape_configs:\n");
            for Scrape {
                job,
                target,
                metrics_path,
            } in &options.scrape
            {
                config.push_str(&format!(
                    "  - job_name: {job}\n    metrics_path: {metrics_path}\n    static_configs:\n      - targets: [\"{target}\"]\n"
                ));
            }
        }
        std::fs::write(dir.join("prometheus.yml"), config).expect("write the configuration");
        // The port is free when picked; another process may take it before Prometheus binds it:
        // then try another.
        for attempt in 1.. {
            let port = free_port();
            match Self::spawn(binary, options, &dir, &data, port) {
                Ok(p) => return p,
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

    /// Its base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Its temporary directory (configuration, data, log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `GET path` over plain HTTP: the status and the body (for tests that ask the API
    /// directly, e.g. `/api/v1/query?query=up`; the path must be URL-encoded).
    pub fn get(&self, path: &str) -> (u16, String) {
        assert!(!self.https, "Prometheus::get speaks plain HTTP only");
        http_get(&format!("127.0.0.1:{}", self.port), path)
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
