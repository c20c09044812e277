//! A course of therapy: one injury, its protocol, quiet hours and history.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::{Event, EventKind, Events};
use crate::phase::Phase;
use crate::plan::Plan;
use crate::protocol::{after, Protocol};
use crate::quiet_hours::QuietHours;
use crate::readiness::{Advisory, Readiness};
use crate::session::{Outcome, Session};

/// A course of therapy for one injury.
///
/// It holds the injury time, the [`Protocol`], optional daily
/// [`QuietHours`] and the [`Session`]s done, in order and never overlapping.
/// Every query takes the time it is asked about as an argument; a course
/// never reads the clock. Queries that depend on the local clock (quiet
/// hours) take a time zone: pass `chrono::Local` in a desktop program, a
/// fixed zone in tests.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Course, Phase, Protocol, QuietHours};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let course = Course::new(injured, Protocol::default())
///     .with_quiet_hours(Some(QuietHours::default()));
///
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// assert_eq!(course.phase_at(now), Phase::Ice);
/// let first = course.plan(now, &Utc).next().unwrap();
/// assert_eq!(first.start, now);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCourse")]
pub struct Course {
    injured_at: DateTime<Utc>,
    protocol: Protocol,
    quiet_hours: Option<QuietHours>,
    sessions: Vec<Session>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_before: Option<DateTime<Utc>>,
}

impl Course {
    /// A course for an injury at `injured_at`, with no quiet hours and no
    /// sessions yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default()).sessions().is_empty());
    /// ```
    pub fn new(injured_at: DateTime<Utc>, protocol: Protocol) -> Course {
        Course {
            injured_at,
            protocol,
            quiet_hours: None,
            sessions: Vec::new(),
            not_before: None,
        }
    }

