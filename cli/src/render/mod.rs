//! Output formats. Each renderer is a pure function from data to a `String`.

pub mod explain;
pub mod github;
pub mod json;
pub mod rule;
pub mod sarif;
pub mod text;
pub mod timeline;
