//! The driver: one sans-IO state machine that runs a course over time.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::course::{Course, RawCourse};
use crate::duration::{after, since};
use crate::error::Error;
use crate::event::{Event, EventKind};
use crate::limits::{REPEATS, REPEAT_EVERY, SESSION_MIN};
use crate::pain::PainScore;
use crate::phase::Phase;
use crate::prompt::{Answer, Prompt};
use crate::protocol::Protocol;
use crate::quiet_hours::QuietHours;
use crate::readiness::Readiness;
use crate::session::{Off, OffBy, Outcome, Session};

/// The format version [`Driver::to_json`] writes.
pub const DRIVER_FORMAT: u32 = 1;

/// A bound on the events one call can work through; a course has at most a
/// few hundred prompt slots, so this is never reached unless a rule loops.
const STEPS_MAX: usize = 100_000;

/// What the person (or a device) did: the driver's input.
///
/// In JSON: `{"input": "snooze", "at": "…", "until": "…"}`. It is `Clone`
/// but not `Copy`: a pain score's note is a `String`.
///
/// # Examples
///
/// ```
/// use therapy_timer::Input;
///
/// let input: Input = serde_json::from_str(r#"{"input":"stop","at":"2026-03-01T09:06:00Z"}"#)?;
/// assert!(matches!(input, Input::Stop { .. }));
/// let pain: Input = serde_json::from_str(r#"{"input":"pain","at":"2026-03-01T09:06:00Z","score":6}"#)?;
/// assert!(matches!(pain, Input::Pain { score: 6, note: None, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "input", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Input {
    /// A session started (the person pressed Start, a pad switched on).
    Start {
        /// When it started.
        at: DateTime<Utc>,
        /// Ice or heat; `None` for the phase at that time.
        #[serde(default)]
        phase: Option<Phase>,
        /// How long it is to last; `None` for the protocol's dose. Shorter
        /// is allowed, longer refused.
        #[serde(default, with = "crate::duration::serde_human_opt")]
        length: Option<Duration>,
        /// Start even though the rest is not over (it is logged as forced).
        #[serde(default)]
        force: bool,
    },
    /// The session was stopped: before its end it is cut short; after it,
    /// this says the pack is off and ends the repeats.
    Stop {
        /// When.
        at: DateTime<Utc>,
    },
    /// The person confirmed the pack is off (as [`Input::Stop`], said from
    /// the stop notice).
    ConfirmOff {
        /// When.
        at: DateTime<Utc>,
    },
    /// The person dismissed the stop notice, where the desktop reports it:
    /// the stop was seen. Before the session's end it means nothing.
    Dismissed {
        /// When.
        at: DateTime<Utc>,
    },
    /// Skip the open prompt, or the next one if none is open.
    Skip {
        /// When.
        at: DateTime<Utc>,
    },
    /// Put the open prompt (or the next one) off until `until`.
    Snooze {
        /// When.
        at: DateTime<Utc>,
        /// When the prompt comes again.
        until: DateTime<Utc>,
    },
    /// The course is over (better, or going to a clinician): no more
    /// prompts.
    EndCourse {
        /// When.
        at: DateTime<Utc>,
    },
    /// A new injury: the current course ends and a new one starts; the
    /// earlier course and its entries are kept. A course with no session
    /// and no pain score yet is replaced instead (a corrected injury time).
    NewInjury {
        /// When it was said.
        at: DateTime<Utc>,
        /// When the injury happened.
        injured_at: DateTime<Utc>,
    },
    /// The injury time of the current course, corrected (or given for
    /// the first time, for a course made with
    /// [`Course::without_injury`]). The sessions stay; prompts due before
    /// it are dropped; prompts start if they had not.
    CorrectInjury {
        /// When it was said.
        at: DateTime<Utc>,
        /// When the injury happened.
        injured_at: DateTime<Utc>,
    },
    /// A session done without the timer, recorded after the fact.
    Log {
        /// The session (see [`Session::logged`]).
        session: Session,
    },
    /// A wrong log entry removed (or the last one taken back: see
    /// [`Course::last_recorded`]).
    Remove {
        /// The entry's id: a session's or a pain score's.
        id: u32,
    },
    /// A pain score, 0 to 10, with an optional note (see
    /// [`PainScore::new`]). A score of
    /// [`SEVERE_PAIN`](crate::limits::SEVERE_PAIN) or more comes back as
    /// an [`EventKind::SeeClinician`] event.
    Pain {
        /// When the pain was scored (it may be earlier than now: a score
        /// written down and entered later).
        at: DateTime<Utc>,
        /// 0 (no pain) to 10.
        score: u8,
        /// The person's note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

impl Input {
    /// The time the input carries, if any.
    fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Input::Start { at, .. }
            | Input::Stop { at }
            | Input::ConfirmOff { at }
            | Input::Dismissed { at }
            | Input::Skip { at }
            | Input::Snooze { at, .. }
            | Input::EndCourse { at }
            | Input::NewInjury { at, .. }
            | Input::CorrectInjury { at, .. }
            | Input::Pain { at, .. } => Some(*at),
            Input::Log { .. } | Input::Remove { .. } => None,
        }
    }
}

