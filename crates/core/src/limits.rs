//! The safety limits of the protocol, with the article each comes from.
//!
//! The articles are kept in the project's `shared/seeds/` folder; the file
//! names below refer to it. These limits are checked wherever a
//! [`Protocol`](crate::Protocol) or a single session length is made; nothing
//! in this crate clamps a value into range silently.

use core::time::Duration;

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;

/// The longest ice session: 10 minutes.
///
/// "Ice should be used 10 minutes on with a towel per patient tolerance"
/// (`001_100a23e5fc3b76f2.txt`). Shorter sessions are always allowed.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::ICE_MAX_ON.as_secs(), 600);
/// ```
pub const ICE_MAX_ON: Duration = Duration::from_secs(10 * MINUTE);

/// The shortest rest after an ice session: one hour.
///
/// "always an hour off between usages to help prevent frostbite or skin
/// irritation" (`001_100a23e5fc3b76f2.txt`).
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::ICE_MIN_REST.as_secs(), 3600);
/// ```
pub const ICE_MIN_REST: Duration = Duration::from_secs(HOUR);

/// The longest heat session: 20 minutes.
///
/// "a heating pad for only 15 to 20 minutes at a time"
/// (`001_100a23e5fc3b76f2.txt`). The rest after heat must be at least as long
/// as the heat session: "with at least that amount of time in between
/// sessions" (same article); that limit depends on the session, so it has no
/// constant of its own.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::HEAT_MAX_ON.as_secs(), 1200);
/// ```
pub const HEAT_MAX_ON: Duration = Duration::from_secs(20 * MINUTE);

/// The shortest acute window (ice phase): 24 hours.
///
/// "applying cold during the first 24–48 hours can help reduce inflammation"
/// (`003_c1326fd0cc6295cc.txt`); "Ice is more beneficial on the first day or
/// two after injuring the muscle" (`001_100a23e5fc3b76f2.txt`).
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::ACUTE_WINDOW_MIN.as_secs(), 24 * 3600);
/// ```
pub const ACUTE_WINDOW_MIN: Duration = Duration::from_secs(24 * HOUR);

/// The longest acute window (ice phase): 48 hours. See [`ACUTE_WINDOW_MIN`].
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::ACUTE_WINDOW_MAX.as_secs(), 48 * 3600);
/// ```
pub const ACUTE_WINDOW_MAX: Duration = Duration::from_secs(48 * HOUR);

/// The latest clinician review point: 72 hours after the injury.
///
/// "Someone who has continued muscle spasms beyond a few days [...] really
/// needs to seek medical attention" and "Most back spasms resolve in one to
/// three days" (`001_100a23e5fc3b76f2.txt`). An earlier review is allowed; a
/// later one is refused, because a later reminder is a less safe one.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::REVIEW_MAX.as_secs(), 72 * 3600);
/// ```
pub const REVIEW_MAX: Duration = Duration::from_secs(72 * HOUR);

/// The longest rest the planner accepts: 7 days.
///
/// Not a medical limit: longer rests are never unsafe, but a rest of years
/// is a typo, and refusing it keeps every schedule computation in range.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::REST_MAX.as_secs(), 7 * 24 * 3600);
/// ```
pub const REST_MAX: Duration = Duration::from_secs(7 * 24 * HOUR);

/// The shortest session anything records or times: one second. A shorter one
/// is a typo (`1ns`), not a session.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::SESSION_MIN.as_secs(), 1);
/// ```
pub const SESSION_MIN: Duration = Duration::from_secs(1);

/// The longest session the log accepts when it is recorded after the fact
/// (a session done without the timer): 24 hours.
///
/// History is fact, so a logged session may be longer than the safety limit
/// (it is marked, not refused); a day or more is a typo.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::LOGGED_MAX.as_secs(), 24 * 3600);
/// ```
pub const LOGGED_MAX: Duration = Duration::from_secs(24 * HOUR);

/// The default time from one prompt (or session) start to the next, in the
/// ice phase: 1 h 10 min, the 10 minutes on plus the hour off, as often as
/// the articles allow in the acute window.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::ICE_EVERY.as_secs(), 70 * 60);
/// ```
pub const ICE_EVERY: Duration = Duration::from_secs(70 * MINUTE);

/// The default time from one prompt (or session) start to the next, in the
/// heat phase: 3 hours.
///
/// A product choice above the safety floor (on + rest): the articles allow
/// heat "as needed during recovery" (`003_c1326fd0cc6295cc.txt`), and a
/// prompt every 30 minutes all day is nagging.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::HEAT_EVERY.as_secs(), 3 * 3600);
/// ```
pub const HEAT_EVERY: Duration = Duration::from_secs(3 * HOUR);

