//! Events: what a timer announces, and when.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::duration::since;
use crate::limits::LATE_AFTER;
use crate::phase::Phase;
use crate::trend::PainTrend;

/// What an event announces.
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
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// Take the pack off (or switch the heating pad off): a safety event.
    Stop,
    /// The stop again: nobody has said the pack is off. A safety event.
    Repeat,
    /// The acute window is over: heat from now on. Comes with the first
    /// heat prompt.
    PhaseChange,
    /// Time for a session: a suggestion, not a session.
    Prompt,
    /// Spasms that last this long should be seen by a clinician; once.
    /// Its [`Event::trend`] says whether the pain is no better.
    Review,
    /// The course is over: no more prompts; see a clinician if spasms
    /// persist. Once. Its [`Event::trend`] says whether the pain is no
    /// better.
    CourseEnd,
    /// A pain score of [`SEVERE_PAIN`](crate::limits::SEVERE_PAIN) (8) or
    /// more was recorded: see a clinician, whatever the day. Once per such
    /// score, when it is recorded; normal urgency (not a safety stop). Its
    /// [`Event::trend`] ends with that score.
    SeeClinician,
}

impl EventKind {
    /// Whether it is a safety event (a stop or its repeat): announced at
    /// any hour, critical, never dropped. [`EventKind::SeeClinician`] is
    /// not: it is advice, not a pack to take off.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::EventKind;
    ///
    /// assert!(EventKind::Stop.is_safety());
    /// assert!(!EventKind::Prompt.is_safety());
    /// ```
    #[must_use]
    pub const fn is_safety(self) -> bool {
        matches!(self, EventKind::Stop | EventKind::Repeat)
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

/// One event for the person, from [`Driver::poll_event`](crate::Driver::poll_event).
///
/// In JSON: `{"event": "stop", "phase": "ice", "due": "…", "at": "…",
/// "urgency": "critical", "safety": true, "session": 3, "repeat": 0}`; a
/// review, course end or see-clinician event with pain scores also has
/// `"trend": {…}`.
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Event, EventKind, Phase, Urgency};
///
/// let due = Utc.with_ymd_and_hms(2026, 3, 1, 8, 10, 0).unwrap();
/// let stop = Event::new(EventKind::Stop, Phase::Heat, due, due + TimeDelta::minutes(30));
/// assert_eq!(stop.urgency, Urgency::Critical);
/// assert!(stop.safety && stop.is_late());
/// assert_eq!(stop.late().as_secs(), 1800);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// What it announces.
    #[serde(rename = "event")]
    pub kind: EventKind,
    /// The phase it is about: the session's, the prompt's, or the phase at
    /// that time.
    pub phase: Phase,
    /// When it was due.
    pub due: DateTime<Utc>,
    /// When it came out (the time given to the driver); later than `due`
    /// when the driver was woken late.
    pub at: DateTime<Utc>,
    /// How urgently it must reach the person.
    pub urgency: Urgency,
    /// Whether it is a safety event (a stop or its repeat).
    pub safety: bool,
    /// The session it is about, for a stop or a repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
    /// For a repeat, which one (1 to 3); 0 otherwise.
    #[serde(default)]
    pub repeat: u8,
    /// For a review, a course end or a see-clinician event, the trend of
    /// the pain scores given by the time it was due (`None` with no
    /// scores, and for other events), so it is the same however late the
    /// driver was woken: the notice says "no better" or "severe" from it
    /// ([`PainTrend::advises_clinician`]). For
    /// [`EventKind::SeeClinician`] it ends with the score that caused it.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Event, EventKind, Phase};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 3, 4, 8, 0, 0).unwrap();
    /// assert_eq!(Event::new(EventKind::Review, Phase::Heat, at, at).trend, None);
    /// ```
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<PainTrend>,
}

impl Event {
    /// An event with the urgency the protocol gives it: a safety event is
    /// critical, everything else normal.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Event, EventKind, Phase, Urgency};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Event::new(EventKind::Prompt, Phase::Ice, at, at).urgency, Urgency::Normal);
    /// ```
    #[must_use]
    pub fn new(kind: EventKind, phase: Phase, due: DateTime<Utc>, at: DateTime<Utc>) -> Event {
        let safety = kind.is_safety();
        Event {
            kind,
            phase,
            due,
            at,
            urgency: if safety {
                Urgency::Critical
            } else {
                Urgency::Normal
            },
            safety,
            session: None,
            repeat: 0,
            trend: None,
        }
    }

    /// How late it came out: `at - due`, zero if on time.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Event, EventKind, Phase};
    ///
    /// let t = chrono::DateTime::UNIX_EPOCH;
    /// assert!(Event::new(EventKind::Review, Phase::Heat, t, t).late().is_zero());
    /// ```
    #[must_use]
    pub fn late(&self) -> Duration {
        since(self.due, self.at)
    }

    /// Whether it came out late enough to say so ("it was due 12m ago"):
    /// more than [`LATE_AFTER`](crate::limits::LATE_AFTER) after it was due.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use therapy_timer::{Event, EventKind, Phase};
    ///
    /// let t = chrono::DateTime::UNIX_EPOCH;
    /// assert!(!Event::new(EventKind::Stop, Phase::Ice, t, t + TimeDelta::seconds(30)).is_late());
    /// ```
    #[must_use]
    pub fn is_late(&self) -> bool {
        self.late() > LATE_AFTER
    }
}
