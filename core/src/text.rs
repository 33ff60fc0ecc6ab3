//! Text in and out: the byte-order mark a spreadsheet writes before CSV text, numbers as people
//! read them, and user text made safe and short before it is shown back.
//!
//! Every reader of user text strips the byte-order mark with [`strip_bom`]; every number that
//! goes into a message or a table goes through [`number`]; every piece of user text quoted in a
//! message goes through [`quote`], and every source line shown in an excerpt through [`escape`].

/// The UTF-8 byte-order mark (U+FEFF) that spreadsheets ("CSV UTF-8" in Excel, LibreOffice) and
/// some Windows editors write at the start of a file. It is invisible, so a header `time`
/// preceded by it would read as an unknown column.
pub const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark. Positions stay right: the mark sits before line 1,
/// column 1, and is not a character the user sees.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// From this magnitude on, [`number`] writes a number in scientific form (`1.845e19`): the
/// integer part alone would be 16 digits or more (1e300 would be 301), wider than any table
/// column and beyond the precision an `f64` holds (about 15.9 decimal digits), so the digits
/// would be noise. Below it, whole numbers print as integers, exactly as before.
pub const SCIENTIFIC_FROM: f64 = 1e15;

/// Decimals of the mantissa in scientific form (trailing zeros dropped): four significant
/// digits, enough to tell huge values apart, short enough for a table column (`-1.845e308`
/// is the widest, 10 characters).
const SCIENTIFIC_DECIMALS: usize = 3;

/// A number for messages and tables, compact and deterministic: whole numbers below
/// [`SCIENTIFIC_FROM`] without a fraction (`30`), others rounded to `decimals` places with
/// trailing zeros dropped (`0.5`, `0.3333`), huge ones in scientific form (`1.845e19`, `1e300`),
/// `-0` as `0`, non-finite values as Rust writes them (`NaN`, `inf`, `-inf`); callers that show
/// those otherwise (`-` in a table) test `is_finite` first.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x.abs() >= SCIENTIFIC_FROM {
        let s = format!("{x:.SCIENTIFIC_DECIMALS$e}");
        return match s.split_once('e') {
            Some((mantissa, exp)) if mantissa.contains('.') => {
                let m = mantissa.trim_end_matches('0').trim_end_matches('.');
                format!("{m}e{exp}")
            }
            _ => s,
        };
    }
    if x == x.trunc() {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom() {
        assert_eq!(strip_bom("\u{feff}time,value"), "time,value");
        assert_eq!(strip_bom("time,value"), "time,value");
        // Only one, only at the start.
        assert_eq!(strip_bom("\u{feff}\u{feff}a"), "\u{feff}a");
        assert_eq!(strip_bom("a\u{feff}"), "a\u{feff}");
    }

    #[test]
    fn numbers() {
        let cases: &[(f64, usize, &str)] = &[
            // Ordinary values: as before.
            (30.0, 4, "30"),
            (0.5, 4, "0.5"),
            (1.0 / 3.0, 4, "0.3333"),
            (1.0 / 3.0, 6, "0.333333"),
            (0.3 * 100.0, 6, "30"),
            (-2.5, 4, "-2.5"),
            (-0.00001, 4, "0"),
            (0.00001, 4, "0"),
            (999_999_999_999_999.0, 4, "999999999999999"),
            (-42.0, 4, "-42"),
            (0.0, 4, "0"),
            // Huge values: scientific.
            (1e15, 4, "1e15"),
            (18_446_744_073_709_551_615.0, 4, "1.845e19"),
            (1e300, 4, "1e300"),
            (-1.7976931348623157e308, 4, "-1.798e308"),
            (2.5e16 + 0.5, 4, "2.5e16"),
            (9.9999e15, 4, "1e16"),
            // Not finite.
            (f64::NAN, 4, "NaN"),
            (f64::INFINITY, 4, "inf"),
            (f64::NEG_INFINITY, 4, "-inf"),
        ];
        for &(x, d, want) in cases {
            assert_eq!(number(x, d), want, "{x:e} with {d} decimals");
        }
        // Never wider than a table column, whatever the value.
        for x in [
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1e15 - 0.5,
        ] {
            assert!(number(x, 6).len() <= 17, "{x:e}: {}", number(x, 6));
        }
    }
}
