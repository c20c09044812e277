//! One skin check of a course ([`SkinCheck`]); what it found is a
//! [`Skin`], whose rules are in `skin.rs`.

use alloc::borrow::ToOwned;
use alloc::string::String;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::limits::PAIN_NOTE_MAX;
use crate::skin::Skin;

/// One skin check of a course: what was found, when, and an optional note.
/// Checks share their ids with sessions and pain scores (they are log
/// entries: [`Entry::Skin`](crate::Entry::Skin)), so they can be removed
/// and undone like them.
///
/// In JSON: `{"id": 5, "at": "…", "skin": "numb", "note": "left side"}`.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Skin, SkinCheck};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 15, 0).unwrap();
/// let check = SkinCheck::new(at, Skin::Red, Some(" pink, not sore ".into()))?;
/// assert_eq!((check.skin, check.note.as_deref()), (Skin::Red, Some("pink, not sore")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "RawSkinCheck")]
#[non_exhaustive]
pub struct SkinCheck {
    /// Its number in the course, given when it is recorded (0 before).
    #[serde(default)]
    pub id: u32,
    /// When the skin was checked.
    pub at: DateTime<Utc>,
    /// What was found.
    pub skin: Skin,
    /// The person's note, at most [`PAIN_NOTE_MAX`] characters; never
    /// empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl SkinCheck {
    /// A check at `at` that found `skin`, with an optional note (trimmed; a
    /// blank note is no note).
    ///
    /// # Errors
    ///
    /// [`Error::SkinNoteTooLong`] for a note over 500 characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Error, Skin, SkinCheck};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 15, 0).unwrap();
    /// assert_eq!(SkinCheck::new(at, Skin::Numb, Some("  ".into()))?.note, None);
    /// assert_eq!(
    ///     SkinCheck::new(at, Skin::Numb, Some("a".repeat(501))).unwrap_err(),
    ///     Error::SkinNoteTooLong { chars: 501 }
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(at: DateTime<Utc>, skin: Skin, note: Option<String>) -> Result<SkinCheck, Error> {
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        let check = SkinCheck {
            id: 0,
            at,
            skin,
            note,
        };
        check.check()?;
        Ok(check)
    }

    /// Checks the rules (the fields are public, so a course checks again).
    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Some(note) = &self.note {
            let chars = note.chars().count();
            if chars > PAIN_NOTE_MAX {
                return Err(Error::SkinNoteTooLong { chars });
            }
        }
        Ok(())
    }
}

/// What serde reads before the check's rules are checked.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSkinCheck {
    #[serde(default)]
    id: u32,
    at: DateTime<Utc>,
    skin: Skin,
    #[serde(default)]
    note: Option<String>,
}

impl TryFrom<RawSkinCheck> for SkinCheck {
    type Error = Error;

    fn try_from(raw: RawSkinCheck) -> Result<SkinCheck, Error> {
        let mut check = SkinCheck::new(raw.at, raw.skin, raw.note)?;
        check.id = raw.id;
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::SkinCheck;
    use crate::error::Error;
    use crate::skin::Skin;

    #[test]
    fn serde_round_trip_and_shape() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        for skin in Skin::ALL {
            let check = SkinCheck::new(at, skin, Some("left \"side\"".into())).unwrap();
            let json = serde_json::to_string(&check).unwrap();
            assert_eq!(
                json,
                format!(
                    r#"{{"id":0,"at":"2026-03-01T09:00:00Z","skin":"{skin}","note":"left \"side\""}}"#
                )
            );
            assert_eq!(serde_json::from_str::<SkinCheck>(&json).unwrap(), check);
            assert_eq!(skin.as_str().parse::<Skin>().unwrap(), skin);
        }
    }

    #[test]
    fn unknown_answers_and_long_notes_are_refused() {
        let err = "burnt".parse::<Skin>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"burnt\" is not a skin check answer; use normal, red, numb or blistered"
        );
        assert!(serde_json::from_str::<SkinCheck>(
            r#"{"at":"2026-03-01T09:00:00Z","skin":"burnt"}"#
        )
        .is_err());
        let json = format!(
            r#"{{"at":"2026-03-01T09:00:00Z","skin":"red","note":"{}"}}"#,
            "n".repeat(501)
        );
        let err = serde_json::from_str::<SkinCheck>(&json).unwrap_err();
        assert!(err.to_string().contains("501 characters"), "{err}");
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert_eq!(
            SkinCheck::new(at, Skin::Red, Some("n".repeat(501))).unwrap_err(),
            Error::SkinNoteTooLong { chars: 501 }
        );
    }
}