/// The longest cadence accepted: 7 days, for the same reason as
/// [`REST_MAX`].
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::EVERY_MAX.as_secs(), 7 * 24 * 3600);
/// ```
pub const EVERY_MAX: Duration = Duration::from_secs(7 * 24 * HOUR);

/// The default length of a course: 7 days after the injury.
///
/// "Most people feel better within a few days" (`003_c1326fd0cc6295cc.txt`);
/// spasms that last "beyond a few days" need a clinician
/// (`001_100a23e5fc3b76f2.txt`). A week covers the acute window, the heat
/// phase and the review, then the course ends and says to see a clinician
/// if spasms persist.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::COURSE_DEFAULT.as_secs(), 7 * 24 * 3600);
/// ```
pub const COURSE_DEFAULT: Duration = Duration::from_secs(7 * 24 * HOUR);

/// The shortest course: 1 day.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::COURSE_MIN.as_secs(), 24 * 3600);
/// ```
pub const COURSE_MIN: Duration = Duration::from_secs(24 * HOUR);

/// The longest course: 30 days. "Complete recovery can take several weeks"
/// (`003_c1326fd0cc6295cc.txt`); past a month, prompts are no longer the
/// articles' self-care but something a clinician should plan.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::COURSE_MAX.as_secs(), 30 * 24 * 3600);
/// ```
pub const COURSE_MAX: Duration = Duration::from_secs(30 * 24 * HOUR);

/// How long after a safety stop (ice off, heat off) nobody acknowledged it
/// is repeated: every 5 minutes.
///
/// People fall asleep on heating pads and burn; a cold pack left on gives
/// frostbite (`../shared/protocol.md`, "Facts from outside the seeds").
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::REPEAT_EVERY.as_secs(), 300);
/// ```
pub const REPEAT_EVERY: Duration = Duration::from_secs(5 * MINUTE);

/// How many times an unacknowledged safety stop is repeated: at most 3.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::REPEATS, 3);
/// ```
pub const REPEATS: u8 = 3;

/// How long the stop keeps repeating after the session's end when nobody
/// says the pack is off: [`REPEATS`] × [`REPEAT_EVERY`] (15 min). After
/// that the session is recorded as never confirmed.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::STOP_REPEATS_FOR.as_secs(), 15 * 60);
/// ```
pub const STOP_REPEATS_FOR: Duration = Duration::from_secs(REPEAT_EVERY.as_secs() * REPEATS as u64);

/// How long a process that gives a session's stop must stay after it to
/// give every repeat too: [`STOP_REPEATS_FOR`] and a minute to spare
/// (16 min).
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::STOP_LINGER.as_secs(), 16 * 60);
/// ```
pub const STOP_LINGER: Duration = Duration::from_secs(STOP_REPEATS_FOR.as_secs() + MINUTE);

/// How long a prompt is put off when the person asks for a snooze
/// without saying how long: 10 minutes.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::SNOOZE_DEFAULT.as_secs(), 600);
/// ```
pub const SNOOZE_DEFAULT: Duration = Duration::from_secs(10 * MINUTE);

/// A stop announced more than this after its time is announced as overdue
/// ("it was due 12m ago; check your skin").
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::LATE_AFTER.as_secs(), 120);
/// ```
pub const LATE_AFTER: Duration = Duration::from_secs(2 * MINUTE);

/// The top of the pain scale: scores are whole numbers from 0 (no pain) to
/// 10 (the worst pain imaginable), the 0–10 numeric rating scale the
/// pain-score issue asks for. A score above it is refused, never clamped.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::PAIN_MAX, 10);
/// ```
pub const PAIN_MAX: u8 = 10;

/// A pain score from which the tool says to see a clinician, whatever the
/// day: 8 of 10.
///
/// The care articles list "severe pain that does not improve" among the
/// reasons to seek care at once (`../shared/protocol.md`, from all four
/// seeds); the pain-score issue sets "a score of 8 or more suggests seeing
/// a clinician at any time". Each such score is announced when it is
/// recorded ([`EventKind::SeeClinician`](crate::EventKind::SeeClinician));
/// the review and end notices judge the latest score
/// ([`PainTrend::is_severe`](crate::PainTrend::is_severe)).
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::SEVERE_PAIN, 8);
/// ```
pub const SEVERE_PAIN: u8 = 8;

/// The longest note a pain score keeps: 500 characters (Unicode scalar
/// values). Not a medical limit: a note is a line for a clinician ("worse
/// after the drive"), and a bound keeps the log and the report readable.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::limits::PAIN_NOTE_MAX, 500);
/// ```
pub const PAIN_NOTE_MAX: usize = 500;
