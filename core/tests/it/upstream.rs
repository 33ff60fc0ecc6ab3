//! Every upstream source Scalelens cites (`scalelens_core::upstream`) names a file that exists at
//! the cited release: checked against the release's file list recorded in
//! `core/tests/testdata/upstream/<project>-<tag>.txt` (made with `git ls-tree` at that tag; the
//! first line says how).

use std::collections::BTreeSet;

use scalelens_core::upstream::{self, Project};

fn recorded(project: &str, tag: &str) -> Option<BTreeSet<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/testdata/upstream/{project}-{tag}.txt"));
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn every_cited_source_exists_at_its_tag() {
    let mut checked = 0;
    let mut unlisted = Vec::new();
    for s in upstream::all_sources() {
        let project = match s.project {
            Project::Aibrix => "aibrix",
            Project::Knative => "knative",
            Project::Keda => "keda",
            // No stored snapshot of kubernetes/kubernetes to list; Scalelens' own stand-ins cite
            // no upstream file.
            Project::Kubernetes | Project::Scalelens => continue,
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
