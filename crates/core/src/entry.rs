//! An entry of a course's log: a session, a pain score or a skin check.

use chrono::{DateTime, Utc};

use crate::pain::PainScore;
use crate::session::Session;
use crate::skin_check::SkinCheck;

/// An entry of a course's log, borrowed: a session or a pain score. Both
/// kinds share one numbering, given in the order they are recorded, so
/// "the entry recorded last" ([`Course::last_recorded`](crate::Course::last_recorded))
/// and [`Course::remove`](crate::Course::remove) work across them.
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{Course, Entry, PainScore, Phase, Protocol, Session};
///
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut course = Course::new(t, Protocol::default())?;
/// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
/// course.record_pain(PainScore::new(t + TimeDelta::minutes(15), 6, None)?)?;
/// let kinds: Vec<&str> = course
///     .entries()
///     .map(|e| match e {
///         Entry::Session(_) => "session",
///         Entry::Pain(_) => "pain",
///         _ => "other",
///     })
///     .collect();
/// assert_eq!(kinds, ["session", "pain"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Entry<'a> {
    /// A session of ice or heat.
    Session(&'a Session),
    /// A pain score.
    Pain(&'a PainScore),
    /// A skin check.
    Skin(&'a SkinCheck),
}

impl Entry<'_> {
    /// Its id in the course.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let id = course.record_pain(PainScore::new(t, 6, None)?)?;
    /// assert_eq!(course.last_recorded().map(|e| e.id()), Some(id));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> u32 {
        match self {
            Entry::Session(s) => s.id,
            Entry::Pain(p) => p.id,
            Entry::Skin(c) => c.id,
        }
    }

    /// When it happened: a session's start, a score's time.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.last_recorded().map(|e| e.at()), Some(t));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Session(s) => s.start,
            Entry::Pain(p) => p.at,
            Entry::Skin(c) => c.at,
        }
    }
}

/// An entry taken out of a course's log by
/// [`Course::remove`](crate::Course::remove): the session or the pain
/// score, owned.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Course, PainScore, Protocol, Removed};
///
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut course = Course::new(t, Protocol::default())?;
/// let id = course.record_pain(PainScore::new(t, 6, None)?)?;
/// assert!(matches!(course.remove(id)?, Removed::Pain(p) if p.score == 6));
/// assert!(course.pain_scores().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Removed {
    /// A session.
    Session(Session),
    /// A pain score.
    Pain(PainScore),
    /// A skin check.
    Skin(SkinCheck),
}

impl Removed {
    /// The id it had.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let id = course.record(Session::logged(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.remove(id)?.id(), id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> u32 {
        match self {
            Removed::Session(s) => s.id,
            Removed::Pain(p) => p.id,
            Removed::Skin(c) => c.id,
        }
    }
}