/// What is due next, in the order events at one instant come out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Stop,
    Repeat,
    Prompt,
    Review,
    End,
}

/// How many stop announcements the open session has had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Alerts {
    session: u32,
    given: u8,
}

/// Which one-time notices were given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Given {
    #[serde(default)]
    review: bool,
    #[serde(default)]
    phase_change: bool,
    #[serde(default)]
    end: bool,
}

/// Runs a course over time: the one state machine every timer uses, in the
/// shape of quinn-proto and str0m. It never reads the clock or sleeps.
///
/// The app's loop:
/// 1. [`poll_timeout`](Driver::poll_timeout): when must I wake next?
/// 2. Sleep until then (or until the person does something).
/// 3. [`handle_timeout`](Driver::handle_timeout) with the time it is now.
/// 4. Drain [`poll_event`](Driver::poll_event) and announce each event.
/// 5. Feed what the person did with [`handle_input`](Driver::handle_input).
///
/// Each event comes out exactly once and in order of when it was due,
/// however the calls are interleaved or delayed. Long gaps (the machine was
/// off) are summed up: a stop that was really due is given once, saying how
/// late; the prompts missed meanwhile are not replayed. The driver
/// serializes ([`Driver::to_json`]), so a program that cron starts each
/// minute loads it, calls `handle_timeout(now)`, announces, and saves it.
///
/// Every call is O(log n) in the number of recorded sessions.
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, Driver, EventKind, Input, Protocol};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
///
/// // The first prompt is due at once.
/// let wake = driver.poll_timeout(&Utc).unwrap();
/// driver.handle_timeout(wake, &Utc);
/// assert_eq!(driver.poll_event().unwrap().kind, EventKind::Prompt);
///
/// // The person starts a session; ten minutes later, take it off.
/// driver.handle_input(Input::Start { at: wake, phase: None, length: None, force: false }, &Utc)?;
/// let stop = driver.poll_timeout(&Utc).unwrap();
/// assert_eq!(stop, wake + TimeDelta::minutes(10));
/// driver.handle_timeout(stop, &Utc);
/// let event = driver.poll_event().unwrap();
/// assert_eq!(event.kind, EventKind::Stop);
/// assert!(event.safety);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawDriver")]
pub struct Driver {
    course: Course,
    past: Vec<Course>,
    now: Option<DateTime<Utc>>,
    alerts: Option<Alerts>,
    given: Given,
    outbox: VecDeque<Event>,
}

