//! The replay window fields (`#window-from`, `#window-to`) in headless Chromium
//! (`CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p
//! scalelens-web --test replay_window`), on the mounted app:
//!
//! - long samples over the replay cap: `replay-too-long` says which window fits and offers
//!   it; the fields (or the offer) replay only that window;
//! - values that are not a time, or that the core refuses (outside the data, empty, absolute
//!   for relative data): a message at the field, nothing replayed, the editors intact, the page
//!   answering at once; correcting the field replays again;
//! - the fields survive the share link and the stored state: a new app (what a reload mounts)
//!   opens with them, from the link alone or from storage alone.
//!
//! Its own page (a test binary of its own); each test mounts its app, and removes it.

#![cfg(target_arch = "wasm32")]

use scalelens_web::state::State;
use wasm_bindgen_test::*;
use web_sys::Element;

mod common;
use common::{
    attr, clear_storage, find, fresh_app, hpa, new_root, now, remove, set_value, text, value,
    wait_for, Handle,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The autoscaler: an HPA (15 s sync period, so the replay cap of 200 000 evaluations is
/// 34 days 17 h).
const NAME: &str = "long-recording";

const DAY_S: u64 = 86_400;

/// 40 days of hourly CSV samples (seconds from the start): over the HPA's 34 days 17 h cap.
/// The load is high on odd days, so a window's replicas depend on where it is.
fn forty_days() -> String {
    let mut csv = String::from("time,value\n");
    for h in 0..=40 * 24u64 {
        let v = if (h / 24) % 2 == 1 { 90 } else { 5 };
        csv.push_str(&format!("{},{v}\n", h * 3600));
    }
    csv
}

/// A fresh app (no link, nothing stored) with the HPA and the 40 days typed in.
async fn app_with_long_samples() -> (Element, Handle) {
    let (root, handle) = fresh_app().await;
    set_value(&root, "#yaml-editor", &hpa(NAME));
    set_value(&root, "#samples-editor", &forty_days());
    (root, handle)
}

fn message(root: &Element) -> (String, String) {
    (attr(root, "#message", "data-kind"), text(root, "#message"))
}

/// The replayed span (`data-duration-ms`), once a replay is shown.
fn duration_ms(root: &Element) -> Option<u64> {
    attr(root, "#timeline-summary", "data-duration-ms")
        .parse()
        .ok()
}

/// Every decision time the trace lists (`#trace li[data-t]`, ms in the input's times).
fn trace_times(root: &Element) -> Vec<u64> {
    let list = root
        .query_selector_all("#trace li[data-t]")
        .expect("a selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| {
            wasm_bindgen::JsCast::dyn_into::<Element>(n)
                .ok()?
                .get_attribute("data-t")?
                .parse()
                .ok()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn long_samples_replay_only_the_window_given() {
    let (root, handle) = app_with_long_samples().await;

    // The whole recording is over the cap: not replayed, and the message names the window
    // that fits, in the fields' own terms, with a button that fills them.
    wait_for("replay-too-long said", || {
        let (kind, said) = message(&root);
        kind == "input-limit" && said.contains("replay-too-long")
    })
    .await;
    let (_, said) = message(&root);
    assert!(
        said.contains("Replay a window of the data instead: from 0 to 2998800 (its first 34 days 17h), in the replay window fields beside the samples."),
        "{said}"
    );
    assert_eq!(duration_ms(&root), None, "nothing replayed");
    assert!(find(
        &root,
        "#diagnostics li.diagnostic[data-code=\"replay-too-long\"]"
    )
    .is_some());
    assert_eq!(
        (
            attr(&root, "#use-window", "data-from"),
            attr(&root, "#use-window", "data-to")
        ),
        ("0".to_string(), "2998800".to_string())
    );

    // The offer fills the fields and replays exactly that window.
    let button = find(&root, "#use-window").expect("#use-window");
    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&button)
        .expect("a button")
        .click();
    wait_for("the suggested window replayed", || {
        duration_ms(&root) == Some(2_998_800_000)
    })
    .await;
    assert_eq!(
        (value(&root, "#window-from"), value(&root, "#window-to")),
        ("0".to_string(), "2998800".to_string())
    );
    assert_eq!(message(&root).0, "", "the limit message is gone");
    assert!(find(&root, "#use-window").is_none());

    // Typed: days 3 to 5 (odd day 3 is busy). Only that window is replayed: its span, and every
    // decision the trace shows lies inside it.
    let (from, to) = (3 * DAY_S, 5 * DAY_S);
    set_value(&root, "#window-from", &from.to_string());
    set_value(&root, "#window-to", &to.to_string());
    wait_for("the typed window replayed", || {
        duration_ms(&root) == Some((to - from) * 1000)
    })
    .await;
    let times = trace_times(&root);
    assert!(!times.is_empty(), "the trace lists decisions");
    assert!(
        times.iter().all(|t| (from * 1000..=to * 1000).contains(t)),
        "decisions outside [{from}, {to}] s: {times:?}"
    );
    let peak = |root: &Element| -> u32 {
        attr(root, "#timeline-summary", "data-peak-replicas")
            .parse()
            .expect("a peak")
    };
    let busy = peak(&root);
    assert!(busy > 1, "day 3 is busy: peak {busy}");
    // A quiet window (most of day 4, from the value in force at its start) needs fewer pods.
    set_value(&root, "#window-from", &(4 * DAY_S + 6 * 3600).to_string());
    wait_for("the shorter window replayed", || {
        duration_ms(&root) == Some((to - 4 * DAY_S - 6 * 3600) * 1000)
    })
    .await;
    assert!(peak(&root) < busy, "quiet {} vs busy {busy}", peak(&root));
    // Emptying both fields is the whole recording again: over the cap.
    set_value(&root, "#window-from", "");
    set_value(&root, "#window-to", "");
    wait_for("replay-too-long again", || {
        message(&root).0 == "input-limit" && duration_ms(&root).is_none()
    })
    .await;
    remove(root, handle);
}

#[wasm_bindgen_test]
async fn bad_values_are_said_at_the_field_and_nothing_is_lost() {
    let (root, handle) = app_with_long_samples().await;
    set_value(&root, "#window-to", &(2 * DAY_S).to_string());
    wait_for("a replay of the first two days", || {
        duration_ms(&root) == Some(2 * DAY_S * 1000)
    })
    .await;
    let samples = forty_days();

    // (field typed into, text, field that says what is wrong, words there, the message kind
    // or the diagnostic code)
    let long = "9".repeat(10_000);
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "from",
            "noon",
            "from",
            "\"noon\" is not a time: give RFC 3339 (2025-11-28T08:00:00Z) or seconds (3600)",
            "window-invalid",
        ),
        (
            "from",
            "2025-11-28T08:00",
            "from",
            "is not a time",
            "window-invalid",
        ),
        (
            "to",
            "1e20",
            "to",
            "\"1e20\" is out of range",
            "window-invalid",
        ),
        ("to", &long, "to", "is out of range", "window-invalid"),
        // Times, but not in the data: the core's `replay-window` error, at the field and listed.
        (
            "from",
            "2025-11-28T08:00:00Z",
            "from",
            "is an absolute time, but the input's times are relative",
            "replay-window",
        ),
        (
            "to",
            "99999999",
            "to",
            "is outside the data, which runs from 0 to",
            "replay-window",
        ),
        (
            "from",
            "200000",
            "to",
            "is not before \u{201c}to\u{201d} 172800: the window is empty",
            "replay-window",
        ),
    ];
    for &(field, typed, error_at, at_field, kind) in cases {
        let input = format!("#window-{field}");
        let t0 = now();
        set_value(&root, &input, typed);
        wait_for(
            &format!("{field} = {typed:.20}: said at the field, not replayed"),
            || {
                text(&root, &format!("#window-{error_at}-error")).contains(at_field)
                    && duration_ms(&root).is_none()
            },
        )
        .await;
        let took = now() - t0;
        // The debounce is 150 ms; a freeze would be seconds.
        assert!(took < 3_000.0, "{field} = {typed:.20}: {took:.0} ms");
        let (k, said) = message(&root);
        if kind == "replay-window" {
            assert!(
                find(
                    &root,
                    "#diagnostics li.diagnostic[data-code=\"replay-window\"]"
                )
                .is_some(),
                "{field} = {typed:.20}: the diagnostic is listed"
            );
        } else {
            assert_eq!(k, kind, "{field} = {typed:.20}: {said}");
            assert!(
                said.contains(&format!("the replay window's \"{field}\" field is wrong")),
                "{said}"
            );
            assert!(said.chars().count() < 400, "{said}");
        }
        assert_eq!(
            attr(&root, &format!("#window-{error_at}"), "aria-invalid"),
            "true"
        );
        // The editors are as typed; the field keeps the text (cut to 253 characters).
        assert_eq!(value(&root, "#yaml-editor"), hpa(NAME));
        assert_eq!(value(&root, "#samples-editor"), samples);
        let kept = value(&root, &input);
        assert_eq!(kept, typed.chars().take(253).collect::<String>());
        // Correcting it replays again, without the message.
        set_value(&root, "#window-from", "");
        set_value(&root, "#window-to", &(2 * DAY_S).to_string());
        wait_for("the replay back", || {
            duration_ms(&root) == Some(2 * DAY_S * 1000)
                && message(&root).0.is_empty()
                && find(&root, ".field-error").is_none()
        })
        .await;
        assert_eq!(
            attr(&root, &format!("#window-{error_at}"), "aria-invalid"),
            ""
        );
    }
    remove(root, handle);
}

#[wasm_bindgen_test]
async fn the_fields_survive_a_share_link_and_a_reload() {
    let (root, handle) = app_with_long_samples().await;
    let (from, to) = ((6 * DAY_S).to_string(), (7 * DAY_S).to_string());
    set_value(&root, "#window-from", &from);
    set_value(&root, "#window-to", &to);
    wait_for("the window replayed", || {
        duration_ms(&root) == Some(DAY_S * 1000)
    })
    .await;
    // After the save pause, the link in the address bar and the stored record carry them.
    wait_for("the fields in the link", || {
        State::from_fragment(&scalelens_web::dom::fragment())
            .ok()
            .flatten()
            .is_some_and(|s| s.window_from.as_deref() == Some(from.as_str()))
    })
    .await;
    let link = scalelens_web::dom::fragment()
        .trim_start_matches('#')
        .to_string();
    let stored = scalelens_web::dom::load_storage().expect("a stored record");
    assert_eq!(
        State::from_json(&stored).map(|s| (s.window_from, s.window_to)),
        Ok((Some(from.clone()), Some(to.clone())))
    );
    handle.destroy();
    root.remove();

    let reopened = |what: &'static str| async move {
        let root = new_root();
        let handle = yew::Renderer::<scalelens_web::app::App>::with_root(root.clone()).render();
        wait_for(what, || duration_ms(&root).is_some()).await;
        (root, handle)
    };
    // A reload (same tab: link and storage), the link alone (another browser), the storage
    // alone (the playground opened without a link).
    for (label, keep_link, keep_storage) in [
        ("reload", true, true),
        ("link alone", true, false),
        ("storage alone", false, true),
    ] {
        if keep_storage {
            let s = web_sys::window()
                .and_then(|w| w.local_storage().ok().flatten())
                .expect("localStorage");
            let _ = s.set_item(scalelens_web::state::STORAGE_KEY, &stored);
        } else {
            clear_storage();
        }
        if keep_link {
            scalelens_web::dom::replace_fragment(&link);
        } else {
            scalelens_web::dom::clear_fragment();
        }
        let (root, handle) = reopened(label).await;
        assert_eq!(
            (value(&root, "#window-from"), value(&root, "#window-to")),
            (from.clone(), to.clone()),
            "{label}"
        );
        assert_eq!(duration_ms(&root), Some(DAY_S * 1000), "{label}");
        assert_eq!(message(&root).0, "", "{label}: {}", message(&root).1);
        handle.destroy();
        root.remove();
    }

    // A link from before the fields existed opens, with empty fields.
    clear_storage();
    let old = format!(
        "v1:{}",
        lz_str::compress_to_encoded_uri_component(r#"{"v":1,"example":"hpa-behavior"}"#)
    );
    scalelens_web::dom::replace_fragment(&old);
    let root = new_root();
    let handle = yew::Renderer::<scalelens_web::app::App>::with_root(root.clone()).render();
    wait_for("the old link opened", || duration_ms(&root).is_some()).await;
    assert_eq!(
        (value(&root, "#window-from"), value(&root, "#window-to")),
        (String::new(), String::new())
    );
    assert_eq!(message(&root).0, "");
    remove(root, handle);
}
