//! Events: what a timer announces, and when.

use core::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::duration::since;
use crate::limits::LATE_AFTER;
use crate::phase::Phase;
use crate::trend::PainTrend;

/// What an event announces: the kind of an [`Event`], without its data.
///
/// # Examples
///
/// ```
/// use therapy_timer::EventKind;
///
/// assert_eq!(serde_json::to_string(&EventKind::PhaseChange)?, "\"phase_change\"");
/// assert!(EventKind::Repeat.is_safety());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// [`Event::Stop`].
    Stop,
    /// [`Event::Repeat`].
    Repeat,
    /// [`Event::StoppedEarly`].
    StoppedEarly,
    /// [`Event::PhaseChange`].
    PhaseChange,
    /// [`Event::Prompt`].
    Prompt,
    /// [`Event::Review`].
    Review,
    /// [`Event::CourseEnd`].
    CourseEnd,
    /// [`Event::SeeClinician`].
    SeeClinician,
}

impl EventKind {
    /// Whether events of this kind are safety events (a stop or its
    /// repeat): announced at any hour, critical, never dropped.
    /// [`EventKind::SeeClinician`] is not: it is advice, not a pack to take
    /// off; nor is [`EventKind::StoppedEarly`]: the person already took it
    /// off.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::EventKind;
    ///
    /// assert!(EventKind::Stop.is_safety());
    /// assert!(!EventKind::StoppedEarly.is_safety());
    /// assert!(!EventKind::Prompt.is_safety());
    /// ```
    #[must_use]
    pub const fn is_safety(self) -> bool {
        matches!(self, EventKind::Stop | EventKind::Repeat)
    }

    /// How urgently events of this kind must reach the person: a safety
    /// event is critical, everything else normal.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{EventKind, Urgency};
    ///
    /// assert_eq!(EventKind::Repeat.urgency(), Urgency::Critical);
    /// assert_eq!(EventKind::Review.urgency(), Urgency::Normal);
    /// ```
    #[must_use]
    pub const fn urgency(self) -> Urgency {
        if self.is_safety() {
            Urgency::Critical
        } else {
            Urgency::Normal
        }
    }
}

/// How urgently an event must reach the person.
///
/// # Examples
///
/// ```
/// use therapy_timer::Urgency;
///
/// assert!(Urgency::Critical > Urgency::Normal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Urgency {
    /// May wait.
    Low,
    /// Announce as usual.
    Normal,
    /// A safety event: announce always, even in quiet hours, with a sound,
    /// and never drop it.
    Critical,
}

/// Why an [`Event::SeeClinician`] was given.
///
/// In JSON: `{"kind": "severe_pain", "score": 9, "scored_at": "…"}`.
///
/// # Examples
///
/// ```
/// use therapy_timer::ClinicianReason;
///
/// let r: ClinicianReason =
///     serde_json::from_str(r#"{"kind":"severe_pain","score":9,"scored_at":"2026-03-01T09:00:00Z"}"#)?;
/// assert!(matches!(r, ClinicianReason::SeverePain { score: 9, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClinicianReason {
    /// A pain score of [`SEVERE_PAIN`](crate::limits::SEVERE_PAIN) or more
    /// was recorded.
    #[non_exhaustive]
    SeverePain {
        /// The score.
        score: u8,
        /// When the pain was scored (it may be earlier than the event: a
        /// score written down and entered later).
        scored_at: DateTime<Utc>,
    },
    /// A skin check found the skin blistered: a burn or a cold injury. A
    /// safety event, critical: blistered skin needs a clinician, and no
    /// cold or heat meanwhile ([`Course::skin_pause`](crate::Course::skin_pause)).
    #[non_exhaustive]
    Blistered {
        /// When the skin was checked.
        checked_at: DateTime<Utc>,
    },
}

