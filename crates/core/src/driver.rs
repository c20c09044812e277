//! The driver: one sans-IO state machine that runs a course over time.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::course::{Course, RawCourse};
use crate::duration::{after, since};
use crate::error::Error;
use crate::event::{late_by, ClinicianReason, Event};
use crate::limits::{LATE_AFTER, REPEATS, REPEAT_EVERY, SESSION_MIN};
use crate::pain::PainScore;
use crate::phase::Phase;
use crate::prompt::{Answer, Prompt};
use crate::protocol::Protocol;
use crate::quiet_hours::QuietHours;
use crate::readiness::Readiness;
use crate::session::{Off, OffBy, Outcome, Session};

mod applied;

pub use applied::Applied;

/// The format version [`Driver::to_json`] writes.
pub const DRIVER_FORMAT: u32 = 1;

/// A bound on the events one call can work through; a course has at most a
/// few hundred prompt slots, so this is never reached unless a rule loops.
const STEPS_MAX: usize = 100_000;

/// What the person (or a device) did: the driver's input.
///
/// # What no input can bend
///
/// - **Dated before the driver's time** ([`Driver::now`]): an input is
///   history told late. It applies at its own time, checked against the
///   record (a stop before its session's start is refused), but time does
///   not go back for it: what was given is not given again, and the
///   driver's time stays. A start dated in the past is timed from then
///   (its stop may be due at once).
/// - **After the course's end**: [`Input::Skip`], [`Input::Snooze`] and
///   [`Input::EndCourse`] are refused ([`Error::NoPrompt`],
///   [`Error::CourseEnded`]); sessions, stops and pain scores are still
///   recorded (how it went later is worth keeping).
/// - **A stop within [`SESSION_MIN`] (1 s) of its start**: the session did
///   not happen. It is removed, the prompt it answered is open again, and
///   no event is given ([`Applied::Undone`]).
/// - **A stop after the repeats ran out** (the record says
///   [`OffBy::NoAnswer`]): it still tells the truth. At or after the end it
///   records when the pack came off; before the end it cuts the session
///   short at that time.
/// - **A stop the caller reports** (a device's own stop, or "it's off"):
///   the stop and repeat events of that session not yet polled are taken
///   back, so nobody is told to take off what is already off. A stop
///   before the end gives [`Event::StoppedEarly`], which is not a safety
///   event.
/// - **A logged session** ([`Input::Log`]) is history: it must be over
///   (one still running is refused with [`Error::LoggedNotFinished`]; time
///   it with [`Input::Start`], which checks the rest); it is never timed;
///   one that starts inside a rest owed is recorded as forced, and
///   [`Applied::Logged`] says so.
/// - **A late score**: a severe one is announced at once, dated when it
///   was entered (never before an event already given); its own time is
///   in [`ClinicianReason::SeverePain`].
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
    /// an [`Event::SeeClinician`] event.
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
/// however the calls are interleaved or delayed. An input settles what it
/// answers: a prompt it started, skipped or snoozed and the stop of a
/// session it said is off are taken back if not yet polled (see
/// [`Input`] for what each input may and may not do).
///
/// **Time going back.** A `now` earlier than the last by at most
/// [`LATE_AFTER`] (two processes that read the clock a moment apart)
/// changes nothing. Earlier than that, the clock was ahead and has been
/// corrected: the driver's time goes back to `now`, nothing given is given
/// again (the one-time notices stay given, the stops stay counted), and
/// the prompts dated after `now`, decided on the wrong clock, are
/// forgotten and come again when really due. Long gaps (the machine was
/// off) are summed up: a stop that was really due is given once, saying how
/// late; the prompts missed meanwhile are not replayed. The driver
/// serializes ([`Driver::to_json`]), so a program that cron starts each
/// minute loads it, calls `handle_timeout(now)`, announces, and saves it.
///
/// [`Driver::upcoming`] works on a copy of the driver: O(n) in the
/// record.
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
/// assert_eq!(driver.poll_event().unwrap().kind(), EventKind::Prompt);
///
/// // The person starts a session; ten minutes later, take it off.
/// driver.handle_input(Input::Start { at: wake, phase: None, length: None, force: false }, &Utc)?;
/// let stop = driver.poll_timeout(&Utc).unwrap();
/// assert_eq!(stop, wake + TimeDelta::minutes(10));
/// driver.handle_timeout(stop, &Utc);
/// let event = driver.poll_event().unwrap();
/// assert_eq!(event.kind(), EventKind::Stop);
/// assert!(event.is_safety());
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

    /// Whether `self` and `other` differ only in the latest time they
    /// were given: after a [`handle_timeout`](Driver::handle_timeout) that
    /// changed nothing else, an app need not save the driver.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// driver.handle_timeout(injured, &Utc); // the first prompt
    /// let before = driver.clone();
    /// driver.handle_timeout(injured + TimeDelta::minutes(1), &Utc);
    /// assert!(driver.is_same_but_time(&before));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_same_but_time(&self, other: &Driver) -> bool {
        self.course == other.course
            && self.past == other.past
            && self.alerts == other.alerts
            && self.given == other.given
            && self.outbox == other.outbox
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
    /// assert_eq!(events[0].kind(), EventKind::Prompt);
    /// assert_eq!(events[0].due(), injured + TimeDelta::minutes(4 * 70));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle_timeout<Tz: TimeZone>(&mut self, now: DateTime<Utc>, tz: &Tz) {
        if let Some(last) = self.now {
            if now < last {
                if since(now, last) <= LATE_AFTER {
                    // Two processes that read the clock a moment apart:
                    // time does not go back for that.
                    return;
                }
                self.step_back(now);
            }
        }
        self.now = Some(now);
        for _ in 0..STEPS_MAX {
            match self.next_due(tz) {
                Some((t, due)) if t <= now => self.fire(due, t, now, tz),
                _ => break,
            }
        }
    }

    /// The clock was ahead and was corrected: the driver's time goes back
    /// to `now`. What was given is not given again (the one-time notices
    /// stay given, the stops stay counted), but the prompts dated after
    /// `now` were decided on the wrong clock: they are forgotten, with
    /// their events not yet polled, and come again when really due.
    fn step_back(&mut self, now: DateTime<Utc>) {
        self.course.forget_prompts_after(now);
        self.outbox.retain(|e| {
            !(matches!(e, Event::Prompt { .. } | Event::PhaseChange { .. }) && e.due() > now)
        });
    }

    /// What comes out next, and when: the first event the driver will give
    /// if it is woken at the time of the next thing due (on time), as
    /// [`poll_timeout`](Driver::poll_timeout) says it. When that time comes
    /// and the driver is woken within [`LATE_AFTER`] of it, the event
    /// [`poll_event`](Driver::poll_event) gives is equal to this one, so an
    /// app can word (and so announce at once) the stop before its
    /// deadline, and has nothing to filter afterwards. `None` when nothing
    /// more is due. Events already queued are not counted: drain them
    /// first.
    ///
    /// It works on a copy of the driver: O(n) in the record.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Event, Input, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(t, Protocol::default())?);
    /// driver.handle_input(Input::Start { at: t, phase: None, length: None, force: false }, &Utc)?;
    /// let stop = driver.upcoming(&Utc).unwrap();
    /// assert!(matches!(stop, Event::Stop { .. }));
    /// assert_eq!(stop.due(), t + TimeDelta::minutes(10));
    /// // Woken a few milliseconds after the deadline: the same event.
    /// driver.handle_timeout(stop.due() + TimeDelta::milliseconds(3), &Utc);
    /// assert_eq!(driver.poll_event(), Some(stop));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn upcoming<Tz: TimeZone>(&self, tz: &Tz) -> Option<Event> {
        let (t, _) = self.next_due(tz)?;
        let mut ahead = self.clone();
        ahead.outbox.clear();
        ahead.handle_timeout(t.max(self.now.unwrap_or(t)), tz);
        ahead.outbox.pop_front()
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
    ///   end of the course; [`Error::SnoozeInThePast`].
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
    pub fn handle_input<Tz: TimeZone>(&mut self, input: Input, tz: &Tz) -> Result<Applied, Error> {
        if let Some(at) = input.at() {
            crate::course::in_range(at)?;
            // Time moves on to the input's time, never back: an input dated
            // before now is history told late.
            if self.now.is_none_or(|n| at > n) {
                self.handle_timeout(at, tz);
            }
        }
        let applied = match input {
            Input::Start {
                at,
                phase,
                length,
                force,
            } => self.start(at, phase, length, force)?,
            Input::Stop { at } => self.take_off(at, OffBy::Stopped)?,
            Input::ConfirmOff { at } => self.take_off(at, OffBy::Confirmed)?,
            Input::Dismissed { at } => self.take_off(at, OffBy::Dismissed)?,
            Input::Skip { at } => {
                self.skip(at, tz)?;
                Applied::Done
            }
            Input::Snooze { at, until } => {
                self.snooze(at, until, tz)?;
                Applied::Done
            }
            Input::EndCourse { at } => {
                if self.course.is_over(at) {
                    return Err(Error::CourseEnded {
                        at: self.course.ends_at(),
                    });
                }
                self.course.end(at);
                self.course.answer_open_prompt(Answer::Missed);
                Applied::Done
            }
            Input::NewInjury { at, injured_at } => {
                self.new_injury(at, injured_at)?;
                Applied::Done
            }
            Input::CorrectInjury { at, injured_at } => {
                check_injury(at, injured_at)?;
                self.course.correct_injury(injured_at)?;
                Applied::Done
            }
            Input::Log { session } => self.log(session)?,
            Input::Remove { id } => Applied::Removed(self.course.remove(id)?),
            Input::Pain { at, score, note } => self.pain(at, score, note)?,
        };
        self.withdraw_settled();
        if let Some(now) = self.now {
            self.handle_timeout(now, tz);
        }
        Ok(applied)
    }

    /// Takes back the events not yet polled that the input settled: a
    /// prompt it answered (a start, a skip, a snooze), the stop and repeats
    /// of a session it said is off (a device that reports its own stop gets
    /// no stop event for it).
    fn withdraw_settled(&mut self) {
        let course = &self.course;
        self.outbox.retain(|e| match e {
            Event::Prompt { due, .. } => course.open_prompt().is_some_and(|p| p.due == *due),
            // Said to be off (or gone: undone, removed). A dismissal was
            // only seen: its stop stays.
            Event::Stop { session, .. } | Event::Repeat { session, .. } => {
                course.session(*session).is_some_and(|s| {
                    !s.off
                        .is_some_and(|o| matches!(o.by, OffBy::Stopped | OffBy::Confirmed))
                })
            }
            _ => true,
        });
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
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, ErrorKind, Protocol};
    ///
    /// assert!(matches!(Driver::from_json("{").unwrap_err(), Error::Data { .. }));
    /// // A course is not a driver, and the error says so.
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?.to_json();
    /// let err = Driver::from_json(&course).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Data);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "this is a course, not a driver; read it with Course::from_json"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Driver, Error> {
        crate::json::read::<RawDriver, Driver>(json, "driver")
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

    /// The stop (or repeat number `repeat`) of session `s`, due at `due`,
    /// worked out as of `due`.
    fn stop_event(&self, s: &Session, due: DateTime<Utc>, now: DateTime<Utc>, repeat: u8) -> Event {
        let late = late_by(due, now);
        // On time, as of `due` (so it equals what `upcoming` showed); late,
        // as of now: the rest counts from when the pack comes off.
        let as_of = if late.is_some() { now } else { due };
        let rest_until = self.course.readiness(as_of).earliest(as_of);
        if repeat == 0 {
            Event::Stop {
                session: s.id,
                phase: s.phase,
                due,
                late,
                rest_until,
            }
        } else {
            Event::Repeat {
                session: s.id,
                phase: s.phase,
                due,
                late,
                ended: s.end,
                repeat,
                of: REPEATS,
                rest_until,
            }
        }
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
                let repeat = match due {
                    Due::Stop => 0,
                    _ => passed.max(1),
                };
                let event = self.stop_event(&s, due_at, now, repeat);
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
                let late = late_by(due_at, now);
                let protocol = *self.course.protocol();
                if phase == Phase::Heat && !self.given.phase_change {
                    self.given.phase_change = true;
                    let heat = protocol.dose(Phase::Heat);
                    self.outbox.push_back(Event::PhaseChange {
                        phase,
                        due: due_at,
                        late,
                        acute_window: protocol.acute_window(),
                        on: heat.on,
                        rest: heat.rest,
                    });
                }
                self.course.push_prompt(Prompt::new(phase, due_at));
                self.outbox.push_back(Event::Prompt {
                    phase,
                    due: due_at,
                    late,
                    length: protocol.dose(phase).on,
                });
            }
            Due::Review => {
                self.given.review = true;
                // After the end of the course its notice says the same.
                if !self.course.is_over(now) {
                    self.outbox.push_back(Event::Review {
                        phase: self.course.phase_at(due_at),
                        due: due_at,
                        late: late_by(due_at, now),
                        after: since(self.course.injured_at(), self.course.review_at()),
                        trend: self.course.pain_trend(due_at),
                    });
                }
            }
            Due::End => {
                self.given.end = true;
                self.course.answer_open_prompt(Answer::Missed);
                self.outbox.push_back(Event::CourseEnd {
                    phase: self.course.phase_at(due_at),
                    due: due_at,
                    late: late_by(due_at, now),
                    by_person: self.course.ended_at().is_some(),
                    trend: self.course.pain_trend(due_at),
                });
            }
        }
    }

    fn start(
        &mut self,
        at: DateTime<Utc>,
        phase: Option<Phase>,
        length: Option<Duration>,
        force: bool,
    ) -> Result<Applied, Error> {
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
        let id = self.course.record(session)?;
        self.course.answer_open_prompt(Answer::Started { at });
        self.alerts = None;
        Ok(Applied::Started {
            session: id,
            forced,
        })
    }

    /// Records a session done without the timer: history, never timed.
    fn log(&mut self, session: Session) -> Result<Applied, Error> {
        // A session still on is not history: it would be timed as if
        // started with Start, past the rest lockout.
        let unfinished = session.off.is_none() || session.outcome == Outcome::Running;
        if unfinished {
            return Err(Error::LoggedNotFinished {
                start: session.start,
                end: session.end,
            });
        }
        // Owed a rest at its start: recorded as forced, and it says so.
        let forced = session.forced
            || !matches!(
                self.course.readiness(session.start),
                Readiness::Ready | Readiness::BeforeInjury { .. }
            );
        let session = if forced {
            session.forced_start()
        } else {
            session
        };
        let id = self.course.record(session)?;
        Ok(Applied::Logged {
            session: id,
            forced,
        })
    }

    /// Records a pain score; a severe one is announced at once, dated now
    /// (never before an event already given), with the score's own time.
    fn pain(
        &mut self,
        at: DateTime<Utc>,
        score: u8,
        note: Option<String>,
    ) -> Result<Applied, Error> {
        let pain = PainScore::new(at, score, note)?;
        let severe = pain.is_severe();
        let id = self.course.record_pain(pain)?;
        if severe {
            let due = self.now.map_or(at, |n| n.max(at));
            self.outbox.push_back(Event::SeeClinician {
                phase: self.course.phase_at(at),
                due,
                reason: ClinicianReason::SeverePain {
                    score,
                    scored_at: at,
                },
                trend: self.course.pain_trend(at),
            });
        }
        Ok(Applied::Scored { entry: id })
    }

    fn take_off(&mut self, at: DateTime<Utc>, by: OffBy) -> Result<Applied, Error> {
        let Some(s) = self.course.open_session().copied() else {
            // After the repeats ran out, "it is off" still tells the truth:
            // when it came off, or that it was cut short.
            if let Some(last) = self.course.last_session_mut() {
                if last.off.is_some_and(|o| o.by == OffBy::NoAnswer) && by != OffBy::Dismissed {
                    let last = *last;
                    return self.off_at(last, at, by);
                }
            }
            return match by {
                OffBy::Dismissed => Ok(Applied::Done),
                _ => Err(Error::NothingToStop),
            };
        };
        if at < s.end && by == OffBy::Dismissed {
            return Ok(Applied::Done);
        }
        self.off_at(s, at, by)
    }

    /// Session `s` came off at `at`: cut short before its end (or undone
    /// within a second of its start), completed after it.
    fn off_at(&mut self, s: Session, at: DateTime<Utc>, by: OffBy) -> Result<Applied, Error> {
        if at < s.start {
            return Err(Error::SessionEndsBeforeStart {
                start: s.start,
                end: at,
            });
        }
        let Some(last) = self.course.last_session_mut().filter(|l| l.id == s.id) else {
            return Err(Error::NothingToStop);
        };
        self.alerts = None;
        if at >= s.end {
            if last.outcome == Outcome::Running {
                last.outcome = Outcome::Completed;
            }
            last.off = Some(Off::new(at, by));
            return Ok(Applied::Stopped {
                session: s.id,
                early: false,
            });
        }
        if since(s.start, at) < SESSION_MIN {
            // Stopped within a second: it did not happen, and the prompt
            // it answered is open again.
            self.course.drop_last_session();
            self.course.unanswer_start(s.start);
            return Ok(Applied::Undone { session: s.id });
        }
        last.end = at;
        last.outcome = Outcome::CutShort;
        last.off = Some(Off::new(at, by));
        let rest_until = self.course.readiness(at).earliest(at);
        self.outbox.push_back(Event::StoppedEarly {
            session: s.id,
            phase: s.phase,
            due: at,
            ran: since(s.start, at),
            rest_until,
        });
        Ok(Applied::Stopped {
            session: s.id,
            early: true,
        })
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
    outbox: VecDeque<serde_json::Value>,
}

