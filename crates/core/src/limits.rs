//! The safety limits of the protocol, with the article each comes from.
//!
//! The articles are kept in the project's `shared/seeds/` folder; the file
//! names below refer to it. These limits are checked wherever a
//! [`Protocol`](crate::Protocol) or a single session length is made; nothing
//! in this crate clamps a value into range silently.

use std::time::Duration;

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
