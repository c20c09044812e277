//! The one error type of the crate.

use alloc::string::String;
use core::fmt;
use core::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};

use crate::duration::{when, words as human};
use crate::limits::{
    ACUTE_WINDOW_MAX, ACUTE_WINDOW_MIN, COURSE_MAX, COURSE_MIN, EVERY_MAX, LOGGED_MAX,
    PAIN_NOTE_MAX, REST_MAX, REVIEW_MAX,
};
use crate::phase::Phase;

mod kind;
// `FromStr` for `Phase`, beside its error (phase.rs imports nothing from here).
mod phase_name;
mod skin_name;

pub use kind::ErrorKind;

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
    /// A session shorter than a second ([`SESSION_MIN`](crate::limits::SESSION_MIN)).
    SessionTooShort {
        /// The length given.
        length: Duration,
    },
    /// A session logged after the fact that is longer than a day
    /// ([`LOGGED_MAX`](crate::limits::LOGGED_MAX)): a typo.
    LoggedTooLong {
        /// The length given.
        length: Duration,
    },
    /// A course length outside 1 to 30 days.
    CourseLengthOutOfRange {
        /// The length given.
        length: Duration,
    },
    /// A cadence shorter than the session and its rest.
    EveryTooShort {
        /// The phase.
        phase: Phase,
        /// The cadence given.
        every: Duration,
        /// The session plus its rest.
        minimum: Duration,
    },
    /// A cadence longer than 7 days.
    EveryTooLong {
        /// The phase.
        phase: Phase,
        /// The cadence given.
        every: Duration,
    },
    /// A time so near the end of chrono's calendar that the course's
    /// times after it cannot be computed.
    TimeOutOfRange {
        /// The time given.
        at: DateTime<Utc>,
    },
    /// A session may not start yet: the rest after an earlier one is owed.
    NotRested {
        /// The phase of the session whose rest is owed.
        after: Phase,
        /// When the rest is over.
        until: DateTime<Utc>,
    },
    /// A session may not start while another runs (or its stop has not
    /// been acknowledged).
    AlreadyRunning {
        /// The phase of the session under way.
        phase: Phase,
        /// When it ends (or ended).
        ends: DateTime<Utc>,
    },
    /// Something asked for at a time before the injury.
    BeforeInjury {
        /// The time given.
        at: DateTime<Utc>,
        /// The injury time.
        injured_at: DateTime<Utc>,
    },
    /// An input that needs an active course after the course ended.
    CourseEnded {
        /// When it ended.
        at: DateTime<Utc>,
    },
    /// A stop or a confirmation with no session to apply it to.
    NothingToStop,
    /// No prompt is open or coming to answer (the course is over).
    NoPrompt,
    /// No entry of the log (a session or a pain score) has this id.
    NoSuchSession {
        /// The id given.
        id: u32,
    },
    /// A running session cannot be removed from the log; stop it first.
    SessionRunning {
        /// Its id.
        id: u32,
    },
    /// A snooze that does not end after the time it is given.
    SnoozeInThePast {
        /// The end of the snooze.
        until: DateTime<Utc>,
    },
    /// A snooze that would end after the course does: no prompt comes
    /// then, so it would only hide the course's last reminders.
    SnoozePastEnd {
        /// The end of the snooze.
        until: DateTime<Utc>,
        /// The end of the course.
        ends: DateTime<Utc>,
    },
    /// A snooze with nothing due to snooze: no prompt is open, and the
    /// next one comes after the snooze would end anyway.
    NothingToSnooze {
        /// The end of the snooze asked for.
        until: DateTime<Utc>,
        /// When the next prompt is due.
        next: DateTime<Utc>,
    },
    /// An injury time after the time it is recorded at.
    InjuryInFuture {
        /// The injury time given.
        injured_at: DateTime<Utc>,
        /// The time it was recorded at.
        now: DateTime<Utc>,
    },
    /// An injury time more than a year before the time it is recorded at:
    /// these care articles are about acute spasms, not a year-old injury.
    InjuryTooOld {
        /// The injury time given.
        injured_at: DateTime<Utc>,
    },
    /// An injury time after an entry already in the course's log (a
    /// session or a pain score).
    InjuryAfterSession {
        /// The injury time given.
        injured_at: DateTime<Utc>,
        /// The time of the first entry: a session's start, a score's time.
        first: DateTime<Utc>,
    },
    /// An [`Input::Log`](crate::Input::Log) of a session that is not
    /// history: still running (no off time). Such a session is started with [`Input::Start`](crate::Input::Start),
    /// which checks the rest.
    LoggedNotFinished {
        /// Its start.
        start: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// A pain score outside the 0 to 10 scale
    /// ([`PAIN_MAX`](crate::limits::PAIN_MAX)).
    PainOutOfRange {
        /// The score given.
        score: u8,
    },
    /// A pain note longer than
    /// [`PAIN_NOTE_MAX`](crate::limits::PAIN_NOTE_MAX) characters.
    PainNoteTooLong {
        /// Its length, in characters.
        chars: usize,
    },
    /// A skin check note longer than
    /// [`PAIN_NOTE_MAX`](crate::limits::PAIN_NOTE_MAX) characters.
    SkinNoteTooLong {
        /// Its length, in characters.
        chars: usize,
    },
    /// A skin check answer that is not one of
    /// [`Skin::ALL`](crate::Skin::ALL).
    UnknownSkin {
        /// What was given.
        given: String,
    },
    /// No cold or heat now: the last skin check found the skin numb or
    /// blistered, and no normal check has been recorded since (see
    /// [`Course::skin_pause`](crate::Course::skin_pause)).
    SkinPaused {
        /// What the check found.
        skin: crate::skin::Skin,
        /// When it was checked.
        since: DateTime<Utc>,
    },
    /// Serialized data this crate cannot read (not JSON, wrong shape, or a
    /// broken rule); the message is serde's.
    Data {
        /// What was wrong.
        message: String,
    },
    /// Serialized data in a format version newer than this crate reads.
    UnsupportedFormat {
        /// The version found.
        found: u64,
        /// The newest version this crate reads.
        supported: u32,
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
                when(*end),
                when(*start)
            ),
            Error::SessionOverlaps {
                start,
                previous_end,
            } => write!(
                f,
                "a session starting at {} overlaps the session recorded before it, \
                 which ends at {}; start it after that",
                when(*start),
                when(*previous_end)
            ),
            Error::NoRunningSession { started_at } => write!(
                f,
                "no running session started at {}, so there is none to finish",
                when(*started_at)
            ),
            Error::SessionTooShort { length } => write!(
                f,
                "a session of {} is too short; a session lasts at least 1s",
                human(*length)
            ),
            Error::LoggedTooLong { length } => write!(
                f,
                "a session of {} is longer than the {} the log accepts; check the times",
                human(*length),
                human(LOGGED_MAX)
            ),
            Error::CourseLengthOutOfRange { length } => write!(
                f,
                "a course of {} is outside the {} to {} range; use a value from {} to {}",
                human(*length),
                human(COURSE_MIN),
                human(COURSE_MAX),
                human(COURSE_MIN),
                human(COURSE_MAX)
            ),
            Error::EveryTooShort {
                phase,
                every,
                minimum,
            } => write!(
                f,
                "a prompt every {} for {phase} is less than the session and its rest ({}); \
                 use at least {}",
                human(*every),
                human(*minimum),
                human(*minimum)
            ),
            Error::EveryTooLong { phase, every } => write!(
                f,
                "a prompt every {} for {phase} is longer than the {} the planner accepts; \
                 use at most {}",
                human(*every),
                human(EVERY_MAX),
                human(EVERY_MAX)
            ),
            Error::TimeOutOfRange { at } => write!(
                f,
                "the time {} is too near the end of the calendar to plan a course from; \
                 use a real date",
                when(*at)
            ),
            Error::NotRested { after, until } => write!(
                f,
                "the rest after {after} is not over: the next session may start at {}",
                when(*until)
            ),
            Error::AlreadyRunning { phase, ends } => write!(
                f,
                "{} {phase} session is already under way (it ends at {}); stop it first",
                article(*phase),
                when(*ends)
            ),
            Error::BeforeInjury { at, injured_at } => write!(
                f,
                "{} is before the injury at {}; use a later time, or correct the injury time",
                when(*at),
                when(*injured_at)
            ),
            Error::CourseEnded { at } => write!(
                f,
                "the course ended at {}; record a new injury to start another",
                when(*at)
            ),
            Error::NothingToStop => f.write_str(
                "no session is running or waiting for its stop to be confirmed; there is nothing to stop",
            ),
            Error::NoPrompt => {
                f.write_str("the course is over, so there is no prompt to answer")
            }
            Error::NoSuchSession { id } => {
                write!(
                    f,
                    "no session or pain score has id {id}; the log lists the ids"
                )
            }
            Error::SessionRunning { id } => write!(
                f,
                "session {id} is under way and cannot be removed; stop it first"
            ),
            Error::SnoozeInThePast { until } => write!(
                f,
                "a snooze until {} ends before it starts; snooze until a later time",
                when(*until)
            ),
            Error::SnoozePastEnd { until, ends } => write!(
                f,
                "a snooze until {} ends after the course does ({}); snooze for less",
                when(*until),
                when(*ends)
            ),
            Error::NothingToSnooze { until, next } => write!(
                f,
                "nothing is due to snooze: the next session is due at {}, after the snooze \
                 would end ({}); snooze when a session is due",
                when(*next),
                when(*until)
            ),
            Error::InjuryInFuture { injured_at, now } => write!(
                f,
                "the injury time {} is after now ({}); give a time in the past, e.g. \"3h ago\"",
                when(*injured_at),
                when(*now)
            ),
            Error::InjuryTooOld { injured_at } => write!(
                f,
                "the injury time {} is more than a year ago; ice and heat timing is for a new \
                 injury: give its time, or see a clinician for an old one",
                when(*injured_at)
            ),
            Error::InjuryAfterSession { injured_at, first } => write!(
                f,
                "the injury time {} is after the entry at {} in the log; give a time before \
                 it, or remove that entry first",
                when(*injured_at),
                when(*first)
            ),
            Error::LoggedNotFinished { start, end } => write!(
                f,
                "a logged session must be over: the one from {} to {} has no off time; \
                 log it with its end, or time it with start",
                when(*start),
                when(*end)
            ),
            Error::PainOutOfRange { score } => write!(
                f,
                "a pain score of {score} is outside the 0 to 10 scale; use a whole number from 0 to 10"
            ),
            Error::PainNoteTooLong { chars } => write!(
                f,
                "a pain note of {chars} characters is longer than the {PAIN_NOTE_MAX} the log \
                 keeps; shorten it to at most {PAIN_NOTE_MAX}"
            ),
            Error::SkinNoteTooLong { chars } => write!(
                f,
                "a skin check note of {chars} characters is longer than the {PAIN_NOTE_MAX} the \
                 log keeps; shorten it to at most {PAIN_NOTE_MAX}"
            ),
            Error::UnknownSkin { given } => write!(
                f,
                "{given:?} is not a skin check answer; use normal, red, numb or blistered"
            ),
            Error::SkinPaused { skin, since } => write!(
                f,
                "no cold or heat: the skin was {skin} at {}, and {}; \
                 record `skin normal` when the skin looks and feels normal again",
                when(*since),
                match skin {
                    crate::skin::Skin::Blistered => "blistered skin needs a clinician first",
                    _ => "cold or heat on numb skin can burn or freeze it unfelt",
                }
            ),
            Error::Data { message } => f.write_str(message),
            Error::UnsupportedFormat { found, supported } => write!(
                f,
                "data in format version {found} is newer than this version reads \
                 (format {supported}); use a newer therapy-timer"
            ),
        }
    }
}

impl core::error::Error for Error {}
