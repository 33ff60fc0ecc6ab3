//! Kubernetes `resource.Quantity`, parsed exactly.
//!
//! Upstream: kubernetes/apimachinery `pkg/api/resource/quantity.go` (`parseQuantityString`,
//! `ParseQuantity`, `MilliValue`, `Value`, `AsApproximateFloat64`) and `suffix.go`
//! (`interpret`), as shipped with Kubernetes v1.34.
//!
//! The value is kept the way upstream keeps it: an integer `unscaled` times `10^exponent`.
//! Upstream has a fast `int64` path and a slow arbitrary-precision path; both are mirrored so
//! that [`Quantity::as_f64`] returns the same float as `AsApproximateFloat64` (which the HPA uses
//! for `behavior.*.tolerance`):
//! - fast path (at most 18 digits, exponent ≥ −9, no fraction on a binary suffix): the digits as
//!   written (`"10.035M"` → 10035 × 10³; `"1Ki"` → 1024 × 10⁰);
//! - slow path: the exact value rounded **up, away from zero** to nano (10⁻⁹), stored at
//!   exponent −9; binary values above 2⁶³−1 are capped; a binary value in (0, 1) becomes DecimalSI.
//!
//! Scalelens limit (documented deviation): the slow path stores the nano-scaled value in an
//! `i128`, so a decimal value above about 1.7 × 10²⁹ that takes the slow path is rejected with
//! [`QuantityError::TooLarge`] instead of being kept as a big decimal. No autoscaler setting
//! comes near it.

use crate::text::split_while;
use std::cmp::Ordering;
use std::fmt;

/// How the quantity was written (upstream `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    /// `1e3`, `1E-3`.
    DecimalExponent,
    /// `Ki`, `Mi`, ... (base 1024).
    BinarySI,
    /// `n`, `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E`.
    DecimalSI,
}

/// Why a string is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("a quantity cannot be empty")]
    Empty,
    #[error("{input:?} is not a quantity: unexpected {found:?} at character {position} (expected <number><suffix>, e.g. \"500m\", \"1.5\", \"2Gi\", \"1e3\")")]
    Format {
        input: String,
        found: char,
        position: usize,
    },
    #[error("{input:?} has an unknown suffix {suffix:?} (known: n u m k M G T P E Ki Mi Gi Ti Pi Ei, or an exponent e<int>/E<int>)")]
    Suffix { input: String, suffix: String },
    #[error("{input:?} is too large for Scalelens to keep exactly")]
    TooLarge { input: String },
}

/// A parsed `resource.Quantity`: `unscaled × 10^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Quantity {
    pub unscaled: i128,
    pub exponent: i32,
    pub format: Format,
}

/// 2⁶³ − 1, upstream `maxAllowed` (the cap for BinarySI values).
const MAX_ALLOWED: i128 = i64::MAX as i128;
/// The largest quantity whose `MilliValue()` fits `int64`: 9223372036854775.807, written as
/// [`MAX_MILLI_VALUE`].
const MAX_MILLI_QUANTITY: Quantity = Quantity {
    unscaled: i64::MAX as i128,
    exponent: -3,
    format: Format::DecimalSI,
};
const MIN_MILLI_QUANTITY: Quantity = Quantity {
    unscaled: -(i64::MAX as i128),
    exponent: -3,
    format: Format::DecimalSI,
};
/// [`MAX_MILLI_QUANTITY`] for messages.
pub const MAX_MILLI_VALUE: &str = "9223372036854775.807";

/// Upstream `maxInt64Factors`.
const MAX_INT64_FACTORS: i32 = 18;

