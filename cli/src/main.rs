//! `scalelens`: check autoscaler configurations and replay them against a demand series.

use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let out_is_terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    let mut io = scalelens_cli::Io {
        out: &mut out,
        err: &mut err,
        out_is_terminal,
    };
    ExitCode::from(scalelens_cli::run(std::env::args_os(), &mut io))
}
