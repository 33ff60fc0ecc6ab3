//! Plumbing for the playground's real-browser tests and benchmark: a loopback static file
//! server over the built `dist/`, a ChromeDriver child process (killed on drop), Chromium
//! capabilities with a fresh profile, and the artifacts directory for screenshots.
//!
//! Standard library only (plus `serde_json` for the capabilities): the WebDriver client itself
//! (fantoccini) is a dev-dependency of the tests that use this module.
//!
//! Everything that is missing is an error with the command that fixes it, never a skip: a
//! browser test that cannot run must fail.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::paths::workspace_root;

/// The built playground: `$SCALELENS_DIST`, else `<workspace>/dist`. Errors (with the fix)
/// unless it holds an `index.html` and a `.wasm` file.
pub fn dist_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("SCALELENS_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    let fix =
        "build it with `cargo xtask dist` (`cargo xtask test` builds it before the browser tests)";
    if !dir.join("index.html").is_file() {
        return Err(format!(
            "the built playground is missing: no {}; {fix}",
            dir.join("index.html").display()
        ));
    }
    let has_wasm = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .any(|e| e.path().extension().is_some_and(|x| x == "wasm"));
    if !has_wasm {
        return Err(format!(
            "{} holds no .wasm file (an incomplete build?); {fix}",
            dir.display()
        ));
    }
    Ok(dir)
}

/// Where the screenshots and driver logs go: `$CARGO_TARGET_DIR/e2e-artifacts`, else
/// `<workspace>/target/e2e-artifacts` (created).
pub fn artifacts_dir() -> PathBuf {
    let dir = crate::paths::target_dir().join("e2e-artifacts");
    // A failure here shows up as a clear error when a file is written into it.
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Write `bytes` (a PNG screenshot) as `<artifacts>/<name>.png`, print the path and return it.
pub fn save_artifact(name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = artifacts_dir().join(format!("{name}.png"));
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("screenshot: {}", path.display());
    Ok(path)
}

/// A static file server on 127.0.0.1 (a free port) over one directory, in a background thread.
/// Serves `index.html` for `/` and directories, ignores the query (`?embed`), answers 404 for
/// anything outside the directory. Stops on drop.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    served: Arc<AtomicU64>,
    /// Milliseconds an HTML page waits before it is answered ([`StaticServer::delay_pages`]).
    page_delay_ms: Arc<AtomicU64>,
}

impl StaticServer {
    /// Serve `dir` on a free loopback port.
    pub fn start(dir: &Path) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("no local address: {e}"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicU64::new(0));
        let page_delay_ms = Arc::new(AtomicU64::new(0));
        let root = dir.to_path_buf();
        let thread = {
            let stop = Arc::clone(&stop);
            let served = Arc::clone(&served);
            let page_delay_ms = Arc::clone(&page_delay_ms);
            std::thread::Builder::new()
                .name("static-server".into())
                .spawn(move || {
                    for conn in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(conn) = conn else { continue };
                        let root = root.clone();
                        let served = Arc::clone(&served);
                        let delay = Duration::from_millis(page_delay_ms.load(Ordering::SeqCst));
                        // One thread per connection: the browser opens several in parallel.
                        let _ = std::thread::Builder::new()
                            .name("static-conn".into())
                            .spawn(move || {
                                if handle_connection(conn, &root, delay) {
                                    served.fetch_add(1, Ordering::SeqCst);
                                }
                            });
                    }
                })
                .map_err(|e| format!("cannot start the server thread: {e}"))?
        };
        Ok(StaticServer {
            addr,
            stop,
            thread: Some(thread),
            served,
            page_delay_ms,
        })
    }

    /// `http://127.0.0.1:PORT/` (with the trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Answer every HTML page `delay` late from now on (other files at once): a slow server,
    /// so a reload leaves the old page running, its timers firing, until the answer comes.
    pub fn delay_pages(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.page_delay_ms.store(ms, Ordering::SeqCst);
    }

    /// How many requests were answered with a file so far.
    pub fn files_served(&self) -> u64 {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the loop sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(500));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The Content-Type for a file name (browsers need `application/wasm` for streaming
/// compilation and a JavaScript type for modules).
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "yaml" | "yml" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file for a request target under `root`: `None` when it escapes `root`.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let mut out = root.to_path_buf();
    for part in path.split('/') {
        let part = percent_decode(part)?;
        match Path::new(&part).components().next() {
            None => {}
            Some(Component::Normal(_)) if !part.contains(['/', '\\']) => out.push(&part),
            Some(Component::CurDir) => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Answer one HTTP/1.1 request (then close). True when a file was sent.
fn handle_connection(conn: TcpStream, root: &Path, page_delay: Duration) -> bool {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return false,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return false;
    }
    // Skip the headers (and any body: GET/HEAD have none worth reading).
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let mut conn = conn;
    let (status, ctype, body, sent) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            "text/plain",
            b"GET only".to_vec(),
            false,
        )
    } else {
        match resolve(root, target).and_then(|p| {
            let mut f = std::fs::File::open(&p).ok()?;
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).ok()?;
            Some((p, buf))
        }) {
            Some((p, buf)) => {
                let ctype = content_type(&p);
                if ctype.starts_with("text/html") {
                    std::thread::sleep(page_delay);
                }
                ("200 OK", ctype, buf, true)
            }
            None => ("404 Not Found", "text/plain", b"not found".to_vec(), false),
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let ok = conn.write_all(head.as_bytes()).is_ok()
        && (method == "HEAD" || conn.write_all(&body).is_ok());
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Write);
    ok && sent
}

