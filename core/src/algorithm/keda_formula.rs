//! KEDA `advanced.scalingModifiers.formula` (kedacore/keda v2.18, tag `v2.18.0`): an
//! expr-lang expression over the named triggers' values, evaluated with the `expr-lang` crate
//! (a Rust implementation of expr's syntax and builtins with Go-compatible semantics).
//!
//! Upstream (`pkg/scaling/modifiers/formula.go`, `apis/keda/v1alpha1/scaledobject_webhook.go
//! ValidateAndCompileScalingModifiers`, expr-lang/expr v1.17.6 from KEDA's `go.mod`):
//! - the formula is wrapped in `float( … )` unless it already starts with `float(`
//!   (`castToFloatIfNecessary`) and must give a number (`expr.AsFloat64`);
//! - the environment holds one `float64` per trigger that has a `name` and is not cpu/memory;
//!   an unknown name is a compile error (`expr.Env`); validation runs the formula once with
//!   every variable at −1;
//! - the result reaches the HPA as `int64(out × 1000)` milli.
//!
//! Differences the reader guards against: the crate has no static check, so an unknown name
//! in a branch the dry run does not take passes here where KEDA rejects it; the reader runs the
//! formula with the variables at −1 (KEDA's run) and at +1 to cover both sides of the usual
//! comparisons. A formula longer than [`MAX_FORMULA`] bytes or nested deeper than
//! [`MAX_NESTING`] is refused before the (recursive) parser sees it.
//!
//! Behind core's `formula` feature (on by default): without it (the playground's build, for its
//! download size) every formula is [`FormulaError::NotInBuild`], which says where it is replayed.

#[cfg(feature = "formula")]
use expr::{Context, Program, Value};

/// The longest formula read (bytes): a real formula is a line; this bounds the parse.
pub const MAX_FORMULA: usize = 4096;
/// The deepest bracket nesting read: the crate's parser recurses per level.
pub const MAX_NESTING: usize = 64;

/// A compiled formula and the variables it reads.
#[derive(Debug, Clone)]
pub struct Formula {
    #[cfg(feature = "formula")]
    program: Program,
    variables: Vec<String>,
}

/// Why a formula cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormulaError {
    #[error("the formula is longer than {MAX_FORMULA} bytes")]
    TooLong,
    #[error("the formula nests brackets deeper than {MAX_NESTING}")]
    TooDeep,
    #[error("{0}")]
    Expr(String),
    #[error("the formula gives {0}, not a number")]
    NotNumber(String),
    /// This build has no formula evaluator (the playground leaves it out for size).
    #[error("the playground does not evaluate scaling-modifier formulas (its download leaves the expr-lang evaluator out), so this ScaledObject is not replayed here; `scalelens check` and `scalelens simulate` read and replay it")]
    NotInBuild,
}

fn nesting(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

impl Formula {
    /// Compile `text` as KEDA does (`castToFloatIfNecessary`) for the trigger names
    /// `variables`, and dry-run it with every variable at −1 and at +1.
    pub fn compile(text: &str, variables: &[String]) -> Result<Formula, FormulaError> {
        if text.len() > MAX_FORMULA {
            return Err(FormulaError::TooLong);
        }
        if nesting(text) > MAX_NESTING {
            return Err(FormulaError::TooDeep);
        }
        Self::compile_checked(text, variables)
    }

    #[cfg(not(feature = "formula"))]
    fn compile_checked(_: &str, _: &[String]) -> Result<Formula, FormulaError> {
        Err(FormulaError::NotInBuild)
    }

    /// Without an evaluator no formula compiles, so there is none to evaluate.
    #[cfg(not(feature = "formula"))]
    pub fn eval(&self, _: &[f64]) -> Result<f64, FormulaError> {
        let _ = &self.variables;
        Err(FormulaError::NotInBuild)
    }

    #[cfg(feature = "formula")]
    fn compile_checked(text: &str, variables: &[String]) -> Result<Formula, FormulaError> {
        let wrapped = if text.starts_with("float(") {
            text.to_string()
        } else {
            format!("float({text})")
        };
        let program = expr::compile(&wrapped).map_err(|e| FormulaError::Expr(e.to_string()))?;
        let f = Formula {
            program,
            variables: variables.to_vec(),
        };
        for dummy in [-1.0, 1.0] {
            let values: Vec<f64> = vec![dummy; variables.len()];
            f.eval(&values)?;
        }
        Ok(f)
    }

    /// The formula's value with `values[i]` bound to the `i`th variable.
    #[cfg(feature = "formula")]
    pub fn eval(&self, values: &[f64]) -> Result<f64, FormulaError> {
        let mut ctx = Context::default();
        for (name, v) in self.variables.iter().zip(values) {
            ctx.insert(name.clone(), *v);
        }
        match expr::run(&self.program, &ctx) {
            Ok(Value::Float(f)) => Ok(f),
            Ok(Value::Integer(i)) => Ok(i as f64),
            Ok(other) => Err(FormulaError::NotNumber(other.to_string())),
            Err(e) => Err(FormulaError::Expr(e.to_string())),
        }
    }
}

#[cfg(all(test, feature = "formula"))]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    /// Formulas of the KEDA docs (scaling modifiers) and of kedacore/keda v2.18.0
    /// `pkg/scaling/modifiers` tests' shapes, with values of ours:
    /// (formula, variables, values, result).
    #[test]
    fn evaluates_like_expr() {
        let cases: &[(&str, &[&str], &[f64], f64)] = &[
            ("(a + b) / 2", &["a", "b"], &[3.0, 4.0], 3.5),
            ("a / b", &["a", "b"], &[2.0, 4.0], 0.5),
            ("a > 2 ? a + b : 1", &["a", "b"], &[3.0, 4.0], 7.0),
            ("a > 2 ? a + b : 1", &["a", "b"], &[1.0, 4.0], 1.0),
            ("max(a, b)", &["a", "b"], &[3.0, 9.0], 9.0),
            ("float(a * 2)", &["a"], &[1.5], 3.0),
            ("count([a, b], {# > 1})", &["a", "b"], &[3.0, 0.5], 1.0),
        ];
        for (text, vars, values, want) in cases {
            let f = match Formula::compile(text, &names(vars)) {
                Ok(f) => f,
                Err(e) => panic!("{text}: {e}"),
            };
            assert_eq!(f.eval(values), Ok(*want), "{text}");
        }
    }

    #[test]
    fn rejects_what_keda_rejects() {
        let vars = names(&["a", "b"]);
        for bad in ["a +", "c + 1", "\"text\"", "a ? 1 : 2 +"] {
            assert!(Formula::compile(bad, &vars).is_err(), "{bad}");
        }
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(
            Formula::compile(&deep, &vars).err(),
            Some(FormulaError::TooDeep)
        );
        let long = "a + ".repeat(2000) + "a";
        assert_eq!(
            Formula::compile(&long, &vars).err(),
            Some(FormulaError::TooLong)
        );
    }
}
