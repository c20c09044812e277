//! A course of therapy: one injury, its protocol, quiet hours, and what the
//! person did: the sessions they started, how they answered the prompts,
//! and how much it hurt.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::duration::after;
use crate::entry::Removed;
use crate::error::Error;
use crate::limits::{COURSE_MAX, EVERY_MAX, LOGGED_MAX, REST_MAX};
use crate::pain::PainScore;
use crate::prompt::Prompt;
use crate::protocol::Protocol;
use crate::quiet_hours::QuietHours;
use crate::session::Session;
use crate::skin_check::SkinCheck;

/// The format version [`Course::to_json`] writes. Version 1 is the shape
/// before prompts (no `format` key); it is still read. Pain scores came
/// within version 2: a file without a `pain` key has none; so did skin
/// checks (`skin`).
pub const COURSE_FORMAT: u32 = 2;

/// How far past a time the course may need to compute: the longest course,
/// cadence, logged session and rest, with a day to spare. A time whose
/// horizon is past the end of chrono's calendar is refused up front, so no
/// later computation saturates or panics.
const HORIZON: Duration = Duration::from_secs(
    COURSE_MAX.as_secs() + EVERY_MAX.as_secs() + REST_MAX.as_secs() + 2 * 86_400,
);

/// Only sessions that started this long before the last one can still owe
/// rest after it (a session lasts at most a day, its pack is taken off at
/// most 15 minutes after its end, and a rest is at most 7 days).
const REST_WINDOW: Duration = Duration::from_secs(LOGGED_MAX.as_secs() + REST_MAX.as_secs() + 3600);

/// A course of therapy for one injury: the record of what was done.
///
/// It holds the injury time, the [`Protocol`], optional daily
/// [`QuietHours`], the [`Session`]s done (ordered, never overlapping), the
/// [`PainScore`]s given (ordered by time) and the [`Prompt`]s given and how
/// they were answered. Sessions and scores are the log's entries
/// ([`Entry`](crate::Entry)): they share one numbering, in the order recorded. Every
/// query takes the time it is asked about as an argument; a course never
/// reads the clock. Queries that depend on the local clock (quiet hours)
/// take a time zone: pass `chrono::Local` in a desktop program, a fixed
/// zone in tests.
///
/// A course ends [`Protocol::course_length`] after the injury, or earlier
/// when the person ends it. To run a course over time, hand it to a
/// [`Driver`](crate::Driver).
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Course, Phase, Protocol, QuietHours};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let course = Course::new(injured, Protocol::default())?
///     .with_quiet_hours(Some(QuietHours::default()));
///
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// assert_eq!(course.phase_at(now), Phase::Ice);
/// let first = course.plan(now, &Utc).next().unwrap();
/// assert_eq!(first.start, now);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawCourse")]
pub struct Course {
    injured_at: DateTime<Utc>,
    protocol: Protocol,
    quiet_hours: Option<QuietHours>,
    sessions: Vec<Session>,
    /// Ordered by time; equal times in the order recorded.
    pain: Vec<PainScore>,
    /// Ordered by time; equal times in the order recorded.
    skin: Vec<SkinCheck>,
    prompts: Vec<Prompt>,
    /// The due time of the last prompt slot passed (announced, answered
    /// ahead, or gone by while nobody was there to announce it).
    prompted: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    next_id: u32,
    /// False for a course started without an injury time (see
    /// [`Course::without_injury`]).
    injury_known: bool,
    /// The entry removed last, while nothing was recorded since: what an
    /// undo puts back (see [`Course::undo`]).
    removed: Option<Removed>,
}

/// The oldest injury a course accepts, before the time it is given.
const INJURY_MAX_AGE: chrono::TimeDelta = chrono::TimeDelta::days(365);

impl Course {
    /// A course for an injury at `injured_at`, with no quiet hours and
    /// nothing done yet.
    ///
    /// # Errors
    ///
    /// [`Error::TimeOutOfRange`] for an injury so near the end of chrono's
    /// calendar that the course's times cannot be computed.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{DateTime, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default())?.sessions().is_empty());
    /// assert!(matches!(
    ///     Course::new(DateTime::<Utc>::MAX_UTC, Protocol::default()).unwrap_err(),
    ///     Error::TimeOutOfRange { .. }
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(injured_at: DateTime<Utc>, protocol: Protocol) -> Result<Course, Error> {
        in_range(injured_at)?;
        Ok(Course {
            injured_at,
            protocol,
            quiet_hours: None,
            sessions: Vec::new(),
            pain: Vec::new(),
            skin: Vec::new(),
            prompts: Vec::new(),
            prompted: None,
            ended_at: None,
            next_id: 1,
            injury_known: true,
            removed: None,
        })
    }

