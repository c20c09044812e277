//! The plan: the sessions to come, computed lazily.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::Course;
use crate::duration::after;
use crate::phase::Phase;

/// One session of the plan.
///
/// In JSON: `{"phase": "ice", "start": "2026-03-01T08:00:00Z", "end": "2026-03-01T08:10:00Z"}`.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Course, Protocol};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let first = Course::new(injured, Protocol::default())?.plan(injured, &Utc).next().unwrap();
/// assert_eq!(
///     serde_json::to_string(&first)?,
///     r#"{"phase":"ice","start":"2026-03-01T08:00:00Z","end":"2026-03-01T08:10:00Z"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlannedSession {
    /// The phase at the session's start.
    pub phase: Phase,
    /// When it should start.
    pub start: DateTime<Utc>,
    /// When it should stop.
    pub end: DateTime<Utc>,
}

impl PlannedSession {
    /// A planned session of `phase` from `start` to `end` (for a caller's
    /// own tests and previews; [`Course::plan`] makes the real ones).
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Phase, PlannedSession};
    ///
    /// let t = chrono::DateTime::UNIX_EPOCH;
    /// assert_eq!(PlannedSession::new(Phase::Ice, t, t).phase, Phase::Ice);
    /// ```
    #[must_use]
    pub const fn new(phase: Phase, start: DateTime<Utc>, end: DateTime<Utc>) -> PlannedSession {
        PlannedSession { phase, start, end }
    }
}

/// The planned sessions, a lazy iterator from
/// [`Course::plan`](crate::Course::plan) that ends with the course.
///
/// It borrows the course: a plan is a look-ahead from what was done so far,
/// and after anything new is done (a session, a skipped prompt) ask the
/// course for a new one. To act over time, use a
/// [`Driver`](crate::Driver).
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, Protocol};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let course = Course::new(injured, Protocol::default())?;
/// let starts: Vec<_> = course.plan(injured, &Utc).take(3).map(|s| s.start - injured).collect();
/// assert_eq!(starts, [TimeDelta::zero(), TimeDelta::minutes(70), TimeDelta::minutes(140)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Plan<'a, Tz: TimeZone> {
    course: &'a Course,
    tz: Tz,
    next: Option<DateTime<Utc>>,
}

impl<'a, Tz: TimeZone> Plan<'a, Tz> {
    pub(crate) fn new(course: &'a Course, tz: Tz, first: Option<DateTime<Utc>>) -> Plan<'a, Tz> {
        Plan {
            course,
            tz,
            next: first,
        }
    }
}

impl<Tz: TimeZone> Iterator for Plan<'_, Tz> {
    type Item = PlannedSession;

    fn next(&mut self) -> Option<PlannedSession> {
        let start = self.next.take()?;
        let phase = self.course.phase_at(start);
        let end = after(start, self.course.protocol().dose(phase).on)?;
        // The cadence is at least the session and its rest, so the rest is
        // kept; quiet hours and the end of the course come last.
        self.next = self
            .course
            .after_cadence(start)
            .and_then(|t| match self.course.quiet_hours() {
                Some(q) => q.next_open(t, &self.tz),
                None => Some(t),
            })
            .filter(|t| *t < self.course.ends_at());
        Some(PlannedSession { phase, start, end })
    }
}
