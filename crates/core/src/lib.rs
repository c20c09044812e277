//! A pure model of the ice and heat protocol for back spasms: its safety
//! limits, the course of prompts and sessions, and the events a timer
//! announces.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use therapy_timer::{Course, Phase, Protocol, QuietHours};
//!
//! // Hurt at 08:00; quiet hours 22:00-07:00 on this person's clock (UTC here).
//! let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
//! let course = Course::new(injured, Protocol::default())?
//!     .with_quiet_hours(Some(QuietHours::default()));
//!
//! for session in course.plan(injured, &Utc).take(3) {
//!     println!("{} {} to {}", session.phase, session.start, session.end);
//! }
//! let first = course.plan(injured, &Utc).next().unwrap();
//! assert_eq!((first.phase, first.end - first.start), (Phase::Ice, TimeDelta::minutes(10)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **This crate is not a medical device.** It encodes what care articles say
//! about cold and heat for muscle spasms; it does not diagnose anything.
//! Numbness, tingling or weakness in the legs, loss of bladder or bowel
//! control, a high fever, unexplained weight loss, spasms after a fall or
//! accident, or severe pain that does not improve need a clinician at once.
//!
//! # Overview
//!
//! One round of the protocol, and the types for each step:
//!
//! 1. **Prompt.** "Time for ice": a [`Prompt`], a suggestion at a time. It
//!    is not a session. The person starts a session, skips the prompt or
//!    snoozes it; a prompt nobody answers is recorded as missed and owes no
//!    rest. The next prompt comes one cadence ([`Protocol::every`]: ice
//!    every 1 h 10 min, heat every 3 h) after the last prompt or session
//!    start, never in [`QuietHours`], never before the rest is over.
//! 2. **Session.** A [`Session`] exists only when someone starts it: ice at
//!    most 10 min, heat at most 20 min (the safety [`limits`]); longer is
//!    refused, never timed.
//! 3. **Stop.** At its end the stop is announced: a *safety event* for ice
//!    and for heat (critical, at any hour). Until someone says the pack is
//!    off, the session is *overdue* and the stop repeats every 5 minutes, at
//!    most 3 times. The record says how it ended ([`Off`]).
//! 4. **Rest.** At least an hour after ice, at least as long as the session
//!    after heat, whatever comes next ([`Course::readiness`]).
//! 5. **Next prompt**, and so on: ice in the acute window (24–48 h), then
//!    heat (one [`EventKind::PhaseChange`] notice marks it), a clinician
//!    review reminder at 72 h, and an end: a [`Course`] ends after 7 days
//!    (1 to 30) or when the person ends it, with one notice to see a
//!    clinician if spasms persist.
//! 6. **Pain.** The person scores their pain, 0 to 10, now and then: a
//!    [`PainScore`]. A score of 8 or more ([`limits::SEVERE_PAIN`]) is
//!    announced at once ([`EventKind::SeeClinician`]); the review and the
//!    end carry the [`PainTrend`], which says when the pain is no better
//!    than at first.
//! 7. **Skin.** After a session the person may say how the skin is: a
//!    [`SkinCheck`] ([`Skin`]: normal, red, numb, blistered). Numb or
//!    blistered pauses cold and heat, prompts and starts, until a normal
//!    check ([`Course::skin_pause`], [`Error::SkinPaused`]); blistered is
//!    also a critical [`EventKind::SeeClinician`] at once; red after heat
//!    makes the next heat prompt say to skip it if still red.
//!
//! A [`Course`] is the record: the injury, the [`Protocol`], the sessions,
//! the pain scores and skin checks (the log's [`Entry`]s) and the prompts. A [`Driver`]
//! runs it over time: the app asks it when to wake
//! ([`Driver::poll_timeout`]), tells it the time
//! ([`Driver::handle_timeout`]), drains the [`Event`]s to announce
//! ([`Driver::poll_event`]) and feeds it what the person did
//! ([`Driver::handle_input`] with an [`Input`]). [`Course::plan`] looks
//! ahead (a printed plan, a calendar) by the same rules.
//!
//! The crate never reads the clock, sleeps, touches files or talks to D-Bus.
//! Time goes in as a value and answers come out as values, so an app drives
//! it with its own clock and tests run weeks of course in microseconds.
//! Durations are [`core::time::Duration`] everywhere (the same type as
//! `std::time::Duration`; lengths are never negative, and it is what
//! humantime reads and writes); instants are
//! `chrono::DateTime<Utc>`. Durations are real elapsed time (a 60-minute
//! rest is 60 minutes across a clock change); quiet hours follow the local
//! clock of the time zone passed in. No arithmetic saturates: a time too
//! near the end of the calendar is an [`Error::TimeOutOfRange`].
//!
//! # Examples
//!
//! The loop an app writes around a [`Driver`], with its own clock (here
//! simulated: a day passes in microseconds):
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use therapy_timer::{Course, Driver, EventKind, Input, Protocol, QuietHours};
//!
//! let injured = Utc.with_ymd_and_hms(2026, 3, 1, 7, 30, 0).unwrap();
//! let course = Course::new(injured, Protocol::default())?
//!     .with_quiet_hours(Some(QuietHours::default()));
//! let mut driver = Driver::new(course);
//! let mut announced = Vec::new();
//! let end_of_day = injured + TimeDelta::hours(24);
//! while let Some(wake) = driver.poll_timeout(&Utc).filter(|t| *t < end_of_day) {
//!     // A real app sleeps until `wake` (or until the person acts).
//!     driver.handle_timeout(wake, &Utc);
//!     while let Some(event) = driver.poll_event() {
//!         announced.push(event.kind());
//!         if event.kind() == EventKind::Prompt {
//!             // The person puts the ice on (over a towel) and presses Start.
//!             driver.handle_input(
//!                 Input::Start { at: wake, phase: None, length: None, force: false },
//!                 &Utc,
//!             )?;
//!         }
//!         if event.kind() == EventKind::Stop {
//!             // ... and says the pack is off.
//!             driver.handle_input(Input::ConfirmOff { at: wake }, &Utc)?;
//!         }
//!     }
//! }
//! let sessions = driver.course().sessions().len();
//! assert_eq!(announced.iter().filter(|k| **k == EventKind::Prompt).count(), sessions);
//! assert!(announced.iter().all(|k| *k != EventKind::Repeat));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The rest after a session is owed whatever comes next:
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use therapy_timer::{Course, Phase, Protocol, Readiness, Session};
//!
//! let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
//! let mut course = Course::new(injured, Protocol::default())?;
//! let iced = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
//! course.record(Session::completed(Phase::Ice, iced, iced + TimeDelta::minutes(10))?)?;
//!
//! let now = iced + TimeDelta::minutes(30);
//! assert_eq!(
//!     course.readiness(now),
//!     Readiness::Resting { after: Phase::Ice, until: iced + TimeDelta::minutes(70) }
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Everything is serde-friendly, with durations in humantime form; every
//! key of a protocol is optional:
//!
//! ```
//! use therapy_timer::Protocol;
//!
//! let p: Protocol = serde_json::from_str(r#"{"heat": {"on": "20m", "rest": "30m"}}"#)?;
//! assert_eq!(p.dose(therapy_timer::Phase::Heat).on.as_secs(), 1200);
//! assert!(serde_json::from_str::<Protocol>(r#"{"ice": {"on": "30m"}}"#).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Pain scores go in as an input; the review says when the pain is no
//! better:
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use therapy_timer::{Course, Driver, EventKind, Input, Protocol};
//!
//! let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
//! let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
//! for (day, score) in [6, 6, 7].into_iter().enumerate() {
//!     let at = injured + TimeDelta::days(day as i64) + TimeDelta::hours(1);
//!     driver.handle_input(Input::Pain { at, score, note: None }, &Utc)?;
//! }
//! driver.handle_timeout(injured + TimeDelta::hours(72), &Utc);
//! let review = std::iter::from_fn(|| driver.poll_event())
//!     .find(|e| e.kind() == EventKind::Review)
//!     .unwrap();
//! assert!(review.trend().is_some_and(|t| t.is_no_better()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `examples/` folder of the repository has more: a day's plan, custom
//! protocols, an app's driver loop and a heating pad that reports its own
//! sessions.
//!
//! # Crate features
//!
//! - `std` (on by default): the standard library. Without it the crate is
//!   `#![no_std]` with `alloc` (firmware with an allocator, a heating pad's
//!   controller), and everything in it works the same: the error type
//!   implements `core::error::Error` either way (which *is*
//!   `std::error::Error`), durations are `core::time::Duration`. What `std`
//!   adds: durations read and written by `humantime` (without it, by the
//!   crate's own reader and writer, which give the same answers on every
//!   form these docs use: whole numbers with units, `10m`, `1h 30m`,
//!   `48h`, `7days`, `1s 500ms`; only fractions such as `1.5h`, which
//!   humantime also reads, are refused), and the `std` features of
//!   `chrono`, `serde` and `serde_json`. Build for a device with
//!   `default-features = false`.
//! - `schemars` (off by default): the types that serialize to what an app
//!   shows or sends ([`Event`], [`Session`], [`Readiness`], [`PlannedSession`],
//!   [`PainTrend`], [`Phase`] and their parts) implement
//!   `schemars::JsonSchema`, so an app can publish the schema of its JSON
//!   (the CLI's are in `docs/schema/`). Durations are humantime strings in
//!   the schema as in the JSON. Turns on `std`.
//!
//! The crate depends on `chrono` (time), `serde` and `serde_json` (data) and,
//! with `std`, `humantime` (durations as people write them).

