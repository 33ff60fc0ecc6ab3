//! Every input the fuzzers found, replayed through the same harness (`fuzz/src/`, included
//! here, so no nightly toolchain is needed): `testdata/fuzz-regressions/<target>/<name>` is a
//! raw libFuzzer input of the target `<target>` (its layout: `fuzz/src/lib.rs`), and each
//! must pass that target's checks (no panic, its invariants) within a time bound.

#[allow(dead_code)] // The harness's helpers that only the fuzz targets call.
#[path = "../../fuzz/src/lib.rs"]
mod fuzz_harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Longest a regression input may take: a hang guard for a debug build (the fuzzer's own limit
/// is 2 s for its release + AddressSanitizer build). Most cases take milliseconds; the slowest,
/// `samples_exposition/extreme-timestamps.prom` (two series at the ends of the `i64` time range,
/// aligned on the importer's largest grid, 6 million steps, once per interpretation), took 5.3 s
/// in a debug build while other builds shared the 2 cores (0.6 s for the CLI's `check` alone).
const TIME_LIMIT: Duration = Duration::from_secs(15);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions")
}

/// `(target, file)` under `dir`, sorted; every directory must name a target.
fn cases(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let target = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 directory name")
            .to_string();
        if !path.is_dir() {
            continue;
        }
        assert!(
            fuzz_harness::targets::ALL.iter().any(|(n, _)| *n == target),
            "{}: not a fuzz target",
            path.display()
        );
        for f in std::fs::read_dir(&path).expect("a target directory") {
            out.push((target.clone(), f.expect("a file").path()));
        }
    }
    out.sort();
    out
}

/// Run every case; the failures as text (one per line).
fn run_all(cases: &[(String, PathBuf)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (target, file) in cases {
        let run = fuzz_harness::targets::ALL
            .iter()
            .find(|(n, _)| n == target)
            .map(|(_, r)| *r)
            .expect("a known target");
        let data = std::fs::read(file).expect("the input reads");
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| run(&data));
        let took = start.elapsed();
        let name = file.strip_prefix(root()).unwrap_or(file).display();
        match result {
            Err(e) => {
                let why = e
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| e.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                failures.push(format!("{name}: {why}"));
            }
            Ok(()) if took > TIME_LIMIT => {
                failures.push(format!("{name}: took {took:?} (limit {TIME_LIMIT:?})"))
            }
            Ok(()) => {}
        }
    }
    failures
}

#[test]
fn found_inputs_pass_their_target() {
    let cases = cases(&root());
    assert!(
        !cases.is_empty(),
        "no regression inputs under {}",
        root().display()
    );
    let failures = run_all(&cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
