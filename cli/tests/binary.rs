//! The real `scalelens` binary: exit codes and color handling through a process boundary.

use std::process::Command;

fn scalelens(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scalelens"))
        .args(args)
        .output()
        .expect("the scalelens binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../tests/testdata/cli/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn exit_codes() {
    let none = fixture("no-autoscaler.yaml");
    let cases: &[(&[&str], i32)] = &[
        (&["--version"], 0),
        (&["--help"], 0),
        (&["check", "/nonexistent/scalelens.yaml"], 2),
        (&["check", &none], 2),
        (&["check", &none, "--format", "bogus"], 2),
        (&["simulate", &none], 2),
        (&[], 2),
    ];
    for (args, code) in cases {
        let (got, out, err) = scalelens(args);
        assert_eq!(got, *code, "{args:?}: stdout {out:?} stderr {err:?}");
    }
}

#[test]
fn color_only_on_request_when_piped() {
    let none = fixture("no-autoscaler.yaml");
    let (_, plain, _) = scalelens(&["check", &none]);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let (_, never, _) = scalelens(&["check", &none, "--color", "never"]);
    assert_eq!(never, plain);
    let (_, colored, _) = scalelens(&["check", &none, "--color", "always"]);
    assert!(colored.contains("\x1b["), "{colored:?}");
}

#[test]
fn version_lists_upstreams() {
    let (_, out, _) = scalelens(&["--version"]);
    assert!(out.starts_with("scalelens "), "{out}");
    assert!(out.contains("AIBrix v0.7.0"), "{out}");
}
