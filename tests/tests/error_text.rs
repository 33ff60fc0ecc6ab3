//! The error text users hit with unlucky input (issue 11, "Error text users hit"): each case
//! runs the CLI in-process on a fixture under `tests/testdata/error_text/` and checks what a
//! user reads; rendered text is an insta snapshot.

use scalelens_tests::run_cli as run;

fn fixture(name: &str) -> String {
    scalelens_tests::testdata(&format!("error_text/{name}"))
        .display()
        .to_string()
}

fn cli_fixture(name: &str) -> String {
    scalelens_tests::testdata(&format!("cli/{name}"))
        .display()
        .to_string()
}

/// A demand CSV saved by a spreadsheet as "CSV UTF-8" (a byte-order mark, CRLF line ends)
/// replays exactly as the same file without them.
#[test]
fn demand_csv_with_byte_order_mark_replays() {
    let config = cli_fixture("kpa.yaml");
    let replay = |demand: &str| {
        run(&[
            "simulate",
            &config,
            "--demand",
            demand,
            "--pod-startup",
            "30s",
            "--format",
            "csv",
        ])
    };
    let with_bom = replay(&fixture("demand-bom.csv"));
    let plain = replay(&cli_fixture("demand.csv"));
    assert_eq!(with_bom.code, 0, "{}{}", with_bom.out, with_bom.err);
    assert!(!with_bom.err.contains("unknown column"), "{}", with_bom.err);
    assert_eq!(with_bom.out, plain.out);
}
