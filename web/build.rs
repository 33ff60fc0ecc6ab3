//! The code editor's bundle (`web/editor/dist/editor.js`, git-ignored) is read by wasm-bindgen
//! when the crate is compiled for the browser: say how to build it when it is missing, instead
//! of the macro's bare "failed to read file".

fn main() {
    println!("cargo:rerun-if-changed=editor/dist/editor.js");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && !std::path::Path::new("editor/dist/editor.js").is_file() {
        println!(
            "cargo:warning=web/editor/dist/editor.js is missing: build it with `cargo xtask editor` \
             (npm ci + esbuild; `cargo xtask dist`, `serve`, `tools` and `test` do it too)"
        );
    }
}
