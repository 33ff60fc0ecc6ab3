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

/// The longest run of digits in `s`.
fn longest_digits(s: &str) -> usize {
    s.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Huge demand values (2^64, 1e300) print in scientific form in the replay table, in the
/// explanation's table and in messages, so the columns stay narrow; ordinary values print as
/// before (`1`, `0.5`, `1.75`).
#[test]
fn huge_values_are_compact() {
    let demand = "testdata/error_text/demand-huge.csv";
    let common = [
        "--demand",
        demand,
        "--pod-startup",
        "30s",
        "--duration",
        "5m",
    ];
    for (name, command, extra) in [
        ("huge-values-table", "simulate", &[][..]),
        ("huge-values-explain", "explain", &["--at", "70s"][..]),
    ] {
        let mut args = vec![command, "testdata/cli/kpa.yaml"];
        args.extend(common);
        args.extend(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{name}: {}{}", r.out, r.err);
        let all = format!("{}{}", r.out, r.err);
        // 4294967295 (u32::MAX, the uncapped count) is the longest number left.
        assert!(longest_digits(&all) <= 10, "{name}:\n{all}");
        insta::assert_snapshot!(name, all);
    }
}

/// Numbers beyond the field's type (int32 API fields, Go `ParseInt(s, 10, 32)` annotations,
/// `float64`, Go durations, quantity milli-values) are out of range with the range and the type
/// that sets it; none is a type error.
#[test]
fn out_of_range_numbers_name_the_range() {
    let r = run(&["check", "testdata/error_text/out-of-range.yaml"]);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    let heads: Vec<&str> = r
        .out
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .collect();
    for head in &heads {
        assert!(!head.contains("wrong-type"), "{head}");
        assert!(!head.contains("invalid-value"), "{head}");
    }
    for want in [
        "`spec.minReplicas` is out of range: must be an integer from 0 to 2147483647 (int32, as the Kubernetes API reads it), found 18446744073709551615",
        "`spec.replicas` is out of range: must be an integer from 0 to 2147483647 (int32, as the Kubernetes API reads it), found 3000000000",
        "`spec.behavior.scaleUp.stabilizationWindowSeconds` is out of range: must be an integer from 0 to 3600, found 99999999999999999999",
        "must be a number from -1.798e308 to 1.798e308 (float64, as Go's strconv.ParseFloat reads it), found \"1e400\"",
        "(int32, as Go's strconv.ParseInt(s, 10, 32) reads it), found 18446744073709551615",
        "must be a duration from 0 to 2562047h47m16.854775807s",
        "must be from -9223372036854775.807 to 9223372036854775.807, found \"1e400\"",
    ] {
        assert!(r.out.contains(want), "missing {want:?} in\n{}", r.out);
    }
    insta::assert_snapshot!("out-of-range", heads.join("\n"));
}

/// 100 000 pods that each scrape once and go away: the import report has one pod-churn note
/// with the count and the first examples, not 100 000 lines.
#[test]
fn many_pods_give_one_churn_note() {
    let dir = std::env::temp_dir().join(format!("scalelens-error-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("pods.csv");
    let mut csv = String::from("time,pod,value\n");
    for i in 0..100_000 {
        csv.push_str(&format!("0,p{i:06},0.01\n"));
    }
    csv.push_str("60,p000000,0.5\n120,p000000,0.5\n");
    std::fs::write(&file, csv).expect("write");
    let samples = file.display().to_string();
    let r = run(&["check", "testdata/cli/kpa.yaml", "--samples", &samples]);
    let _ = std::fs::remove_dir_all(&dir);
    let all = format!("{}{}", r.out, r.err).replace(&samples, "pods.csv");
    assert!(
        all.lines().count() < 60,
        "{} lines:\n{all}",
        all.lines().count()
    );
    let churn: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("samples-pod-churn"))
        .collect();
    assert_eq!(churn.len(), 1, "{all}");
    insta::assert_snapshot!("many-pods", all);
}

/// True when `s` holds a character a terminal or a viewer would act on or hide (besides the
/// line breaks between lines).
fn has_raw_special(s: &str) -> bool {
    s.chars()
        .any(|c| c != '\n' && scalelens_core::text::needs_escape(c))
}

/// Control characters, NUL, ANSI escapes, bidi overrides and zero-width characters in the input
/// are escaped in every output format; in the text excerpt the carets stay under the escaped
/// text.
#[test]
fn special_characters_are_escaped_everywhere() {
    for name in ["invisible-chars", "nul-byte"] {
        let file = format!("testdata/error_text/{name}.yaml");
        for format in ["text", "github", "sarif", "json"] {
            let r = run(&["check", &file, "--format", format]);
            assert!(
                !has_raw_special(&r.out) && !has_raw_special(&r.err),
                "{name} as {format}:\n{}{}",
                r.out,
                r.err
            );
            // The NUL is only echoed in the text excerpt; the other file's characters are in
            // messages, so every format shows them.
            if format == "text" || name == "invisible-chars" {
                assert!(
                    r.out.contains("\\u{") || r.out.contains("\\\\u{"),
                    "{name} as {format}: no escape shown\n{}",
                    r.out
                );
            }
            if format == "text" {
                insta::assert_snapshot!(format!("escaped-{name}"), r.out);
            }
        }
    }
}

/// A 1 MB scalar is quoted cut in the message (with its length) and the excerpt shows a window
/// of its line: the report stays a few KB.
#[test]
fn a_huge_scalar_is_quoted_cut() {
    let dir = std::env::temp_dir().join(format!("scalelens-huge-scalar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("huge.yaml");
    let yaml = std::fs::read_to_string(cli_fixture("kpa.yaml"))
        .expect("kpa.yaml")
        .replace(
            "targetValue: \"0.5\"",
            &format!("targetValue: \"0.{}x\"", "5".repeat(1 << 20)),
        );
    std::fs::write(&file, yaml).expect("write");
    let path = file.display().to_string();
    for format in ["text", "github", "sarif", "json"] {
        let r = run(&["check", &path, "--format", format]);
        let all = format!("{}{}", r.out, r.err);
        assert!(all.len() < 16_000, "{format}: {} bytes", all.len());
        assert!(all.contains("(1048579 characters)"), "{format}:\n{all}");
        if format == "text" {
            let excerpt = all
                .lines()
                .find(|l| l.contains("targetValue:"))
                .expect("excerpt line");
            assert!(excerpt.ends_with('…'), "{excerpt}");
            assert!(excerpt.chars().count() < 200, "{excerpt}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
