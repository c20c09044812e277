//! A session that was done (or is being done): the course's history.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::phase::Phase;

/// How a recorded session went.
///
/// # Examples
///
/// ```
/// use therapy_timer::Outcome;
///
/// assert_eq!(serde_json::to_string(&Outcome::CutShort)?, "\"cut_short\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Started and not yet finished; `end` is the planned end.
    Running,
    /// Ran its full length.
    Completed,
    /// Ended before its planned end; `end` is when it ended.
    CutShort,
}

/// One session of ice or heat in the course's history.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Outcome, Phase, Session};
///
/// let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// let session = Session::new(Phase::Ice, start, start + chrono::TimeDelta::minutes(10))?;
/// assert_eq!(session.outcome, Outcome::Completed);
/// assert_eq!(session.length().as_secs(), 600);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Session {
    /// Ice or heat.
    pub phase: Phase,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended, or for a running session when it is planned to end.
    pub end: DateTime<Utc>,
    /// How it went.
    pub outcome: Outcome,
    /// Whether it was started before the rest owed was over, by the user's
    /// explicit override.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
}

impl Session {
    /// A completed session from `start` to `end`, not forced.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert!(Session::new(Phase::Heat, t, t).is_err());
    /// ```
    pub fn new(phase: Phase, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Session, Error> {
        let session = Session {
            phase,
            start,
            end,
            outcome: Outcome::Completed,
            forced: false,
        };
        session.check()?;
        Ok(session)
    }

    /// A session that starts at `start` and is planned to last `length`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Outcome, Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let s = Session::running(Phase::Ice, t, Duration::from_secs(600))?;
    /// assert_eq!(s.outcome, Outcome::Running);
    /// assert_eq!(s.end, t + chrono::TimeDelta::minutes(10));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn running(phase: Phase, start: DateTime<Utc>, length: Duration) -> Result<Session, Error> {
        let end = chrono::TimeDelta::from_std(length)
            .ok()
            .and_then(|d| start.checked_add_signed(d))
            .unwrap_or(start);
        let session = Session {
            phase,
            start,
            end,
            outcome: Outcome::Running,
            forced: false,
        };
        session.check()?;
        Ok(session)
    }

    /// How long it lasted (or is planned to last, while running).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let s = Session::new(Phase::Heat, t, t + chrono::TimeDelta::seconds(90))?;
    /// assert_eq!(s.length().as_secs(), 90);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn length(&self) -> Duration {
        (self.end - self.start).to_std().unwrap_or(Duration::ZERO)
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.end <= self.start {
            return Err(Error::SessionEndsBeforeStart {
                start: self.start,
                end: self.end,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::{Outcome, Session};
    use crate::phase::Phase;

    #[test]
    fn serde_round_trip_and_shape() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let mut s = Session::new(Phase::Ice, t, t + TimeDelta::minutes(10)).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"}"#
        );
        assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), s);
        s.forced = true;
        s.outcome = Outcome::CutShort;
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.ends_with(r#""outcome":"cut_short","forced":true}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), s);
    }

    #[test]
    fn end_must_follow_start() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert_eq!(
            Session::new(Phase::Ice, t, t - TimeDelta::seconds(1))
                .unwrap_err()
                .to_string(),
            "a session cannot end at 2026-03-01T08:59:59+00:00 when it starts at \
             2026-03-01T09:00:00+00:00; the end must be after the start"
        );
    }
}
