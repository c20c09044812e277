//! The driver: one sans-IO state machine that runs a course over time.

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::duration::since;
use crate::error::Error;
use crate::event::Event;
use crate::limits::LATE_AFTER;
use crate::prompt::Answer;
use crate::protocol::Protocol;
use crate::quiet_hours::QuietHours;
use crate::session::OffBy;

mod applied;
mod apply;
mod due;
mod input;
mod stored;

pub use applied::Applied;
pub use input::Input;
use stored::RawDriver;

/// The format version [`Driver::to_json`] writes.
pub const DRIVER_FORMAT: u32 = 1;

/// A bound on the events one call can work through; a course has at most a
/// few hundred prompt slots, so this is never reached unless a rule loops.
const STEPS_MAX: usize = 100_000;

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
    /// Between [`Input::Away`] and [`Input::Back`].
    away: bool,
    /// The due time of the prompt held while away.
    held: Option<DateTime<Utc>>,
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
            away: false,
            held: None,
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
        core::mem::take(&mut self.past)
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
            && self.away == other.away
            && self.held == other.held
    }

    /// Whether the person is away: after [`Input::Away`], until
    /// [`Input::Back`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Input, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// driver.handle_input(Input::Away { at: injured }, &Utc)?;
    /// assert!(driver.is_away());
    /// driver.handle_input(Input::Back { at: injured }, &Utc)?;
    /// assert!(!driver.is_away());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_away(&self) -> bool {
        self.away
    }

    /// When the prompt held while away was due, if one is: it is given at
    /// [`Input::Back`] (see there for when it is dropped instead).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, EventKind, Input, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
    /// // Away before the first prompt: it is held, not given.
    /// driver.handle_input(Input::Away { at: injured }, &Utc)?;
    /// assert_eq!(driver.poll_event(), None);
    /// assert_eq!(driver.held_prompt(), Some(injured));
    /// // Back twenty minutes later: given once, saying how late.
    /// let back = injured + TimeDelta::minutes(20);
    /// driver.handle_input(Input::Back { at: back }, &Utc)?;
    /// let prompt = driver.poll_event().unwrap();
    /// assert_eq!(prompt.kind(), EventKind::Prompt);
    /// assert_eq!(prompt.due(), injured);
    /// assert_eq!(driver.poll_event(), None);
    /// assert_eq!(driver.held_prompt(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn held_prompt(&self) -> Option<DateTime<Utc>> {
        self.held
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
        if self.held.is_some_and(|h| h > now) {
            self.held = None;
        }
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
    ///   end of the course; [`Error::SnoozeInThePast`];
    ///   [`Error::SnoozePastEnd`]; [`Error::NothingToSnooze`] when no prompt
    ///   is open and the next comes after the snooze's end anyway.
    /// - [`Input::EndCourse`]: [`Error::CourseEnded`] if it is over.
    /// - [`Input::NewInjury`]: [`Error::InjuryInFuture`] or
    ///   [`Error::InjuryTooOld`] for the time, [`Error::AlreadyRunning`].
    /// - [`Input::Log`], [`Input::Remove`]: as [`Course::record`] and
    ///   [`Course::remove`].
    /// - [`Input::Pain`]: as [`PainScore::new`](crate::PainScore::new) and [`Course::record_pain`].
    /// - [`Input::SessionPain`]: as [`Input::Pain`]; [`Error::NoSuchSession`]
    ///   for a session not in the log.
    /// - [`Input::Skin`]: as [`SkinCheck::new`](crate::SkinCheck::new) and [`Course::record_skin`].
    /// - [`Input::Start`] while the skin is numb or blistered
    ///   ([`Course::skin_pause`]): [`Error::SkinPaused`], forced or not.
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
        if let Input::Away { at } = input {
            // Away since the last step: what falls due up to `at` is
            // worked out as away.
            crate::course::in_range(at)?;
            self.away = true;
        }
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
                self.held = None;
                Applied::Done
            }
            Input::NewInjury { at, injured_at } => {
                self.new_injury(at, injured_at)?;
                Applied::Done
            }
            Input::CorrectInjury { at, injured_at } => {
                check_injury(at, injured_at)?;
                self.course.correct_injury(injured_at)?;
                self.held = None;
                Applied::Done
            }
            Input::Log { session } => self.log(session)?,
            Input::Remove { id } => Applied::Removed(self.course.remove(id)?),
            Input::Undo => match self.course.restore_removed() {
                Some(entry) => Applied::Restored { entry },
                None => {
                    // An empty log: the error names no entry (id 0).
                    let id = self.course.last_recorded().map_or(0, |e| e.id());
                    Applied::Removed(self.course.remove(id)?)
                }
            },
            Input::Pain { at, score, note } => self.pain(at, score, note, None)?,
            Input::SessionPain {
                at,
                session,
                when,
                score,
                note,
            } => {
                if self.course.session(session).is_none() {
                    return Err(Error::NoSuchSession { id: session });
                }
                let relation = crate::pain::PainRelation::new(session, when);
                self.pain(at, score, note, Some(relation))?
            }
            Input::Skin { at, skin, note } => self.skin(at, skin, note)?,
            Input::Away { .. } => Applied::Done,
            Input::Back { at } => {
                self.back(at, tz);
                Applied::Done
            }
        };
        self.withdraw_settled();
        if let Some(now) = self.now {
            self.handle_timeout(now, tz);
        }
        Ok(applied)
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
}

fn check_injury(at: DateTime<Utc>, injured_at: DateTime<Utc>) -> Result<(), Error> {
    Course::check_injury_time(injured_at, at)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod skin_tests;
