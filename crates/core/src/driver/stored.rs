//! The driver in JSON: as written, as read, and older outboxes.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::vec::Vec;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Alerts, Driver, Given, DRIVER_FORMAT};
use crate::course::{Course, RawCourse};
use crate::duration::since;
use crate::error::Error;
use crate::event::{late_by, ClinicianReason, Event};
use crate::phase::Phase;

/// The serialized driver as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDriver {
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
    #[serde(default)]
    away: bool,
    #[serde(default)]
    held: Option<DateTime<Utc>>,
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
                skip_if_red: self.course.skip_if_red(old.phase, old.due),
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
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    away: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    held: Option<DateTime<Utc>>,
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
            away: self.away,
            held: self.held,
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
        if let Some(held) = raw.held {
            crate::course::in_range(held)?;
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
            away: raw.away,
            held: raw.held,
        };
        for value in raw.outbox {
            if let Some(event) = driver.read_event(value)? {
                driver.outbox.push_back(event);
            }
        }
        Ok(driver)
    }
}
