//! The course in JSON: as written, as read, and the first format.

use alloc::string::String;
use alloc::vec::Vec;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{in_range, Course, COURSE_FORMAT};
use crate::error::Error;
use crate::pain::{PainScore, RawPainScore};
use crate::prompt::Prompt;
use crate::protocol::{Protocol, RawProtocol};
use crate::quiet_hours::QuietHours;
use crate::session::{Off, OffBy, Outcome, RawSession, Session};
use crate::skin_check::{RawSkinCheck, SkinCheck};

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
    skin: Vec<RawSkinCheck>,
    #[serde(default)]
    prompts: Vec<Prompt>,
    #[serde(default)]
    prompted: Option<DateTime<Utc>>,
    #[serde(default)]
    ended_at: Option<DateTime<Utc>>,
    #[serde(default = "yes")]
    injury_known: bool,
    /// The entry removed last (what an undo puts back).
    #[serde(default)]
    removed_session: Option<RawSession>,
    #[serde(default)]
    removed_pain: Option<RawPainScore>,
    #[serde(default)]
    removed_skin: Option<RawSkinCheck>,
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
    #[serde(skip_serializing_if = "<[SkinCheck]>::is_empty")]
    skin: &'a [SkinCheck],
    #[serde(skip_serializing_if = "<[Prompt]>::is_empty")]
    prompts: &'a [Prompt],
    #[serde(skip_serializing_if = "Option::is_none")]
    prompted: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "is_true")]
    injury_known: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed_session: Option<&'a Session>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed_pain: Option<&'a PainScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed_skin: Option<&'a SkinCheck>,
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
            skin: &self.skin,
            prompts: &self.prompts,
            prompted: self.prompted,
            ended_at: self.ended_at,
            injury_known: self.injury_known,
            removed_session: match &self.removed {
                Some(crate::entry::Removed::Session(x)) => Some(x),
                _ => None,
            },
            removed_pain: match &self.removed {
                Some(crate::entry::Removed::Pain(x)) => Some(x),
                _ => None,
            },
            removed_skin: match &self.removed {
                Some(crate::entry::Removed::Skin(x)) => Some(x),
                _ => None,
            },
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
        let mut skin = raw
            .skin
            .into_iter()
            .map(SkinCheck::try_from)
            .collect::<Result<Vec<_>, Error>>()?;
        for c in &skin {
            in_range(c.at)?;
        }
        skin.sort_by_key(|c| c.at);
        let first = [
            sessions.first().map(|s| s.start),
            pain.first().map(|p| p.at),
            skin.first().map(|c| c.at),
        ]
        .into_iter()
        .flatten()
        .min();
        if let Some(first) = first.filter(|f| *f < course.injured_at) {
            return Err(Error::BeforeInjury {
                at: first,
                injured_at: course.injured_at,
            });
        }
        // Ids, one numbering for sessions, scores and skin checks: kept when they are
        // unique, given in time order when missing (format 1) or repeated.
        let mut ids: Vec<u32> = sessions
            .iter()
            .map(|s| s.id)
            .chain(pain.iter().map(|p| p.id))
            .chain(skin.iter().map(|c| c.id))
            .collect();
        ids.sort_unstable();
        let unique = ids.first().is_none_or(|&f| f > 0) && ids.windows(2).all(|w| w[0] < w[1]);
        course.sessions = sessions;
        course.pain = pain;
        course.skin = skin;
        if unique {
            course.next_id = ids.last().map_or(1, |&m| m.saturating_add(1));
        } else {
            course.renumber();
        }
        // Kept only while its id is free (nothing was recorded since).
        let removed = match (raw.removed_session, raw.removed_pain, raw.removed_skin) {
            (Some(r), _, _) => Some(crate::entry::Removed::Session(Session::try_from(r)?)),
            (None, Some(r), _) => Some(crate::entry::Removed::Pain(PainScore::try_from(r)?)),
            (None, None, Some(r)) => Some(crate::entry::Removed::Skin(SkinCheck::try_from(r)?)),
            (None, None, None) => None,
        };
        course.removed = removed.filter(|r| !ids.contains(&r.id()));
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