    /// A course for sessions done before anyone said when the injury
    /// happened (a session started with an explicit phase). It counts from
    /// `first`, the first session's start, and moves back with any earlier
    /// session recorded. It has the rest rules and the stops, but no phase
    /// of its own, no prompts, review or end notice, until its injury time
    /// is given with [`Input::CorrectInjury`](crate::Input::CorrectInjury).
    ///
    /// # Errors
    ///
    /// As [`Course::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::without_injury(t, Protocol::default())?;
    /// assert!(!course.injury_known());
    /// assert_eq!(course.next_prompt(&Utc), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn without_injury(first: DateTime<Utc>, protocol: Protocol) -> Result<Course, Error> {
        let mut course = Course::new(first, protocol)?;
        course.injury_known = false;
        Ok(course)
    }

    /// Whether the injury time was given; false for a course made with
    /// [`Course::without_injury`] and not corrected since.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default())?.injury_known());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn injury_known(&self) -> bool {
        self.injury_known
    }

    /// This course with another injury time (a correction, or the first
    /// one for a course made with [`Course::without_injury`]); prompts due
    /// before it are dropped. A driver takes it as
    /// [`Input::CorrectInjury`](crate::Input::CorrectInjury).
    ///
    /// # Errors
    ///
    /// [`Error::InjuryAfterSession`] if a session in the log starts before
    /// it; [`Error::TimeOutOfRange`] at the end of the calendar.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::without_injury(t, Protocol::default())?;
    /// course.record(Session::logged(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// let course = course.with_injured_at(t - TimeDelta::hours(2))?;
    /// assert!(course.injury_known());
    /// let late = course.with_injured_at(t + TimeDelta::hours(1)).unwrap_err();
    /// assert!(matches!(late, Error::InjuryAfterSession { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_injured_at(mut self, injured_at: DateTime<Utc>) -> Result<Course, Error> {
        self.correct_injury(injured_at)?;
        Ok(self)
    }

    /// Checks an injury time given at `at`: not after it, and not more
    /// than a year before it (a typo such as a wrong year: a course times
    /// the days after an injury).
    ///
    /// # Errors
    ///
    /// [`Error::InjuryInFuture`], [`Error::InjuryTooOld`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error};
    ///
    /// let now = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::check_injury_time(now - TimeDelta::hours(3), now).is_ok());
    /// let typo = now - TimeDelta::days(400);
    /// assert_eq!(Course::check_injury_time(typo, now).unwrap_err(), Error::InjuryTooOld { injured_at: typo });
    /// ```
    pub fn check_injury_time(injured_at: DateTime<Utc>, at: DateTime<Utc>) -> Result<(), Error> {
        if injured_at > at {
            return Err(Error::InjuryInFuture {
                injured_at,
                now: at,
            });
        }
        if at
            .checked_sub_signed(INJURY_MAX_AGE)
            .is_some_and(|t| injured_at < t)
        {
            return Err(Error::InjuryTooOld { injured_at });
        }
        Ok(())
    }

    /// This course with quiet hours (or none): no prompt comes in them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, QuietHours};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?.with_quiet_hours(Some(QuietHours::default()));
    /// assert_eq!(course.quiet_hours(), Some(QuietHours::default()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_quiet_hours(mut self, quiet_hours: Option<QuietHours>) -> Course {
        self.quiet_hours = quiet_hours;
        self
    }

    /// This course with another protocol; the history stays.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let short = Protocol::default().with_acute_window(Duration::from_secs(24 * 3600))?;
    /// let course = Course::new(injured, Protocol::default())?.with_protocol(short);
    /// assert_eq!(course.protocol(), &short);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_protocol(mut self, protocol: Protocol) -> Course {
        self.protocol = protocol;
        self
    }

    /// When the injury happened.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.injured_at(), injured);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn injured_at(&self) -> DateTime<Utc> {
        self.injured_at
    }

    /// The protocol in use.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.protocol(), &Protocol::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    /// The quiet hours, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.quiet_hours(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn quiet_hours(&self) -> Option<QuietHours> {
        self.quiet_hours
    }

    /// Serializes the course as JSON, with its format version.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// let json = course.to_json();
    /// assert!(json.starts_with(r#"{"format":2,"#));
    /// assert_eq!(Course::from_json(&json)?, course);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        crate::json::write(self)
    }

    /// Reads a course from JSON: this version's shape, or the first one
    /// (no `format` key). Sessions may come in any order; reading is
    /// O(n log n). Errors stay typed: a broken rule is the same [`Error`]
    /// as in code; bad JSON is [`Error::Data`]; a newer format is
    /// [`Error::UnsupportedFormat`].
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Course, Error};
    ///
    /// let old = r#"{"injured_at":"2026-03-01T08:00:00Z","sessions":[
    ///   {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"}]}"#;
    /// assert_eq!(Course::from_json(old)?.sessions().len(), 1);
    /// assert!(matches!(
    ///     Course::from_json(r#"{"format":9,"injured_at":"2026-03-01T08:00:00Z"}"#).unwrap_err(),
    ///     Error::UnsupportedFormat { found: 9, .. }
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Course, Error> {
        crate::json::read::<RawCourse, Course>(json, "course")
    }
}

/// Checks that every time the course may compute after `at` is in range.
pub(crate) fn in_range(at: DateTime<Utc>) -> Result<(), Error> {
    match after(at, HORIZON) {
        Some(_) => Ok(()),
        None => Err(Error::TimeOutOfRange { at }),
    }
}

// The course's look-ahead, under the course that it reads (issue 16: no
// import cycle between a `plan` and a `course` module).
pub(crate) mod plan;
mod prompts;
mod record;
mod rest;
mod skin;
mod span;
mod stored;

pub(crate) use stored::RawCourse;

#[cfg(test)]
mod tests;
