//! The rest owed after sessions, and whether a session may start.

use chrono::{DateTime, Utc};

use super::{Course, REST_WINDOW};
use crate::duration::after;
use crate::phase::Phase;
use crate::readiness::{Advisory, Readiness};
use crate::session::Session;

impl Course {
    /// When the rest owed after the recorded sessions is over, and the
    /// session it is owed for; `None` with no sessions.
    ///
    /// Every session's rest is owed whatever comes next (a short forced
    /// session does not cancel the hour owed after ice). It counts from when
    /// the pack came off: the end, or a later "it is off", but no later
    /// than the last repeat of the stop. O(log n) in the sessions.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// let (until, _) = course.rest_until().unwrap();
    /// assert_eq!(until, t + TimeDelta::minutes(70));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn rest_until(&self) -> Option<(DateTime<Utc>, &Session)> {
        let last = self.sessions.last()?;
        // Sessions that started long before the last cannot owe rest past
        // the last one's; look at the rest only.
        let from = last
            .start
            .checked_sub_signed(chrono::TimeDelta::from_std(REST_WINDOW).ok()?)
            .map_or(0, |t| self.sessions.partition_point(|s| s.start < t));
        self.sessions[from..]
            .iter()
            .filter_map(|s| {
                let off = s.off_for_rest();
                let length = crate::duration::since(s.start, off);
                let rest = self.protocol.rest_after(s.phase, length);
                after(off, rest).map(|until| (until, s))
            })
            .max_by_key(|(until, _)| *until)
    }

    /// Whether a session may start at `now`, and if not, until when it must
    /// wait and why.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, Readiness};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.readiness(injured), Readiness::Ready);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn readiness(&self, now: DateTime<Utc>) -> Readiness {
        if now < self.injured_at {
            return Readiness::BeforeInjury {
                until: self.injured_at,
            };
        }
        let rest = self.rest_until();
        if let Some(open) = self.open_session().filter(|s| s.start <= now) {
            // Taken off now, the rest would count from now at the earliest.
            let length = crate::duration::since(open.start, now.max(open.end));
            let until = after(
                now.max(open.end),
                self.protocol.rest_after(open.phase, length),
            )
            .unwrap_or(now);
            return if now < open.end {
                Readiness::Running {
                    phase: open.phase,
                    ends: open.end,
                    until: rest.map_or(until, |(r, _)| r.max(until)),
                }
            } else {
                Readiness::Overdue {
                    phase: open.phase,
                    since: open.end,
                    until: rest.map_or(until, |(r, _)| r.max(until)),
                }
            };
        }
        match rest {
            Some((until, owed)) if until > now => Readiness::Resting {
                after: owed.phase,
                until,
            },
            _ => Readiness::Ready,
        }
    }

    /// Advice on starting a session of `phase` at `at`: heat in the acute
    /// window, or ice after it. `None` when the phase is the protocol's.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Advisory, Course, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// let later = injured + TimeDelta::hours(60);
    /// assert!(matches!(course.advisory(Phase::Ice, later), Some(Advisory::IceAfterAcuteWindow { .. })));
    /// assert_eq!(course.advisory(Phase::Heat, later), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn advisory(&self, phase: Phase, at: DateTime<Utc>) -> Option<Advisory> {
        let heat_from = self.heat_from();
        match (phase, self.phase_at(at)) {
            (Phase::Heat, Phase::Ice) => Some(Advisory::HeatInAcuteWindow { heat_from }),
            (Phase::Ice, Phase::Heat) => Some(Advisory::IceAfterAcuteWindow { heat_from }),
            _ => None,
        }
    }
}
