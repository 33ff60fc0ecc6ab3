//! Kubernetes feature gates that change what the replayed release does with a field, as the
//! user says their cluster sets them (`--feature-gates HPAConfigurableTolerance=true`, the
//! syntax of kube-apiserver's flag). Only the gates Scalelens replays are known; the rest of a
//! cluster's gates do not change a replay and are rejected by name so a typo is not silent.

use crate::upstream::kubernetes_conversion as conv;

/// The gates a replay honours, each at its default in the replayed release (Kubernetes v1.34)
/// unless the user set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureGates {
    /// `HPAConfigurableTolerance` (KEP-4951): `behavior.*.tolerance` is kept on write and
    /// replayed. Alpha, off by default in 1.33 and 1.34 ([`conv::CONFIGURABLE_TOLERANCE_DEFAULT`]).
    pub hpa_configurable_tolerance: bool,
}

impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates {
            hpa_configurable_tolerance: conv::CONFIGURABLE_TOLERANCE_DEFAULT.value,
        }
    }
}

/// Why a `--feature-gates` value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureGateError {
    #[error("`{0}` is not NAME=true or NAME=false")]
    NotAPair(String),
    #[error("unknown feature gate `{0}`: Scalelens replays only {known}", known = conv::CONFIGURABLE_TOLERANCE_GATE)]
    Unknown(String),
    #[error("`{name}={value}`: the value must be true or false")]
    NotABool { name: String, value: String },
}

impl FeatureGates {
    /// Read `NAME=BOOL[,NAME=BOOL...]` over the defaults, as kube-apiserver reads its
    /// `--feature-gates` (names are case-sensitive, values `true`/`false` in any case).
    pub fn parse(text: &str) -> Result<Self, FeatureGateError> {
        let mut gates = FeatureGates::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| FeatureGateError::NotAPair(crate::text::quote(pair).into_owned()))?;
            let (name, value) = (name.trim(), value.trim());
            let on = match value.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(FeatureGateError::NotABool {
                        name: crate::text::quote(name).into_owned(),
                        value: crate::text::quote(value).into_owned(),
                    })
                }
            };
            if name == conv::CONFIGURABLE_TOLERANCE_GATE {
                gates.hpa_configurable_tolerance = on;
            } else {
                return Err(FeatureGateError::Unknown(
                    crate::text::quote(name).into_owned(),
                ));
            }
        }
        Ok(gates)
    }
}

#[cfg(test)]
mod tests {
    use super::{FeatureGateError, FeatureGates};

    #[test]
    fn parses_as_kube_apiserver_does() {
        let on = FeatureGates {
            hpa_configurable_tolerance: true,
        };
        let cases: &[(&str, Result<FeatureGates, FeatureGateError>)] = &[
            ("", Ok(FeatureGates::default())),
            ("HPAConfigurableTolerance=true", Ok(on)),
            (" HPAConfigurableTolerance = TRUE ,", Ok(on)),
            (
                "HPAConfigurableTolerance=true,HPAConfigurableTolerance=false",
                Ok(FeatureGates::default()),
            ),
            (
                "HPAConfigurableTolerance",
                Err(FeatureGateError::NotAPair(
                    "HPAConfigurableTolerance".into(),
                )),
            ),
            (
                "HPAConfigurableTolerance=yes",
                Err(FeatureGateError::NotABool {
                    name: "HPAConfigurableTolerance".into(),
                    value: "yes".into(),
                }),
            ),
            (
                "hpaconfigurabletolerance=true",
                Err(FeatureGateError::Unknown("hpaconfigurabletolerance".into())),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&FeatureGates::parse(text), want, "{text:?}");
        }
        assert!(
            !FeatureGates::default().hpa_configurable_tolerance,
            "alpha in v1.34: off"
        );
    }
}