impl Driver {
    /// A driver for `course`, at no time yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// assert_eq!(driver.course().injured_at(), injured);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(course: Course) -> Driver {
        Driver {
            course,
            past: Vec::new(),
            now: None,
            alerts: None,
            given: Given::default(),
            outbox: VecDeque::new(),
        }
    }

    /// The current course: its sessions, prompts and settings.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// assert!(driver.course().sessions().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn course(&self) -> &Course {
        &self.course
    }

    /// The earlier courses, oldest first.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Driver::new(Course::new(injured, Protocol::default())?).past_courses().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn past_courses(&self) -> &[Course] {
        &self.past
    }

    /// Takes the earlier courses out, oldest first, leaving none: for a
    /// caller that keeps them apart from the current course (so that a
    /// step costs the same after years of history), and gives them back
    /// with [`Driver::restore_past_courses`] when it needs them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Input, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// let session = Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?;
    /// driver.handle_input(Input::Log { session }, &Utc)?;
    /// let later = injured + TimeDelta::days(20);
    /// driver.handle_input(Input::NewInjury { at: later, injured_at: later }, &Utc)?;
    /// let past = driver.take_past_courses();
    /// assert_eq!(past.len(), 1);
    /// assert!(driver.past_courses().is_empty());
    /// driver.restore_past_courses(past);
    /// assert_eq!(driver.past_courses().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use = "the courses taken are gone from the driver"]
    pub fn take_past_courses(&mut self) -> Vec<Course> {
        std::mem::take(&mut self.past)
    }

    /// Puts earlier courses (oldest first) back, before the ones the
    /// driver holds: the inverse of [`Driver::take_past_courses`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let earlier = Course::new(injured, Protocol::default())?;
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// driver.restore_past_courses(vec![earlier.clone()]);
    /// assert_eq!(driver.past_courses(), &[earlier]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore_past_courses(&mut self, mut earlier: Vec<Course>) {
        earlier.append(&mut self.past);
        self.past = earlier;
    }

    /// The latest time handed to the driver.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// driver.handle_timeout(injured, &Utc);
    /// assert_eq!(driver.now(), Some(injured));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn now(&self) -> Option<DateTime<Utc>> {
        self.now
    }

    /// How many times the stop of the open session was given (the stop,
    /// then its repeats); 0 before its end.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Driver::new(Course::new(injured, Protocol::default())?).stops_given(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn stops_given(&self) -> u8 {
        match (self.alerts, self.course.open_session()) {
            (Some(a), Some(s)) if a.session == s.id => a.given,
            _ => 0,
        }
    }

    /// Uses another protocol from now on (a changed setting); the history
    /// stays.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// let p = Protocol::default().with_every(Phase::Ice, Some(Duration::from_secs(2 * 3600)))?;
    /// driver.set_protocol(p);
    /// assert_eq!(driver.course().protocol(), &p);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_protocol(&mut self, protocol: Protocol) {
        self.course = self.course.clone().with_protocol(protocol);
    }

    /// Uses other quiet hours from now on.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol, QuietHours};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// driver.set_quiet_hours(Some(QuietHours::default()));
    /// assert_eq!(driver.course().quiet_hours(), Some(QuietHours::default()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_quiet_hours(&mut self, quiet_hours: Option<QuietHours>) {
        self.course = self.course.clone().with_quiet_hours(quiet_hours);
    }

    /// When the driver must next be woken with
    /// [`handle_timeout`](Driver::handle_timeout), on the clock of `tz`
    /// (quiet hours are local): the earliest of the next prompt, stop,
    /// repeat, review and course end. It may be in the past: wake at once.
    /// `None` when nothing more is due.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// assert_eq!(driver.poll_timeout(&Utc), Some(injured));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn poll_timeout<Tz: TimeZone>(&self, tz: &Tz) -> Option<DateTime<Utc>> {
        self.next_due(tz).map(|(t, _)| t)
    }

    /// Tells the driver it is now `now` (on the clock of `tz`): everything
    /// due by then is worked out and its events queued for
    /// [`poll_event`](Driver::poll_event). A time earlier than one already
    /// handled changes nothing (clocks can step back).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, EventKind, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// // Woken five hours late: one prompt, the current one; the four
    /// // missed meanwhile are not replayed.
    /// driver.handle_timeout(injured + TimeDelta::hours(5), &Utc);
    /// let events: Vec<_> = std::iter::from_fn(|| driver.poll_event()).collect();
    /// assert_eq!(events.len(), 1);
    /// assert_eq!(events[0].kind, EventKind::Prompt);
    /// assert_eq!(events[0].due, injured + TimeDelta::minutes(4 * 70));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_timeout<Tz: TimeZone>(&mut self, now: DateTime<Utc>, tz: &Tz) {
        let now = self.now.map_or(now, |n| n.max(now));
        self.now = Some(now);
        for _ in 0..STEPS_MAX {
            match self.next_due(tz) {
                Some((t, due)) if t <= now => self.fire(due, t, now, tz),
                _ => break,
            }
        }
    }

    /// The next event to announce, in order; `None` when all are out.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// assert!(driver.poll_event().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn poll_event(&mut self) -> Option<Event> {
        self.outbox.pop_front()
    }

    /// Feeds what the person (or a device) did. Time first moves on to the
    /// input's time (what was due by then is queued, as by
    /// [`handle_timeout`](Driver::handle_timeout)), then the input applies,
    /// then what it makes due at once is queued too (the course-end notice
    /// after [`Input::EndCourse`]). On an error nothing changes but the
    /// time.
    ///
    /// # Errors
    ///
    /// - [`Input::Start`]: [`Error::AlreadyRunning`] while a session is on
    ///   (or its stop unconfirmed, unless forced); [`Error::NotRested`]
    ///   before the rest is over, unless forced; [`Error::BeforeInjury`];
    ///   a length beyond the protocol or the limits.
    /// - [`Input::Stop`], [`Input::ConfirmOff`]: [`Error::NothingToStop`].
    /// - [`Input::Skip`], [`Input::Snooze`]: [`Error::NoPrompt`] after the
    ///   end of the course; [`Error::SnoozeInThePast`], and
    ///   [`Error::SnoozePastEnd`] for a snooze beyond the course's end.
    /// - [`Input::EndCourse`]: [`Error::CourseEnded`] if it is over.
    /// - [`Input::NewInjury`]: [`Error::InjuryInFuture`] or
    ///   [`Error::InjuryTooOld`] for the time, [`Error::AlreadyRunning`].
    /// - [`Input::Log`], [`Input::Remove`]: as [`Course::record`] and
    ///   [`Course::remove`].
    /// - [`Input::Pain`]: as [`PainScore::new`] and [`Course::record_pain`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Error, Input, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(t, Protocol::default())?);
    /// let start = |at| Input::Start { at, phase: None, length: None, force: false };
    /// driver.handle_input(start(t), &Utc)?;
    /// driver.handle_input(Input::Stop { at: t + TimeDelta::minutes(6) }, &Utc)?;
    /// let again = driver.handle_input(start(t + TimeDelta::minutes(20)), &Utc).unwrap_err();
    /// assert!(matches!(again, Error::NotRested { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_input<Tz: TimeZone>(&mut self, input: Input, tz: &Tz) -> Result<(), Error> {
        if let Some(at) = input.at() {
            crate::course::in_range(at)?;
            self.handle_timeout(at, tz);
        }
        match input {
            Input::Start {
                at,
                phase,
                length,
                force,
            } => self.start(at, phase, length, force)?,
            Input::Stop { at } => self.take_off(at, OffBy::Stopped)?,
            Input::ConfirmOff { at } => self.take_off(at, OffBy::Confirmed)?,
            Input::Dismissed { at } => self.take_off(at, OffBy::Dismissed)?,
            Input::Skip { at } => self.skip(at, tz)?,
            Input::Snooze { at, until } => self.snooze(at, until, tz)?,
            Input::EndCourse { at } => {
                if self.course.is_over(at) {
                    return Err(Error::CourseEnded {
                        at: self.course.ends_at(),
                    });
                }
                self.course.end(at);
                self.course.answer_open_prompt(Answer::Missed);
            }
            Input::NewInjury { at, injured_at } => self.new_injury(at, injured_at)?,
            Input::CorrectInjury { at, injured_at } => {
                check_injury(at, injured_at)?;
                self.course.correct_injury(injured_at)?;
            }
            Input::Log { session } => {
                self.course.record(session)?;
            }
            Input::Remove { id } => {
                self.course.remove(id)?;
            }
            Input::Pain { at, score, note } => self.pain(at, score, note)?,
        }
        if let Some(now) = self.now {
            self.handle_timeout(now, tz);
        }
        Ok(())
    }

    /// Serializes the driver as JSON, with its format version.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// driver.handle_timeout(injured, &Utc);
    /// let copy = Driver::from_json(&driver.to_json())?;
    /// assert_eq!(copy, driver);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        crate::json::write(self)
    }

    /// Reads a driver written by [`Driver::to_json`]. Errors stay typed: a
    /// broken rule is the same [`Error`] as in code; bad JSON is
    /// [`Error::Data`]; a newer format [`Error::UnsupportedFormat`].
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Driver, Error};
    ///
    /// assert!(matches!(Driver::from_json("{").unwrap_err(), Error::Data { .. }));
    /// ```
    pub fn from_json(json: &str) -> Result<Driver, Error> {
        crate::json::read::<RawDriver, Driver>(json)
    }

    /// The earliest thing due, and when.
    fn next_due<Tz: TimeZone>(&self, tz: &Tz) -> Option<(DateTime<Utc>, Due)> {
        let mut best: Option<(DateTime<Utc>, Due)> = None;
        let mut consider = |t: Option<DateTime<Utc>>, due: Due| {
            if let Some(t) = t {
                if best.is_none_or(|b| (t, due) < b) {
                    best = Some((t, due));
                }
            }
        };
        if let Some(s) = self.course.open_session() {
            match self.stops_given() {
                0 => consider(Some(s.end), Due::Stop),
                given if given <= REPEATS => {
                    consider(after(s.end, REPEAT_EVERY * u32::from(given)), Due::Repeat)
                }
                _ => {}
            }
        }
        consider(self.course.next_prompt(tz), Due::Prompt);
        if !self.course.injury_known() {
            return best;
        }
        let ends = self.course.ends_at();
        if !self.given.review && self.course.review_at() < ends {
            consider(Some(self.course.review_at()), Due::Review);
        }
        if !self.given.end {
            consider(Some(ends), Due::End);
        }
        best
    }

    /// Works out one thing due at `due_at`, at `now`.
    fn fire<Tz: TimeZone>(&mut self, due: Due, due_at: DateTime<Utc>, now: DateTime<Utc>, tz: &Tz) {
        match due {
            Due::Stop | Due::Repeat => {
                let Some(s) = self.course.open_session().copied() else {
                    return;
                };
                // Repeats whose time went by while nobody was there are
                // not replayed: one announcement, of the latest.
                let periods = since(s.end, now).as_secs() / REPEAT_EVERY.as_secs();
                let passed = u8::try_from(periods.min(u64::from(REPEATS))).unwrap_or(REPEATS);
                let (kind, repeat) = match due {
                    Due::Stop => (EventKind::Stop, 0),
                    _ => (EventKind::Repeat, passed.max(1)),
                };
                let mut event = Event::new(kind, s.phase, due_at, now);
                event.session = Some(s.id);
                event.repeat = repeat;
                self.outbox.push_back(event);
                let given = passed.max(repeat) + 1;
                self.alerts = Some(Alerts {
                    session: s.id,
                    given,
                });
                if let Some(open) = self.course.open_session_mut() {
                    if open.outcome == Outcome::Running {
                        open.outcome = Outcome::Completed;
                    }
                    if given > REPEATS {
                        // The stop and its repeats ran out unanswered.
                        let last =
                            after(open.end, REPEAT_EVERY * u32::from(REPEATS)).unwrap_or(open.end);
                        open.off = Some(Off::new(last, OffBy::NoAnswer));
                        self.alerts = None;
                    }
                }
            }
            Due::Prompt => {
                self.course.answer_open_prompt(Answer::Missed);
                self.course.pass_prompt(due_at);
                // Superseded while nobody was there: not given.
                if self.course.next_prompt(tz).is_some_and(|t| t <= now) {
                    return;
                }
                let phase = self.course.phase_at(due_at);
                if phase == Phase::Heat && !self.given.phase_change {
                    self.given.phase_change = true;
                    self.outbox
                        .push_back(Event::new(EventKind::PhaseChange, phase, due_at, now));
                }
                self.course.push_prompt(Prompt::new(phase, due_at));
                self.outbox
                    .push_back(Event::new(EventKind::Prompt, phase, due_at, now));
            }
            Due::Review => {
                self.given.review = true;
                // After the end of the course its notice says the same.
                if !self.course.is_over(now) {
                    let phase = self.course.phase_at(due_at);
                    let mut event = Event::new(EventKind::Review, phase, due_at, now);
                    event.trend = self.course.pain_trend(due_at);
                    self.outbox.push_back(event);
                }
            }
            Due::End => {
                self.given.end = true;
                self.course.answer_open_prompt(Answer::Missed);
                let phase = self.course.phase_at(due_at);
                let mut event = Event::new(EventKind::CourseEnd, phase, due_at, now);
                event.trend = self.course.pain_trend(due_at);
                self.outbox.push_back(event);
            }
        }
    }

    fn start(
        &mut self,
        at: DateTime<Utc>,
        phase: Option<Phase>,
        length: Option<Duration>,
        force: bool,
    ) -> Result<(), Error> {
        let forced = match self.course.readiness(at) {
            Readiness::Ready => false,
            Readiness::BeforeInjury { until } => {
                return Err(Error::BeforeInjury {
                    at,
                    injured_at: until,
                })
            }
            Readiness::Running { phase, ends, .. } => {
                return Err(Error::AlreadyRunning { phase, ends })
            }
            // The last session was never said to be off; starting another
            // says it is, and the rest counts from now.
            Readiness::Overdue { phase, until, .. } if !force => {
                return Err(Error::NotRested {
                    after: phase,
                    until,
                })
            }
            Readiness::Resting { after, until } if !force => {
                return Err(Error::NotRested { after, until })
            }
            _ => true,
        };
        let phase = phase.unwrap_or_else(|| self.course.phase_at(at));
        let length = self.course.protocol().session_length(phase, length)?;
        let mut session = Session::running(phase, at, length)?;
        if forced {
            session = session.forced_start();
        }
        self.course.record(session)?;
        self.course.answer_open_prompt(Answer::Started { at });
        self.alerts = None;
        Ok(())
    }

    /// Records a pain score; a severe one is announced at once.
    fn pain(&mut self, at: DateTime<Utc>, score: u8, note: Option<String>) -> Result<(), Error> {
        let pain = PainScore::new(at, score, note)?;
        let severe = pain.is_severe();
        self.course.record_pain(pain)?;
        if severe {
            let now = self.now.map_or(at, |n| n.max(at));
            let mut event = Event::new(EventKind::SeeClinician, self.course.phase_at(at), at, now);
            event.trend = self.course.pain_trend(at);
            self.outbox.push_back(event);
        }
        Ok(())
    }

    fn take_off(&mut self, at: DateTime<Utc>, by: OffBy) -> Result<(), Error> {
        let Some(s) = self.course.open_session_mut() else {
            // After the repeats ran out, "it is off" still tells the truth.
            if let Some(last) = self.course.last_session_mut() {
                if last.off.is_some_and(|o| o.by == OffBy::NoAnswer) {
                    if by != OffBy::Dismissed && at >= last.end {
                        last.off = Some(Off::new(at, by));
                    }
                    return Ok(());
                }
            }
            return match by {
                OffBy::Dismissed => Ok(()),
                _ => Err(Error::NothingToStop),
            };
        };
        if at < s.start {
            return Err(Error::SessionEndsBeforeStart {
                start: s.start,
                end: at,
            });
        }
        if at < s.end {
            if by == OffBy::Dismissed {
                return Ok(());
            }
            if since(s.start, at) < SESSION_MIN {
                // Stopped within a second: it did not happen.
                self.course.drop_last_session();
            } else {
                s.end = at;
                s.outcome = Outcome::CutShort;
                s.off = Some(Off::new(at, by));
            }
        } else {
            if s.outcome == Outcome::Running {
                s.outcome = Outcome::Completed;
            }
            s.off = Some(Off::new(at, by));
        }
        self.alerts = None;
        Ok(())
    }

    fn skip<Tz: TimeZone>(&mut self, at: DateTime<Utc>, tz: &Tz) -> Result<(), Error> {
        if self.course.answer_open_prompt(Answer::Skipped { at }) {
            return Ok(());
        }
        let next = self.course.next_prompt(tz).ok_or(Error::NoPrompt)?;
        let phase = self.course.phase_at(next);
        let mut prompt = Prompt::new(phase, next);
        prompt.answer = Answer::Skipped { at };
        self.course.push_prompt(prompt);
        Ok(())
    }

    fn snooze<Tz: TimeZone>(
        &mut self,
        at: DateTime<Utc>,
        until: DateTime<Utc>,
        tz: &Tz,
    ) -> Result<(), Error> {
        if until <= at {
            return Err(Error::SnoozeInThePast { until });
        }
        crate::course::in_range(until)?;
        let ends = self
            .course
            .ended_at()
            .unwrap_or_else(|| self.course.ends_at());
        if self.course.injury_known() && until > ends {
            return Err(Error::SnoozePastEnd { until, ends });
        }
        if self
            .course
            .answer_open_prompt(Answer::Snoozed { at, until })
        {
            return Ok(());
        }
        let next = self.course.next_prompt(tz).ok_or(Error::NoPrompt)?;
        if until <= next {
            // The next prompt comes after that anyway.
            return Ok(());
        }
        let mut prompt = Prompt::new(self.course.phase_at(next), next);
        prompt.answer = Answer::Snoozed { at, until };
        self.course.push_prompt(prompt);
        Ok(())
    }

    fn new_injury(&mut self, at: DateTime<Utc>, injured_at: DateTime<Utc>) -> Result<(), Error> {
        check_injury(at, injured_at)?;
        if let Some(s) = self.course.open_session() {
            return Err(Error::AlreadyRunning {
                phase: s.phase,
                ends: s.end,
            });
        }
        let fresh = Course::new(injured_at, *self.course.protocol())?
            .with_quiet_hours(self.course.quiet_hours());
        let mut old = std::mem::replace(&mut self.course, fresh);
        if !old.sessions().is_empty() || !old.pain_scores().is_empty() {
            if !old.is_over(at) {
                old.end(at);
            }
            old.answer_open_prompt(Answer::Missed);
            self.past.push(old);
        }
        self.alerts = None;
        self.given = Given::default();
        Ok(())
    }
}