/// An event in the outbox of a state written before events were an enum
/// (a loose struct with a kind); read into the enum with the course.
#[derive(Deserialize)]
struct LegacyEvent {
    event: crate::event::EventKind,
    phase: Phase,
    due: DateTime<Utc>,
    at: DateTime<Utc>,
    #[serde(default)]
    session: Option<u32>,
    #[serde(default)]
    repeat: u8,
    #[serde(default)]
    trend: Option<crate::trend::PainTrend>,
}

impl Driver {
    /// An event from a saved outbox, in today's form or the older one.
    fn read_event(&self, value: serde_json::Value) -> Result<Option<Event>, Error> {
        use crate::event::EventKind as K;
        let value = match serde_json::from_value::<Event>(value.clone()) {
            Ok(e) => return Ok(Some(e)),
            Err(_) => value,
        };
        let old: LegacyEvent = serde_json::from_value(value).map_err(|e| Error::Data {
            message: format!("this is not an event of a driver's outbox: {e}"),
        })?;
        let late = late_by(old.due, old.at);
        let session = old.session.and_then(|id| self.course.session(id)).copied();
        let protocol = *self.course.protocol();
        Ok(Some(match (old.event, session) {
            // The stop of a session no longer in the log: stale.
            (K::Stop | K::Repeat, None) => return Ok(None),
            (K::Stop, Some(s)) => self.stop_event(&s, old.due, old.at, 0),
            (K::Repeat, Some(s)) => self.stop_event(&s, old.due, old.at, old.repeat.max(1)),
            (K::PhaseChange, _) => Event::PhaseChange {
                phase: old.phase,
                due: old.due,
                late,
                acute_window: protocol.acute_window(),
                on: protocol.dose(Phase::Heat).on,
                rest: protocol.dose(Phase::Heat).rest,
            },
            (K::Review, _) => Event::Review {
                phase: old.phase,
                due: old.due,
                late,
                after: since(self.course.injured_at(), self.course.review_at()),
                trend: old.trend,
            },
            (K::CourseEnd, _) => Event::CourseEnd {
                phase: old.phase,
                due: old.due,
                late,
                by_person: self.course.ended_at().is_some(),
                trend: old.trend,
            },
            (K::SeeClinician, _) => Event::SeeClinician {
                phase: old.phase,
                due: old.at.max(old.due),
                reason: ClinicianReason::SeverePain {
                    score: old.trend.map_or(crate::limits::SEVERE_PAIN, |t| t.latest),
                    scored_at: old.due,
                },
                trend: old.trend,
            },
            _ => Event::Prompt {
                phase: old.phase,
                due: old.due,
                late,
                length: protocol.dose(old.phase).on,
            },
        }))
    }
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
        let mut driver = Driver {
            course,
            past,
            now: raw.now,
            alerts,
            given: raw.given,
            outbox: VecDeque::new(),
        };
        for value in raw.outbox {
            if let Some(event) = driver.read_event(value)? {
                driver.outbox.push_back(event);
            }
        }
        Ok(driver)
    }
}

#[cfg(test)]
mod tests;
