//! Durations in humantime form ("10m", "1h 30m"), for messages and serde,
//! and checked time arithmetic.

#[cfg(any(test, not(feature = "std")))]
mod text;

use alloc::format;
use alloc::string::{String, ToString};
use core::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Formats a duration the way people and config files write it: `10m`,
/// `1h 30m`, `2s`; whole days up to four as hours (`48h`, `72h`), as the
/// care articles count them.
pub(crate) fn human(d: Duration) -> String {
    const HOUR: u64 = 3600;
    let s = d.as_secs();
    if d.subsec_nanos() == 0 && (24 * HOUR..=96 * HOUR).contains(&s) && s.is_multiple_of(HOUR) {
        format!("{}h", s / HOUR)
    } else if d.subsec_nanos() == 0 && s > 96 * HOUR && s.is_multiple_of(24 * HOUR) {
        // Whole days, never humantime's 30.44-day months.
        format!("{}days", s / (24 * HOUR))
    } else {
        #[cfg(feature = "std")]
        return humantime::format_duration(d).to_string();
        #[cfg(not(feature = "std"))]
        return text::format(d);
    }
}

/// A duration in a sentence: as [`human`], but whole days as "60 days"
/// (a message, not a config value).
pub(crate) fn words(d: Duration) -> String {
    let s = human(d);
    match s.strip_suffix("days") {
        Some(n) if n.chars().all(|c| c.is_ascii_digit()) => format!("{n} days"),
        _ => s,
    }
}

/// A time in a message: `2026-03-01 09:10 UTC` (seconds only when there
/// are some). An app words it in the person's zone from the error's value.
pub(crate) fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }
}

/// `t + d`, or `None` past the end of chrono's range. Nothing saturates: a
/// time clamped to the end of the calendar would turn a rule into a lie.
pub(crate) fn after(t: DateTime<Utc>, d: Duration) -> Option<DateTime<Utc>> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
}

/// The time from `a` to `b`, zero if `b` is not after `a`.
pub(crate) fn since(a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
    (b - a).to_std().unwrap_or(Duration::ZERO)
}

/// serde `with` module: a `Duration` as a humantime string.
pub(crate) mod serde_human {
    use super::{Deserialize, Deserializer, Duration, Serializer, String};

    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&super::human(*d))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        super::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// serde `with` module: an optional `Duration` as a humantime string.
pub(crate) mod serde_human_opt {
    use super::{Deserialize, Deserializer, Duration, Serializer, String};

    pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(&super::human(*d)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => super::parse(&text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

/// Parses a humantime duration, with an error that quotes at most the
/// first 40 characters of the input and says how to write one.
fn parse(text: &str) -> Result<Duration, String> {
    #[cfg(feature = "std")]
    let parsed = humantime::parse_duration(text);
    #[cfg(not(feature = "std"))]
    let parsed = text::parse(text);
    parsed.map_err(|e| {
        let shown: String = text.chars().take(40).collect();
        let more = if text.chars().count() > 40 { "…" } else { "" };
        format!(
            "invalid duration \"{shown}{more}\": {e}; write it like \"10m\", \"1h\" or \"1h 30m\""
        )
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{DateTime, Utc};

    use super::{after, human};

    #[test]
    fn formats_like_people_write() {
        assert_eq!(human(Duration::from_secs(600)), "10m");
        assert_eq!(human(Duration::from_secs(5400)), "1h 30m");
        assert_eq!(human(Duration::from_secs(48 * 3600)), "48h");
        assert_eq!(human(Duration::from_secs(8 * 24 * 3600)), "8days");
        assert_eq!(human(Duration::from_secs(60 * 24 * 3600)), "60days");
        assert_eq!(human(Duration::from_millis(1500)), "1s 500ms");
    }

    #[test]
    fn after_ends_at_the_edge_of_time_instead_of_saturating() {
        let max = DateTime::<Utc>::MAX_UTC;
        assert_eq!(after(max, Duration::from_secs(1)), None);
        assert_eq!(after(max, Duration::MAX), None);
        assert_eq!(after(max, Duration::ZERO), Some(max));
    }
}
