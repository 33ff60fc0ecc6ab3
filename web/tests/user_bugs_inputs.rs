//! Bugs a user hit with the inputs and controls (issue 14, "Bugs a user hit", items 3 and 4),
//! each on the mounted app in headless Chromium (`CHROMEDRIVER=/usr/bin/chromedriver cargo
//! test --target wasm32-unknown-unknown -p scalelens-web --test user_bugs_inputs`). Every test
//! here failed before its fix.
//!
//! Its own page (a test binary of its own: the runner gives a binary 20 s); each test mounts
//! its app, and removes it.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

mod common;
use common::{attr, choose, click, find, fresh_app, remove, select_value, wait_for};

wasm_bindgen_test_configure!(run_in_browser);

fn peak_replicas(root: &Element) -> Option<u32> {
    attr(root, "#timeline-summary", "data-peak-replicas")
        .parse()
        .ok()
}

/// An HPA on CPU at `percent` % utilization, 1 to 10 replicas.
fn cpu_hpa(name: &str, percent: u32) -> String {
    common::hpa_with(
        name,
        10,
        &format!(
            "    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {percent}
"
        ),
    )
}

/// Item 3: an autoscaler of its own pasted over the seed kept the seed's `gpu_cache_usage_perc`
/// samples and replayed them as its `requests_in_flight`, without a word. Now it is said, with
/// two ways out: a demand pattern around the new target, or no samples.
#[wasm_bindgen_test]
async fn samples_of_another_metric_are_said_with_a_way_out() {
    let (root, handle) = fresh_app().await;
    common::set_value(&root, "#yaml-editor", &common::hpa("my-hpa"));
    wait_for("the HPA replayed", || {
        common::text(&root, "#selected").contains("my-hpa")
    })
    .await;
    wait_for("the samples' metric said", || {
        find(&root, "#samples-mismatch").is_some()
    })
    .await;
    let said = common::text(&root, "#samples-mismatch");
    assert!(
        said.contains("gpu_cache_usage_perc") && said.contains("requests_in_flight"),
        "{said}"
    );
    click(&root, "#samples-mismatch button.use-pattern");
    wait_for("a demand pattern", || {
        find(&root, "#pattern-peak").is_some()
    })
    .await;
    // Around the HPA's target of 10 per pod: half of it, then four times it.
    assert_eq!(common::value(&root, "#pattern-base"), "5");
    assert_eq!(common::value(&root, "#pattern-peak"), "40");
    wait_for("the mismatch gone", || {
        find(&root, "#samples-mismatch").is_none()
    })
    .await;
    wait_for("a replay that scales", || {
        peak_replicas(&root).is_some_and(|p| p > 1)
    })
    .await;

    // Undo brings the samples (and the warning) back; "clear samples" empties them.
    click(&root, "#undo");
    wait_for("the samples again", || {
        find(&root, "#samples-mismatch").is_some()
    })
    .await;
    click(&root, "#samples-mismatch button.clear-samples");
    wait_for("no samples", || {
        common::value(&root, "#samples-editor").is_empty()
            && find(&root, "#samples-mismatch").is_none()
    })
    .await;
    remove(root, handle);
}

/// Item 3, second half: a demand pattern chosen for the seed (target 0.5: base 0.25, peak 2)
/// kept its numbers when an HPA at 60 % replaced the YAML: a flat replay ("peak 1 vs target
/// 60"). The pattern follows the target.
#[wasm_bindgen_test]
async fn a_demand_pattern_follows_a_new_target() {
    let (root, handle) = fresh_app().await;
    choose(&root, "#pattern-select", "spike");
    wait_for("the pattern around 0.5", || {
        find(&root, "#pattern-peak").is_some() && common::value(&root, "#pattern-peak") == "2"
    })
    .await;
    common::set_value(&root, "#yaml-editor", &cpu_hpa("cpu-60", 60));
    wait_for("the pattern around 60", || {
        common::value(&root, "#pattern-peak") == "240"
    })
    .await;
    assert_eq!(common::value(&root, "#pattern-base"), "30");
    wait_for("a replay that scales", || {
        peak_replicas(&root).is_some_and(|p| p > 1)
    })
    .await;
    remove(root, handle);
}

