//! A custom protocol, and what the safety limits refuse.
//!
//! Run: `cargo run --example custom_protocol`

use std::time::Duration;

use therapy_timer::{Dose, Phase, Protocol};

fn min(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

fn main() {
    // A gentler protocol: shorter ice, longer rests, a 24-hour acute window.
    let gentle = Protocol::default()
        .with_dose(Phase::Ice, Dose::new(min(8), min(90)))
        .and_then(|p| p.with_dose(Phase::Heat, Dose::new(min(20), min(30))))
        .and_then(|p| p.with_acute_window(min(24 * 60)));
    match gentle {
        Ok(p) => println!(
            "accepted: {}",
            serde_json::to_string(&p).unwrap_or_default()
        ),
        Err(e) => println!("unexpectedly refused: {e}"),
    }

    println!("\nWhat the limits refuse, and why:");
    let attempts: [(&str, Result<Protocol, therapy_timer::Error>); 5] = [
        (
            "ice 30 min",
            Protocol::default().with_dose(Phase::Ice, Dose::new(min(30), min(60))),
        ),
        (
            "ice rest 20 min",
            Protocol::default().with_dose(Phase::Ice, Dose::new(min(10), min(20))),
        ),
        (
            "heat 20 min, rest 10 min",
            Protocol::default().with_dose(Phase::Heat, Dose::new(min(20), min(10))),
        ),
        (
            "acute window 3 days",
            Protocol::default().with_acute_window(min(72 * 60)),
        ),
        (
            "a 15-minute ice session on the default protocol",
            Protocol::default()
                .session_length(Phase::Ice, Some(min(15)))
                .map(|_| Protocol::default()),
        ),
    ];
    for (what, result) in attempts {
        match result {
            Ok(_) => println!("  {what}: accepted (this should not happen)"),
            Err(e) => println!("  {what}: {e}"),
        }
    }
    // From a config file, the same rules apply.
    let from_file = serde_json::from_str::<Protocol>(r#"{"heat": {"on": "25m", "rest": "25m"}}"#);
    if let Err(e) = from_file {
        println!("  heat 25 min from JSON: {e}");
    }
}
