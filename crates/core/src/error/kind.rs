//! What kind of error it is, and the values an app words it from.

use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use core::time::Duration;

use chrono::{DateTime, Utc};

use super::Error;
use crate::limits::{
    ACUTE_WINDOW_MAX, ACUTE_WINDOW_MIN, COURSE_MAX, COURSE_MIN, EVERY_MAX, LOGGED_MAX, REST_MAX,
    REVIEW_MAX,
};

/// What kind of error an [`Error`] is: what an app does about it (the
/// exit code of a command line tool, a dialog's buttons).
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, Driver, ErrorKind, Input, Protocol};
///
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut driver = Driver::new(Course::new(t, Protocol::default())?);
/// let start = |at| Input::Start { at, phase: None, length: None, force: false };
/// driver.handle_input(start(t), &Utc)?;
/// let err = driver.handle_input(start(t + TimeDelta::minutes(3)), &Utc).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::NotNow);
/// assert_eq!(err.retry_at(), Some(t + TimeDelta::minutes(10)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input itself is wrong: a value beyond a safety limit or outside
    /// its range, malformed, or a time that cannot be. It must change.
    Invalid,
    /// Not now: the rest after a session is not over, a session is on, or
    /// the skin was found numb or blistered. The same input may be accepted
    /// later ([`Error::retry_at`]; after a `normal` skin check for
    /// [`Error::SkinPaused`], which has no time).
    NotNow,
    /// The input does not fit the record: nothing to stop, no prompt, the
    /// course is over, no such entry, a session that overlaps another or
    /// comes before the injury.
    Conflict,
    /// Data that cannot be read: not JSON of this kind, or a newer format.
    Data,
}

impl Error {
    /// What kind of error it is.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{ErrorKind, Phase, Protocol};
    ///
    /// let err = Protocol::default()
    ///     .session_length(Phase::Ice, Some(Duration::from_secs(1800)))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Invalid);
    /// assert_eq!(err.limit(), Some(Duration::from_secs(600)));
    /// ```
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotRested { .. } | Error::AlreadyRunning { .. } | Error::SkinPaused { .. } => {
                ErrorKind::NotNow
            }
            Error::SessionOverlaps { .. }
            | Error::NoRunningSession { .. }
            | Error::BeforeInjury { .. }
            | Error::CourseEnded { .. }
            | Error::NothingToStop
            | Error::NoPrompt
            | Error::NothingToSnooze { .. }
            | Error::NoSuchSession { .. }
            | Error::SessionRunning { .. }
            | Error::InjuryAfterSession { .. } => ErrorKind::Conflict,
            Error::Data { .. } | Error::UnsupportedFormat { .. } => ErrorKind::Data,
            _ => ErrorKind::Invalid,
        }
    }

    /// What is wrong, without the fix the message goes on to suggest: for
    /// an app that says where the value came from and what to do in its
    /// own words (a state file: "move it aside").
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// let err = Protocol::default()
    ///     .session_length(Phase::Ice, Some(Duration::from_secs(1800)))
    ///     .unwrap_err();
    /// assert_eq!(err.problem(), "an ice session of 30m is longer than the 10m safety limit");
    /// ```
    #[must_use]
    pub fn problem(&self) -> String {
        let message = self.to_string();
        match self {
            // Its text is serde's or a finding of its own: all problem.
            Error::Data { .. } => message,
            // Every other message is "problem; fix", as written above.
            _ => match message.split_once("; ") {
                Some((problem, _)) => problem.to_owned(),
                None => message,
            },
        }
    }

    /// For a [`ErrorKind::NotNow`] error, when the same input may be
    /// accepted: the end of the rest, or of the session under way.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Error;
    ///
    /// assert_eq!(Error::NothingToStop.retry_at(), None);
    /// ```
    #[must_use]
    pub fn retry_at(&self) -> Option<DateTime<Utc>> {
        match *self {
            Error::NotRested { until, .. } => Some(until),
            Error::AlreadyRunning { ends, .. } => Some(ends),
            _ => None,
        }
    }

    /// The limit a value broke, for an error about a limit: the safety
    /// limit of a session, the least rest, the allowed range's end that
    /// was passed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Error, Phase};
    ///
    /// let e = Error::RestTooShort {
    ///     phase: Phase::Ice,
    ///     rest: Duration::from_secs(1800),
    ///     minimum: Duration::from_secs(3600),
    /// };
    /// assert_eq!(e.limit(), Some(Duration::from_secs(3600)));
    /// assert_eq!(e.to_string(), "a rest of 30m after ice is shorter than the 1h safety minimum; rest at least 1h");
    /// ```
    #[must_use]
    pub fn limit(&self) -> Option<Duration> {
        match *self {
            Error::SessionTooLong { limit, .. } => Some(limit),
            Error::LongerThanProtocol { protocol, .. } => Some(protocol),
            Error::RestTooShort { minimum, .. } | Error::EveryTooShort { minimum, .. } => {
                Some(minimum)
            }
            Error::RestTooLong { .. } => Some(REST_MAX),
            Error::ReviewTooLate { .. } => Some(REVIEW_MAX),
            Error::EveryTooLong { .. } => Some(EVERY_MAX),
            Error::LoggedTooLong { .. } => Some(LOGGED_MAX),
            Error::AcuteWindowOutOfRange { window } => Some(if window < ACUTE_WINDOW_MIN {
                ACUTE_WINDOW_MIN
            } else {
                ACUTE_WINDOW_MAX
            }),
            Error::CourseLengthOutOfRange { length } => Some(if length < COURSE_MIN {
                COURSE_MIN
            } else {
                COURSE_MAX
            }),
            _ => None,
        }
    }
}
