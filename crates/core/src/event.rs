//! Events: what a timer announces, and when.

use std::collections::VecDeque;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::phase::Phase;
use crate::plan::Plan;

/// What happens at an event.
///
/// # Examples
///
/// ```
/// use therapy_timer::EventKind;
///
/// assert_eq!(serde_json::to_string(&EventKind::Review)?, "\"review\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Take the pack off (or switch the heating pad off).
    Stop,
    /// A session may start.
    Start,
    /// Spasms that last this long should be seen by a clinician; announced
    /// once.
    Review,
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
pub enum Urgency {
    /// May wait.
    Low,
    /// Announce as usual; may be held back in quiet hours.
    Normal,
    /// The safety event (ice off): announce always, even in quiet hours,
    /// and never drop it.
    Critical,
}

/// One event of the course.
///
/// In JSON: `{"event": "stop", "phase": "ice", "at": "…", "urgency": "critical"}`.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Event, EventKind, Phase, Urgency};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 10, 0).unwrap();
/// let stop = Event::new(EventKind::Stop, Phase::Ice, at);
/// assert_eq!(stop.urgency, Urgency::Critical);
/// assert_eq!(
///     serde_json::to_string(&stop)?,
///     r#"{"event":"stop","phase":"ice","at":"2026-03-01T08:10:00Z","urgency":"critical"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    /// What happens.
    #[serde(rename = "event")]
    pub kind: EventKind,
    /// The phase of the session it belongs to (for a review, the phase at
    /// that time).
    pub phase: Phase,
    /// When it happens.
    pub at: DateTime<Utc>,
    /// How urgently it must reach the person.
    pub urgency: Urgency,
}

impl Event {
    /// An event with the urgency the protocol gives it: an ice stop is
    /// critical, everything else normal.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Event, EventKind, Phase, Urgency};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Event::new(EventKind::Stop, Phase::Heat, at).urgency, Urgency::Normal);
    /// ```
    pub fn new(kind: EventKind, phase: Phase, at: DateTime<Utc>) -> Event {
        let urgency = match (kind, phase) {
            (EventKind::Stop, Phase::Ice) => Urgency::Critical,
            _ => Urgency::Normal,
        };
        Event {
            kind,
            phase,
            at,
            urgency,
        }
    }
}

/// The course's events in time order, an endless lazy iterator from
/// [`Course::events`](crate::Course::events).
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, EventKind, Protocol};
///
/// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let course = Course::new(injured, Protocol::default());
/// let review = course
///     .events(injured, &Utc)
///     .find(|e| e.kind == EventKind::Review)
///     .unwrap();
/// assert_eq!(review.at, injured + TimeDelta::hours(72));
/// ```
#[derive(Debug, Clone)]
pub struct Events<Tz: TimeZone> {
    plan: Plan<Tz>,
    queue: VecDeque<Event>,
    review: Option<Event>,
}

impl<Tz: TimeZone> Events<Tz> {
    pub(crate) fn new(
        plan: Plan<Tz>,
        recorded_stops: impl Iterator<Item = (Phase, DateTime<Utc>)>,
        review: Option<(Phase, DateTime<Utc>)>,
    ) -> Events<Tz> {
        // Recorded sessions end before the plan's first start (the plan
        // starts after their rest), so they go first, in order.
        let queue = recorded_stops
            .map(|(phase, at)| Event::new(EventKind::Stop, phase, at))
            .collect();
        Events {
            plan,
            queue,
            review: review.map(|(phase, at)| Event::new(EventKind::Review, phase, at)),
        }
    }
}

impl<Tz: TimeZone> Iterator for Events<Tz> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.queue.is_empty() {
            if let Some(s) = self.plan.next() {
                self.queue
                    .push_back(Event::new(EventKind::Start, s.phase, s.start));
                self.queue
                    .push_back(Event::new(EventKind::Stop, s.phase, s.end));
            }
        }
        match (self.review, self.queue.front()) {
            (Some(review), Some(head)) if review.at < head.at => self.review.take(),
            (Some(_), None) => self.review.take(),
            _ => self.queue.pop_front(),
        }
    }
}
