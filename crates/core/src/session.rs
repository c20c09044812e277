//! A session that was done (or is being done): the course's history.

use core::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::duration::{after, since};
use crate::error::Error;
use crate::limits::{LOGGED_MAX, REPEATS, REPEAT_EVERY, SESSION_MIN};
use crate::phase::Phase;
use crate::protocol::{check_timed_length, safety_limit};

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
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Started and not stopped; `end` is the planned end. Past that end,
    /// and until someone says the pack is off, it is *overdue*
    /// ([`Session::is_overdue`]).
    Running,
    /// Ran its full length.
    Completed,
    /// Stopped before its planned end; `end` is when it stopped.
    CutShort,
}

/// Who or what said the pack was off.
///
/// # Examples
///
/// ```
/// use therapy_timer::OffBy;
///
/// assert_eq!(serde_json::to_string(&OffBy::NoAnswer)?, "\"no_answer\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OffBy {
    /// The person (or the device) stopped the session.
    Stopped,
    /// The person confirmed the pack is off after the stop was announced.
    Confirmed,
    /// The person dismissed the stop notice (where the desktop reports it).
    Dismissed,
    /// Nobody answered: the stop and its repeats ran out. Whether the pack
    /// came off is unknown.
    NoAnswer,
    /// Recorded after the fact, not timed.
    Logged,
}

/// When and how the pack came off.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Off, OffBy};
///
/// let off = Off::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 12, 0).unwrap(), OffBy::Confirmed);
/// assert_eq!(off.by, OffBy::Confirmed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Off {
    /// When it was said (for [`OffBy::NoAnswer`], when the last repeat was
    /// due).
    pub at: DateTime<Utc>,
    /// Who said it.
    pub by: OffBy,
}

impl Off {
    /// The pack was off at `at`, said by `by`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::Utc;
    /// use therapy_timer::{Off, OffBy};
    ///
    /// assert_eq!(Off::new(chrono::DateTime::UNIX_EPOCH, OffBy::Stopped).at.timestamp(), 0);
    /// ```
    #[must_use]
    pub const fn new(at: DateTime<Utc>, by: OffBy) -> Off {
        Off { at, by }
    }
}

/// One session of ice or heat in the course's history.
///
/// A session exists only because someone started it (or logged it after
/// the fact): a prompt is not a session. Timed sessions are never longer
/// than the safety limit of their phase; logged ones may be (history is
/// fact) and say so with [`Session::over_limit`].
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Outcome, Phase, Session};
///
/// let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// let session = Session::completed(Phase::Ice, start, start + chrono::TimeDelta::minutes(10))?;
/// assert_eq!(session.outcome, Outcome::Completed);
/// assert_eq!(session.length().as_secs(), 600);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "RawSession")]
#[non_exhaustive]
pub struct Session {
    /// Its number in the course, given when it is recorded (0 before).
    #[serde(default)]
    pub id: u32,
    /// Ice or heat.
    pub phase: Phase,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended, or for a running session when it is planned to end.
    pub end: DateTime<Utc>,
    /// How it went.
    pub outcome: Outcome,
    /// Whether it was started before the rest owed was over, by the
    /// person's explicit override.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub forced: bool,
    /// When and how the pack came off; `None` while it runs, and while it
    /// is overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off: Option<Off>,
    /// When its stop notice was first dismissed: the stop was *seen*, which
    /// is not "the pack is off" (its repeats go on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<DateTime<Utc>>,
}

