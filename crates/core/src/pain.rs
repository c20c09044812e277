//! Pain scores: how much it hurt, when, in the person's words.

use alloc::borrow::ToOwned;
use alloc::string::String;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::limits::{PAIN_MAX, PAIN_NOTE_MAX, SEVERE_PAIN};

/// One pain score of a course: a whole number on the 0–10 numeric rating
/// scale (0 no pain, 10 the worst imaginable), the time it was given, and
/// an optional note.
///
/// A score is checked wherever it is made: in code ([`PainScore::new`]),
/// when a course records it ([`Course::record_pain`](crate::Course::record_pain))
/// and when it is read from JSON. Scores share their ids with the
/// course's sessions ([`Course::last_recorded`](crate::Course::last_recorded)).
///
/// In JSON: `{"id": 4, "at": "…", "score": 6, "note": "after the drive"}`.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Error, PainScore};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// let pain = PainScore::new(at, 6, Some("worse after the drive".into()))?;
/// assert_eq!((pain.score, pain.note.as_deref()), (6, Some("worse after the drive")));
/// assert_eq!(PainScore::new(at, 11, None).unwrap_err(), Error::PainOutOfRange { score: 11 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "RawPainScore")]
#[non_exhaustive]
pub struct PainScore {
    /// Its number in the course, given when it is recorded (0 before);
    /// sessions and scores share the numbering.
    #[serde(default)]
    pub id: u32,
    /// When the pain was scored.
    pub at: DateTime<Utc>,
    /// 0 (no pain) to 10 ([`PAIN_MAX`]).
    pub score: u8,
    /// The person's note, at most [`PAIN_NOTE_MAX`] characters; never
    /// empty (an empty or blank note is `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The session it belongs to, when it was given as that session's
    /// pain before (`start --pain N`) or after (the stop's answer):
    /// [`Input::SessionPain`](crate::Input::SessionPain). `None` for a
    /// score on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<PainRelation>,
}

/// Whether a score is the pain before or after a session.
///
/// # Examples
///
/// ```
/// use therapy_timer::PainWhen;
///
/// assert_eq!(serde_json::to_string(&PainWhen::After)?, "\"after\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PainWhen {
    /// Given as the session started.
    Before,
    /// Given when the session was over (the stop's answer).
    After,
}

/// The session a score belongs to, and whether before or after it. In
/// JSON: `{"session": 3, "when": "before"}`.
///
/// # Examples
///
/// ```
/// use therapy_timer::{PainRelation, PainWhen};
///
/// let r = PainRelation::new(3, PainWhen::Before);
/// assert_eq!(serde_json::to_string(&r)?, r#"{"session":3,"when":"before"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PainRelation {
    /// The session's id.
    pub session: u32,
    /// Before or after it.
    pub when: PainWhen,
}

impl PainRelation {
    /// Score of session `session`, `when`.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{PainRelation, PainWhen};
    ///
    /// assert_eq!(PainRelation::new(2, PainWhen::After).session, 2);
    /// ```
    #[must_use]
    pub const fn new(session: u32, when: PainWhen) -> PainRelation {
        PainRelation { session, when }
    }
}

impl PainScore {
    /// A score of `score` at `at`, with an optional note. Surrounding
    /// blanks of the note are trimmed; a blank note is no note.
    ///
    /// # Errors
    ///
    /// [`Error::PainOutOfRange`] for a score above 10;
    /// [`Error::PainNoteTooLong`] for a note over 500 characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Error, PainScore};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert_eq!(PainScore::new(at, 3, Some("  ".into()))?.note, None);
    /// let essay = "a".repeat(501);
    /// assert_eq!(
    ///     PainScore::new(at, 3, Some(essay)).unwrap_err(),
    ///     Error::PainNoteTooLong { chars: 501 }
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(at: DateTime<Utc>, score: u8, note: Option<String>) -> Result<PainScore, Error> {
        let note = note.and_then(|n| {
            let trimmed = n.trim();
            if trimmed.is_empty() {
                None
            } else if trimmed.len() == n.len() {
                Some(n)
            } else {
                Some(trimmed.to_owned())
            }
        });
        let pain = PainScore {
            id: 0,
            at,
            score,
            note,
            relation: None,
        };
        pain.check()?;
        Ok(pain)
    }

    /// Whether the score is [`SEVERE_PAIN`] (8) or more: see a clinician,
    /// whatever the day of the course.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::PainScore;
    ///
    /// let at = chrono::DateTime::UNIX_EPOCH;
    /// assert!(PainScore::new(at, 8, None)?.is_severe());
    /// assert!(!PainScore::new(at, 7, None)?.is_severe());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_severe(&self) -> bool {
        self.score >= SEVERE_PAIN
    }

    /// Checks the rules (the fields are public, so a course checks again).
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.score > PAIN_MAX {
            return Err(Error::PainOutOfRange { score: self.score });
        }
        if let Some(note) = &self.note {
            let chars = note.chars().count();
            if chars > PAIN_NOTE_MAX {
                return Err(Error::PainNoteTooLong { chars });
            }
        }
        Ok(())
    }
}

/// What serde reads before the score is checked. A score that does not
/// fit a `u8` (300, -1) is serde's error, [`Error::Data`] from
/// [`Course::from_json`](crate::Course::from_json).
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPainScore {
    #[serde(default)]
    id: u32,
    at: DateTime<Utc>,
    score: u8,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    relation: Option<PainRelation>,
}

impl TryFrom<RawPainScore> for PainScore {
    type Error = Error;

    fn try_from(raw: RawPainScore) -> Result<PainScore, Error> {
        let mut pain = PainScore::new(raw.at, raw.score, raw.note)?;
        pain.id = raw.id;
        pain.relation = raw.relation;
        Ok(pain)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::PainScore;
    use crate::error::Error;

    #[test]
    fn serde_round_trip_and_shape() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let pain = PainScore::new(at, 7, Some("stiff \"all\" morning".into())).unwrap();
        let json = serde_json::to_string(&pain).unwrap();
        assert_eq!(
            json,
            r#"{"id":0,"at":"2026-03-01T09:00:00Z","score":7,"note":"stiff \"all\" morning"}"#
        );
        assert_eq!(serde_json::from_str::<PainScore>(&json).unwrap(), pain);
        let bare = PainScore::new(at, 0, None).unwrap();
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"id":0,"at":"2026-03-01T09:00:00Z","score":0}"#
        );
    }

    #[test]
    fn the_scale_and_the_note_are_checked_in_code_and_from_json() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert!(PainScore::new(at, 10, None).is_ok());
        let err = PainScore::new(at, 11, None).unwrap_err();
        assert_eq!(err, Error::PainOutOfRange { score: 11 });
        assert_eq!(
            err.to_string(),
            "a pain score of 11 is outside the 0 to 10 scale; use a whole number from 0 to 10"
        );
        // 500 characters, not bytes: a note in Greek is as long as one in
        // English.
        assert!(PainScore::new(at, 5, Some("π".repeat(500))).is_ok());
        let err = PainScore::new(at, 5, Some("π".repeat(501))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a pain note of 501 characters is longer than the 500 the log keeps; \
             shorten it to at most 500"
        );
        let json = r#"{"at":"2026-03-01T09:00:00Z","score":12}"#;
        let err = serde_json::from_str::<PainScore>(json).unwrap_err();
        assert!(err.to_string().contains("a pain score of 12"), "{err}");
    }
}
