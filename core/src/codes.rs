//! Stable diagnostic codes. A code never changes meaning once released; front ends and CI
//! scripts match on them.

/// The input is not valid YAML.
pub const YAML_SYNTAX: &str = "yaml-syntax";
