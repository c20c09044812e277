//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};

use crate::duration::human;
use crate::limits::{ACUTE_WINDOW_MAX, ACUTE_WINDOW_MIN, REST_MAX, REVIEW_MAX};
use crate::phase::Phase;

/// Everything that can go wrong when building a protocol, a course or a
/// session.
///
/// Messages are lowercase, name the offending value and say how to fix it.
/// Errors are `Clone` and `PartialEq` so that callers and tests can compare
/// them.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use therapy_timer::{Error, Phase, Protocol};
///
/// let err = Protocol::default()
///     .session_length(Phase::Ice, Some(Duration::from_secs(30 * 60)))
///     .unwrap_err();
/// assert!(matches!(err, Error::SessionTooLong { phase: Phase::Ice, .. }));
/// assert_eq!(
///     err.to_string(),
///     "an ice session of 30m is longer than the 10m safety limit; use at most 10m"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A phase name other than `ice` or `heat`.
    UnknownPhase {
        /// What was given.
        input: String,
    },
    /// A duration that must be above zero was zero.
    ZeroDuration {
        /// Which setting it was.
        setting: Setting,
    },
    /// A session longer than the safety limit of its phase.
    SessionTooLong {
        /// The phase of the session.
        phase: Phase,
        /// The length asked for.
        length: Duration,
        /// The safety limit.
        limit: Duration,
    },
    /// A session within the safety limit but longer than the protocol in use
    /// allows; shortening a session is allowed, lengthening it is not.
    LongerThanProtocol {
        /// The phase of the session.
        phase: Phase,
        /// The length asked for.
        length: Duration,
        /// The protocol's session length for that phase.
        protocol: Duration,
    },
    /// A rest shorter than the safety minimum after its phase.
    RestTooShort {
        /// The phase the rest follows.
        phase: Phase,
        /// The rest given.
        rest: Duration,
        /// The shortest rest allowed: an hour after ice, the heat session's
        /// own length after heat.
        minimum: Duration,
    },
    /// A rest longer than the planner accepts ([`REST_MAX`]).
    RestTooLong {
        /// The phase the rest follows.
        phase: Phase,
        /// The rest given.
        rest: Duration,
    },
    /// An acute window outside 24 h to 48 h.
    AcuteWindowOutOfRange {
        /// The window given.
        window: Duration,
    },
    /// A clinician review point later than 72 h after the injury.
    ReviewTooLate {
        /// The review point given, as time after the injury.
        after: Duration,
    },
    /// Quiet hours that start and end at the same time.
    EmptyQuietHours {
        /// The time given for both ends.
        at: NaiveTime,
    },
    /// Quiet hours text that is not `HH:MM-HH:MM`.
    InvalidQuietHours {
        /// What was given.
        input: String,
    },
    /// A session whose end is not after its start.
    SessionEndsBeforeStart {
        /// The start given.
        start: DateTime<Utc>,
        /// The end given.
        end: DateTime<Utc>,
    },
    /// A session that starts before the previous recorded session ends.
    SessionOverlaps {
        /// The start of the new session.
        start: DateTime<Utc>,
        /// The end of the session already recorded.
        previous_end: DateTime<Utc>,
    },
    /// An attempt to finish a running session that is not in the course.
    NoRunningSession {
        /// The start of the session asked for.
        started_at: DateTime<Utc>,
    },
}

/// A protocol setting, as named in error messages.
///
/// # Examples
///
/// ```
/// use therapy_timer::Setting;
///
/// assert_eq!(Setting::IceOn.to_string(), "ice session length");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// The length of an ice session.
    IceOn,
    /// The rest after an ice session.
    IceRest,
    /// The length of a heat session.
    HeatOn,
    /// The rest after a heat session.
    HeatRest,
    /// The acute window (ice phase).
    AcuteWindow,
    /// The clinician review point.
    Review,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::IceOn => "ice session length",
            Setting::IceRest => "rest after ice",
            Setting::HeatOn => "heat session length",
            Setting::HeatRest => "rest after heat",
            Setting::AcuteWindow => "acute window",
            Setting::Review => "clinician review point",
        })
    }
}

fn article(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "an",
        Phase::Heat => "a",
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownPhase { input } => {
                write!(f, "unknown phase {input:?}; use \"ice\" or \"heat\"")
            }
            Error::ZeroDuration { setting } => {
                write!(f, "the {setting} must be longer than zero")
            }
            Error::SessionTooLong {
                phase,
                length,
                limit,
            } => write!(
                f,
                "{} {phase} session of {} is longer than the {} safety limit; use at most {}",
                article(*phase),
                human(*length),
                human(*limit),
                human(*limit)
            ),
            Error::LongerThanProtocol {
                phase,
                length,
                protocol,
            } => write!(
                f,
                "{} {phase} session of {} is longer than this protocol's {} {phase} session; \
                 use at most {}, or change the protocol",
                article(*phase),
                human(*length),
                human(*protocol),
                human(*protocol)
            ),
            Error::RestTooShort {
                phase: Phase::Ice,
                rest,
                minimum,
            } => write!(
                f,
                "a rest of {} after ice is shorter than the {} safety minimum; rest at least {}",
                human(*rest),
                human(*minimum),
                human(*minimum)
            ),
            Error::RestTooShort {
                phase: Phase::Heat,
                rest,
                minimum,
            } => write!(
                f,
                "a rest of {} after heat is shorter than the {} heat session; \
                 rest at least as long as the session ({})",
                human(*rest),
                human(*minimum),
                human(*minimum)
            ),
            Error::RestTooLong { phase, rest } => write!(
                f,
                "a rest of {} after {phase} is longer than the {} the planner accepts; \
                 use at most {}",
                human(*rest),
                human(REST_MAX),
                human(REST_MAX)
            ),
            Error::AcuteWindowOutOfRange { window } => write!(
                f,
                "an acute window of {} is outside the {} to {} range; use a value from {} to {}",
                human(*window),
                human(ACUTE_WINDOW_MIN),
                human(ACUTE_WINDOW_MAX),
                human(ACUTE_WINDOW_MIN),
                human(ACUTE_WINDOW_MAX)
            ),
            Error::ReviewTooLate { after } => write!(
                f,
                "a clinician review {} after the injury is later than the {} limit; \
                 use at most {}",
                human(*after),
                human(REVIEW_MAX),
                human(REVIEW_MAX)
            ),
            Error::EmptyQuietHours { at } => write!(
                f,
                "quiet hours {t}-{t} start and end at the same time; \
                 use two different times, or \"off\"",
                t = at.format("%H:%M")
            ),
            Error::InvalidQuietHours { input } => write!(
                f,
                "invalid quiet hours {input:?}; write them as HH:MM-HH:MM (e.g. 22:00-07:00), or \"off\""
            ),
            Error::SessionEndsBeforeStart { start, end } => write!(
                f,
                "a session cannot end at {} when it starts at {}; the end must be after the start",
                end.to_rfc3339(),
                start.to_rfc3339()
            ),
            Error::SessionOverlaps {
                start,
                previous_end,
            } => write!(
                f,
                "a session starting at {} overlaps the session recorded before it, \
                 which ends at {}; start it after that",
                start.to_rfc3339(),
                previous_end.to_rfc3339()
            ),
            Error::NoRunningSession { started_at } => write!(
                f,
                "no running session started at {}, so there is none to finish",
                started_at.to_rfc3339()
            ),
        }
    }
}

impl std::error::Error for Error {}
