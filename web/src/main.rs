//! The playground's entry point (built by Trunk from the root `index.html` and `Trunk.toml`;
//! release builds use the size-tuned `wasm-release` profile).

fn main() {
    scalelens_web::start();
}
