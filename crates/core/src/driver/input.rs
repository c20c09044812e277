//! The driver's input: what the person (or a device) did, and the rules
//! no input can bend.

use alloc::string::String;
use core::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::phase::Phase;
use crate::session::Session;
use crate::skin::Skin;
#[allow(unused_imports)] // for the links in the docs
use crate::{
    event::{ClinicianReason, Event},
    limits::SESSION_MIN,
    session::OffBy,
    Applied, Course, Driver, Error, PainScore,
};

/// What the person (or a device) did: the driver's input.
///
/// # What no input can bend
///
/// - **Dated before the driver's time** ([`Driver::now`]): an input is
///   history told late. It applies at its own time, checked against the
///   record (a stop before its session's start is refused), but time does
///   not go back for it: what was given is not given again, and the
///   driver's time stays. A start dated in the past is timed from then
///   (its stop may be due at once).
/// - **After the course's end**: [`Input::Skip`], [`Input::Snooze`] and
///   [`Input::EndCourse`] are refused ([`Error::NoPrompt`],
///   [`Error::CourseEnded`]); sessions, stops and pain scores are still
///   recorded (how it went later is worth keeping).
/// - **A stop within [`SESSION_MIN`] (1 s) of its start**: the session did
///   not happen. It is removed, the prompt it answered is open again, and
///   no event is given ([`Applied::Undone`]).
/// - **A stop after the repeats ran out** (the record says
///   [`OffBy::NoAnswer`]): it still tells the truth. At or after the end it
///   records when the pack came off; before the end it cuts the session
///   short at that time.
/// - **A stop the caller reports** (a device's own stop, or "it's off"):
///   the stop and repeat events of that session not yet polled are taken
///   back, so nobody is told to take off what is already off. A stop
///   before the end gives [`Event::StoppedEarly`], which is not a safety
///   event.
/// - **A logged session** ([`Input::Log`]) is history: it must be over
///   (one still running is refused with [`Error::LoggedNotFinished`]; time
///   it with [`Input::Start`], which checks the rest); it is never timed;
///   one that starts inside a rest owed is recorded as forced, and
///   [`Applied::Logged`] says so.
/// - **A late score**: a severe one is announced at once, dated when it
///   was entered (never before an event already given); its own time is
///   in [`ClinicianReason::SeverePain`].
///
/// - **Away** ([`Input::Away`] until [`Input::Back`]): only prompts are
///   held. A stop, its repeats, the review, the course's end and a
///   severe score come out as ever; a start, skip or snooze while away
///   answers the held prompt as it would the open one.
///
/// In JSON: `{"input": "snooze", "at": "…", "until": "…"}`. It is `Clone`
/// but not `Copy`: a pain score's note is a `String`.
///
/// # Examples
///
/// ```
/// use therapy_timer::Input;
///
/// let input: Input = serde_json::from_str(r#"{"input":"stop","at":"2026-03-01T09:06:00Z"}"#)?;
/// assert!(matches!(input, Input::Stop { .. }));
/// let pain: Input = serde_json::from_str(r#"{"input":"pain","at":"2026-03-01T09:06:00Z","score":6}"#)?;
/// assert!(matches!(pain, Input::Pain { score: 6, note: None, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "input", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Input {
    /// A session started (the person pressed Start, a pad switched on).
    Start {
        /// When it started.
        at: DateTime<Utc>,
        /// Ice or heat; `None` for the phase at that time.
        #[serde(default)]
        phase: Option<Phase>,
        /// How long it is to last; `None` for the protocol's dose. Shorter
        /// is allowed, longer refused.
        #[serde(default, with = "crate::duration::serde_human_opt")]
        length: Option<Duration>,
        /// Start even though the rest is not over (it is logged as forced).
        #[serde(default)]
        force: bool,
    },
    /// The session was stopped: before its end it is cut short; after it,
    /// this says the pack is off and ends the repeats.
    Stop {
        /// When.
        at: DateTime<Utc>,
    },
    /// The person confirmed the pack is off (as [`Input::Stop`], said from
    /// the stop notice).
    ConfirmOff {
        /// When.
        at: DateTime<Utc>,
    },
    /// The person dismissed the stop notice, where the desktop reports it:
    /// the stop was *seen*, not confirmed. It is recorded as
    /// [`Session::seen`](crate::Session::seen) and the repeats go on; only
    /// [`Input::Stop`], [`Input::ConfirmOff`] or a device's own stop say the
    /// pack is off. Before the session's end it means nothing.
    Dismissed {
        /// When.
        at: DateTime<Utc>,
    },
    /// Skip the open prompt, or the next one if none is open.
    Skip {
        /// When.
        at: DateTime<Utc>,
    },
    /// Put the open prompt (or the next one) off until `until`.
    Snooze {
        /// When.
        at: DateTime<Utc>,
        /// When the prompt comes again.
        until: DateTime<Utc>,
    },
    /// The course is over (better, or going to a clinician): no more
    /// prompts.
    EndCourse {
        /// When.
        at: DateTime<Utc>,
    },
    /// A new injury: the current course ends and a new one starts; the
    /// earlier course and its entries are kept. A course with no session
    /// and no pain score yet is replaced instead (a corrected injury time).
    NewInjury {
        /// When it was said.
        at: DateTime<Utc>,
        /// When the injury happened.
        injured_at: DateTime<Utc>,
    },
    /// The injury time of the current course, corrected (or given for
    /// the first time, for a course made with
    /// [`Course::without_injury`]). The sessions stay; prompts due before
    /// it are dropped; prompts start if they had not.
    CorrectInjury {
        /// When it was said.
        at: DateTime<Utc>,
        /// When the injury happened.
        injured_at: DateTime<Utc>,
    },
    /// A session done without the timer, recorded after the fact.
    ///
    /// It carries no time of its own ("now"), so the driver is not moved
    /// on by it: call [`Driver::handle_timeout`] with the time first, as
    /// for every input, or a prompt that came due just before may be
    /// superseded by the rest the logged session owes instead of given.
    Log {
        /// The session (see [`Session::logged`]).
        session: Session,
    },
    /// A wrong log entry removed (or the last one taken back: see
    /// [`Course::last_recorded`]).
    Remove {
        /// The entry's id: a session's or a pain score's.
        id: u32,
    },
    /// Take back the last change to the log: put back the entry removed
    /// last if nothing was recorded since ([`Course::restore_removed`]),
    /// else remove the entry recorded last ([`Course::last_recorded`]).
    Undo,
    /// A pain score, 0 to 10, with an optional note (see
    /// [`PainScore::new`]). A score of
    /// [`SEVERE_PAIN`](crate::limits::SEVERE_PAIN) or more comes back as
    /// an [`Event::SeeClinician`] event.
    Pain {
        /// When the pain was scored (it may be earlier than now: a score
        /// written down and entered later).
        at: DateTime<Utc>,
        /// 0 (no pain) to 10.
        score: u8,
        /// The person's note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A pain score that belongs to session `session`: the pain before it
    /// (given as it starts) or after it (the stop's answer). Recorded as
    /// [`Input::Pain`] is, with its [`PainRelation`](crate::PainRelation).
    SessionPain {
        /// When the pain was scored.
        at: DateTime<Utc>,
        /// The session's id.
        session: u32,
        /// Before or after it.
        when: crate::pain::PainWhen,
        /// 0 (no pain) to 10.
        score: u8,
        /// The person's note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A skin check after cold or heat (see [`Skin`] for the rules): numb
    /// or blistered pauses every session until a normal check; blistered
    /// also comes back at once as a critical [`Event::SeeClinician`]
    /// ([`ClinicianReason::Blistered`]). Undone like any entry
    /// ([`Input::Remove`]).
    Skin {
        /// When the skin was checked (it may be earlier than now).
        at: DateTime<Utc>,
        /// What was found.
        skin: Skin,
        /// The person's note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The person is away (the screen is locked, or do-not-disturb is
    /// on) as of `at`, and since the driver's last time: a prompt due
    /// meanwhile is held, neither given nor recorded as missed (see
    /// [`Driver::held_prompt`]). Stops, repeats and every other event are
    /// never held. Said again while away, it changes nothing, so an app
    /// may say it at every step.
    Away {
        /// When the app saw it.
        at: DateTime<Utc>,
    },
    /// The person is back as of `at`: the prompt held while away is given
    /// once, at `at`, if it is still before the next prompt, outside quiet
    /// hours and no rest is owed; otherwise it is dropped (never recorded
    /// as missed). Said while not away, it changes nothing.
    Back {
        /// When the app saw it.
        at: DateTime<Utc>,
    },
}

impl Input {
    /// The time the input carries, if any.
    pub(super) fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Input::Start { at, .. }
            | Input::Stop { at }
            | Input::ConfirmOff { at }
            | Input::Dismissed { at }
            | Input::Skip { at }
            | Input::Snooze { at, .. }
            | Input::EndCourse { at }
            | Input::NewInjury { at, .. }
            | Input::CorrectInjury { at, .. }
            | Input::Pain { at, .. }
            | Input::SessionPain { at, .. }
            | Input::Skin { at, .. }
            | Input::Away { at }
            | Input::Back { at } => Some(*at),
            Input::Log { .. } | Input::Remove { .. } | Input::Undo => None,
        }
    }
}
