//! A smart heating pad that reports its own sessions to the library.
//!
//! The pad's firmware switches heat on and off itself; it tells the driver
//! "started" and "stopped", and the driver tells it when the session must
//! end (a safety stop: the pad switches off even if nobody is there) and
//! when the next session may begin. The pad refuses a start the protocol
//! does not allow (the rest is not over) and says until when.
//!
//! Run: `cargo run --example heating_pad`

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use therapy_timer::{Course, Driver, Error, EventKind, Input, Phase, Protocol};

/// The pad's hardware, simulated.
#[derive(Debug, Default)]
struct Pad {
    on: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Three days after the injury: the heat phase.
    let injured: DateTime<Utc> = "2026-03-01T08:00:00Z".parse()?;
    let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    let mut pad = Pad::default();
    let mut now = injured + TimeDelta::days(3);

    // The person presses the pad's button: 20 minutes is more than the
    // protocol's 15, so the pad asks for less.
    let press = |driver: &mut Driver, at, minutes: u64| {
        driver.handle_input(
            Input::Start {
                at,
                phase: Some(Phase::Heat),
                length: Some(Duration::from_secs(minutes * 60)),
                force: false,
            },
            &Utc,
        )
    };
    match press(&mut driver, now, 20) {
        Err(e @ Error::LongerThanProtocol { .. }) => println!("pad: refused: {e}"),
        other => println!("pad: unexpected {other:?}"),
    }
    press(&mut driver, now, 15)?;
    pad.on = true;
    println!("{} pad on", now.format("%H:%M"));

    // The pad's own timer: sleep until the driver says, then switch off.
    let off_at = driver.poll_timeout(&Utc).ok_or("no stop planned")?;
    now = off_at;
    driver.handle_timeout(now, &Utc);
    while let Some(event) = driver.poll_event() {
        if event.kind() == EventKind::Stop {
            pad.on = false;
            // The pad switched itself off: the pack is off for sure.
            driver.handle_input(Input::Stop { at: now }, &Utc)?;
            println!("{} pad off (safety stop)", now.format("%H:%M"));
        }
    }

    // Pressed again ten minutes later: the rest is not over.
    now += TimeDelta::minutes(10);
    match press(&mut driver, now, 15) {
        Err(Error::NotRested { until, .. }) => {
            println!(
                "{} pad: resting until {}",
                now.format("%H:%M"),
                until.format("%H:%M")
            )
        }
        other => println!("pad: unexpected {other:?}"),
    }
    let s = driver.course().sessions()[0];
    println!(
        "log: {} {}-{} {:?}, off by {:?}",
        s.phase,
        s.start.format("%H:%M"),
        s.end.format("%H:%M"),
        s.outcome,
        s.off.map(|o| o.by)
    );
    assert!(!pad.on);
    Ok(())
}
