//! `cargo xtask serve [--port N]`: the playground on 127.0.0.1 with live rebuilds, by
//! `trunk serve`. Its output is passed through; the URL is printed once the first build has
//! succeeded (before that the page would not load), and `trunk` never outlives us: on Linux it
//! gets SIGTERM when this process ends, however it ends (Ctrl-C, `kill`, a closed terminal).

use super::web::{ensure_all, Need, DEFAULT_PORT, SERVE_DIR};
use super::{fail, Failure};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;

/// What trunk prints when a build succeeded (trunk 0.21.14 `src/build.rs`, `BuildSystem::build`:
/// `✅ success`). `trunk serve` runs its first build before it starts the server
/// (`src/serve/mod.rs`, `ServeSystem::run`), which then listens within milliseconds; a failed
/// first build prints no banner until a rebuild succeeds.
const BUILD_DONE: &str = "success";

pub fn serve(args: &[String]) -> Result<(), Failure> {
    let step = "serve";
    let port = parse_port(args).map_err(|why| fail(step, why))?;
    ensure_all(Need::Build)?;
    let url = format!("http://127.0.0.1:{port}/");
    println!("==> playground: trunk serve on 127.0.0.1:{port} (the first build takes a minute or two; Ctrl-C stops it)");
    let mut command = Command::new("trunk");
    command
        .args(["serve", "--address", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(["--dist", SERVE_DIR])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    stop_with_parent(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| fail(step, format!("cannot start trunk: {e}")))?;
    let (lines, received) = mpsc::channel();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
    }
    drop(lines);
    let mut announced = false;
    for line in received {
        println!("{line}");
        if !announced && build_done(&line) {
            announced = true;
            println!();
            println!("    the playground is ready: open {url}");
            println!("    (the seed case is loaded when the browser has no saved state; the");
            println!("     examples menu brings it back)");
            println!();
        }
    }
    let status = child
        .wait()
        .map_err(|e| fail(step, format!("waiting for trunk: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(fail(step, format!("trunk serve exited with {status}")))
    }
}

/// `--port N`, else [`DEFAULT_PORT`].
fn parse_port(args: &[String]) -> Result<u16, String> {
    let mut port = DEFAULT_PORT;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number from 1 to 65535")?;
            }
            other => return Err(format!("unknown option `{other}` (try --port N)")),
        }
    }
    Ok(port)
}

/// A line of trunk's that says a build finished and is being served.
fn build_done(line: &str) -> bool {
    line.contains(BUILD_DONE)
}

/// Ask the kernel to SIGTERM the child when this process ends (Linux `PR_SET_PDEATHSIG`), so
/// stopping `cargo xtask serve` (which `cargo run` replaces by this process) stops trunk.
#[cfg(target_os = "linux")]
fn stop_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec and only calls `prctl`, which
    // is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn stop_with_parent(_command: &mut Command) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_port() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_port(&[]), Ok(DEFAULT_PORT));
        assert_eq!(parse_port(&args(&["--port", "9000"])), Ok(9000));
        assert!(parse_port(&args(&["--port"])).is_err());
        assert!(parse_port(&args(&["--port", "70000"])).is_err());
        assert!(parse_port(&args(&["--open"])).is_err());
    }

    /// The URL is announced on trunk's build-success line, not on its start-up or build lines
    /// (trunk 0.21.14's own output).
    #[test]
    fn the_url_waits_for_the_build() {
        for (line, done) in [
            ("2026-12-07T21:11:39.525103Z  INFO ✅ success", true),
            (
                "2026-12-07T20:57:01.000000Z  INFO 🚀 Starting trunk 0.21.14",
                false,
            ),
            ("2026-12-07T20:57:01.100000Z  INFO 📦 starting build", false),
            ("   Compiling scalelens-web v0.1.0 (/work/web)", false),
            ("error[E0425]: cannot find value `x` in this scope", false),
        ] {
            assert_eq!(build_done(line), done, "{line}");
        }
    }

    /// The kernel signals the child when the thread that started it ends (what happens to
    /// trunk when `cargo xtask serve` ends).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_child_does_not_outlive_its_starter() {
        let starter = std::thread::spawn(|| {
            let mut command = Command::new("sleep");
            command.arg("30");
            stop_with_parent(&mut command);
            command.spawn().map(|c| c.id())
        });
        let pid = starter.join().expect("thread").expect("spawn sleep");
        let alive = |pid: u32| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| !s.contains(") Z "))
                .unwrap_or(false)
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while alive(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            !alive(pid),
            "sleep {pid} outlived the thread that started it"
        );
    }
}