fn pow10_i128(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// `a × 10^n` for n ≥ 0, `None` on overflow.
fn shift10(a: i128, n: u32) -> Option<i128> {
    if a == 0 {
        return Some(0);
    }
    pow10_i128(n).and_then(|p| a.checked_mul(p))
}

/// ceil(a / 10^n) for a ≥ 0.
fn div_ceil10(a: i128, n: u32) -> i128 {
    match pow10_i128(n) {
        Some(p) => {
            let q = a / p;
            if a % p != 0 {
                q + 1
            } else {
                q
            }
        }
        // 10^n exceeds any i128: the quotient is 0 with a non-zero remainder when a > 0.
        None => i128::from(a > 0),
    }
}

struct Split<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// A user's input for an error message, cut to a readable length (the error quotes it).
fn shown(s: &str) -> String {
    crate::text::clip(s, crate::text::QUOTE_MAX_CHARS).into_owned()
}

fn format_err(input: &str, position: usize) -> QuantityError {
    QuantityError::Format {
        input: shown(input),
        found: input
            .get(position..)
            .and_then(|r| r.chars().next())
            .unwrap_or(' '),
        position: position + 1,
    }
}

/// Mirrors upstream `parseQuantityString`: sign, number, optional fraction, suffix.
fn split(s: &str) -> Result<Split<'_>, QuantityError> {
    let (positive, unsigned) = match s.strip_prefix('-') {
        Some(r) => (false, r),
        None => (true, s.strip_prefix('+').unwrap_or(s)),
    };
    let rest = unsigned.trim_start_matches('0');
    if rest.is_empty() {
        return Ok(Split {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let (num, rest) = split_while(rest, |c| c.is_ascii_digit());
    let num = if num.is_empty() { "0" } else { num };
    let (denom, rest) = match rest.strip_prefix('.') {
        Some(r) => split_while(r, |c| c.is_ascii_digit()),
        None => ("", rest),
    };
    let suffix = rest;
    let (_, tail) = split_while(rest, |c| "eEinumkKMGTP".contains(c));
    let tail = tail.strip_prefix(['-', '+']).unwrap_or(tail);
    let (_, tail) = split_while(tail, |c| c.is_ascii_digit());
    if !tail.is_empty() {
        // `tail` is a suffix of `s`, so this is a character boundary of `s`.
        return Err(format_err(s, s.len() - tail.len()));
    }
    Ok(Split {
        positive,
        num,
        denom,
        suffix,
    })
}

/// Mirrors upstream `suffixHandler.interpret`: (base, exponent, format).
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "" => dec(0),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            if rest.is_empty() {
                return None;
            }
            // Go's strconv.ParseInt accepts a leading sign; Rust's parse does too.
            let e: i64 = rest.parse().ok()?;
            Some((10, i32::try_from(e).ok()?, Format::DecimalExponent))
        }
    }
}