// Unit tests link std (the test harness needs it) whatever the features.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![forbid(unsafe_code)]

extern crate alloc;

mod course;
mod driver;
mod duration;
mod entry;
mod error;
mod event;
mod json;
pub mod limits;
mod pain;
mod phase;
mod prompt;
mod protocol;
mod quiet_hours;
mod readiness;
pub mod safety;
mod session;
mod skin;
mod skin_check;
mod trend;

pub use course::plan::{Plan, PlannedSession};
pub use course::{Course, COURSE_FORMAT};
pub use driver::{Applied, Driver, Input, DRIVER_FORMAT};
pub use duration::words as say_duration;
pub use entry::{Entry, Removed};
pub use error::{Error, ErrorKind, Setting};
pub use event::{ClinicianReason, Event, EventKind, Urgency};
pub use pain::{PainRelation, PainScore, PainWhen};
pub use phase::Phase;
pub use prompt::{Answer, Prompt};
pub use protocol::{Dose, Protocol};
pub use quiet_hours::QuietHours;
pub use readiness::{Advisory, Readiness};
pub use session::{Off, OffBy, Outcome, Session};
pub use skin::Skin;
pub use skin_check::SkinCheck;
pub use trend::PainTrend;

// The README's Rust example, compiled and run as a doctest of this crate so
// that it cannot drift from the API (issue 15). Only under `cfg(doctest)`:
// the published crate does not carry the workspace's README.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