/// The ChromeDriver binary: `$CHROMEDRIVER`, else `/usr/bin/chromedriver`.
pub fn chromedriver_path() -> Result<PathBuf, String> {
    let path = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "ChromeDriver not found at {} (set CHROMEDRIVER to its path); on Debian: \
             `apt-get update && apt-get install -y chromium chromium-driver` (.ci/run does this)",
            path.display()
        ))
    }
}

/// The Chromium binary: `$CHROMIUM`, else `/usr/bin/chromium` when it exists (else ChromeDriver
/// looks for one itself).
pub fn chromium_path() -> Option<PathBuf> {
    std::env::var_os("CHROMIUM").map(PathBuf::from).or_else(|| {
        let p = PathBuf::from("/usr/bin/chromium");
        p.is_file().then_some(p)
    })
}

/// A ChromeDriver child process on a free loopback port; killed (and reaped) on drop. Its log
/// goes to `<artifacts>/chromedriver-<port>.log`.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Start ChromeDriver and wait (up to 20 s) until it accepts connections.
    pub fn start() -> Result<Self, String> {
        let binary = chromedriver_path()?;
        let port = free_port()?;
        let log = artifacts_dir().join(format!("chromedriver-{port}.log"));
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut driver = ChromeDriver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!(
                    "{} exited at start-up with {status}; see {}",
                    binary.display(),
                    log.display()
                ));
            }
            if TcpStream::connect_timeout(
                &SocketAddr::from(([127, 0, 0, 1], port)),
                Duration::from_millis(200),
            )
            .is_ok()
            {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                let _ = driver.child.kill();
                return Err(format!(
                    "{} did not listen on port {port} within 20 s; see {}",
                    binary.display(),
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The WebDriver endpoint, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let l =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no local address: {e}"))
}

/// A fresh, empty Chromium profile directory (removed on drop).
pub struct Profile {
    dir: PathBuf,
}

impl Profile {
    /// A new empty directory under the system temp dir, unique to this process and call.
    pub fn fresh(label: &str) -> Result<Self, String> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "scalelens-chromium-{label}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Profile { dir })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The Chromium flags every browser test uses (headless, no network chatter); see
/// `../shared/toolchain.md`.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// WebDriver capabilities for headless Chromium with `profile` as its `--user-data-dir` and a
/// `width`×`height` window.
pub fn chromium_capabilities(
    profile: &Path,
    width: u32,
    height: u32,
) -> serde_json::Map<String, serde_json::Value> {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push(format!("--window-size={width},{height}"));
    let mut options = serde_json::json!({ "args": args });
    if let (Some(binary), Some(obj)) = (chromium_path(), options.as_object_mut()) {
        obj.insert(
            "binary".into(),
            serde_json::Value::String(binary.display().to_string()),
        );
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert("goog:chromeOptions".into(), options);
    caps
}

/// Install rustls' ring provider as the process default before a WebDriver client is built:
/// the tests crate links rustls with two providers (aws-lc-rs through fantoccini, ring through
/// the CLI's HTTP client), and then rustls refuses to choose one itself. Idempotent.
pub fn tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_the_root() {
        let root = Path::new("/srv/dist");
        assert_eq!(resolve(root, "/app.wasm?x=1"), Some(root.join("app.wasm")));
        assert_eq!(resolve(root, "/a/./b.js"), Some(root.join("a/b.js")));
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(root, "/a%2Fb"), None);
        assert_eq!(resolve(root, "/%zz"), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        assert!(content_type(Path::new("x.js")).starts_with("text/javascript"));
        assert!(content_type(Path::new("index.html")).starts_with("text/html"));
    }

    #[test]
    fn serves_files_with_types_and_404s() {
        let dir = std::env::temp_dir().join(format!("scalelens-static-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("app.wasm"), [0u8, 97, 115, 109]).unwrap();
        let server = StaticServer::start(&dir).unwrap();
        let get = |path: &str| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).unwrap();
            String::from_utf8_lossy(&out).into_owned()
        };
        let index = get("/?embed");
        assert!(index.starts_with("HTTP/1.1 200 OK"), "{index}");
        assert!(index.ends_with("<p>hi</p>"), "{index}");
        let wasm = get("/app.wasm");
        assert!(wasm.contains("Content-Type: application/wasm"), "{wasm}");
        assert!(get("/missing.js").starts_with("HTTP/1.1 404"));
        assert!(get("/../Cargo.toml").starts_with("HTTP/1.1 404"));
        assert_eq!(server.files_served(), 2);
        drop(server);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
