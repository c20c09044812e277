//! A course of therapy: one injury, its protocol, quiet hours, and what the
//! person did: the sessions they started, how they answered the prompts,
//! and how much it hurt.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::duration::after;
use crate::entry::{Entry, Removed};
use crate::error::Error;
use crate::limits::{COURSE_MAX, EVERY_MAX, LOGGED_MAX, REST_MAX};
use crate::pain::{PainScore, RawPainScore};
use crate::phase::Phase;
use crate::plan::Plan;
use crate::prompt::{Answer, Prompt};
use crate::protocol::{Protocol, RawProtocol};
use crate::quiet_hours::QuietHours;
use crate::readiness::{Advisory, Readiness};
use crate::session::{Off, OffBy, Outcome, RawSession, Session};
use crate::trend::PainTrend;

/// The format version [`Course::to_json`] writes. Version 1 is the shape
/// before prompts (no `format` key); it is still read. Pain scores came
/// within version 2: a file without a `pain` key has none.
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
/// ([`Entry`]): they share one numbering, in the order recorded. Every
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
    prompts: Vec<Prompt>,
    /// The due time of the last prompt slot passed (announced, answered
    /// ahead, or gone by while nobody was there to announce it).
    prompted: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    next_id: u32,
    /// False for a course started without an injury time (see
    /// [`Course::without_injury`]).
    injury_known: bool,
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
            prompts: Vec::new(),
            prompted: None,
            ended_at: None,
            next_id: 1,
            injury_known: true,
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

    /// The entry recorded last, a session or a pain score: the one with
    /// the highest id (ids are given in the order entries are recorded,
    /// whatever their times). It is what an "undo" takes back, with
    /// [`Course::remove`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Entry, PainScore, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let later = t + TimeDelta::hours(3);
    /// course.record(Session::logged(Phase::Ice, later, later + TimeDelta::minutes(10))?)?;
    /// // Recorded second, though it happened first:
    /// let id = course.record(Session::logged(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.last_recorded().map(|e| e.id()), Some(id));
    /// let pain = course.record_pain(PainScore::new(t, 5, None)?)?;
    /// assert!(matches!(course.last_recorded(), Some(Entry::Pain(p)) if p.id == pain));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn last_recorded(&self) -> Option<Entry<'_>> {
        let session = self.sessions.iter().max_by_key(|s| s.id);
        let pain = self.pain.iter().max_by_key(|p| p.id);
        match (session, pain) {
            (Some(s), Some(p)) if p.id > s.id => Some(Entry::Pain(p)),
            (Some(s), _) => Some(Entry::Session(s)),
            (None, Some(p)) => Some(Entry::Pain(p)),
            (None, None) => None,
        }
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

    /// The sessions recorded, ordered by start.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// course.record(Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.sessions().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// The session with id `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let id = course.record(Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.session(id).map(|s| s.start), Some(injured));
    /// assert!(course.session(id + 1).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn session(&self, id: u32) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// The pain scores recorded, ordered by time (equal times in the order
    /// recorded).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_pain(PainScore::new(t + TimeDelta::hours(5), 4, None)?)?;
    /// course.record_pain(PainScore::new(t + TimeDelta::hours(1), 7, None)?)?;
    /// let scores: Vec<u8> = course.pain_scores().iter().map(|p| p.score).collect();
    /// assert_eq!(scores, [7, 4]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_scores(&self) -> &[PainScore] {
        &self.pain
    }

    /// The pain score with id `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let id = course.record_pain(PainScore::new(t, 4, None)?)?;
    /// assert_eq!(course.pain_score(id).map(|p| p.score), Some(4));
    /// assert!(course.pain_score(id + 1).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_score(&self, id: u32) -> Option<&PainScore> {
        self.pain.iter().find(|p| p.id == id)
    }

    /// Every entry of the log, sessions and pain scores, in time order (a
    /// session at its start; a session before a score at the same time).
    /// O(n) for all of them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_pain(PainScore::new(t + TimeDelta::hours(2), 4, None)?)?;
    /// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// let ids: Vec<u32> = course.entries().map(|e| e.id()).collect();
    /// assert_eq!(ids, [2, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> + '_ {
        let mut sessions = self.sessions.iter().peekable();
        let mut pain = self.pain.iter().peekable();
        std::iter::from_fn(move || match (sessions.peek(), pain.peek()) {
            (Some(s), Some(p)) if p.at < s.start => pain.next().map(Entry::Pain),
            (Some(_), _) => sessions.next().map(Entry::Session),
            (None, Some(_)) => pain.next().map(Entry::Pain),
            (None, None) => None,
        })
    }

    /// The trend of the pain scores given at or before `at` (see
    /// [`PainTrend`]); `None` if there are none. The driver puts it on the
    /// review and course-end events.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// assert_eq!(course.pain_trend(t), None);
    /// course.record_pain(PainScore::new(t, 6, None)?)?;
    /// course.record_pain(PainScore::new(t + TimeDelta::days(3), 6, None)?)?;
    /// assert!(course.pain_trend(t + TimeDelta::days(3)).unwrap().is_no_better());
    /// assert_eq!(course.pain_trend(t).unwrap().count, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_trend(&self, at: DateTime<Utc>) -> Option<PainTrend> {
        let upto = self.pain.partition_point(|p| p.at <= at);
        PainTrend::of(&self.pain[..upto])
    }

    /// The prompts given (and those answered ahead of time), ordered by
    /// when they were due.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default())?.prompts().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn prompts(&self) -> &[Prompt] {
        &self.prompts
    }

    /// The prompt announced and not answered yet, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default())?.open_prompt().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn open_prompt(&self) -> Option<&Prompt> {
        self.prompts.last().filter(|p| p.answer == Answer::Open)
    }

    /// When the course ends (or ended): [`Protocol::course_length`] after
    /// the injury, or when the person ended it, whichever is first.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.ends_at(), injured + TimeDelta::days(7));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ends_at(&self) -> DateTime<Utc> {
        // In range: `new` checked the injury's horizon.
        let scheduled =
            after(self.injured_at, self.protocol.course_length()).unwrap_or(self.injured_at);
        self.ended_at.map_or(scheduled, |e| e.min(scheduled))
    }

    /// When the person ended the course, if they did.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.ended_at(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }

    /// Whether the course is over at `at`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert!(!course.is_over(injured + TimeDelta::days(6)));
    /// assert!(course.is_over(injured + TimeDelta::days(7)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_over(&self, at: DateTime<Utc>) -> bool {
        at >= self.ends_at()
    }

    /// Which day of the course `at` is: day 1 is the first 24 hours from
    /// the injury, day 2 the next, and so on (24-hour days of real time,
    /// not calendar dates); `None` before the injury.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.day(injured), Some(1));
    /// assert_eq!(course.day(injured + TimeDelta::hours(23)), Some(1));
    /// assert_eq!(course.day(injured + TimeDelta::hours(24)), Some(2));
    /// assert_eq!(course.day(injured - TimeDelta::hours(1)), None);
    /// assert_eq!(course.days(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn day(&self, at: DateTime<Utc>) -> Option<u32> {
        if at < self.injured_at {
            return None;
        }
        let days = (at - self.injured_at).num_days();
        u32::try_from(days).ok().and_then(|d| d.checked_add(1))
    }

    /// How many days the course lasts as planned: the last day
    /// [`Course::day`] gives before its planned end.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.days(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn days(&self) -> u32 {
        let secs = self.protocol.course_length().as_secs();
        u32::try_from(secs.div_ceil(24 * 3600)).unwrap_or(u32::MAX)
    }

    /// Adds a session to the history and returns its id.
    ///
    /// History is fact, so this does not enforce the rest (a forced session
    /// is recorded like any other); it refuses only what cannot have
    /// happened: a session that ends before it starts, one that breaks the
    /// limits of its kind (see [`Session`]), one that overlaps another, or
    /// one before the injury. A session still open before the new one (its
    /// stop never confirmed) is taken as off when the new one starts.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let first = Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?;
    /// assert_eq!(course.record(first)?, 1);
    /// let overlapping = Session::completed(Phase::Ice, injured + TimeDelta::minutes(5), injured + TimeDelta::minutes(15))?;
    /// assert!(matches!(course.record(overlapping).unwrap_err(), Error::SessionOverlaps { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&mut self, mut session: Session) -> Result<u32, Error> {
        session.check()?;
        in_range(session.start)?;
        if !self.injury_known && session.start < self.injured_at {
            self.injured_at = session.start;
        }
        if session.start < self.injured_at {
            return Err(Error::BeforeInjury {
                at: session.start,
                injured_at: self.injured_at,
            });
        }
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
        if let Some(before) = at.checked_sub(1).and_then(|i| self.sessions.get_mut(i)) {
            if before.is_open() {
                if before.outcome == Outcome::Running {
                    before.outcome = Outcome::Completed;
                }
                before.off = Some(Off::new(session.start, OffBy::Confirmed));
            }
        }
        session.id = self.take_id();
        self.sessions.insert(at, session);
        Ok(session.id)
    }

    /// Adds a pain score to the log and returns its id (from the same
    /// numbering as sessions). Scores may be given for any time from the
    /// injury on, after the course's end too (how it hurts later is worth
    /// keeping); one given for an earlier time is filed in time order.
    ///
    /// # Errors
    ///
    /// [`Error::PainOutOfRange`], [`Error::PainNoteTooLong`] (the fields
    /// are public, so they are checked again); [`Error::BeforeInjury`];
    /// [`Error::TimeOutOfRange`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, PainScore, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.record_pain(PainScore::new(injured, 7, None)?)?, 1);
    /// let before = PainScore::new(injured - TimeDelta::hours(1), 7, None)?;
    /// assert!(matches!(course.record_pain(before).unwrap_err(), Error::BeforeInjury { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_pain(&mut self, mut pain: PainScore) -> Result<u32, Error> {
        pain.check()?;
        in_range(pain.at)?;
        if !self.injury_known && pain.at < self.injured_at {
            self.injured_at = pain.at;
        }
        if pain.at < self.injured_at {
            return Err(Error::BeforeInjury {
                at: pain.at,
                injured_at: self.injured_at,
            });
        }
        pain.id = self.take_id();
        let id = pain.id;
        let at = self.pain.partition_point(|p| p.at <= pain.at);
        self.pain.insert(at, pain);
        Ok(id)
    }

    /// The next id, for an entry being recorded.
    fn take_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Removes the entry with id `id` from the log (a wrong entry, or an
    /// undo of [`Course::last_recorded`]), a session or a pain score, and
    /// returns it. A session that may still be on cannot be removed: stop
    /// it first.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchSession`] if no entry has the id;
    /// [`Error::SessionRunning`] for a session that may still be on.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, PainScore, Phase, Protocol, Removed, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let id = course.record(Session::logged(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// let pain = course.record_pain(PainScore::new(injured, 6, None)?)?;
    /// assert!(matches!(course.remove(id)?, Removed::Session(s) if s.id == id));
    /// assert_eq!(course.remove(id).unwrap_err(), Error::NoSuchSession { id });
    /// assert_eq!(course.remove(pain)?.id(), pain);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, id: u32) -> Result<Removed, Error> {
        if let Some(i) = self.sessions.iter().position(|s| s.id == id) {
            if self.sessions[i].is_open() {
                return Err(Error::SessionRunning { id });
            }
            return Ok(Removed::Session(self.sessions.remove(i)));
        }
        let i = self
            .pain
            .iter()
            .position(|p| p.id == id)
            .ok_or(Error::NoSuchSession { id })?;
        Ok(Removed::Pain(self.pain.remove(i)))
    }

    /// The session that may still be on: running, or past its end with
    /// nobody having said the pack is off. Only the last session can be.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// assert_eq!(course.open_session().map(|s| s.start), Some(t));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn open_session(&self) -> Option<&Session> {
        self.sessions.last().filter(|s| s.is_open())
    }

    /// The session whose stop is overdue at `now`: its planned end has
    /// passed and nobody has said the pack is off, so it may still be on.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// assert_eq!(course.overdue(t + TimeDelta::minutes(5)), None);
    /// assert_eq!(course.overdue(t + TimeDelta::minutes(13)).map(|s| s.start), Some(t));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn overdue(&self, now: DateTime<Utc>) -> Option<&Session> {
        self.open_session().filter(|s| s.is_overdue(now))
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
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.phase_at(injured + TimeDelta::hours(50)), Phase::Heat);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
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
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.heat_from(), injured + TimeDelta::hours(48));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn heat_from(&self) -> DateTime<Utc> {
        self.protocol
            .heat_from(self.injured_at)
            .unwrap_or(self.injured_at)
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
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.review_at(), injured + TimeDelta::hours(72));
    /// assert!(course.review_due(injured + TimeDelta::hours(72)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn review_at(&self) -> DateTime<Utc> {
        self.protocol
            .review_at(self.injured_at)
            .unwrap_or(self.injured_at)
    }

    /// Whether, at `at`, spasms have lasted long enough that a clinician
    /// should see them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(!Course::new(injured, Protocol::default())?.review_due(injured));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn review_due(&self, at: DateTime<Utc>) -> bool {
        at >= self.review_at()
    }

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

    /// When the next prompt is due, from what was done so far, on the clock
    /// of `tz`; `None` once the course is over. It may be in the past (a
    /// prompt due and not given yet).
    ///
    /// The rules: from the injury on; one cadence
    /// ([`Protocol::every`]) after the last prompt or session start,
    /// whichever is later (a snoozed prompt comes back at the end of the
    /// snooze); never before the rest is over; never in quiet hours; never
    /// at or after the end of the course.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.next_prompt(&Utc), Some(injured));
    /// let t = injured + TimeDelta::minutes(30);
    /// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.next_prompt(&Utc), Some(t + TimeDelta::minutes(70)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn next_prompt<Tz: TimeZone>(&self, tz: &Tz) -> Option<DateTime<Utc>> {
        if !self.injury_known {
            return None;
        }
        let mut t = self.injured_at;
        if let Some(slot) = self.prompted {
            let resume = match self.prompts.last() {
                Some(p) if p.due == slot => match p.answer {
                    Answer::Snoozed { until, .. } => Some(until),
                    _ => None,
                },
                _ => None,
            };
            t = t.max(resume.or_else(|| self.after_cadence(slot))?);
        }
        if let Some(s) = self.sessions.last() {
            t = t.max(self.after_cadence(s.start)?);
        }
        if let Some((rest, _)) = self.rest_until() {
            t = t.max(rest);
        }
        let t = match self.quiet_hours {
            Some(q) => q.next_open(t, tz)?,
            None => t,
        };
        (t < self.ends_at()).then_some(t)
    }

    /// `t` plus the cadence of the phase at `t`.
    pub(crate) fn after_cadence(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        after(t, self.protocol.every(self.phase_at(t)))
    }

    /// The planned sessions from `from` on, lazily, on the clock of `tz`:
    /// what the prompts would be if each were answered on time. It is a
    /// look-ahead (a printed plan, a calendar file), built from the rules
    /// of [`Course::next_prompt`]; to run a course, use a
    /// [`Driver`](crate::Driver), which follows what is really done. The
    /// plan ends with the course.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// let day: Vec<_> = course
    ///     .plan(injured, &Utc)
    ///     .take_while(|s| s.start < injured + TimeDelta::hours(24))
    ///     .collect();
    /// assert_eq!(day.len(), 21); // every 70 minutes
    /// assert!(day.iter().all(|s| s.phase == Phase::Ice));
    /// // 42 ice sessions in 48 hours, then heat every 3 hours; the plan
    /// // ends with the course, after 7 days.
    /// assert_eq!(course.plan(injured, &Utc).count(), 42 + 40);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn plan<Tz: TimeZone>(&self, from: DateTime<Utc>, tz: &Tz) -> Plan<'_, Tz> {
        let first = self.next_prompt(tz).and_then(|t| {
            let t = t.max(from);
            let t = match self.quiet_hours {
                Some(q) => q.next_open(t, tz)?,
                None => t,
            };
            (t < self.ends_at()).then_some(t)
        });
        Plan::new(self, tz.clone(), first)
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

    /// Marks the open prompt as answered with `answer`.
    pub(crate) fn answer_open_prompt(&mut self, answer: Answer) -> bool {
        match self.prompts.last_mut() {
            Some(p) if p.answer == Answer::Open => {
                p.answer = answer;
                true
            }
            _ => false,
        }
    }

    /// Records a prompt given (or answered ahead) at `due`, and moves the
    /// prompt cursor there.
    pub(crate) fn push_prompt(&mut self, prompt: Prompt) {
        self.prompted = Some(prompt.due);
        self.prompts.push(prompt);
    }

    /// Moves the prompt cursor to `due` without recording a prompt (one
    /// that went by while nobody was there to give it).
    pub(crate) fn pass_prompt(&mut self, due: DateTime<Utc>) {
        self.prompted = Some(due);
    }

    /// Gives the course its injury time (a correction, or the first one
    /// of a course made without it). Prompts due before it are dropped.
    pub(crate) fn correct_injury(&mut self, injured_at: DateTime<Utc>) -> Result<(), Error> {
        in_range(injured_at)?;
        let first = self.entries().next().map(|e| e.at());
        if let Some(first) = first.filter(|f| *f < injured_at) {
            return Err(Error::InjuryAfterSession { injured_at, first });
        }
        self.injured_at = injured_at;
        self.injury_known = true;
        self.prompts.retain(|p| p.due >= injured_at);
        if self.prompted.is_some_and(|t| t < injured_at) {
            self.prompted = self.prompts.last().map(|p| p.due);
        }
        Ok(())
    }

    /// Gives every entry a new id, 1 up, in time order.
    fn renumber(&mut self) {
        let order: Vec<(bool, usize)> = {
            let (mut s, mut p) = (0, 0);
            self.entries()
                .map(|e| match e {
                    Entry::Pain(_) => {
                        p += 1;
                        (true, p - 1)
                    }
                    Entry::Session(_) => {
                        s += 1;
                        (false, s - 1)
                    }
                })
                .collect()
        };
        self.next_id = 1;
        for (is_pain, i) in order {
            let id = self.take_id();
            if is_pain {
                self.pain[i].id = id;
            } else {
                self.sessions[i].id = id;
            }
        }
    }

    /// Forgets the prompts dated after `t` and moves the prompt cursor back
    /// to the last one left: decisions made on a clock that was ahead.
    pub(crate) fn forget_prompts_after(&mut self, t: DateTime<Utc>) {
        self.prompts.retain(|p| p.due <= t);
        if self.prompted.is_some_and(|c| c > t) {
            self.prompted = self.prompts.last().map(|p| p.due);
        }
    }

    /// Gives the prompt that a start at `at` answered its earlier answer
    /// back (open): the session did not happen.
    pub(crate) fn unanswer_start(&mut self, at: DateTime<Utc>) {
        if let Some(p) = self.prompts.last_mut() {
            if p.answer == (Answer::Started { at }) {
                p.answer = Answer::Open;
            }
        }
    }

    /// Ends the course at `at`.
    pub(crate) fn end(&mut self, at: DateTime<Utc>) {
        self.ended_at = Some(self.ended_at.map_or(at, |e| e.min(at)));
    }

    /// The open session, to stop or confirm.
    pub(crate) fn open_session_mut(&mut self) -> Option<&mut Session> {
        self.sessions.last_mut().filter(|s| s.is_open())
    }

    /// The last session, to correct how it ended.
    pub(crate) fn last_session_mut(&mut self) -> Option<&mut Session> {
        self.sessions.last_mut()
    }

    /// Removes the last session (one stopped within a second of its start:
    /// it did not happen).
    pub(crate) fn drop_last_session(&mut self) {
        if let Some(s) = self.sessions.pop() {
            // Its id is free again, as it is for a course read back from
            // JSON (which numbers on from the highest id).
            if self.next_id == s.id.saturating_add(1) {
                self.next_id = s.id;
            }
        }
    }
}

