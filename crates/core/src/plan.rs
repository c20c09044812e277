//! The plan: the sessions to come, computed lazily.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::phase::Phase;
use crate::protocol::{after, Protocol};
use crate::quiet_hours::QuietHours;

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
/// let first = Course::new(injured, Protocol::default()).plan(injured, &Utc).next().unwrap();
/// assert_eq!(
///     serde_json::to_string(&first)?,
///     r#"{"phase":"ice","start":"2026-03-01T08:00:00Z","end":"2026-03-01T08:10:00Z"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlannedSession {
    /// The phase at the session's start.
    pub phase: Phase,
    /// When it should start.
    pub start: DateTime<Utc>,
    /// When it should stop.
    pub end: DateTime<Utc>,
}

/// The planned sessions, an endless lazy iterator from
/// [`Course::plan`](crate::Course::plan).
///
/// It owns what it needs (no borrow of the course), so an application can
/// keep it across its own event loop.
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, Protocol};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let plan = Course::new(injured, Protocol::default()).plan(injured, &Utc);
/// let starts: Vec<_> = plan.take(3).map(|s| s.start - injured).collect();
/// assert_eq!(starts, [TimeDelta::zero(), TimeDelta::minutes(70), TimeDelta::minutes(140)]);
/// ```
#[derive(Debug, Clone)]
pub struct Plan<Tz: TimeZone> {
    protocol: Protocol,
    injured_at: DateTime<Utc>,
    quiet_hours: Option<QuietHours>,
    tz: Tz,
    next: Option<DateTime<Utc>>,
}

impl<Tz: TimeZone> Plan<Tz> {
    pub(crate) fn new(
        protocol: Protocol,
        injured_at: DateTime<Utc>,
        quiet_hours: Option<QuietHours>,
        tz: Tz,
        first: DateTime<Utc>,
    ) -> Plan<Tz> {
        Plan {
            protocol,
            injured_at,
            quiet_hours,
            tz,
            next: Some(first),
        }
    }

    /// Moves `start` out of quiet hours. Two moves always suffice (a second
    /// is needed only when a clock change puts the end back inside quiet
    /// hours); the bound keeps a surprise from looping forever.
    fn out_of_quiet_hours(&self, mut start: DateTime<Utc>) -> DateTime<Utc> {
        if let Some(quiet) = self.quiet_hours {
            for _ in 0..4 {
                if !quiet.contains(start, &self.tz) {
                    break;
                }
                start = quiet.end_after(start, &self.tz);
            }
        }
        start
    }
}

impl<Tz: TimeZone> Iterator for Plan<Tz> {
    type Item = PlannedSession;

    fn next(&mut self) -> Option<PlannedSession> {
        let start = self.out_of_quiet_hours(self.next?);
        let phase = self.protocol.phase_at(self.injured_at, start);
        let dose = self.protocol.dose(phase);
        let end = after(start, dose.on);
        let rest = self.protocol.rest_after(phase, dose.on);
        // At the end of chrono's range the plan simply ends.
        self.next = (end < DateTime::<Utc>::MAX_UTC).then(|| after(end, rest));
        Some(PlannedSession { phase, start, end })
    }
}