fn check_injury(at: DateTime<Utc>, injured_at: DateTime<Utc>) -> Result<(), Error> {
    Course::check_injury_time(injured_at, at)
}

/// The serialized driver as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDriver {
    format: u64,
    course: RawCourse,
    #[serde(default)]
    past: Vec<RawCourse>,
    #[serde(default)]
    now: Option<DateTime<Utc>>,
    #[serde(default)]
    alerts: Option<Alerts>,
    #[serde(default)]
    given: Given,
    #[serde(default)]
    outbox: VecDeque<Event>,
}

/// The serialized driver as written.
#[derive(Serialize)]
struct DriverOut<'a> {
    format: u32,
    course: &'a Course,
    #[serde(skip_serializing_if = "<[Course]>::is_empty")]
    past: &'a [Course],
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alerts: Option<Alerts>,
    given: Given,
    #[serde(skip_serializing_if = "VecDeque::is_empty")]
    outbox: &'a VecDeque<Event>,
}

impl Serialize for Driver {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DriverOut {
            format: DRIVER_FORMAT,
            course: &self.course,
            past: &self.past,
            now: self.now,
            alerts: self.alerts,
            given: self.given,
            outbox: &self.outbox,
        }
        .serialize(s)
    }
}

impl TryFrom<RawDriver> for Driver {
    type Error = Error;

    fn try_from(raw: RawDriver) -> Result<Driver, Error> {
        if raw.format > u64::from(DRIVER_FORMAT) {
            return Err(Error::UnsupportedFormat {
                found: raw.format,
                supported: DRIVER_FORMAT,
            });
        }
        let course = Course::try_from(raw.course)?;
        let past = raw
            .past
            .into_iter()
            .map(Course::try_from)
            .collect::<Result<Vec<_>, Error>>()?;
        if let Some(now) = raw.now {
            crate::course::in_range(now)?;
        }
        // Alerts belong to the open session; any other is stale.
        let alerts = raw
            .alerts
            .filter(|a| course.open_session().is_some_and(|s| s.id == a.session));
        Ok(Driver {
            course,
            past,
            now: raw.now,
            alerts,
            given: raw.given,
            outbox: raw.outbox,
        })
    }
}

#[cfg(test)]
mod tests;