impl Quantity {
    /// Parse like upstream `ParseQuantity` (no surrounding whitespace allowed).
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Empty);
        }
        let sp = split(s)?;
        let (base, exp, mut format) =
            interpret(sp.suffix).ok_or_else(|| QuantityError::Suffix {
                input: shown(s),
                suffix: shown(sp.suffix),
            })?;
        let too_large = || QuantityError::TooLarge { input: shown(s) };
        let sign: i128 = if sp.positive { 1 } else { -1 };
        let ndigits = (sp.num.len() + sp.denom.len()) as i64;
        let denom_len = sp.denom.len() as i64;

        // Fast path (upstream: int64Amount).
        let (precision, mantissa, mut scale): (i64, i128, i64) = if base == 10 {
            (MAX_INT64_FACTORS as i64 - ndigits, 1, i64::from(exp))
        } else if sp.denom.is_empty() {
            let p = 15 - sp.num.len() as i64 - ((exp as f32) * 3.0 / 10.0) as i64 - 1;
            (p, 1i128 << exp, 0)
        } else {
            (-1, 1, 0)
        };
        if precision >= 0 {
            scale -= denom_len;
            if scale >= -9 {
                let digits = format!("{}{}", sp.num, sp.denom);
                if let Ok(v) = digits.parse::<i64>() {
                    if let Some(r) = i64::try_from(i128::from(v) * mantissa).ok().map(i128::from) {
                        return Ok(Quantity {
                            unscaled: sign * r,
                            exponent: scale as i32,
                            format,
                        });
                    }
                }
            }
        }

        // Slow path (upstream: inf.Dec). Value = D × 2^b × 10^e10, D = num‖denom.
        let (b, e10) = if base == 10 {
            (0u32, i64::from(exp) - denom_len)
        } else {
            (exp as u32, -denom_len)
        };
        let digits = format!("{}{}", sp.num, sp.denom);
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Ok(Quantity {
                unscaled: 0,
                exponent: (-denom_len).max(i64::from(i32::MIN)) as i32,
                format,
            });
        }
        // Magnitude at nano scale, rounded up: ceil(D × 2^b × 10^(e10 + 9)).
        let shift = e10 + 9;
        let nano: Option<i128> = if b == 0 {
            if shift >= 0 {
                digits
                    .parse::<i128>()
                    .ok()
                    .and_then(|d| u32::try_from(shift).ok().and_then(|s| shift10(d, s)))
            } else {
                // Drop the digits below nano; any dropped non-zero digit rounds up.
                let drop = usize::try_from(-shift).unwrap_or(usize::MAX);
                let keep_len = digits.len().saturating_sub(drop);
                let (kept, dropped) = digits.split_at(keep_len);
                let sticky = dropped.bytes().any(|c| c != b'0');
                let k = if kept.is_empty() {
                    Some(0)
                } else {
                    kept.parse::<i128>().ok()
                };
                k.and_then(|k| k.checked_add(i128::from(sticky)))
            }
        } else {
            let scaled = digits
                .parse::<i128>()
                .ok()
                .and_then(|d| d.checked_mul(1i128 << b));
            match scaled {
                Some(x) if shift >= 0 => u32::try_from(shift).ok().and_then(|s| shift10(x, s)),
                Some(x) => Some(div_ceil10(x, u32::try_from(-shift).unwrap_or(u32::MAX))),
                None => None,
            }
        };
        let nano = match nano {
            Some(n) => n,
            // Only a BinarySI value can overflow here and still be known: anything this large
            // (≥ 10^29 at nano scale) is above the cap.
            None if base == 2 && e10 >= -19 => {
                return Ok(Quantity {
                    unscaled: sign * MAX_ALLOWED,
                    exponent: 0,
                    format,
                })
            }
            None => return Err(too_large()),
        };
        let (mut unscaled, mut exponent) = (nano, -9);
        if format == Format::BinarySI && nano > MAX_ALLOWED.saturating_mul(1_000_000_000) {
            unscaled = MAX_ALLOWED;
            exponent = 0;
        }
        if format == Format::BinarySI && unscaled > 0 && unscaled < 1_000_000_000 && exponent == -9
        {
            format = Format::DecimalSI;
        }
        Ok(Quantity {
            unscaled: sign * unscaled,
            exponent,
            format,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.unscaled == 0
    }

    pub fn signum(&self) -> i32 {
        self.unscaled.signum() as i32
    }

    /// The value × 10^`scale_exp`, rounded away from zero, saturated to `i64`
    /// (upstream `ScaledValue`; upstream wraps on overflow, Scalelens saturates).
    fn scaled_value(&self, scale_exp: i32) -> i64 {
        let shift = i64::from(self.exponent) - i64::from(scale_exp);
        let mag = self.unscaled.unsigned_abs().min(i128::MAX as u128) as i128;
        let m = if shift >= 0 {
            u32::try_from(shift)
                .ok()
                .and_then(|s| shift10(mag, s))
                .unwrap_or(i128::MAX)
        } else {
            div_ceil10(mag, u32::try_from(-shift).unwrap_or(u32::MAX))
        };
        let m = i64::try_from(m).unwrap_or(i64::MAX);
        if self.unscaled < 0 {
            -m
        } else {
            m
        }
    }

    /// `MilliValue()`: ceil(q × 1000), rounding away from zero.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(-3)
    }

    /// Whether `MilliValue()` fits `int64`: upstream's `ScaledValue` wraps beyond it (Go's
    /// `big.Int.Int64` of a larger value is undefined), so a target above
    /// [`MAX_MILLI_VALUE`] reaches the controller as garbage.
    pub fn milli_value_fits(&self) -> bool {
        self.cmp_value(&MAX_MILLI_QUANTITY) != Ordering::Greater
            && self.cmp_value(&MIN_MILLI_QUANTITY) != Ordering::Less
    }

    /// `Value()`: ceil(q), rounding away from zero.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// `AsApproximateFloat64()`: `unscaled as f64 × math.Pow10(exponent)`, computed the way Go
    /// does, so tolerance comparisons see the same float.
    pub fn as_f64(&self) -> f64 {
        let base = self.unscaled as f64;
        if self.exponent == 0 {
            return base;
        }
        base * go_pow10(self.exponent)
    }
}

/// Go `math.Pow10`: tables of correctly rounded 10^k (k < 32) and 10^(32j).
fn go_pow10(n: i32) -> f64 {
    fn tab(k: u32) -> f64 {
        format!("1e{k}").parse().unwrap_or(f64::INFINITY)
    }
    fn pos(n: u32) -> f64 {
        tab(n % 32) * tab(32 * (n / 32))
    }
    if (0..=308).contains(&n) {
        pos(n as u32)
    } else if (-323..0).contains(&n) {
        if n >= -308 {
            1.0 / pos(n.unsigned_abs())
        } else {
            // Go divides in two steps for denormal results.
            1.0 / pos((-n - 15) as u32) / 1e15
        }
    } else if n > 0 {
        f64::INFINITY
    } else {
        0.0
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp_value(other))
    }
}