impl Session {
    /// A session timed to its end, from `start` to `end`, not forced, with
    /// the stop confirmed at its end. It must last 1 s to the safety limit.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert!(Session::completed(Phase::Heat, t, t).is_err());
    /// assert!(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(30)).is_err());
    /// ```
    pub fn completed(
        phase: Phase,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Session, Error> {
        Session::finished(phase, start, end, OffBy::Stopped)
    }

    /// A session done without the timer, recorded after the fact. History
    /// is fact: it may be longer than the safety limit (see
    /// [`Session::over_limit`]), but not shorter than a second nor longer
    /// than a day.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{OffBy, Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let s = Session::logged(Phase::Heat, t, t + TimeDelta::minutes(45))?;
    /// assert!(s.over_limit());
    /// assert_eq!(s.off.map(|o| o.by), Some(OffBy::Logged));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn logged(
        phase: Phase,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Session, Error> {
        Session::finished(phase, start, end, OffBy::Logged)
    }

    /// A session that starts at `start` and is planned to last `length`:
    /// at least a second, at most the safety limit of `phase` (a longer one
    /// is refused, never timed).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Error, Outcome, Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let s = Session::running(Phase::Ice, t, Duration::from_secs(600))?;
    /// assert_eq!(s.outcome, Outcome::Running);
    /// assert_eq!(s.end, t + chrono::TimeDelta::minutes(10));
    /// let three_hours = Duration::from_secs(3 * 3600);
    /// assert!(matches!(
    ///     Session::running(Phase::Ice, t, three_hours).unwrap_err(),
    ///     Error::SessionTooLong { .. }
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn running(phase: Phase, start: DateTime<Utc>, length: Duration) -> Result<Session, Error> {
        check_timed_length(phase, length)?;
        let end = after(start, length).ok_or(Error::TimeOutOfRange { at: start })?;
        let session = Session {
            id: 0,
            phase,
            start,
            end,
            outcome: Outcome::Running,
            forced: false,
            off: None,
            seen: None,
        };
        session.check()?;
        Ok(session)
    }

    /// A finished session, its pack off at its end, said by `by`; checked.
    fn finished(
        phase: Phase,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        by: OffBy,
    ) -> Result<Session, Error> {
        let session = Session {
            id: 0,
            phase,
            start,
            end,
            outcome: Outcome::Completed,
            forced: false,
            off: Some(Off::new(end, by)),
            seen: None,
        };
        session.check()?;
        Ok(session)
    }

    /// This session marked as started before the rest was over.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert!(Session::running(Phase::Ice, t, Duration::from_secs(60))?.forced_start().forced);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn forced_start(mut self) -> Session {
        self.forced = true;
        self
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
    /// let s = Session::completed(Phase::Heat, t, t + chrono::TimeDelta::seconds(90))?;
    /// assert_eq!(s.length().as_secs(), 90);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn length(&self) -> Duration {
        since(self.start, self.end)
    }

    /// Whether it is longer than the safety limit of its phase (only a
    /// logged session can be).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert!(!Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?.over_limit());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn over_limit(&self) -> bool {
        self.length() > safety_limit(self.phase)
    }

    /// Whether it was recorded after the fact rather than timed.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert!(Session::logged(Phase::Ice, t, t + TimeDelta::minutes(10))?.is_logged());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_logged(&self) -> bool {
        self.off.is_some_and(|o| o.by == OffBy::Logged)
    }

    /// Whether, at `now`, its planned end has passed and nobody has said
    /// the pack is off: take it off now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let s = Session::running(Phase::Ice, t, Duration::from_secs(600))?;
    /// assert!(!s.is_overdue(t + TimeDelta::minutes(9)));
    /// assert!(s.is_overdue(t + TimeDelta::minutes(13)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.off.is_none() && self.outcome != Outcome::CutShort && now >= self.end
    }

    /// Whether it is under way at `now`: started, planned end not reached,
    /// not stopped.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let s = Session::running(Phase::Heat, t, Duration::from_secs(600))?;
    /// assert!(s.is_running(t + TimeDelta::minutes(9)));
    /// assert!(!s.is_running(t + TimeDelta::minutes(10)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_running(&self, now: DateTime<Utc>) -> bool {
        self.outcome == Outcome::Running
            && self.off.is_none()
            && self.start <= now
            && now < self.end
    }

    /// Whether someone said the pack is off: a stop, "It's off", a device,
    /// a session logged after the fact. Not when the stop's reminders ran
    /// out unanswered, nor when its notice was only dismissed (in a log
    /// from before that counted as seen): the pack may still be on, and
    /// its stop notice should stay up.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Off, OffBy, Phase, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut s = Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?;
    /// assert!(s.is_known_off());
    /// s.off = Some(Off::new(s.end, OffBy::NoAnswer));
    /// assert!(!s.is_known_off());
    /// s.off = None;
    /// assert!(!s.is_known_off());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_known_off(&self) -> bool {
        self.outcome == Outcome::CutShort
            || self
                .off
                .is_some_and(|o| !matches!(o.by, OffBy::NoAnswer | OffBy::Dismissed))
    }

    /// Whether the pack may still be on: running, or overdue.
    pub(crate) fn is_open(&self) -> bool {
        self.off.is_none() && self.outcome != Outcome::CutShort
    }

    /// When the pack is taken to have come off, for the rest owed after
    /// it: the end, or a later confirmation, but no later than the last
    /// repeat of the stop (past that, a late "it is off" says nothing about
    /// when it came off).
    pub(crate) fn off_for_rest(&self) -> DateTime<Utc> {
        let latest = after(self.end, REPEAT_EVERY * u32::from(REPEATS)).unwrap_or(self.end);
        match self.off {
            Some(off) if off.at > self.end => off.at.min(latest),
            // Still open: from its planned end until someone says
            // otherwise (once the repeats run out, from the last of them).
            Some(_) | None => self.end,
        }
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.end <= self.start {
            return Err(Error::SessionEndsBeforeStart {
                start: self.start,
                end: self.end,
            });
        }
        let length = self.length();
        if length < SESSION_MIN {
            return Err(Error::SessionTooShort { length });
        }
        if self.is_logged() {
            if length > LOGGED_MAX {
                return Err(Error::LoggedTooLong { length });
            }
        } else {
            check_timed_length(self.phase, length)?;
        }
        if let Some(off) = self.off {
            if off.at < self.start {
                return Err(Error::SessionEndsBeforeStart {
                    start: self.start,
                    end: off.at,
                });
            }
        }
        Ok(())
    }
}

