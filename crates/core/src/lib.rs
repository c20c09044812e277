//! A pure model of the ice and heat protocol for back spasms: its safety
//! limits, the schedule and the events a timer announces.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use therapy_timer::{Course, Phase, Protocol, QuietHours};
//!
//! // Hurt at 08:00; quiet hours 22:00-07:00 on this person's clock (UTC here).
//! let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
//! let course = Course::new(injured, Protocol::default())
//!     .with_quiet_hours(Some(QuietHours::default()));
//!
//! for session in course.plan(injured, &Utc).take(3) {
//!     println!("{} {} to {}", session.phase, session.start, session.end);
//! }
//! let first = course.plan(injured, &Utc).next().unwrap();
//! assert_eq!((first.phase, first.end - first.start), (Phase::Ice, TimeDelta::minutes(10)));
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
//! - [`Protocol`]: per [`Phase`], a [`Dose`] (session length and rest after
//!   it), the acute window (ice first, heat after) and the clinician review
//!   point. Every `Protocol` satisfies the safety [`limits`]: ice at most
//!   10 min with at least an hour off, heat at most 20 min with at least as
//!   long off, an acute window of 24 h to 48 h, review by 72 h. Breaking one
//!   is an [`Error`] that names it, never a panic or a silent clamp.
//! - [`Course`]: one injury, its protocol, optional [`QuietHours`] and the
//!   [`Session`]s done. Its queries all take the time as an argument:
//!   [`Course::phase_at`], [`Course::readiness`] (may a session start now,
//!   else when), [`Course::plan`] (a lazy iterator of [`PlannedSession`]s)
//!   and [`Course::events`] (a lazy iterator of [`Event`]s, each with an
//!   [`Urgency`]: an ice stop is critical).
//!
//! The crate never reads the clock, sleeps, touches files or talks to D-Bus.
//! Time goes in as a value and answers come out as values, so an app drives
//! it with its own clock and tests can run weeks of schedule in
//! microseconds. Durations are real elapsed time (a 60-minute rest is 60
//! minutes across a clock change); quiet hours follow the local clock of the
//! time zone passed in.
//!
//! # Examples
//!
//! The rest after a session is owed whatever comes next:
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use therapy_timer::{Course, Phase, Protocol, Readiness, Session};
//!
//! let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
//! let mut course = Course::new(injured, Protocol::default());
//! let iced = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
//! course.record(Session::new(Phase::Ice, iced, iced + TimeDelta::minutes(10))?)?;
//!
//! let now = iced + TimeDelta::minutes(30);
//! assert_eq!(
//!     course.readiness(now),
//!     Readiness::Resting { after: Phase::Ice, until: iced + TimeDelta::minutes(70) }
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Everything is serde-friendly, with durations in humantime form:
//!
//! ```
//! use therapy_timer::Protocol;
//!
//! let p: Protocol = serde_json::from_str(r#"{"heat": {"on": "20m", "rest": "30m"}}"#)?;
//! assert_eq!(p.dose(therapy_timer::Phase::Heat).on.as_secs(), 1200);
//! assert!(serde_json::from_str::<Protocol>(r#"{"ice": {"on": "30m", "rest": "1h"}}"#).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `examples/` folder of the repository has more: a day's plan, custom
//! protocols and an app's own event loop.
//!
//! # Crate features
//!
//! None. The crate depends on `chrono` (time), `serde` (data) and
//! `humantime` (durations as people write them).

#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![forbid(unsafe_code)]

mod course;
mod duration;
mod error;
mod event;
pub mod limits;
mod phase;
mod plan;
mod protocol;
mod quiet_hours;
mod readiness;
mod session;

pub use course::Course;
pub use error::{Error, Setting};
pub use event::{Event, EventKind, Events, Urgency};
pub use phase::Phase;
pub use plan::{Plan, PlannedSession};
pub use protocol::{Dose, Protocol};
pub use quiet_hours::QuietHours;
pub use readiness::{Advisory, Readiness};
pub use session::{Outcome, Session};
