//! The `therapy-timer` command.

fn main() {
    println!(
        "therapy-timer {}: times ice and heat therapy for back spasms",
        env!("CARGO_PKG_VERSION")
    );
}