/// One event for the person, from [`Driver::poll_event`](crate::Driver::poll_event):
/// one variant per kind, each with what its announcement needs.
///
/// Every event has a `due` time (when it was due) and, but for the
/// events an input makes at once, a `late`: how late it came out, `None`
/// when it came out within [`LATE_AFTER`] of `due` (on time: worded as on
/// time). Everything else an event says is worked out as of its `due`
/// time, not of when the driver was woken, so the event is the same
/// whichever process gives it and however late, and the event
/// [`Driver::upcoming`](crate::Driver::upcoming) shows ahead of time is the
/// one given when it comes due on time.
///
/// In JSON the kind is the tag: `{"event": "stop", "session": 3, "phase":
/// "ice", "due": "…", "rest_until": "…"}`, with `"late": "12m"` when late.
/// Durations are humantime strings, times RFC 3339 in UTC.
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, Driver, Event, Input, Protocol, Urgency};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut driver = Driver::new(Course::new(injured, Protocol::default())?);
/// let started = driver.handle_input(
///     Input::Start { at: injured, phase: None, length: None, force: false },
///     &Utc,
/// )?;
/// driver.handle_timeout(injured + TimeDelta::minutes(40), &Utc);
/// let stop = std::iter::from_fn(|| driver.poll_event())
///     .find(|e| e.is_safety())
///     .unwrap();
/// assert_eq!(stop.session(), started.session());
/// assert_eq!(stop.urgency(), Urgency::Critical);
/// // Woken 30 minutes late: the stop once, saying how late (the repeats
/// // whose time went by are not replayed).
/// assert!(matches!(stop, Event::Stop { .. }));
/// assert_eq!(stop.late().as_secs(), 30 * 60);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// Take the pack off (or switch the heating pad off): the session's
    /// end came. A safety event.
    #[non_exhaustive]
    Stop {
        /// The session's id.
        session: u32,
        /// Its phase.
        phase: Phase,
        /// The session's end.
        due: DateTime<Utc>,
        /// How late it came out, when more than [`LATE_AFTER`].
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::duration::serde_human_opt"
        )]
        #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
        late: Option<Duration>,
        /// Until when the rest runs if the pack comes off at `due`: the
        /// next session may start then.
        rest_until: DateTime<Utc>,
    },
    /// The stop again: nobody has said the pack is off. A safety event.
    #[non_exhaustive]
    Repeat {
        /// The session's id.
        session: u32,
        /// Its phase.
        phase: Phase,
        /// When this repeat was due.
        due: DateTime<Utc>,
        /// How late it came out, when more than [`LATE_AFTER`].
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::duration::serde_human_opt"
        )]
        #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
        late: Option<Duration>,
        /// When the session was due to end.
        ended: DateTime<Utc>,
        /// Which repeat this is, 1 to `of`. Repeats whose time went by
        /// while nobody was there are not replayed: one comes, numbered
        /// as the latest.
        repeat: u8,
        /// How many repeats there are at most
        /// ([`REPEATS`](crate::limits::REPEATS)).
        of: u8,
        /// Until when the rest runs if the pack comes off at `due`.
        rest_until: DateTime<Utc>,
    },
    /// The session was stopped before its end ([`Input::Stop`](crate::Input::Stop)):
    /// cut short. Not a safety event: the person (or the device) took the
    /// pack off; the announcement says so and when the rest ends.
    #[non_exhaustive]
    StoppedEarly {
        /// The session's id.
        session: u32,
        /// Its phase.
        phase: Phase,
        /// When it was stopped.
        due: DateTime<Utc>,
        /// How long it ran.
        #[serde(with = "crate::duration::serde_human")]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        ran: Duration,
        /// Until when the rest runs.
        rest_until: DateTime<Utc>,
    },
    /// The acute window is over: heat from now on. Comes just before the
    /// first heat prompt.
    #[non_exhaustive]
    PhaseChange {
        /// The phase from now on: heat.
        phase: Phase,
        /// When the first heat prompt was due.
        due: DateTime<Utc>,
        /// How late it came out, when more than [`LATE_AFTER`].
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::duration::serde_human_opt"
        )]
        #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
        late: Option<Duration>,
        /// How long the acute window (ice) was.
        #[serde(with = "crate::duration::serde_human")]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        acute_window: Duration,
        /// A heat session's length.
        #[serde(with = "crate::duration::serde_human")]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        on: Duration,
        /// The least rest after it.
        #[serde(with = "crate::duration::serde_human")]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        rest: Duration,
    },
    /// Time for a session: a suggestion, not a session.
    #[non_exhaustive]
    Prompt {
        /// Ice or heat.
        phase: Phase,
        /// When it was due.
        due: DateTime<Utc>,
        /// How late it came out, when more than [`LATE_AFTER`].
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::duration::serde_human_opt"
        )]
        #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
        late: Option<Duration>,
        /// How long the session would be (the protocol's dose).
        #[serde(with = "crate::duration::serde_human")]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        length: Duration,
        /// A heat prompt after a heat session that left the skin red (the
        /// last skin check): skip this session if the skin is still red
        /// ([`Course::skip_if_red`](crate::Course::skip_if_red)).
        #[serde(default, skip_serializing_if = "is_false")]
        skip_if_red: bool,
    },
    /// Spasms that last this long should be seen by a clinician; once.
    #[non_exhaustive]
    Review {
        /// The phase at that time.
        phase: Phase,
        /// When it was due.
        due: DateTime<Utc>,
        /// How late it came out, when more than [`LATE_AFTER`].
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::duration::serde_human_opt"
        )]
        #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
        late: Option<Duration>,
        /// How long after the injury it comes (72 h by default).
        #[serde(with = "crate::duration::serde_human")]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        after: Duration,
        /// The pain scores by `due` (`None` with no scores): the notice
        /// says "no better" or "severe" from it
        /// ([`PainTrend::advises_clinician`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trend: Option<PainTrend>,
    },
    /// The course is over: no more prompts; see a clinician if spasms
    /// persist. Once.
    #[non_exhaustive]
    CourseEnd {
        /// The phase at that time.
        phase: Phase,
        /// When it was due.
        due: DateTime<Utc>,
        /// How late it came out, when more than [`LATE_AFTER`].
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::duration::serde_human_opt"
        )]
        #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
        late: Option<Duration>,
        /// Whether the person ended it ([`Input::EndCourse`](crate::Input::EndCourse))
        /// rather than its length running out.
        #[serde(default)]
        by_person: bool,
        /// The pain scores by `due`, as for [`Event::Review`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trend: Option<PainTrend>,
    },
    /// See a clinician, whatever the day: announced at once, when what
    /// caused it is recorded. Normal urgency (not a safety stop).
    #[non_exhaustive]
    SeeClinician {
        /// The phase at that time.
        phase: Phase,
        /// When it was given: when the cause was recorded (never before an
        /// event already given).
        due: DateTime<Utc>,
        /// Why.
        reason: ClinicianReason,
        /// The pain scores, ending with the one that caused it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trend: Option<PainTrend>,
    },
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn is_false(b: &bool) -> bool {
    !*b
}

