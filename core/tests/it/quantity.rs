//! Quantity parsing against the vectors in `core/tests/testdata/vectors/quantity.json`, transcribed
//! from kubernetes/apimachinery `pkg/api/resource/quantity_test.go` (each row names its test).

use scalelens_core::quantity::{Format, Quantity};
use serde::Deserialize;

#[derive(Deserialize)]
struct Valid {
    input: String,
    value: String,
    milli_value: i64,
    value_int: i64,
    format: String,
    source: String,
}

#[derive(Deserialize)]
struct Invalid {
    input: String,
    source: String,
}

#[derive(Deserialize)]
struct Vectors {
    valid: Vec<Valid>,
    invalid: Vec<Invalid>,
}

fn vectors() -> Vectors {
    let text = include_str!("../testdata/vectors/quantity.json");
    serde_json::from_str(text).expect("quantity.json parses")
}

#[test]
fn valid_quantities() {
    let v = vectors();
    assert!(v.valid.len() > 250);
    let mut failures = Vec::new();
    for row in &v.valid {
        match Quantity::parse(&row.input) {
            Ok(q) => {
                let format = match q.format {
                    Format::DecimalSI => "DecimalSI",
                    Format::BinarySI => "BinarySI",
                    Format::DecimalExponent => "DecimalExponent",
                };
                let got = (q.to_string(), q.milli_value(), q.value(), format);
                let want = (
                    row.value.clone(),
                    row.milli_value,
                    row.value_int,
                    row.format.as_str(),
                );
                if got != want {
                    failures.push(format!(
                        "{:?} ({}): got {got:?}, want {want:?}",
                        row.input, row.source
                    ));
                }
                // as_f64 agrees with the exact value to float precision.
                let exact: f64 = row.value.parse().unwrap_or(f64::NAN);
                let f = q.as_f64();
                if (f - exact).abs() > exact.abs() * 1e-12 {
                    failures.push(format!("{:?}: as_f64 {f} vs {exact}", row.input));
                }
            }
            Err(e) => failures.push(format!("{:?} ({}): error {e}", row.input, row.source)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_quantities() {
    let v = vectors();
    for row in &v.invalid {
        let r = Quantity::parse(&row.input);
        assert!(
            r.is_err(),
            "{:?} ({}) parsed as {r:?}",
            row.input,
            row.source
        );
        // The message names the input.
        let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!msg.is_empty());
    }
}

#[test]
fn tolerance_floats_match_go() {
    // AsApproximateFloat64 of common tolerance values equals the float literal.
    for (s, f) in [
        ("0.1", 0.1),
        ("0.05", 0.05),
        ("0.5", 0.5),
        ("1.5", 1.5),
        ("100m", 0.1),
    ] {
        assert_eq!(Quantity::parse(s).map(|q| q.as_f64()), Ok(f), "{s}");
    }
}
