//! The playground's entry point (built by Trunk from the root `index.html`).

fn main() {
    scalelens_web::start();
}