impl Quantity {
    /// Compare by value (format is ignored).
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let e = self.exponent.min(other.exponent);
        let a = u32::try_from(i64::from(self.exponent) - i64::from(e))
            .ok()
            .and_then(|s| shift10(self.unscaled, s));
        let b = u32::try_from(i64::from(other.exponent) - i64::from(e))
            .ok()
            .and_then(|s| shift10(other.unscaled, s));
        match (a, b) {
            (Some(a), Some(b)) => a.cmp(&b),
            // Fallback for extreme exponents: floats are monotone enough here.
            _ => self
                .as_f64()
                .partial_cmp(&other.as_f64())
                .unwrap_or(Ordering::Equal),
        }
    }

    /// True when both denote the same number (format ignored).
    pub fn same_value(&self, other: &Quantity) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl fmt::Display for Quantity {
    /// Plain decimal form (`0.5`, `1024`, `12000000000000000000`), not upstream's canonical form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.unscaled < 0;
        let digits = self.unscaled.unsigned_abs().to_string();
        let sign = if neg { "-" } else { "" };
        if self.exponent >= 0 {
            let zeros = if self.unscaled == 0 {
                0
            } else {
                self.exponent as usize
            };
            return write!(f, "{sign}{digits}{}", "0".repeat(zeros.min(4096)));
        }
        let frac = self.exponent.unsigned_abs() as usize;
        let padded = if digits.len() <= frac {
            format!("{}{}", "0".repeat(frac - digits.len() + 1), digits)
        } else {
            digits
        };
        let (int, fr) = padded.split_at(padded.len() - frac);
        let fr = fr.trim_end_matches('0');
        if fr.is_empty() {
            write!(f, "{sign}{int}")
        } else {
            write!(f, "{sign}{int}.{fr}")
        }
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn basic_values() {
        assert_eq!(q("500m").milli_value(), 500);
        assert_eq!(q("1.5").milli_value(), 1500);
        assert_eq!(q("2e3").milli_value(), 2_000_000);
        assert_eq!(q("1Ki").value(), 1024);
        assert_eq!(q("0.0005").milli_value(), 1);
        assert_eq!(q("1.0001m").milli_value(), 2);
        assert_eq!(q("-1.0001m").milli_value(), -2);
        assert_eq!(q("0.05").as_f64(), 0.05);
        assert_eq!(q("3.001n").to_string(), "0.000000004");
        assert_eq!(q("9Ei").value(), i64::MAX);
        assert_eq!(q("-9Ei").value(), -i64::MAX);
        assert_eq!(q("0.000000000001Ki").format, Format::DecimalSI);
        assert_eq!(q("12E").to_string(), "12000000000000000000");
    }

    #[test]
    fn milli_value_range() {
        for (s, fits) in [
            ("1", true),
            ("9223372036854775807m", true),
            ("9223372036854775.807", true),
            ("-9223372036854775807m", true),
            ("9223372036854775808m", false),
            ("9223372036854776", false),
            ("10P", false),
            ("1e400", false),
            ("-1e400", false),
            ("8Ei", false),
        ] {
            assert_eq!(q(s).milli_value_fits(), fits, "{s}");
        }
        assert_eq!(MAX_MILLI_QUANTITY.to_string(), MAX_MILLI_VALUE);
    }

    #[test]
    fn errors_quote_a_bounded_input() {
        let long = format!("1{}x", "0".repeat(100_000));
        let e = Quantity::parse(&long).unwrap_err().to_string();
        assert!(e.len() < 400, "{e}");
        assert!(e.contains("(100002 characters)"), "{e}");
    }

    #[test]
    fn errors() {
        for s in [
            "", "1K", "1mi", " 1", "1 ", "aoeu", "-3.01e-", "1e", "1.1.M", "ä",
        ] {
            assert!(Quantity::parse(s).is_err(), "{s}");
        }
        assert!(matches!(
            Quantity::parse("1K"),
            Err(QuantityError::Suffix { .. })
        ));
    }

    /// Where the first character that fits no part of a quantity is, and which it is.
    #[test]
    fn format_errors_name_the_character() {
        for (s, found, position) in [
            ("1x", 'x', 2),
            ("1.5é", 'é', 4),
            ("é", 'é', 1),
            ("12Ki!", '!', 5),
            ("1 ", ' ', 2),
            ("-0.5e-3z", 'z', 8),
            ("1.1.M", '.', 4),
        ] {
            match Quantity::parse(s) {
                Err(QuantityError::Format {
                    found: f,
                    position: p,
                    ..
                }) => assert_eq!((f, p), (found, position), "{s}"),
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn odd_but_valid() {
        assert!(q(".").is_zero());
        assert!(q("-").is_zero());
        assert!(q("+").is_zero());
        assert_eq!(q("1.G").value(), 1_000_000_000);
    }
}
