//! Whether a session may start now, and if not, why and until when.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::phase::Phase;

/// The answer to "may a session start now?", from
/// [`Course::readiness`](crate::Course::readiness).
///
/// The rest after a session is owed whatever phase comes next, so readiness
/// does not depend on the phase asked for; see
/// [`Course::advisory`](crate::Course::advisory) for phase advice.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Course, Phase, Protocol, Readiness, Session};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut course = Course::new(injured, Protocol::default())?;
/// let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// course.record(Session::completed(Phase::Ice, start, start + chrono::TimeDelta::minutes(10))?)?;
///
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
/// let ready = course.readiness(now);
/// assert!(!ready.is_ready());
/// assert_eq!(ready.earliest(now), Utc.with_ymd_and_hms(2026, 3, 1, 10, 10, 0).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Readiness {
    /// A session may start now.
    Ready,
    /// A session is under way; the next may start at `until`.
    Running {
        /// The phase of the running session.
        phase: Phase,
        /// When the running session ends.
        ends: DateTime<Utc>,
        /// When the rest after it is over.
        until: DateTime<Utc>,
    },
    /// A session's planned end has passed and nobody has said the pack is
    /// off: take it off now.
    Overdue {
        /// The phase of the overdue session.
        phase: Phase,
        /// When it was due to stop.
        since: DateTime<Utc>,
        /// When the rest after it is over, if it comes off now.
        until: DateTime<Utc>,
    },
    /// The rest after a session is not over yet.
    Resting {
        /// The phase of the session whose rest is owed.
        after: Phase,
        /// When the rest is over.
        until: DateTime<Utc>,
    },
    /// The time asked about is before the recorded injury.
    BeforeInjury {
        /// The injury time.
        until: DateTime<Utc>,
    },
}

impl Readiness {
    /// Whether a session may start now.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Readiness;
    ///
    /// assert!(Readiness::Ready.is_ready());
    /// ```
    #[must_use]
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready)
    }

    /// The earliest time a session may start, given that it is now `now`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::Readiness;
    ///
    /// let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert_eq!(Readiness::Ready.earliest(now), now);
    /// ```
    #[must_use]
    pub fn earliest(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            Readiness::Ready => now,
            Readiness::Running { until, .. }
            | Readiness::Overdue { until, .. }
            | Readiness::Resting { until, .. }
            | Readiness::BeforeInjury { until } => until,
        }
    }
}

/// Advice about the phase of a session someone wants to start. Advice, not a
/// refusal: the safety limits are enforced elsewhere.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Advisory, Course, Phase, Protocol};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let course = Course::new(injured, Protocol::default())?;
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// assert_eq!(
///     course.advisory(Phase::Heat, now),
///     Some(Advisory::HeatInAcuteWindow { heat_from: Utc.with_ymd_and_hms(2026, 3, 3, 8, 0, 0).unwrap() })
/// );
/// assert_eq!(course.advisory(Phase::Ice, now), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "advice", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Advisory {
    /// Heat during the acute window, when the articles advise cold to reduce
    /// inflammation.
    HeatInAcuteWindow {
        /// When the heat phase begins.
        heat_from: DateTime<Utc>,
    },
    /// Ice after the acute window, when the articles advise heat.
    IceAfterAcuteWindow {
        /// When the heat phase began.
        heat_from: DateTime<Utc>,
    },
}
