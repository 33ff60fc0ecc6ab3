//! Every upstream source Scalelens cites (`scalelens_core::upstream`) names a file that exists at
//! the cited release: checked against the release's file list recorded in
//! `core/tests/testdata/upstream/<project>-<tag>.txt` (made with `git ls-tree` at that tag; the
//! first line says how).

use std::collections::BTreeSet;

use scalelens_core::upstream::{self, Project};

fn recorded_text(project: &str, tag: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/testdata/upstream/{project}-{tag}.txt"));
    std::fs::read_to_string(path).ok()
}

fn recorded(project: &str, tag: &str) -> Option<BTreeSet<String>> {
    let text = recorded_text(project, tag)?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    )
}

/// The name of `project`'s recorded file lists (`core/tests/testdata/upstream/<name>-<tag>.txt`):
/// none for kubernetes/kubernetes (no stored snapshot to list) and for Scalelens' own stand-ins
/// (they cite no upstream file).
fn listed(project: Project) -> Option<&'static str> {
    match project {
        Project::Aibrix => Some("aibrix"),
        Project::Knative => Some("knative"),
        Project::Keda => Some("keda"),
        Project::Kserve => Some("kserve"),
        Project::Prometheus => Some("prometheus"),
        Project::Kubernetes | Project::Scalelens => None,
    }
}

/// The docs site links each source to its file at `Project::git_tag`: that must be the tag the
/// recorded file list was taken at (its first line, `# git ls-tree -r --name-only TAG -- ...`).
#[test]
fn source_links_use_the_recorded_tags() {
    let mut checked = 0;
    for s in upstream::all_sources() {
        let Some(project) = listed(s.project) else {
            continue;
        };
        let Some(text) = recorded_text(project, s.tag) else {
            continue; // every_cited_source_exists_at_its_tag reports it
        };
        let first = text.lines().next().unwrap_or_default();
        let tag = s.project.git_tag(s.tag).unwrap_or_default();
        assert!(
            first.contains(&format!(" {tag} ")),
            "{s}: git tag {tag} is not the one {project}-{}.txt was listed at: {first}",
            s.tag
        );
        let url = s.url().unwrap_or_default();
        assert_eq!(
            url,
            format!(
                "https://github.com/{}/blob/{tag}/{}",
                s.project.repo(),
                s.path
            )
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} sources checked");
    // Kubernetes has no recorded list: its tag is the minor release's first patch.
    assert_eq!(
        Project::Kubernetes.git_tag("v1.34").as_deref(),
        Some("v1.34.0")
    );
    assert_eq!(Project::Scalelens.git_tag("this input"), None);
    assert_eq!(upstream::MISSING_MAX_REPLICAS.url(), None);
}

#[test]
fn every_cited_source_exists_at_its_tag() {
    let mut checked = 0;
    let mut unlisted = Vec::new();
    for s in upstream::all_sources() {
        let Some(project) = listed(s.project) else {
            continue;
        };
        match recorded(project, s.tag) {
            Some(files) => {
                assert!(
                    files.contains(s.path),
                    "{s}: `{}` is not a file of {} at {}",
                    s.path,
                    s.project.repo(),
                    s.tag
                );
                checked += 1;
            }
            None => unlisted.push(format!("{project}-{}", s.tag)),
        }
    }
    assert!(
        unlisted.is_empty(),
        "no recorded file list for {unlisted:?}"
    );
    assert!(checked >= 20, "only {checked} sources checked");
}