/// Item 4, first control: the autoscaler picker named an HPA the new YAML no longer has, and
/// the page said "No autoscaler to replay". Now the first one is replayed, with a note.
#[wasm_bindgen_test]
async fn a_chosen_autoscaler_gone_from_the_yaml_falls_back_to_the_first() {
    let (root, handle) = fresh_app().await;
    let three = [common::hpa("a"), common::hpa("b"), common::hpa("c")].join("---\n");
    common::set_value(&root, "#yaml-editor", &three);
    wait_for("three autoscalers to pick from", || {
        find(&root, "#autoscaler-select option[value=\"c\"]").is_some()
    })
    .await;
    choose(&root, "#autoscaler-select", "c");
    wait_for("c replayed", || {
        common::text(&root, "#selected").contains("c (HorizontalPodAutoscaler)")
    })
    .await;
    let two = [common::hpa("a"), common::hpa("b")].join("---\n");
    common::set_value(&root, "#yaml-editor", &two);
    wait_for("a replayed", || {
        common::text(&root, "#selected").contains("a (HorizontalPodAutoscaler)")
    })
    .await;
    let said = common::text(&root, "#message");
    assert!(said.contains("`c`") && said.contains("`a`"), "{said}");
    assert_eq!(
        find(&root, "#autoscaler-select")
            .and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .as_deref(),
        Some(""),
        "the picker says: the first one"
    );
    remove(root, handle);
}

/// Item 4, second control: the Example menu kept naming the seed after its YAML was replaced,
/// and choosing the seed again did nothing (the menu already showed it).
#[wasm_bindgen_test]
async fn the_example_menu_names_an_example_only_while_it_is_unedited() {
    let (root, handle) = fresh_app().await;
    assert_eq!(select_value(&root, "#example-select"), "seed");
    let seed = common::value(&root, "#yaml-editor");
    common::set_value(&root, "#yaml-editor", &common::hpa("mine"));
    wait_for("the menu says: your own input", || {
        select_value(&root, "#example-select").is_empty()
    })
    .await;
    choose(&root, "#example-select", "seed");
    wait_for("the seed again", || {
        common::value(&root, "#yaml-editor") == seed
    })
    .await;
    assert_eq!(select_value(&root, "#example-select"), "seed");
    remove(root, handle);
}

/// Item 4, third control: a `#example=` or `#v1:` link put into a tab already open was
/// ignored, then overwritten by the next keystroke's save. Now the tab opens it.
#[wasm_bindgen_test]
async fn a_link_put_into_an_open_tab_is_opened() {
    let (root, handle) = fresh_app().await;
    let knative = scalelens_web::examples::find("knative-panic").expect("the example");
    web_sys::window()
        .expect("window")
        .location()
        .set_hash("example=knative-panic")
        .expect("hash");
    wait_for("the linked example", || {
        common::value(&root, "#yaml-editor") == knative.yaml
    })
    .await;
    assert_eq!(select_value(&root, "#example-select"), "knative-panic");
    // A keystroke then edits the linked state, and the link written after it is of that state.
    let edited = format!("{}# edited\n", knative.yaml);
    common::set_value(&root, "#yaml-editor", &edited);
    wait_for("the edited link", || {
        scalelens_web::state::State::from_fragment(&scalelens_web::dom::fragment())
            .ok()
            .flatten()
            .is_some_and(|s| s.yaml == edited && s.pattern.is_some())
    })
    .await;

    // A `v1:` link too, with Undo back to what the tab had.
    let hpa = scalelens_web::state::State {
        yaml: common::hpa("from-a-link"),
        samples: "time,value\n0,5\n60,50\n".to_string(),
        ..Default::default()
    };
    web_sys::window()
        .expect("window")
        .location()
        .set_hash(&hpa.to_fragment())
        .expect("hash");
    wait_for("the linked HPA", || {
        common::text(&root, "#selected").contains("from-a-link")
    })
    .await;
    click(&root, "#undo");
    wait_for("back to the edited example", || {
        common::value(&root, "#yaml-editor") == edited
    })
    .await;
    remove(root, handle);
}