/// Checks that every time the course may compute after `at` is in range.
pub(crate) fn in_range(at: DateTime<Utc>) -> Result<(), Error> {
    match after(at, HORIZON) {
        Some(_) => Ok(()),
        None => Err(Error::TimeOutOfRange { at }),
    }
}

/// The serialized course as read, before its rules are checked. Its parts
/// are read raw too, so that a broken rule comes back as the typed
/// [`Error`] rather than as serde's text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCourse {
    #[serde(default = "first_format")]
    format: u64,
    injured_at: DateTime<Utc>,
    #[serde(default)]
    protocol: Option<RawProtocol>,
    #[serde(default)]
    quiet_hours: Option<String>,
    #[serde(default)]
    sessions: Vec<RawSession>,
    #[serde(default)]
    pain: Vec<RawPainScore>,
    #[serde(default)]
    prompts: Vec<Prompt>,
    #[serde(default)]
    prompted: Option<DateTime<Utc>>,
    #[serde(default)]
    ended_at: Option<DateTime<Utc>>,
    #[serde(default = "yes")]
    injury_known: bool,
    /// Format 1 only: a snooze, now kept with the prompt it answered. Read
    /// and dropped: a snooze from before an upgrade has long run out.
    #[serde(default, rename = "not_before")]
    _not_before: Option<DateTime<Utc>>,
}

