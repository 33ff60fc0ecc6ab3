//! The docs site's generated pages (`docs/src/rules`, `controllers`, `reference`, `SUMMARY.md`)
//! are what the code generates now: a code, a knob or a gateway metric without its page, or a
//! page naming one that no longer exists, fails here. Fix: `cargo xtask docs` (or
//! `cargo run -p scalelens-docgen -- write`), then commit the pages.

use std::fs;
use std::path::{Path, PathBuf};

use scalelens_core::codes::Code;
use scalelens_core::knobs::Place;
use scalelens_docgen::{self as docgen, Problem};
use scalelens_gateway::metric_catalogue::CATALOGUE;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn committed_pages_are_up_to_date() {
    let problems = docgen::check(&root());
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "the docs site's generated pages are not what the code generates; run `cargo xtask \
         docs` and commit docs/src:\n{}",
        list.join("\n")
    );
}

/// SARIF's `helpUri` and `scalelens rule` name the page the site has for the code.
#[test]
fn every_code_has_its_page_where_help_uri_points() {
    let index = read(&format!("{}/index.md", docgen::RULES_DIR));
    let summary = read(docgen::SUMMARY);
    for code in Code::ALL {
        let name = code.as_str();
        let uri = code.help_uri();
        assert_eq!(uri, format!("{}/{name}.md", docgen::RULES_DIR));
        let page = read(&uri);
        assert!(page.contains(&format!("# `{name}`\n")), "{uri}: no title");
        assert!(
            page.contains(&code.doc().summary()),
            "{uri}: not the rule's summary"
        );
        for heading in [
            "## What it does",
            "## Why is this bad",
            "## Example",
            "## Fix",
            "## References",
            "## Try it",
        ] {
            assert!(page.contains(heading), "{uri}: no `{heading}`");
        }
        assert!(
            page.contains(&format!(
                "Default severity: **{}**",
                code.default_severity().as_str()
            )),
            "{uri}: severity"
        );
        assert!(
            index.contains(&format!("[`{name}`]({name}.md)")),
            "index: {name}"
        );
        assert!(
            summary.contains(&format!("(rules/{name}.md)")),
            "SUMMARY: {name}"
        );
    }
}

/// Every knob of every family table is on its controller's page, with its place, its upstream
/// default and a link to the default's source file at its release tag.
#[test]
fn every_knob_is_on_its_controller_page() {
    let controllers = docgen::controllers();
    let slugs: Vec<&str> = controllers.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "hpa-v1.34",
            "keda-v2.18",
            "knative-v1.20",
            "aibrix-v0.4.0",
            "aibrix-v0.5.0",
            "aibrix-v0.6.0",
            "aibrix-v0.7.0",
            "kserve-v0.20.0"
        ]
    );
    // Every replayed release has its page (the page's title names the project and tag).
    for r in scalelens_core::upstream::REPLAYED {
        let (project, tag) = (r.release.project.name(), r.release.tag);
        assert!(
            controllers
                .iter()
                .any(|c| c.title.starts_with(project) && c.title.ends_with(tag)),
            "no controller page for {}",
            r.release
        );
    }
    for c in &controllers {
        let path = format!("{}/{}.md", docgen::CONTROLLERS_DIR, c.slug);
        let page = read(&path);
        let mut knobs = 0;
        for s in &c.sections {
            assert!(
                page.contains(&format!("## {}\n", s.heading)),
                "{path}: {}",
                s.heading
            );
            for r in &s.rows {
                knobs += 1;
                // The knob's row: its place's words, its default and its source's link.
                let mut wanted: Vec<String> = match r.place {
                    Place::ConfigMap { name, key } => vec![format!("`{name}`"), format!("`{key}`")],
                    Place::Fixed(words) => vec![words.replace('|', "\\|")],
                    _ => vec![format!("`{}`", r.rendered)],
                };
                if let Some((value, source)) = &r.default {
                    wanted.push(format!("`{value}`"));
                    if let Some(url) = source.url() {
                        wanted.push(format!("({url})"));
                    }
                }
                let row = page
                    .lines()
                    .filter(|l| l.starts_with(&format!("| {} |", r.what)))
                    .find(|l| wanted.iter().all(|w| l.contains(w.as_str())));
                assert!(
                    row.is_some(),
                    "{path}: no row for `{}` with {wanted:?}",
                    r.what
                );
            }
        }
        // What each setting of an object replayed as another family becomes (KServe).
        for s in &c.translations {
            assert!(
                page.contains(&format!("## {}\n", s.heading)),
                "{path}: {}",
                s.heading
            );
            for r in s.rows {
                knobs += 1;
                let place = format!("`{}`", r.place.render(s.root));
                let row = page.lines().find(|l| {
                    l.contains(place.as_str())
                        && [r.knative, r.hpa, r.keda]
                            .iter()
                            .all(|w| l.contains(&w.replace('|', "\\|")))
                        && r.source.url().is_some_and(|u| l.contains(&u))
                });
                assert!(row.is_some(), "{path}: no row for {place}");
            }
        }
        assert!(knobs >= 3, "{path}: only {knobs} knobs");
    }
}

#[test]
fn every_gateway_metric_and_subcommand_has_its_reference() {
    let metrics = read(&format!("{}/gateway-metrics.md", docgen::REFERENCE_DIR));
    for m in CATALOGUE {
        assert!(
            metrics.contains(&format!("| `{}` |", m.name)),
            "gateway-metrics.md: {}",
            m.name
        );
    }
    let cli = read(&format!("{}/cli.md", docgen::REFERENCE_DIR));
    for sub in ["check", "simulate", "explain", "rule"] {
        assert!(
            cli.contains(&format!("## scalelens {sub}\n")),
            "cli.md: {sub}"
        );
        assert!(
            cli.contains(&format!("Usage: scalelens {sub} ")),
            "cli.md: usage of {sub}"
        );
    }
}

