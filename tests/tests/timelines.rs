//! Timeline snapshots: every case under `tests/testdata/timelines/<case>/` (an
//! `autoscaler.yaml`, and an `args` file with the rest of the `scalelens simulate` command line)
//! is replayed through the CLI in-process, and the text report a user sees is snapshotted.
//! Adding a case needs no code: add a folder (an optional `expect` file lists the exit code and
//! the codes that must or must not be reported: [`scalelens_tests::Expect`]).

#[test]
fn timelines() {
    for run in scalelens_tests::run_cases_checked("timelines", 8) {
        insta::assert_snapshot!(format!("timeline-{}", run.name), run.report);
    }
}