    /// This course with quiet hours (or none).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, QuietHours};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default()).with_quiet_hours(Some(QuietHours::default()));
    /// assert_eq!(course.quiet_hours(), Some(QuietHours::default()));
    /// ```
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
    /// let course = Course::new(injured, Protocol::default()).with_protocol(short);
    /// assert_eq!(course.protocol(), &short);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_protocol(mut self, protocol: Protocol) -> Course {
        self.protocol = protocol;
        self
    }

    /// This course with another injury time; the history stays.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let a = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let b = Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap();
    /// assert_eq!(Course::new(a, Protocol::default()).with_injured_at(b).injured_at(), b);
    /// ```
    pub fn with_injured_at(mut self, injured_at: DateTime<Utc>) -> Course {
        self.injured_at = injured_at;
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
    /// assert_eq!(Course::new(injured, Protocol::default()).injured_at(), injured);
    /// ```
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
    /// assert_eq!(Course::new(injured, Protocol::default()).protocol(), &Protocol::default());
    /// ```
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
    /// assert_eq!(Course::new(injured, Protocol::default()).quiet_hours(), None);
    /// ```
    pub fn quiet_hours(&self) -> Option<QuietHours> {
        self.quiet_hours
    }

    /// The sessions recorded, ordered by start.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default());
    /// course.record(Session::new(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.sessions().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Adds a session to the history.
    ///
    /// History is fact, so this does not enforce the rest (a forced session is
    /// recorded like any other); it refuses only what cannot have happened: a
    /// session that ends before it starts, or one that overlaps another.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default());
    /// let first = Session::new(Phase::Ice, injured, injured + TimeDelta::minutes(10))?;
    /// course.record(first)?;
    /// let overlapping = Session::new(Phase::Ice, injured + TimeDelta::minutes(5), injured + TimeDelta::minutes(15))?;
    /// assert!(matches!(course.record(overlapping).unwrap_err(), Error::SessionOverlaps { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&mut self, session: Session) -> Result<(), Error> {
        session.check()?;
        let at = self.sessions.partition_point(|s| s.start < session.start);
        if let Some(before) = at.checked_sub(1).and_then(|i| self.sessions.get(i)) {
            if before.end > session.start {
                return Err(Error::SessionOverlaps {
                    start: session.start,
                    previous_end: before.end,
                });
            }
        }
        if let Some(next) = self.sessions.get(at) {
            if session.end > next.start {
                return Err(Error::SessionOverlaps {
                    start: next.start,
                    previous_end: session.end,
                });
            }
        }
        self.sessions.insert(at, session);
        Ok(())
    }

    /// Finishes the running session that started at `started_at`, at `at`:
    /// completed if `at` is at or after its planned end (which stays its
    /// end), cut short otherwise.
    ///
    /// The session is named by its start (no two sessions share one) so that
    /// two timers working on one course each finish their own.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Outcome, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default());
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// let done = course.finish(t, t + TimeDelta::minutes(6))?;
    /// assert_eq!(done.outcome, Outcome::CutShort);
    /// assert_eq!(done.length(), Duration::from_secs(360));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(
        &mut self,
        started_at: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<Session, Error> {
        let running = self
            .sessions
            .iter_mut()
            .find(|s| s.start == started_at && s.outcome == Outcome::Running)
            .ok_or(Error::NoRunningSession { started_at })?;
        if at >= running.end {
            running.outcome = Outcome::Completed;
        } else if at > running.start {
            running.end = at;
            running.outcome = Outcome::CutShort;
        } else {
            return Err(Error::SessionEndsBeforeStart {
                start: running.start,
                end: at,
            });
        }
        Ok(*running)
    }

    /// Removes the running session that started at `started_at`: it did not
    /// happen after all (the person skipped or postponed it), so it leaves
    /// no rest behind. Only a running session can be cancelled; history is
    /// not rewritten.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Readiness, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default());
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// course.cancel(t)?;
    /// assert_eq!(course.readiness(t), Readiness::Ready);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cancel(&mut self, started_at: DateTime<Utc>) -> Result<Session, Error> {
        let i = self
            .sessions
            .iter()
            .position(|s| s.start == started_at && s.outcome == Outcome::Running)
            .ok_or(Error::NoRunningSession { started_at })?;
        Ok(self.sessions.remove(i))
    }

    /// Skips the running session that started at `started_at`: it is
    /// removed (it did not happen) and the next session is planned no
    /// earlier than it would have come had this one run: its planned end
    /// plus its rest. Returns that time.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default());
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// let next = course.skip(t)?;
    /// assert_eq!(next, t + TimeDelta::minutes(70));
    /// assert!(course.sessions().is_empty());
    /// assert_eq!(course.plan(t, &Utc).next().unwrap().start, next);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn skip(&mut self, started_at: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
        let skipped = self.cancel(started_at)?;
        let next = after(
            skipped.end,
            self.protocol.rest_after(skipped.phase, skipped.length()),
        );
        self.not_before = Some(self.not_before.map_or(next, |t| t.max(next)));
        Ok(next)
    }

    /// This course with no session planned before `not_before` (a snooze, or
    /// a skipped session); `None` clears it.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let snoozed = t + TimeDelta::minutes(10);
    /// let course = Course::new(t, Protocol::default()).with_not_before(Some(snoozed));
    /// assert_eq!(course.plan(t, &Utc).next().unwrap().start, snoozed);
    /// ```
    pub fn with_not_before(mut self, not_before: Option<DateTime<Utc>>) -> Course {
        self.not_before = not_before;
        self
    }

    /// The time before which no session is planned, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert_eq!(Course::new(t, Protocol::default()).not_before(), None);
    /// ```
    pub fn not_before(&self) -> Option<DateTime<Utc>> {
        self.not_before
    }

    /// The session whose stop is overdue at `now`: the latest session begun
    /// by `now` is still running although its planned end has passed, so
    /// nobody recorded the stop and the ice (or heat) may still be on.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default());
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// assert_eq!(course.overdue(t + TimeDelta::minutes(5)), None);
    /// assert_eq!(course.overdue(t + TimeDelta::minutes(13)).map(|s| s.start), Some(t));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overdue(&self, now: DateTime<Utc>) -> Option<&Session> {
        self.sessions
            .iter()
            .rev()
            .find(|s| s.start <= now)
            .filter(|s| s.outcome == Outcome::Running && s.end <= now)
    }

    /// What a timer that wakes at `now` must announce: the stop of every
    /// running session whose end has passed (each at its planned end; how
    /// late it is, the caller sees from `now - at`), then the start of the
    /// next planned session if it is due now, then the clinician reminder if
    /// its time has come.
    ///
    /// However long the timer was away (a machine asleep, a scheduler that
    /// skipped runs), this is never more than what matters now: an overdue
    /// stop is always there, but the starts missed meanwhile are not
    /// replayed; there is at most one start, and it is at `now`. Whether the
    /// reminder was announced before is the caller's to remember.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, EventKind, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default());
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    ///
    /// // Five hours later: the ice stop is overdue, and a new session is due.
    /// let now = t + TimeDelta::hours(5);
    /// let due = course.due(now, &Utc);
    /// let kinds: Vec<_> = due.iter().map(|e| (e.kind, e.at)).collect();
    /// assert_eq!(kinds, [(EventKind::Stop, t + TimeDelta::minutes(10)), (EventKind::Start, now)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn due<Tz: TimeZone>(&self, now: DateTime<Utc>, tz: &Tz) -> Vec<Event> {
        let mut due: Vec<Event> = self
            .sessions
            .iter()
            .filter(|s| s.outcome == Outcome::Running && s.end <= now)
            .map(|s| Event::new(EventKind::Stop, s.phase, s.end))
            .collect();
        if let Some(next) = self.plan(now, tz).next().filter(|s| s.start <= now) {
            due.push(Event::new(EventKind::Start, next.phase, next.start));
        }
        if self.review_due(now) {
            let at = self.review_at();
            due.push(Event::new(EventKind::Review, self.phase_at(at), at));
        }
        due
    }

    /// The phase at `at`: ice before the end of the acute window, heat from
    /// then on.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default());
    /// assert_eq!(course.phase_at(injured + TimeDelta::hours(50)), Phase::Heat);
    /// ```
    pub fn phase_at(&self, at: DateTime<Utc>) -> Phase {
        self.protocol.phase_at(self.injured_at, at)
    }

    /// When the heat phase begins (the end of the acute window).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default());
    /// assert_eq!(course.heat_from(), injured + TimeDelta::hours(48));
    /// ```
    pub fn heat_from(&self) -> DateTime<Utc> {
        self.protocol.heat_from(self.injured_at)
    }

    /// When the clinician reminder is due.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default());
    /// assert_eq!(course.review_at(), injured + TimeDelta::hours(72));
    /// assert!(course.review_due(injured + TimeDelta::hours(72)));
    /// ```
    pub fn review_at(&self) -> DateTime<Utc> {
        self.protocol.review_at(self.injured_at)
    }

    /// Whether, at `at`, spasms have lasted long enough that a clinician
    /// should see them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(!Course::new(injured, Protocol::default()).review_due(injured));
    /// ```
    pub fn review_due(&self, at: DateTime<Utc>) -> bool {
        at >= self.review_at()
    }

    /// When the rest owed after the recorded sessions is over, and the
    /// session it is owed for; `None` with no sessions.
    ///
    /// Every session's rest is owed whatever comes next, so this is the
    /// latest end-plus-rest over the whole history, not only the last
    /// session's (a short forced session does not cancel the hour owed after
    /// ice).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default());
    /// course.record(Session::new(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// let (until, _) = course.rest_until().unwrap();
    /// assert_eq!(until, t + TimeDelta::minutes(70));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rest_until(&self) -> Option<(DateTime<Utc>, &Session)> {
        self.sessions
            .iter()
            .map(|s| {
                let rest = self.protocol.rest_after(s.phase, s.length());
                (after(s.end, rest), s)
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
    /// let course = Course::new(injured, Protocol::default());
    /// assert_eq!(course.readiness(injured), Readiness::Ready);
    /// ```
    pub fn readiness(&self, now: DateTime<Utc>) -> Readiness {
        if now < self.injured_at {
            return Readiness::BeforeInjury {
                until: self.injured_at,
            };
        }
        match self.rest_until() {
            Some((until, owed)) if until > now => {
                match self.sessions.iter().find(|s| s.start <= now && now < s.end) {
                    Some(running) => Readiness::Running {
                        phase: running.phase,
                        ends: running.end,
                        until,
                    },
                    None => Readiness::Resting {
                        after: owed.phase,
                        until,
                    },
                }
            }
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
    /// let course = Course::new(injured, Protocol::default());
    /// let later = injured + TimeDelta::hours(60);
    /// assert!(matches!(course.advisory(Phase::Ice, later), Some(Advisory::IceAfterAcuteWindow { .. })));
    /// assert_eq!(course.advisory(Phase::Heat, later), None);
    /// ```
    pub fn advisory(&self, phase: Phase, at: DateTime<Utc>) -> Option<Advisory> {
        let heat_from = self.heat_from();
        match (phase, self.phase_at(at)) {
            (Phase::Heat, Phase::Ice) => Some(Advisory::HeatInAcuteWindow { heat_from }),
            (Phase::Ice, Phase::Heat) => Some(Advisory::IceAfterAcuteWindow { heat_from }),
            _ => None,
        }
    }

    /// The planned sessions from `from` on, lazily, on the clock of `tz`.
    ///
    /// The first starts at the latest of `from`, the injury, the end of the
    /// rest owed and the [not-before time](Course::with_not_before); each next one at the previous end plus its rest; a
    /// start in quiet hours moves to their end. The iterator is endless
    /// (until the end of chrono's time range): bound it with `take` or
    /// `take_while`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default());
    /// let day: Vec<_> = course
    ///     .plan(injured, &Utc)
    ///     .take_while(|s| s.start < injured + TimeDelta::hours(24))
    ///     .collect();
    /// assert_eq!(day.len(), 21); // every 70 minutes
    /// assert!(day.iter().all(|s| s.phase == Phase::Ice));
    /// ```
    pub fn plan<Tz: TimeZone>(&self, from: DateTime<Utc>, tz: &Tz) -> Plan<Tz> {
        let mut first = from.max(self.injured_at);
        if let Some((until, _)) = self.rest_until() {
            first = first.max(until);
        }
        if let Some(t) = self.not_before {
            first = first.max(t);
        }
        Plan::new(
            self.protocol,
            self.injured_at,
            self.quiet_hours,
            tz.clone(),
            first,
        )
    }

    /// The events at or after `from`, in time order: the stop of a recorded
    /// session still running (its stop is pending until
    /// [`Course::finish`] records it), each planned session's start
    /// and stop, and the one-time clinician reminder.
    ///
    /// An app that handled an event at `t` and asks again from `t` gets the
    /// events at `t` again, except a stop it recorded with `finish`
    /// and a start it recorded as a session (both then leave the plan):
    /// remember the review you showed, or ask from just after it.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, EventKind, Protocol, Urgency};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default());
    /// let mut events = course.events(injured, &Utc);
    /// assert_eq!(events.next().unwrap().kind, EventKind::Start);
    /// let stop = events.next().unwrap();
    /// assert_eq!((stop.kind, stop.urgency), (EventKind::Stop, Urgency::Critical));
    /// ```
    pub fn events<Tz: TimeZone>(&self, from: DateTime<Utc>, tz: &Tz) -> Events<Tz> {
        let stops = self
            .sessions
            .iter()
            .filter(|s| s.outcome == Outcome::Running && s.end >= from)
            .map(|s| (s.phase, s.end));
        let review_at = self.review_at();
        let review = (review_at >= from).then(|| (self.phase_at(review_at), review_at));
        Events::new(self.plan(from, tz), stops, review)
    }
}

/// What serde reads before the history is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCourse {
    injured_at: DateTime<Utc>,
    #[serde(default)]
    protocol: Protocol,
    #[serde(default)]
    quiet_hours: Option<QuietHours>,
    #[serde(default)]
    sessions: Vec<Session>,
    #[serde(default)]
    not_before: Option<DateTime<Utc>>,
}

impl TryFrom<RawCourse> for Course {
    type Error = Error;

    fn try_from(raw: RawCourse) -> Result<Course, Error> {
        let mut course = Course::new(raw.injured_at, raw.protocol)
            .with_quiet_hours(raw.quiet_hours)
            .with_not_before(raw.not_before);
        for session in raw.sessions {
            course.record(session)?;
        }
        Ok(course)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use chrono_tz::Europe::Berlin;

    use super::Course;
    use crate::error::Error;
    use crate::event::{EventKind, Urgency};
    use crate::phase::Phase;
    use crate::protocol::Protocol;
    use crate::quiet_hours::QuietHours;
    use crate::readiness::Readiness;
    use crate::session::{Outcome, Session};

    fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    fn course() -> Course {
        Course::new(t(1, 8, 0), Protocol::default())
    }

    fn session(phase: Phase, start: DateTime<Utc>, minutes: i64) -> Session {
        Session::new(phase, start, start + TimeDelta::minutes(minutes)).unwrap()
    }

    #[test]
    fn phase_changes_at_the_end_of_the_acute_window() {
        let c = course();
        assert_eq!(c.phase_at(t(3, 7, 59)), Phase::Ice);
        assert_eq!(c.phase_at(t(3, 8, 0)), Phase::Heat);
    }

    #[test]
    fn rest_is_owed_whatever_comes_next() {
        let mut c = course();
        c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
        assert_eq!(
            c.readiness(t(1, 9, 5)),
            Readiness::Running {
                phase: Phase::Ice,
                ends: t(1, 9, 10),
                until: t(1, 10, 10)
            }
        );
        assert_eq!(
            c.readiness(t(1, 10, 9)),
            Readiness::Resting {
                after: Phase::Ice,
                until: t(1, 10, 10)
            }
        );
        assert_eq!(c.readiness(t(1, 10, 10)), Readiness::Ready);
    }

    #[test]
    fn a_forced_short_session_does_not_cancel_the_hour_after_ice() {
        let mut c = course();
        c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
        let mut forced = session(Phase::Heat, t(1, 9, 20), 5);
        forced.forced = true;
        c.record(forced).unwrap();
        // The heat session's own rest ends at 09:40, the ice rest at 10:10.
        assert_eq!(c.rest_until().unwrap().0, t(1, 10, 10));
        assert_eq!(c.readiness(t(1, 9, 50)).earliest(t(1, 9, 50)), t(1, 10, 10));
        assert_eq!(
            c.plan(t(1, 9, 50), &Utc).next().unwrap().start,
            t(1, 10, 10)
        );
    }

    #[test]
    fn before_the_injury_nothing_starts() {
        assert_eq!(
            course().readiness(t(1, 7, 0)),
            Readiness::BeforeInjury { until: t(1, 8, 0) }
        );
        assert_eq!(
            course().plan(t(1, 7, 0), &Utc).next().unwrap().start,
            t(1, 8, 0)
        );
    }

    #[test]
    fn record_keeps_order_and_refuses_overlaps() {
        let mut c = course();
        c.record(session(Phase::Ice, t(1, 12, 0), 10)).unwrap();
        c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
        assert_eq!(c.sessions()[0].start, t(1, 9, 0));
        assert_eq!(
            c.record(session(Phase::Ice, t(1, 11, 55), 10)),
            Err(Error::SessionOverlaps {
                start: t(1, 12, 0),
                previous_end: t(1, 12, 5)
            })
        );
        assert_eq!(
            c.record(session(Phase::Ice, t(1, 9, 5), 10)),
            Err(Error::SessionOverlaps {
                start: t(1, 9, 5),
                previous_end: t(1, 9, 10)
            })
        );
        // Touching is not overlapping.
        assert!(c.record(session(Phase::Heat, t(1, 9, 10), 5)).is_ok());
    }

    #[test]
    fn finish_cuts_short_or_completes() {
        let mut c = course();
        assert_eq!(
            c.finish(t(1, 9, 0), t(1, 9, 0)),
            Err(Error::NoRunningSession {
                started_at: t(1, 9, 0)
            })
        );
        c.record(Session::running(Phase::Ice, t(1, 9, 0), Duration::from_secs(600)).unwrap())
            .unwrap();
        let done = c.finish(t(1, 9, 0), t(1, 9, 30)).unwrap();
        assert_eq!((done.outcome, done.end), (Outcome::Completed, t(1, 9, 10)));
        assert!(c.finish(t(1, 9, 0), t(1, 9, 30)).is_err());

        c.record(Session::running(Phase::Ice, t(1, 11, 0), Duration::from_secs(600)).unwrap())
            .unwrap();
        assert!(c.finish(t(1, 11, 0), t(1, 11, 0)).is_err());
        let cut = c.finish(t(1, 11, 0), t(1, 11, 6)).unwrap();
        assert_eq!((cut.outcome, cut.end), (Outcome::CutShort, t(1, 11, 6)));
        // The full hour is still owed after a cut-short ice session.
        assert_eq!(c.rest_until().unwrap().0, t(1, 12, 6));
    }

    #[test]
    fn each_timer_finishes_its_own_session() {
        // Found by the CLI's concurrency test: finishing "the running
        // session" picked the latest one, not the caller's.
        let mut c = course();
        let ten = Duration::from_secs(600);
        c.record(Session::running(Phase::Ice, t(1, 9, 0), ten).unwrap())
            .unwrap();
        c.record(Session::running(Phase::Ice, t(1, 13, 0), ten).unwrap())
            .unwrap();
        let done = c.finish(t(1, 9, 0), t(1, 9, 10)).unwrap();
        assert_eq!(done.start, t(1, 9, 0));
        assert_eq!(c.sessions()[1].outcome, Outcome::Running);
    }

    #[test]
    fn events_include_a_running_stop_and_one_review() {
        let mut c = course();
        c.record(Session::running(Phase::Ice, t(1, 9, 0), Duration::from_secs(600)).unwrap())
            .unwrap();
        let events: Vec<_> = c.events(t(1, 9, 5), &Utc).take(3).collect();
        assert_eq!(events[0].kind, EventKind::Stop);
        assert_eq!(events[0].at, t(1, 9, 10));
        assert_eq!(events[0].urgency, Urgency::Critical);
        assert_eq!(
            (events[1].kind, events[1].at),
            (EventKind::Start, t(1, 10, 10))
        );
        assert_eq!(events[2].kind, EventKind::Stop);

        let reviews: Vec<_> = c
            .events(t(1, 9, 5), &Utc)
            .take_while(|e| e.at < t(6, 0, 0))
            .filter(|e| e.kind == EventKind::Review)
            .collect();
        assert_eq!(reviews.len(), 1);
        assert_eq!(reviews[0].at, t(4, 8, 0));
        assert_eq!(reviews[0].phase, Phase::Heat);
        // After the review point, no review event.
        assert!(c
            .events(t(4, 9, 0), &Utc)
            .take(50)
            .all(|e| e.kind != EventKind::Review));
    }

    #[test]
    fn a_finished_session_has_no_pending_stop() {
        // Found by the event_loop example: after finishing at the stop
        // time, asking again from that time returned the same stop.
        let mut c = course();
        c.record(Session::running(Phase::Ice, t(1, 9, 0), Duration::from_secs(600)).unwrap())
            .unwrap();
        c.finish(t(1, 9, 0), t(1, 9, 10)).unwrap();
        let next = c.events(t(1, 9, 10), &Utc).next().unwrap();
        assert_eq!((next.kind, next.at), (EventKind::Start, t(1, 10, 10)));
    }

    #[test]
    fn due_fires_only_what_matters_now() {
        let ten = Duration::from_secs(600);
        let mut c = course().with_quiet_hours(Some(QuietHours::default()));
        // Nothing recorded, ready: one start, at now.
        let due = c.due(t(1, 9, 0), &Utc);
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].kind, due[0].at), (EventKind::Start, t(1, 9, 0)));
        // A session running: nothing until its end; then its stop alone
        // (the rest after it is owed).
        c.record(Session::running(Phase::Ice, t(1, 9, 0), ten).unwrap())
            .unwrap();
        assert!(c.due(t(1, 9, 9), &Utc).is_empty());
        let due = c.due(t(1, 9, 10), &Utc);
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].kind, due[0].urgency),
            (EventKind::Stop, Urgency::Critical)
        );
        // Overnight (quiet hours) after a long gap: the overdue stop only.
        let due = c.due(t(1, 23, 30), &Utc);
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0].at, t(1, 9, 10));
        // In the morning: the overdue stop, then one start now, not the
        // starts missed meanwhile.
        let due = c.due(t(2, 8, 0), &Utc);
        let got: Vec<_> = due.iter().map(|e| (e.kind, e.at)).collect();
        assert_eq!(
            got,
            [
                (EventKind::Stop, t(1, 9, 10)),
                (EventKind::Start, t(2, 8, 0))
            ]
        );
        // After the review point the reminder is due too.
        c.finish(t(1, 9, 0), t(1, 9, 10)).unwrap();
        let due = c.due(t(4, 9, 0), &Utc);
        assert_eq!(due.last().map(|e| e.kind), Some(EventKind::Review));
    }

    #[test]
    fn cancel_and_not_before() {
        let mut c = course();
        let ten = Duration::from_secs(600);
        c.record(Session::running(Phase::Ice, t(1, 9, 0), ten).unwrap())
            .unwrap();
        c.cancel(t(1, 9, 0)).unwrap();
        assert!(c.sessions().is_empty());
        assert_eq!(
            c.cancel(t(1, 9, 0)),
            Err(Error::NoRunningSession {
                started_at: t(1, 9, 0)
            })
        );
        // Completed sessions cannot be cancelled.
        c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
        assert!(c.cancel(t(1, 9, 0)).is_err());
        let c = c.with_not_before(Some(t(1, 12, 0)));
        assert_eq!(
            c.plan(t(1, 10, 30), &Utc).next().unwrap().start,
            t(1, 12, 0)
        );
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Course>(&json).unwrap(), c);
    }

    #[test]
    fn heat_stops_are_normal_and_ice_stops_critical() {
        let c = course();
        for e in c.events(t(2, 20, 0), &Utc).take(200) {
            let expect = if e.kind == EventKind::Stop && e.phase == Phase::Ice {
                Urgency::Critical
            } else {
                Urgency::Normal
            };
            assert_eq!(e.urgency, expect, "{e:?}");
        }
    }

    #[test]
    fn rest_is_real_time_across_a_clock_change() {
        // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        let injured = Berlin.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        let c = Course::new(injured.with_timezone(&Utc), Protocol::default());
        let plan: Vec<_> = c.plan(c.injured_at(), &Berlin).take(2).collect();
        assert_eq!(plan[1].start - plan[0].end, TimeDelta::minutes(60));
        // On the wall clock it looks like two hours: 01:10 to 03:10.
        assert_eq!(
            plan[1]
                .start
                .with_timezone(&Berlin)
                .format("%H:%M")
                .to_string(),
            "03:10"
        );
    }

    #[test]
    fn quiet_hours_move_starts_to_the_morning() {
        let c = Course::new(t(1, 20, 0), Protocol::default())
            .with_quiet_hours(Some(QuietHours::default()));
        let starts: Vec<_> = c.plan(t(1, 20, 0), &Utc).take(4).map(|s| s.start).collect();
        // 20:00, 21:10; 22:20 is quiet, so 07:00 the next day.
        assert_eq!(starts, [t(1, 20, 0), t(1, 21, 10), t(2, 7, 0), t(2, 8, 10)]);
    }

    #[test]
    fn serde_round_trip_checks_history() {
        let mut c = course().with_quiet_hours(Some(QuietHours::default()));
        c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Course>(&json).unwrap(), c);

        let overlapping = r#"{"injured_at":"2026-03-01T08:00:00Z","sessions":[
            {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"},
            {"phase":"ice","start":"2026-03-01T09:05:00Z","end":"2026-03-01T09:15:00Z","outcome":"completed"}]}"#;
        let err = serde_json::from_str::<Course>(overlapping)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("overlaps the session recorded before it"),
            "{err}"
        );

        let minimal: Course =
            serde_json::from_str(r#"{"injured_at":"2026-03-01T08:00:00Z"}"#).unwrap();
        assert_eq!(minimal, course());
    }
}