fn first_format() -> u64 {
    1
}

fn yes() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn is_true(b: &bool) -> bool {
    *b
}

/// The serialized course as written.
#[derive(Serialize)]
struct CourseOut<'a> {
    format: u32,
    injured_at: DateTime<Utc>,
    protocol: &'a Protocol,
    #[serde(skip_serializing_if = "Option::is_none")]
    quiet_hours: Option<QuietHours>,
    sessions: &'a [Session],
    #[serde(skip_serializing_if = "<[PainScore]>::is_empty")]
    pain: &'a [PainScore],
    #[serde(skip_serializing_if = "<[Prompt]>::is_empty")]
    prompts: &'a [Prompt],
    #[serde(skip_serializing_if = "Option::is_none")]
    prompted: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "is_true")]
    injury_known: bool,
}

impl Serialize for Course {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CourseOut {
            format: COURSE_FORMAT,
            injured_at: self.injured_at,
            protocol: &self.protocol,
            quiet_hours: self.quiet_hours,
            sessions: &self.sessions,
            pain: &self.pain,
            prompts: &self.prompts,
            prompted: self.prompted,
            ended_at: self.ended_at,
            injury_known: self.injury_known,
        }
        .serialize(s)
    }
}

impl TryFrom<RawCourse> for Course {
    type Error = Error;

