//! Usage extraction from OpenAI-compatible bodies (OpenAI API reference: chat completion
//! object, chat completion chunk, completion object; vLLM `protocol.py` `UsageInfo`), and the
//! request fields `model` / `stream` / `stream_options.include_usage`.

use scalelens_gateway::json_scan::{JsonError, JsonErrorKind};
use scalelens_gateway::usage::{
    scan_payload, scan_request, PayloadInfo, ResponseScan, Usage, UsageError,
};

use crate::data;

fn usage(p: u64, c: u64, t: u64) -> Usage {
    Usage {
        prompt_tokens: Some(p),
        completion_tokens: Some(c),
        total_tokens: Some(t),
    }
}

#[test]
fn payload_table() {
    type Want = Result<(Usage, bool, bool), UsageError>;
    let trunc = |at| {
        Err(UsageError::Json(JsonError {
            at,
            kind: JsonErrorKind::Truncated,
        }))
    };
    let cases: Vec<(&str, &str, Want)> = vec![
        (
            "chat completion (OpenAI chat completion object)",
            r#"{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"#,
            Ok((usage(9, 12, 21), false, false)),
        ),
        (
            "usage first, with nested details (OpenAI prompt_tokens_details)",
            r#"{"usage":{"prompt_tokens_details":{"cached_tokens":5},"prompt_tokens":9,"completion_tokens_details":{"reasoning_tokens":3},"completion_tokens":12,"total_tokens":21},"choices":[]}"#,
            Ok((usage(9, 12, 21), false, false)),
        ),
        (
            "chat chunk with content",
            r#"{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#,
            Ok((Usage::default(), true, false)),
        ),
        (
            "chat chunk, role only, empty content",
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}"#,
            Ok((Usage::default(), false, false)),
        ),
        (
            "chat chunk with null content (tool call)",
            r#"{"choices":[{"index":0,"delta":{"content":null,"tool_calls":[{"index":0,"function":{"arguments":"{"}}]}}]}"#,
            Ok((Usage::default(), false, false)),
        ),
        (
            "reasoning content (vLLM reasoning parser)",
            r#"{"choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]}"#,
            Ok((Usage::default(), true, false)),
        ),
        (
            "completions chunk text",
            r#"{"object":"text_completion","choices":[{"index":0,"text":" sky","logprobs":null}]}"#,
            Ok((Usage::default(), true, false)),
        ),
        (
            "second choice carries the content (n=2)",
            r#"{"choices":[{"index":0,"delta":{}},{"index":1,"delta":{"content":"x"}}]}"#,
            Ok((Usage::default(), true, false)),
        ),
        (
            "final usage chunk (stream_options.include_usage)",
            r#"{"id":"c","choices":[],"usage":{"prompt_tokens":17,"total_tokens":24,"completion_tokens":7}}"#,
            Ok((usage(17, 7, 24), false, false)),
        ),
        (
            "content in a decoy place does not count",
            r#"{"delta":{"content":"x"},"choices":[{"message":{"content":"y"}}],"text":"z"}"#,
            Ok((Usage::default(), false, false)),
        ),
        (
            "usage deeper than the top level does not count",
            r#"{"x":{"usage":{"prompt_tokens":1}}}"#,
            Ok((Usage::default(), false, false)),
        ),
        (
            "error payload (vLLM stream error)",
            r#"{"error":{"object":"error","message":"boom","type":"InternalServerError","code":500}}"#,
            Ok((Usage::default(), false, true)),
        ),
        (
            "escaped key is decoded",
            r#"{"us\u0061ge":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#,
            Ok((usage(1, 2, 3), false, false)),
        ),
        (
            "cut inside usage",
            r#"{"usage":{"prompt_tokens":17"#,
            trunc(28),
        ),
        (
            "cut inside a string",
            r#"{"choices":[{"delta":{"content":"Hel"#,
            trunc(36),
        ),
        ("cut after a comma", r#"{"choices":[],"#, trunc(14)),
        (
            "empty",
            "",
            Err(UsageError::Json(JsonError {
                at: 0,
                kind: JsonErrorKind::Empty,
            })),
        ),
        ("an array", "[]", Err(UsageError::NotAnObject)),
        ("a string", r#""[DONE]""#, Err(UsageError::NotAnObject)),
        (
            "negative count",
            r#"{"usage":{"completion_tokens":-3}}"#,
            Err(UsageError::BadTokenCount),
        ),
        (
            "fractional count",
            r#"{"usage":{"completion_tokens":3.5}}"#,
            Err(UsageError::BadTokenCount),
        ),
        (
            "count too large for u64",
            r#"{"usage":{"completion_tokens":18446744073709551616}}"#,
            Err(UsageError::BadTokenCount),
        ),
        (
            "single quotes",
            "{'usage': 1}",
            Err(UsageError::Json(JsonError {
                at: 1,
                kind: JsonErrorKind::Unexpected {
                    found: b'\'',
                    expected: "a key (a string)",
                },
            })),
        ),
        (
            "two values (two SSE payloads glued)",
            r#"{"choices":[]}{"choices":[]}"#,
            Err(UsageError::Json(JsonError {
                at: 14,
                kind: JsonErrorKind::TrailingText,
            })),
        ),
    ];
    for (name, text, want) in cases {
        let got = scan_payload(text.as_bytes()).map(|i| (i.usage, i.content, i.error));
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn every_prefix_of_a_response_is_truncated_never_a_panic() {
    let body = data("vllm-chat-response.json");
    let whole = scan_payload(&body).unwrap();
    assert_eq!(whole.usage, usage(17, 7, 24));
    // The body ends with `}\n`: every prefix shorter than the closing brace is cut.
    let end = body.iter().rposition(|&c| c == b'}').unwrap();
    for i in 0..end + 1 {
        let r = scan_payload(&body[..i]);
        match r {
            Err(UsageError::Json(JsonError { kind, at })) => {
                assert!(
                    matches!(kind, JsonErrorKind::Truncated | JsonErrorKind::Empty),
                    "prefix {i}: {kind:?}"
                );
                assert_eq!(at, i, "prefix {i}");
            }
            other => panic!("prefix {i}: {other:?}"),
        }
    }
}

#[test]
fn incremental_response_scan_equals_one_shot() {
    let body = data("vllm-chat-response.json");
    let whole = scan_payload(&body).unwrap();
    for size in [1, 2, 3, 7, 64, 1000] {
        let mut s = ResponseScan::new();
        for c in body.chunks(size) {
            s.feed(c);
        }
        assert_eq!(s.finish(), Ok(whole), "chunks of {size}");
    }
    assert_eq!(
        whole,
        PayloadInfo {
            usage: usage(17, 7, 24),
            content: false,
            error: false,
            has_choice: true,
        }
    );
}

/// `has_choice` tells the final usage chunk (`choices: []`) from chunks that carry usage and
/// choices (vLLM's `continuous_usage_stats`).
#[test]
fn a_chunk_without_a_choice_is_told_apart() {
    let cases: &[(&str, bool)] = &[
        (r#"{"choices":[],"usage":{"completion_tokens":3}}"#, false),
        (r#"{"usage":{"completion_tokens":3}}"#, false),
        (
            r#"{"choices":[{"delta":{"role":"assistant","content":""}}],"usage":{"completion_tokens":0}}"#,
            true,
        ),
        (
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0}]}}],"usage":{"completion_tokens":4}}"#,
            true,
        ),
        (r#"{"choices":[null]}"#, true),
        (r#"{"x":{"choices":[{}]}}"#, false),
    ];
    for (payload, want) in cases {
        assert_eq!(
            scan_payload(payload.as_bytes()).unwrap().has_choice,
            *want,
            "{payload}"
        );
    }
}

#[test]
fn request_fields() {
    let body = data("chat-request.json");
    let (info, r) = scan_request(&body);
    assert_eq!(r, Ok(()));
    assert_eq!(
        info.model(),
        Some(b"meta-llama/Llama-3.1-8B-Instruct".as_slice()),
        "the decoy `model` inside a message string is not read"
    );
    assert_eq!(info.stream, Some(true));
    assert_eq!(info.include_usage, Some(true));

    let cases: &[(&str, Option<&str>, Option<bool>, bool)] = &[
        (r#"{"model":"m"}"#, Some("m"), None, true),
        (
            r#"{"model":"m","stream":false}"#,
            Some("m"),
            Some(false),
            true,
        ),
        (r#"{"stream":"yes","model":7}"#, None, None, true),
        (r#"{"model":"a\"b"}"#, Some("a\"b"), None, true),
        (r#"{"model":"m""#, Some("m"), None, false),
        (r#"["model"]"#, None, None, false),
        (r#"{"model""#, None, None, false),
    ];
    for &(text, model, stream, ok) in cases {
        let (info, r) = scan_request(text.as_bytes());
        assert_eq!(info.model(), model.map(str::as_bytes), "{text}");
        assert_eq!(info.stream, stream, "{text}");
        assert_eq!(r.is_ok(), ok, "{text}: {r:?}");
    }
    // A model name longer than the token buffer is flagged, not cut silently.
    let long = format!(r#"{{"model":"{}"}}"#, "m".repeat(300));
    let (info, _) = scan_request(long.as_bytes());
    assert!(info.model_truncated);
    assert_eq!(info.model(), None);
}