/// `check` finds each kind of drift and `write` repairs it, in a scratch copy of the pages.
#[test]
fn check_reports_missing_outdated_and_stale_pages() {
    let dir = std::env::temp_dir().join(format!("scalelens-docs-site-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for (path, _) in docgen::WRITTEN {
        let p = dir.join(docgen::SRC_DIR).join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, "# written\n").unwrap();
    }
    let first = docgen::write(&dir).unwrap();
    assert!(first.changed.len() > Code::ALL.len(), "{first:?}");
    assert!(docgen::check(&dir).is_empty());

    let rule = format!("{}/flapping.md", docgen::RULES_DIR);
    let controller = format!("{}/hpa-v1.34.md", docgen::CONTROLLERS_DIR);
    let stale = format!("{}/a-removed-code.md", docgen::RULES_DIR);
    let metrics = format!("{}/gateway-metrics.md", docgen::REFERENCE_DIR);
    let written = format!("{}/{}", docgen::SRC_DIR, docgen::WRITTEN[1].0);
    type Break = fn(&Path, &str);
    let cases: [(&str, &String, Break, Problem); 5] = [
        (
            "a code without its page",
            &rule,
            |p, _| fs::remove_file(p).unwrap(),
            Problem::Missing(rule.clone()),
        ),
        (
            "a knob's page edited by hand",
            &controller,
            |p, _| {
                let t = fs::read_to_string(p).unwrap();
                fs::write(p, t.replace("minReplicas", "minReplica")).unwrap()
            },
            Problem::Outdated(controller.clone()),
        ),
        (
            "a page for a code that no longer exists",
            &stale,
            |p, _| fs::write(p, "# `a-removed-code`\n").unwrap(),
            Problem::Stale(stale.clone()),
        ),
        (
            "a metric table without one of the metrics",
            &metrics,
            |p, name| {
                let t = fs::read_to_string(p).unwrap();
                let kept: Vec<&str> = t.lines().filter(|l| !l.contains(name)).collect();
                fs::write(p, kept.join("\n") + "\n").unwrap()
            },
            Problem::Outdated(metrics.clone()),
        ),
        (
            "a written page the table of contents lists",
            &written,
            |p, _| fs::remove_file(p).unwrap(),
            Problem::MissingWritten(written.clone()),
        ),
    ];
    for (what, path, break_it, expected) in cases {
        break_it(&dir.join(path), CATALOGUE[0].name);
        assert_eq!(docgen::check(&dir), vec![expected], "{what}");
        if path == &written {
            fs::write(dir.join(path), "# written\n").unwrap();
        } else {
            let repaired = docgen::write(&dir).unwrap();
            assert_eq!(
                repaired.changed.len() + repaired.removed.len(),
                1,
                "{what}: {repaired:?}"
            );
        }
        assert!(docgen::check(&dir).is_empty(), "{what}: not repaired");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Every controller page but KServe's (replayed as the family it becomes) says how it decides,
/// in order, and shows each known quirk on a live example: a test case whose replay, as that
/// release, really decides by the quirk's rule. A quirk no replay shows any more fails here.
#[test]
fn every_controller_page_says_how_it_decides_and_shows_each_quirk_live() {
    for c in docgen::controllers() {
        let path = format!("{}/{}.md", docgen::CONTROLLERS_DIR, c.slug);
        let page = read(&path);
        let Some(shown) = docgen::decisions::shown(&c.slug) else {
            assert!(c.slug.starts_with("kserve-"), "{path}: no decisions");
            continue;
        };
        assert!(
            page.contains("## How it decides, in order\n"),
            "{path}: no steps"
        );
        assert!(
            shown.steps.len() >= 3,
            "{path}: {} steps",
            shown.steps.len()
        );
        assert!(!shown.quirks.is_empty(), "{path}: no quirk");
        for (q, found) in &shown.quirks {
            let found = found.as_ref().unwrap_or_else(|| {
                panic!(
                    "{path}: quirk {} has no test case whose replay decides by it",
                    q.reason
                )
            });
            assert!(page.contains(&format!("### {}\n", q.title)), "{path}");
            assert!(
                page.contains(&format!("#{}\"", found.example.fragment())),
                "{path}: {}'s embed is not its example",
                q.reason
            );
        }
    }
}

/// A link to a rule or a controller page anywhere in the book or the README names a code or a
/// controller that exists (a written page naming a removed or renamed one fails here, before
/// the browser test finds the broken link).
#[test]
fn every_rule_and_controller_a_page_links_exists() {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let slugs: Vec<String> = docgen::controllers().into_iter().map(|c| c.slug).collect();
    let mut files = scalelens_tests::files_under(&root().join(docgen::SRC_DIR), "md");
    files.push(root().join("README.md"));
    let mut problems = Vec::new();
    let mut seen = 0;
    for f in &files {
        let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for (folder, known) in [
            (
                "rules/",
                codes.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            ),
            ("controllers/", slugs.clone()),
        ] {
            for (at, _) in text.match_indices(folder) {
                let name: String = text[at + folder.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
                    .collect();
                let Some(name) = name
                    .strip_suffix(".md")
                    .or_else(|| name.strip_suffix(".html"))
                else {
                    continue;
                };
                seen += 1;
                if name != "index" && !known.iter().any(|k| k == name) {
                    problems.push(format!("{}: {folder}{name}", f.display()));
                }
            }
        }
    }
    assert!(seen > Code::ALL.len(), "only {seen} links seen");
    assert!(
        problems.is_empty(),
        "links to pages of codes or controllers that do not exist:\n{}",
        problems.join("\n")
    );
}
