//! `scalelens rule`: a code's docs from the registry (`scalelens_core::codes`), run in-process:
//! exit codes and what goes to stdout/stderr, snapshotted as a user sees them.

use scalelens_core::codes::{Code, Section};
use scalelens_tests::run_cli as run;

#[test]
fn rule_prints_one_codes_docs() {
    for (name, args) in [
        ("rule_text_flapping", vec!["rule", "flapping"]),
        ("rule_text_samples_gap", vec!["rule", "samples-gap"]),
        (
            "rule_json_unit_mismatch",
            vec!["rule", "unit-mismatch", "--format", "json"],
        ),
    ] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.err);
        assert!(r.err.is_empty(), "{args:?}: {}", r.err);
        insta::assert_snapshot!(name, r.out);
    }
}

#[test]
fn rule_all_json_lists_every_code_with_its_sections() {
    let r = run(&["rule", "--all", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).expect("JSON");
    let rules = v.as_array().expect("an array");
    let codes: Vec<&str> = rules
        .iter()
        .map(|x| x["code"].as_str().expect("code"))
        .collect();
    let registry: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, registry);
    for (rule, code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["severity"], code.default_severity().as_str(), "{code}");
        assert_eq!(rule["help_uri"], format!("docs/src/rules/{code}.md"));
        for key in ["summary"]
            .into_iter()
            .chain(Section::ALL.iter().map(|s| s.key()))
        {
            assert!(
                rule[key].as_str().is_some_and(|t| !t.trim().is_empty()),
                "{code}: `{key}` is empty"
            );
        }
    }
    // The index a reader scans: code, default severity, summary.
    let index: Vec<String> = rules
        .iter()
        .map(|x| {
            format!(
                "{} ({}): {}",
                x["code"].as_str().unwrap_or(""),
                x["severity"].as_str().unwrap_or(""),
                x["summary"].as_str().unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!("rule_all_index", index.join("\n"));
}

#[test]
fn rule_all_text_has_every_code() {
    let r = run(&["rule", "--all"]);
    assert_eq!(r.code, 0, "{}", r.err);
    for code in Code::ALL {
        let head = format!("{code} ({} by default)\n", code.default_severity().as_str());
        assert!(r.out.contains(&head), "{code}");
    }
}

/// (arguments, stderr contains): unknown codes exit 2 with the closest codes; a missing or
/// doubled selection is an argument error (exit 2).
#[test]
fn unknown_or_missing_code_exits_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["rule", "flaping"], "did you mean `flapping`?"),
        (&["rule", "yaml-sintax"], "did you mean `yaml-syntax`?"),
        (&["rule", "samples-gaps"], "did you mean `samples-gap`?"),
        (
            &["rule", "not-a-rule-anyone-wrote"],
            "`scalelens rule --all` lists every code",
        ),
        (&["rule"], "required"),
        (&["rule", "flapping", "--all"], "cannot be used with"),
    ];
    let mut shown = String::new();
    for (args, want) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.out.is_empty(), "{args:?}: {}", r.out);
        assert!(r.err.contains(want), "{args:?}: {}", r.err);
        if args.len() == 2 {
            shown.push_str(&format!("$ scalelens {}\n{}\n", args.join(" "), r.err));
        }
    }
    insta::assert_snapshot!("rule_unknown", shown);
}

/// A typed code with a control character is shown escaped, never raw.
#[test]
fn unknown_code_is_escaped() {
    let r = run(&["rule", "flap\u{1b}[2Jping"]);
    assert_eq!(r.code, 2);
    assert!(!r.err.contains('\u{1b}'), "{}", r.err);
    assert!(r.err.contains("\\u{1b}"), "{}", r.err);
}
