//! The loop an app writes around the library's `Driver`: its own clock,
//! its own sleep.
//!
//! A tray app asks the driver when to wake, sleeps until then (or until
//! the person presses a button), tells the driver the time, announces what
//! comes out, and feeds back what the person did. Here the clock is
//! simulated (two days pass in microseconds) and so is the person: they
//! answer most prompts, snooze some, miss some, and once forget the ice.
//!
//! Run: `cargo run --example event_loop`

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use therapy_timer::{Course, Driver, Event, EventKind, Input, Protocol};

/// The app's own clock. A real one returns `Utc::now()` and sleeps.
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
    let course =
        Course::new(injured, Protocol::default())?.with_quiet_hours(Some("22:00-07:00".parse()?));
    let mut driver = Driver::new(course);
    let mut clock = SimulatedClock(injured);
    let until = injured + TimeDelta::days(2);
    let mut prompts = 0;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();

    while let Some(wake) = driver.poll_timeout(&Utc) {
        if wake >= until {
            break;
        }
        clock.sleep_until(wake);
        driver.handle_timeout(clock.now(), &Utc);
        while let Some(event) = driver.poll_event() {
            announce(&event, clock.now());
            *counts.entry(name(event.kind())).or_default() += 1;
            match event.kind() {
                EventKind::Prompt => {
                    prompts += 1;
                    // The person's answer, a few minutes later.
                    let at = clock.now() + TimeDelta::minutes(3);
                    let input = match prompts % 7 {
                        3 => Input::Snooze {
                            at,
                            until: at + TimeDelta::minutes(10),
                        },
                        5 => continue, // missed: nobody answers
                        _ => Input::Start {
                            at,
                            phase: None,
                            length: None,
                            force: false,
                        },
                    };
                    clock.sleep_until(at);
                    driver.handle_input(input, &Utc)?;
                }
                EventKind::Stop | EventKind::Repeat => {
                    // Once the person forgets the pack and answers only the
                    // second repeat; otherwise they take it off at once.
                    if prompts == 4 && !matches!(event, Event::Repeat { repeat: 2.., .. }) {
                        continue;
                    }
                    driver.handle_input(Input::ConfirmOff { at: clock.now() }, &Utc)?;
                }
                _ => {}
            }
        }
    }
    println!();
    println!("Events: {counts:?}");
    let sessions = driver.course().sessions();
    println!(
        "Sessions started: {}; prompts given: {}, missed: {}",
        sessions.len(),
        driver.course().prompts().len(),
        driver
            .course()
            .prompts()
            .iter()
            .filter(|p| p.answer == therapy_timer::Answer::Missed)
            .count()
    );
    Ok(())
}

fn name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Prompt => "prompt",
        EventKind::Stop => "stop",
        EventKind::Repeat => "repeat",
        EventKind::PhaseChange => "phase change",
        EventKind::Review => "review",
        EventKind::CourseEnd => "course end",
        _ => "other",
    }
}

fn announce(event: &Event, now: DateTime<Utc>) {
    let when = now.format("%a %H:%M");
    let what = match event.kind() {
        EventKind::Prompt => format!("time for {}", event.phase()),
        EventKind::Stop => format!("take the {} off now (critical)", event.phase()),
        EventKind::Repeat => format!(
            "the {} is still on? take it off (repeat {} of {})",
            event.phase(),
            match event {
                Event::Repeat { repeat, .. } => *repeat,
                _ => 0,
            },
            therapy_timer::limits::REPEATS
        ),
        EventKind::PhaseChange => "from now on, heat instead of ice".into(),
        EventKind::Review => "spasms this long need a clinician".into(),
        EventKind::CourseEnd => "the course is over".into(),
        _ => format!("{:?}", event.kind()),
    };
    println!("{when}  {what}");
}
