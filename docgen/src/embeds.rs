//! The live examples of the rule and controller pages: the HTML a page embeds ([`embed_html`]:
//! the playground's `?embed` in a lazily loaded iframe over a static picture) and those static
//! pictures, shown until the live example has loaded and where scripts are off. The pictures
//! (`rules/<code>.svg`, `controllers/<slug>-quirk-<n>.svg`, beside the built pages) are made at
//! build time by `cargo xtask docs` (`scalelens-docgen pictures SITE`), not committed: they are
//! the CLI's output on the fixtures, so committing them would only add a second copy to keep
//! fresh.
//!
//! A replayed example is the CLI's own chart (`scalelens simulate … --chart`, the SVG the
//! `scalelens-chart` crate draws for the CLI, the same charts the playground draws on its
//! canvases); a checked one (a YAML-only rule) is the text `scalelens check` prints for its
//! fixture, drawn as SVG text.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::fixtures::{self, Example, Fixture};

/// The width the page gives the picture (the CLI's chart is 1200 px wide; the page scales it).
pub const PICTURE_WIDTH: u32 = 800;

/// The picture's file name beside the rule page.
pub fn picture_name(code: &str) -> String {
    format!("{code}.svg")
}

/// The picture's file name of a controller page's quirk `n` (from 1), beside the page.
pub fn quirk_picture_name(slug: &str, n: usize) -> String {
    format!("{slug}-quirk-{n}.svg")
}

/// The HTML of one live example: a box (`.scalelens-embed`) holding the static picture and the
/// playground's iframe (`?embed#<fragment>`, `loading="lazy"`: an embed below the fold loads
/// when scrolled near). `shows` is a text the loaded embed must show (the rule's code; the
/// docs browser test reads it from `data-shows`); `replayed`: whether it draws a chart.
/// `docs/theme/embed.js` swaps the picture for the iframe once the embed posts its height.
pub fn embed_html(
    shows: &str,
    title: &str,
    replayed: bool,
    picture: &str,
    playground: &str,
    fragment: &str,
) -> String {
    let (shows, title) = (escape(shows), escape(title));
    format!(
        "<div class=\"scalelens-embed\" data-shows=\"{shows}\" data-replayed=\"{replayed}\">\n\
         <img class=\"scalelens-embed-static\" src=\"{picture}\" alt=\"{title}: the static picture of this example\" width=\"{PICTURE_WIDTH}\">\n\
         <iframe class=\"scalelens-embed-live\" loading=\"lazy\" title=\"{title} in the Scalelens playground\" \
         src=\"{playground}/index.html?embed#{fragment}\"></iframe>\n\
         </div>\n"
    )
}

/// A picture that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("`scalelens {args}` exited {code}: {err}")]
    Cli { args: String, code: u8, err: String },
}

/// Run the CLI in-process from the tests crate's folder (fixture paths are relative to it).
fn cli(args: &[String]) -> Result<(u8, String, String), PictureError> {
    let dir = fixtures::workspace().join(fixtures::TESTS_DIR);
    std::env::set_current_dir(&dir).map_err(|source| PictureError::Io {
        path: dir.clone(),
        source,
    })?;
    let run = scalelens_cli::run_captured(args);
    Ok((run.code, run.out, run.err))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `text` as an SVG of monospace lines (at most 60, each cut at 140 characters).
pub fn text_svg(text: &str) -> String {
    const LINE_H: usize = 16;
    let lines: Vec<String> = text
        .lines()
        .take(60)
        .map(|l| l.chars().take(140).collect())
        .collect();
    let height = lines.len() * LINE_H + 2 * LINE_H;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"{height}\" \
         viewBox=\"0 0 1200 {height}\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n\
         <g font-family=\"monospace\" font-size=\"13\" fill=\"#222\">\n"
    );
    for (i, l) in lines.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"12\" y=\"{}\" xml:space=\"preserve\">{}</text>\n",
            (i + 1) * LINE_H + 4,
            escape(l)
        ));
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// Write the picture of `ex`, an example of `code` (or of a quirk), to `path`.
fn picture(path: &Path, code: &str, ex: &Example) -> Result<(), PictureError> {
    let path = path.to_path_buf();
    let io_err = |source| PictureError::Io {
        path: path.clone(),
        source,
    };
    if let Some(replay) = &ex.replay {
        let mut args = vec!["simulate".to_string()];
        args.extend(replay.iter().cloned());
        args.extend(["--chart".to_string(), path.display().to_string()]);
        let (code, _, err) = cli(&args)?;
        // Exit 1: the replay found something to warn about (the point of the example).
        if code > 1 || !path.is_file() {
            return Err(PictureError::Cli {
                args: args.join(" "),
                code,
                err,
            });
        }
        return Ok(());
    }
    let text = match &ex.fixture {
        Fixture::Config(p) => {
            let mut args = vec!["check".to_string(), p.clone()];
            if let Some(v) = &ex.state.aibrix {
                args.extend(["--aibrix-version".to_string(), v.clone()]);
            }
            let (_, out, err) = cli(&args)?;
            format!("$ scalelens {}\n{out}{err}", args.join(" "))
        }
        Fixture::Case(c) => {
            let mut args = vec!["check".to_string(), c.config.clone()];
            args.extend(c.args.iter().cloned());
            let (_, out, err) = cli(&args)?;
            format!("$ scalelens {}\n{out}{err}", args.join(" "))
        }
        Fixture::Samples(p, _) => format!(
            "The samples file tests/{p}, imported, reports `{code}`.\n\
             Open the live example to see the import's notes."
        ),
    };
    fs::write(&path, text_svg(&text)).map_err(io_err)
}

/// Write every rule's picture into `site/rules/` and every controller quirk's into
/// `site/controllers/` (`site`: the built book); returns how many.
pub fn write_pictures(site: &Path) -> Result<usize, PictureError> {
    let site = std::path::absolute(site).map_err(|source| PictureError::Io {
        path: site.to_path_buf(),
        source,
    })?;
    let mkdir = |dir: &Path| {
        fs::create_dir_all(dir).map_err(|source| PictureError::Io {
            path: dir.to_path_buf(),
            source,
        })
    };
    let rules = site.join("rules");
    let controllers = site.join("controllers");
    mkdir(&rules)?;
    mkdir(&controllers)?;
    let mut n = 0;
    for (code, ex) in &fixtures::examples() {
        picture(&rules.join(picture_name(code)), code, ex)?;
        n += 1;
    }
    for c in crate::controllers() {
        let Some(shown) = crate::decisions::shown(&c.slug) else {
            continue;
        };
        for (i, (q, found)) in shown.quirks.iter().enumerate() {
            if let Some(found) = found {
                let path = controllers.join(quirk_picture_name(&c.slug, i + 1));
                picture(&path, q.reason, &found.example)?;
                n += 1;
            }
        }
    }
    Ok(n)
}
