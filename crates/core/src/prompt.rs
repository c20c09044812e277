//! Prompts: suggestions to start a session, and how they were answered.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::phase::Phase;

/// How a prompt was answered.
///
/// In JSON: `{"answer": "snoozed", "at": "…", "until": "…"}`.
///
/// # Examples
///
/// ```
/// use therapy_timer::Answer;
///
/// assert_eq!(serde_json::to_string(&Answer::Missed)?, r#"{"answer":"missed"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Answer {
    /// Announced, not answered yet.
    Open,
    /// A session was started in answer.
    Started {
        /// When the session started.
        at: DateTime<Utc>,
    },
    /// Skipped by the person.
    Skipped {
        /// When they said so.
        at: DateTime<Utc>,
    },
    /// Put off by the person until `until`.
    Snoozed {
        /// When they said so.
        at: DateTime<Utc>,
        /// When the prompt comes again.
        until: DateTime<Utc>,
    },
    /// Nobody answered before the next prompt (or the end of the course).
    /// A missed prompt owes no rest.
    Missed,
}

/// A prompt: "time for ice", a suggestion at a time. It is not a session;
/// a session exists only when someone starts one.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Answer, Phase, Prompt};
///
/// let p = Prompt::new(Phase::Ice, Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
/// assert_eq!(p.answer, Answer::Open);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Prompt {
    /// The therapy it suggests.
    pub phase: Phase,
    /// When it was due.
    pub due: DateTime<Utc>,
    /// How it was answered.
    #[serde(flatten)]
    pub answer: Answer,
}

impl Prompt {
    /// An open prompt for `phase`, due at `due`.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Phase, Prompt};
    ///
    /// assert_eq!(Prompt::new(Phase::Heat, chrono::DateTime::UNIX_EPOCH).phase, Phase::Heat);
    /// ```
    #[must_use]
    pub const fn new(phase: Phase, due: DateTime<Utc>) -> Prompt {
        Prompt {
            phase,
            due,
            answer: Answer::Open,
        }
    }

    /// Whether the person answered it (started, skipped or snoozed).
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::{Answer, Phase, Prompt};
    ///
    /// let mut p = Prompt::new(Phase::Heat, chrono::DateTime::UNIX_EPOCH);
    /// assert!(!p.is_answered());
    /// p.answer = Answer::Missed;
    /// assert!(!p.is_answered());
    /// ```
    #[must_use]
    pub fn is_answered(&self) -> bool {
        matches!(
            self.answer,
            Answer::Started { .. } | Answer::Skipped { .. } | Answer::Snoozed { .. }
        )
    }
}
