//! `scalelens-docgen write|check [--root DIR]`: writes the docs site's generated pages, or
//! checks the committed ones are up to date (exit 1 with the list when not). `cargo xtask docs`
//! runs `write`; the root defaults to the workspace this crate is in.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: scalelens-docgen write|check [--root DIR]
       scalelens-docgen pictures SITE

  write   write the generated pages under docs/src (only those that changed) and remove the
          generated folders' files no page makes any more
  check   exit 1 and list every page that is missing, outdated or stale
  pictures  write the live examples' static pictures into the built site SITE: rules/<code>.svg
            and controllers/<slug>-quirk-<n>.svg";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut task = None;
    if args.first().map(String::as_str) == Some("pictures") {
        let Some(dir) = args.get(1) else {
            eprintln!("scalelens-docgen: pictures needs the built site's directory\n\n{USAGE}");
            return ExitCode::from(2);
        };
        return match scalelens_docgen::embeds::write_pictures(std::path::Path::new(dir)) {
            Ok(n) => {
                println!("    {n} pictures in {dir}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("scalelens-docgen: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--root" => match it.next() {
                Some(dir) => root = PathBuf::from(dir),
                None => {
                    eprintln!("scalelens-docgen: --root needs a directory\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "write" | "check" if task.is_none() => task = Some(a.clone()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("scalelens-docgen: unexpected argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match task.as_deref() {
        Some("write") => match scalelens_docgen::write(&root) {
            Ok(w) => {
                for p in &w.changed {
                    println!("    wrote {p}");
                }
                for p in &w.removed {
                    println!("    removed {p} (no page makes it any more)");
                }
                println!(
                    "    {} pages written, {} up to date, {} removed",
                    w.changed.len(),
                    w.unchanged,
                    w.removed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("scalelens-docgen: {e}");
                ExitCode::FAILURE
            }
        },
        Some(_) => {
            let problems = scalelens_docgen::check(&root);
            if problems.is_empty() {
                println!("    the generated pages are up to date");
                return ExitCode::SUCCESS;
            }
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("run `cargo xtask docs` (or `cargo run -p scalelens-docgen -- write`)");
            ExitCode::FAILURE
        }
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
