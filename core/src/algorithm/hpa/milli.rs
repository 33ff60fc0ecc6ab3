//! Conversions from the model's `f64` values to the integer milli-units the Kubernetes HPA
//! computes with.
//!
//! Upstream: kubernetes/apimachinery `pkg/api/resource/quantity.go` (`MilliValue`: ceil to milli,
//! away from zero) and kedacore/keda v2.18 `pkg/scalers/scaler.go` (`GetMetricTargetMili`,
//! `GenerateMetricInMili`: `resource.MustParse(fmt.Sprintf("%.3f", v))`, NaN/Inf → 0).

/// `Quantity.MilliValue()` of the decimal number `x` was written as.
///
/// The model stores targets as `f64` (`0.1`), but Kubernetes parses the YAML text (`"0.1"`) as an
/// exact decimal and rounds *up* to milli units. A naive `ceil(x * 1000.0)` is wrong whenever
/// the product is rounded in binary (`2.007 * 1000.0` is `2007.0000000000002`). Instead we recover the shortest decimal that
/// round-trips to `x` (what the user wrote, for up to 17 significant digits) and round that
/// exactly: `0.1` → 100, `2.007` → 2007 (naively 2008), `0.0005` → 1, `0.0010001` → 2, `-1.5` → -1500.
/// NaN → 0; ±∞ and overflow saturate at `i64::MAX` / `i64::MIN`.
pub fn milli_value(x: f64) -> i64 {
    if x.is_nan() || x == 0.0 {
        return 0;
    }
    if x.is_infinite() {
        return if x > 0.0 { i64::MAX } else { i64::MIN };
    }
    let mag = ceil_milli_of_abs(x.abs());
    if x > 0.0 {
        i64::try_from(mag).unwrap_or(i64::MAX)
    } else {
        i64::try_from(mag).map(|m| -m).unwrap_or(i64::MIN)
    }
}

/// ceil(|x| × 1000) computed on the shortest round-trip decimal of `x` (x finite, > 0).
fn ceil_milli_of_abs(x: f64) -> u128 {
    // `{:e}` prints the shortest digits that round-trip, e.g. "1.5e-1", "1e0", "1.2345e21".
    let s = format!("{x:e}");
    let (mant, exp) = match s.split_once('e') {
        Some(p) => p,
        None => (s.as_str(), "0"),
    };
    let exp: i64 = exp.parse().unwrap_or(0);
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    let mut digits: u128 = 0;
    for c in int_part.chars().chain(frac_part.chars()) {
        let d = c.to_digit(10).unwrap_or(0) as u128;
        digits = digits.saturating_mul(10).saturating_add(d);
    }
    // value = digits × 10^(exp − frac_len); milli = digits × 10^(exp − frac_len + 3)
    let power = exp - frac_part.len() as i64 + 3;
    if power >= 0 {
        let mut v = digits;
        for _ in 0..power.min(40) {
            v = v.saturating_mul(10);
        }
        v
    } else {
        let k = -power;
        if k > 38 {
            // digits < 10^17 < 10^k: the quotient is 0 with a non-zero remainder.
            return u128::from(digits != 0);
        }
        let div = 10u128.pow(k as u32);
        let q = digits / div;
        if digits % div != 0 {
            q + 1
        } else {
            q
        }
    }
}

/// KEDA's metric/target conversion: `MustParse(fmt.Sprintf("%.3f", v)).MilliValue()`, i.e. round
/// to the nearest milli (Go and Rust both round the exact binary value correctly). NaN and ±∞
/// become 0 (`quantityFromFloat64`).
pub fn keda_milli(x: f64) -> i64 {
    if !x.is_finite() {
        return 0;
    }
    let s = format!("{x:.3}");
    let neg = s.starts_with('-');
    let mut v: i64 = 0;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            v = v.saturating_mul(10).saturating_add(i64::from(d));
        }
    }
    if neg {
        -v
    } else {
        v
    }
}

/// Go's `int32(math.Ceil(x))` made total: NaN → 0, saturating at the `i32` range.
/// (Go leaves out-of-range conversions implementation-defined; we saturate.)
pub fn ceil_i32(x: f64) -> i32 {
    x.ceil() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milli_value_is_exact_on_written_decimals() {
        let cases: &[(f64, i64)] = &[
            (0.1, 100),
            (0.5, 500),
            (1.5, 1500),
            (0.0005, 1),
            (0.0010001, 2),
            (100.0, 100_000),
            (0.3, 300),
            (0.7, 700),
            (2.675, 2675),
            (1e-12, 1),
            (-1.5, -1500),
            (-0.0005, -1),
            (0.0, 0),
            (f64::NAN, 0),
            (f64::INFINITY, i64::MAX),
            (1e30, i64::MAX),
            (12345.6789, 12_345_679),
            (8.6, 8600),
            (14.334, 14_334),
        ];
        for &(x, want) in cases {
            assert_eq!(milli_value(x), want, "milli_value({x})");
        }
        // The naive way is wrong for many written decimals, which is why the helper exists.
        assert_eq!((2.007f64 * 1000.0).ceil() as i64, 2008);
        assert_eq!(milli_value(2.007), 2007);
        for k in 1..20_000i64 {
            let x = k as f64 / 1000.0;
            assert_eq!(milli_value(x), k, "milli_value({x})");
        }
    }

    #[test]
    fn keda_milli_rounds_to_three_decimals() {
        let cases: &[(f64, i64)] = &[
            (0.1, 100),
            (350.0, 350_000),
            (1.0005, 1000), // 1.0005 is 1.000499999… in binary
            (1.2346, 1235),
            (0.0004, 0),
            (f64::NAN, 0),
            (f64::INFINITY, 0),
            (-2.5, -2500),
        ];
        for &(x, want) in cases {
            assert_eq!(keda_milli(x), want, "keda_milli({x})");
        }
    }

    #[test]
    fn ceil_i32_saturates() {
        assert_eq!(ceil_i32(2.01), 3);
        assert_eq!(ceil_i32(f64::NAN), 0);
        assert_eq!(ceil_i32(1e20), i32::MAX);
        assert_eq!(ceil_i32(f64::INFINITY), i32::MAX);
    }
}