/// What serde reads before the session is checked: a running 12-hour heat
/// session from a file is refused like one made in code.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSession {
    #[serde(default)]
    id: u32,
    phase: Phase,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    outcome: Outcome,
    #[serde(default)]
    forced: bool,
    #[serde(default)]
    off: Option<Off>,
    #[serde(default)]
    seen: Option<DateTime<Utc>>,
}

impl TryFrom<RawSession> for Session {
    type Error = Error;

    fn try_from(raw: RawSession) -> Result<Session, Error> {
        let off = raw.off;
        let session = Session {
            id: raw.id,
            phase: raw.phase,
            start: raw.start,
            end: raw.end,
            outcome: raw.outcome,
            forced: raw.forced,
            off,
            seen: raw.seen,
        };
        session.check()?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{TimeDelta, TimeZone, Utc};

    use super::{Outcome, Session};
    use crate::phase::Phase;

    #[test]
    fn serde_round_trip_and_shape() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let mut s = Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10)).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"id":0,"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed","off":{"at":"2026-03-01T09:10:00Z","by":"stopped"}}"#
        );
        assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), s);
        s.forced = true;
        s.outcome = Outcome::CutShort;
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.contains(r#""outcome":"cut_short","forced":true"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), s);
    }

    #[test]
    fn end_must_follow_start() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert_eq!(
            Session::completed(Phase::Ice, t, t - TimeDelta::seconds(1))
                .unwrap_err()
                .to_string(),
            "a session cannot end at 2026-03-01 08:59:59 UTC when it starts at \
             2026-03-01 09:00 UTC; the end must be after the start"
        );
    }

    #[test]
    fn regression_a_running_three_hour_ice_session_is_refused() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        assert!(Session::running(Phase::Ice, t, Duration::from_secs(3 * 3600)).is_err());
        assert!(Session::running(Phase::Ice, t, Duration::from_millis(500)).is_err());
    }

    #[test]
    fn regression_a_running_twelve_hour_heat_session_from_json_is_refused() {
        let json = r#"{"phase":"heat","start":"2026-03-01T09:00:00Z","end":"2026-03-01T21:00:00Z","outcome":"running"}"#;
        let err = serde_json::from_str::<Session>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("longer than the 20m safety limit"), "{err}");
        // A logged one is history: kept, and marked.
        let json = r#"{"phase":"heat","start":"2026-03-01T09:00:00Z","end":"2026-03-01T10:00:00Z","outcome":"completed","off":{"at":"2026-03-01T10:00:00Z","by":"logged"}}"#;
        assert!(serde_json::from_str::<Session>(json).unwrap().over_limit());
    }
}