    fn try_from(raw: RawCourse) -> Result<Course, Error> {
        if raw.format > u64::from(COURSE_FORMAT) {
            return Err(Error::UnsupportedFormat {
                found: raw.format,
                supported: COURSE_FORMAT,
            });
        }
        let protocol = raw
            .protocol
            .map_or(Ok(Protocol::default()), Protocol::try_from)?;
        let quiet_hours = raw
            .quiet_hours
            .as_deref()
            .map(str::parse::<QuietHours>)
            .transpose()?;
        let mut course = Course::new(raw.injured_at, protocol)?.with_quiet_hours(quiet_hours);
        course.injury_known = raw.injury_known;
        let mut sessions = raw
            .sessions
            .into_iter()
            .map(Session::try_from)
            .collect::<Result<Vec<_>, Error>>()?;
        for s in &mut sessions {
            in_range(s.start)?;
            // Format 1 had no `off`: a finished session was stopped at its
            // end.
            if raw.format < 2 && s.off.is_none() && s.outcome != Outcome::Running {
                s.off = Some(Off::new(s.end, OffBy::Stopped));
            }
        }
        // O(n log n) in any order: sort, then check neighbours once.
        sessions.sort_by_key(|s| s.start);
        for i in 1..sessions.len() {
            let (before, after) = sessions.split_at_mut(i);
            let (prev, next) = (&mut before[i - 1], &after[0]);
            if prev.end > next.start {
                return Err(Error::SessionOverlaps {
                    start: next.start,
                    previous_end: prev.end,
                });
            }
            // Only the last session can still be on: one started after it
            // means the pack was off.
            if prev.is_open() {
                if prev.outcome == Outcome::Running {
                    prev.outcome = Outcome::Completed;
                }
                prev.off = Some(Off::new(next.start, OffBy::Confirmed));
            }
        }
        let mut pain = raw
            .pain
            .into_iter()
            .map(PainScore::try_from)
            .collect::<Result<Vec<_>, Error>>()?;
        for p in &pain {
            in_range(p.at)?;
        }
        // Stable: equal times keep the file's order.
        pain.sort_by_key(|p| p.at);
        let first = match (sessions.first(), pain.first()) {
            (Some(s), Some(p)) => Some(s.start.min(p.at)),
            (s, p) => s.map(|s| s.start).or(p.map(|p| p.at)),
        };
        if let Some(first) = first.filter(|f| *f < course.injured_at) {
            return Err(Error::BeforeInjury {
                at: first,
                injured_at: course.injured_at,
            });
        }
        // Ids, one numbering for sessions and scores: kept when they are
        // unique, given in time order when missing (format 1) or repeated.
        let mut ids: Vec<u32> = sessions
            .iter()
            .map(|s| s.id)
            .chain(pain.iter().map(|p| p.id))
            .collect();
        ids.sort_unstable();
        let unique = ids.first().is_none_or(|&f| f > 0) && ids.windows(2).all(|w| w[0] < w[1]);
        course.sessions = sessions;
        course.pain = pain;
        if unique {
            course.next_id = ids.last().map_or(1, |&m| m.saturating_add(1));
        } else {
            course.renumber();
        }
        let mut prompts = raw.prompts;
        for p in &prompts {
            in_range(p.due)?;
        }
        prompts.sort_by_key(|p| p.due);
        course.prompts = prompts;
        if let Some(at) = raw.prompted {
            in_range(at)?;
        }
        course.prompted = raw.prompted.or(course.prompts.last().map(|p| p.due));
        course.ended_at = raw.ended_at;
        Ok(course)
    }
}

#[cfg(test)]
mod tests;
