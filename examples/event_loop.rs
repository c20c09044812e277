//! How another program embeds the crate: its own clock, its own loop.
//!
//! A tray app or a smart heating pad keeps a `Course`, asks it for the next
//! event, waits until then with its own timer, acts, and records what the
//! person did. Here the app's clock is simulated (a day passes in
//! microseconds); a real app would read its clock and sleep.
//!
//! Run: `cargo run --example event_loop`

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use therapy_timer::{Course, Event, EventKind, Protocol, Session, Urgency};

/// The app's own clock. A real one returns `Utc::now()`.
struct SimulatedClock(DateTime<Utc>);

impl SimulatedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn sleep_until(&mut self, t: DateTime<Utc>) {
        self.0 = self.0.max(t);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let injured: DateTime<Utc> = "2026-03-01T18:30:00Z".parse()?;
    let mut course =
        Course::new(injured, Protocol::default()).with_quiet_hours(Some("22:00-07:00".parse()?));
    let mut clock = SimulatedClock(injured + TimeDelta::minutes(5));
    let until = injured + TimeDelta::hours(80);

    let mut last: Option<Event> = None;
    let mut running = None;
    while clock.now() < until {
        // Ask the model for the next thing to do; the app owns the waiting.
        // Asking again from the time of the event just handled returns the
        // events at that time again (the review, say): skip the one handled.
        let Some(event) = course.events(clock.now(), &Utc).find(|e| Some(*e) != last) else {
            break;
        };
        last = Some(event);
        clock.sleep_until(event.at);
        let bang = if event.urgency == Urgency::Critical {
            "!"
        } else {
            " "
        };
        match event.kind {
            EventKind::Start => {
                // The person starts the session when told to. Another person
                // might start later; the app would record that time instead.
                let length = course.protocol().session_length(event.phase, None)?;
                course.record(Session::running(event.phase, clock.now(), length)?)?;
                running = Some(clock.now());
                println!(
                    "{} {bang} start {} for {}",
                    clock.now().format("%d %H:%M"),
                    event.phase,
                    humantime::format_duration(length)
                );
            }
            EventKind::Stop => {
                if let Some(started) = running.take() {
                    course.finish(started, clock.now())?;
                }
                let next = course.readiness(clock.now()).earliest(clock.now());
                println!(
                    "{} {bang} stop {}; next session from {}",
                    clock.now().format("%d %H:%M"),
                    event.phase,
                    next.format("%H:%M")
                );
            }
            EventKind::Review => println!(
                "{} {bang} spasms that last beyond a few days need a clinician",
                clock.now().format("%d %H:%M")
            ),
        }
    }
    let done = course.sessions().len();
    let on: Duration = course.sessions().iter().map(Session::length).sum();
    println!(
        "\n{done} sessions, {} of ice and heat in all",
        humantime::format_duration(on)
    );
    Ok(())
}
