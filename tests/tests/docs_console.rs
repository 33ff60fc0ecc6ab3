//! The written pages of the docs site show `scalelens` commands with their output: each
//! ```` ```console ```` block's `$ scalelens …` lines are run here, from the repository's root as
//! the pages say, with the CLI binary, and the output the page shows must be what the command
//! prints now (so a page never shows output the tool no longer gives).
//!
//! Matching, line by line and in order, against standard output followed by standard error:
//! a line `...` stands for any number of lines; a line ending in `...` matches a line that starts
//! with the text before it; any other line must be equal (trailing spaces aside). `...` is what
//! a reader takes for "cut here", so the pages read naturally.

use std::process::Command;

use scalelens_tests::paths::{scalelens_binary, workspace_root};

/// One `$ scalelens …` line of a page and the output shown under it.
#[derive(Debug)]
struct Example {
    page: String,
    /// 1-based line of the command in the page.
    line: usize,
    args: Vec<String>,
    shown: Vec<String>,
}

/// The console examples of `text`.
fn examples(page: &str, text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_console = !in_console && line.trim_end() == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            let mut words = shlex::split(command)
                .unwrap_or_else(|| panic!("{page}:{}: unbalanced quotes", i + 1));
            assert_eq!(
                words.first().map(String::as_str),
                Some("scalelens"),
                "{page}:{}: a console example runs scalelens",
                i + 1
            );
            words.remove(0);
            out.push(Example {
                page: page.to_string(),
                line: i + 1,
                args: words,
                shown: Vec::new(),
            });
        } else if let Some(example) = out.last_mut() {
            example.shown.push(line.trim_end().to_string());
        }
    }
    out
}

/// Where `shown` fails to match `actual`: `None` when it matches.
fn mismatch(shown: &[String], actual: &[&str]) -> Option<String> {
    fn go(shown: &[String], actual: &[&str]) -> bool {
        match shown.split_first() {
            None => actual.is_empty(),
            Some((s, rest)) if s == "..." => (0..=actual.len()).any(|k| go(rest, &actual[k..])),
            Some((s, rest)) => match actual.split_first() {
                None => false,
                Some((a, more)) => {
                    let a = a.trim_end();
                    let ok = match s.strip_suffix("...") {
                        Some(prefix) => a.starts_with(prefix),
                        None => a == s,
                    };
                    ok && go(rest, more)
                }
            },
        }
    }
    if go(shown, actual) {
        return None;
    }
    // The first shown line that appears nowhere, for the message.
    let missing = shown
        .iter()
        .filter(|s| s.as_str() != "...")
        .find(|s| {
            let prefix = s.strip_suffix("...");
            !actual.iter().any(|a| match prefix {
                Some(p) => a.starts_with(p),
                None => a.trim_end() == s.as_str(),
            })
        })
        .map_or_else(
            || "the lines are there but not in this order".to_string(),
            |s| format!("not printed: {s:?}"),
        );
    Some(missing)
}

#[test]
fn every_console_example_prints_what_its_page_shows() {
    let root = workspace_root();
    let mut count = 0;
    // Every written page of the site (docgen's `WRITTEN`).
    for (name, _) in scalelens_docgen::WRITTEN {
        let page = format!("docs/src/{name}");
        let text =
            std::fs::read_to_string(root.join(&page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        for ex in examples(&page, &text) {
            let out = Command::new(scalelens_binary())
                .args(&ex.args)
                .current_dir(&root)
                .env("NO_COLOR", "1")
                .output()
                .unwrap_or_else(|e| panic!("{}:{}: {e}", ex.page, ex.line));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let actual: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
            if let Some(why) = mismatch(&ex.shown, &actual) {
                panic!(
                    "{}:{}: `scalelens {}`: {why}\n--- printed:\n{stdout}{stderr}",
                    ex.page,
                    ex.line,
                    ex.args.join(" ")
                );
            }
            count += 1;
        }
    }
    assert!(count >= 6, "the pages have their examples ({count})");
}

/// The matcher itself, on a table of cases (it must be able to fail).
#[test]
fn the_matcher_elides_and_compares() {
    let actual = ["a", "b", "c: long line", "d"];
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
    let cases: [(&[&str], bool); 8] = [
        (&["a", "b", "c: long line", "d"], true),
        (&["...", "d"], true),
        (&["a", "...", "c: ...", "d"], true),
        (&["...", "b", "...", "d"], true),
        (&["a", "d"], false),
        (&["...", "e"], false),
        (&["...", "c", "..."], false),
        (&["d", "...", "a"], false),
    ];
    for (shown, ok) in cases {
        assert_eq!(mismatch(&s(shown), &actual).is_none(), ok, "{shown:?}");
    }
}