/// `Some(now - due)` when that is more than [`LATE_AFTER`].
pub(crate) fn late_by(due: DateTime<Utc>, now: DateTime<Utc>) -> Option<Duration> {
    Some(since(due, now)).filter(|l| *l > LATE_AFTER)
}

impl Event {
    /// Its kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Event, EventKind};
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"prompt","phase":"ice","due":"2026-03-01T08:00:00Z","length":"10m"}"#,
    /// )?;
    /// assert_eq!(e.kind(), EventKind::Prompt);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> EventKind {
        match self {
            Event::Stop { .. } => EventKind::Stop,
            Event::Repeat { .. } => EventKind::Repeat,
            Event::StoppedEarly { .. } => EventKind::StoppedEarly,
            Event::PhaseChange { .. } => EventKind::PhaseChange,
            Event::Prompt { .. } => EventKind::Prompt,
            Event::Review { .. } => EventKind::Review,
            Event::CourseEnd { .. } => EventKind::CourseEnd,
            Event::SeeClinician { .. } => EventKind::SeeClinician,
        }
    }

    /// Whether it is a safety event: a stop or its repeat (see
    /// [`EventKind::is_safety`]), or a see-a-clinician event for a
    /// blistered skin ([`ClinicianReason::Blistered`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"stop","session":1,"phase":"heat","due":"2026-03-01T08:15:00Z","rest_until":"2026-03-01T08:30:00Z"}"#,
    /// )?;
    /// assert!(e.is_safety());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_safety(&self) -> bool {
        matches!(
            self,
            Event::SeeClinician {
                reason: ClinicianReason::Blistered { .. },
                ..
            }
        ) || self.kind().is_safety()
    }

    /// How urgently it must reach the person: see [`EventKind::urgency`].
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Event, Urgency};
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"prompt","phase":"ice","due":"2026-03-01T08:00:00Z","length":"10m"}"#,
    /// )?;
    /// assert_eq!(e.urgency(), Urgency::Normal);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn urgency(&self) -> Urgency {
        if self.is_safety() {
            Urgency::Critical
        } else {
            self.kind().urgency()
        }
    }

    /// The phase it is about: the session's, the prompt's, or the phase at
    /// that time.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Event, Phase};
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"prompt","phase":"ice","due":"2026-03-01T08:00:00Z","length":"10m"}"#,
    /// )?;
    /// assert_eq!(e.phase(), Phase::Ice);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn phase(&self) -> Phase {
        match *self {
            Event::Stop { phase, .. }
            | Event::Repeat { phase, .. }
            | Event::StoppedEarly { phase, .. }
            | Event::PhaseChange { phase, .. }
            | Event::Prompt { phase, .. }
            | Event::Review { phase, .. }
            | Event::CourseEnd { phase, .. }
            | Event::SeeClinician { phase, .. } => phase,
        }
    }

    /// When it was due.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"prompt","phase":"ice","due":"2026-03-01T08:00:00Z","length":"10m"}"#,
    /// )?;
    /// assert_eq!(e.due().to_rfc3339(), "2026-03-01T08:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn due(&self) -> DateTime<Utc> {
        match *self {
            Event::Stop { due, .. }
            | Event::Repeat { due, .. }
            | Event::StoppedEarly { due, .. }
            | Event::PhaseChange { due, .. }
            | Event::Prompt { due, .. }
            | Event::Review { due, .. }
            | Event::CourseEnd { due, .. }
            | Event::SeeClinician { due, .. } => due,
        }
    }

    /// How late it came out: zero when on time (within [`LATE_AFTER`]) and
    /// for the events an input makes at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"prompt","phase":"ice","due":"2026-03-01T08:00:00Z","late":"12m","length":"10m"}"#,
    /// )?;
    /// assert_eq!(e.late().as_secs(), 720);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn late(&self) -> Duration {
        match *self {
            Event::Stop { late, .. }
            | Event::Repeat { late, .. }
            | Event::PhaseChange { late, .. }
            | Event::Prompt { late, .. }
            | Event::Review { late, .. }
            | Event::CourseEnd { late, .. } => late.unwrap_or_default(),
            Event::StoppedEarly { .. } | Event::SeeClinician { .. } => Duration::ZERO,
        }
    }

    /// Whether it came out late enough to say so ("it was due 12m ago"):
    /// more than [`LATE_AFTER`] after it was due.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"prompt","phase":"ice","due":"2026-03-01T08:00:00Z","length":"10m"}"#,
    /// )?;
    /// assert!(!e.is_late());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_late(&self) -> bool {
        !self.late().is_zero()
    }

    /// The session it is about: for a stop, a repeat or an early stop.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"stop","session":4,"phase":"ice","due":"2026-03-01T08:10:00Z","rest_until":"2026-03-01T09:10:00Z"}"#,
    /// )?;
    /// assert_eq!(e.session(), Some(4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn session(&self) -> Option<u32> {
        match *self {
            Event::Stop { session, .. }
            | Event::Repeat { session, .. }
            | Event::StoppedEarly { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The pain trend it carries: for a review, a course end or a
    /// see-clinician event with scores.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"review","phase":"heat","due":"2026-03-04T08:00:00Z","after":"72h"}"#,
    /// )?;
    /// assert_eq!(e.trend(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn trend(&self) -> Option<PainTrend> {
        match *self {
            Event::Review { trend, .. }
            | Event::CourseEnd { trend, .. }
            | Event::SeeClinician { trend, .. } => trend,
            _ => None,
        }
    }

    /// Until when the rest runs, for a stop, a repeat or an early stop:
    /// when the next session may start.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Event;
    ///
    /// let e: Event = serde_json::from_str(
    ///     r#"{"event":"stop","session":4,"phase":"ice","due":"2026-03-01T08:10:00Z","rest_until":"2026-03-01T09:10:00Z"}"#,
    /// )?;
    /// assert_eq!(e.rest_until().map(|t| t.to_rfc3339()).as_deref(), Some("2026-03-01T09:10:00+00:00"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn rest_until(&self) -> Option<DateTime<Utc>> {
        match *self {
            Event::Stop { rest_until, .. }
            | Event::Repeat { rest_until, .. }
            | Event::StoppedEarly { rest_until, .. } => Some(rest_until),
            _ => None,
        }
    }
}
