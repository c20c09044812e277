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

/// A duration in a sentence, as the library's messages say it and an app
/// (or the CLI, for its terminal lines and notices) should, so that every
/// place words a duration alike:
///
/// - under a second: humantime's form (`500ms`);
/// - under a day, every whole part that is not zero: `45s`, `6m 12s`,
///   `1h 5m`;
/// - one to four whole days in hours (`24h`, `48h`, `96h`), as the care
///   articles count the acute window;
/// - from a day: the days and at most one more part, the largest that is
///   not zero (`1 day 6h`, `2 days 3h`, `30 days`);
/// - from 365 days: the days and the years they make, rounded (`365250
///   days (about 1000 years)`), so that no one counts the digits.
///
/// Never humantime's `2days` or its 30.44-day months.
///
/// # Examples
///
/// ```
/// use core::time::Duration;
/// use therapy_timer::say_duration;
///
/// assert_eq!(say_duration(Duration::from_secs(372)), "6m 12s");
/// assert_eq!(say_duration(Duration::from_secs(48 * 3600)), "48h");
/// assert_eq!(say_duration(Duration::from_secs(30 * 86_400)), "30 days");
/// assert_eq!(say_duration(Duration::from_secs(86_400 + 6 * 3600)), "1 day 6h");
/// ```
#[must_use]
pub fn words(d: Duration) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    let s = d.as_secs();
    if s == 0 && d.subsec_nanos() > 0 {
        return human(d);
    }
    if (DAY..=4 * DAY).contains(&s) && s.is_multiple_of(DAY) {
        return format!("{}h", s / HOUR);
    }
    let days = s / DAY;
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if days >= 365 {
        // 365.25 days a year, rounded to the nearest: (days * 4 + 730) / 1461.
        let years = (days * 4 + 730) / 1461;
        return format!(
            "{} (about {})",
            plural(days, "day", "days"),
            plural(years, "year", "years")
        );
    }
    let parts = [
        (s % DAY / HOUR, "h"),
        (s % HOUR / MINUTE, "m"),
        (s % MINUTE, "s"),
    ];
    let mut parts = parts.iter().filter(|(n, _)| *n > 0);
    if days > 0 {
        let mut out = plural(days, "day", "days");
        if let Some((n, unit)) = parts.next() {
            out.push_str(&format!(" {n}{unit}"));
        }
        return out;
    }
    let out: alloc::vec::Vec<String> = parts.map(|(n, unit)| format!("{n}{unit}")).collect();
    if out.is_empty() {
        "0s".to_string()
    } else {
        out.join(" ")
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

    use super::{after, human, words};

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
    fn words_say_days_and_years_as_people_do() {
        let h = |n: u64| Duration::from_secs(n * 3600);
        assert_eq!(words(Duration::from_secs(600)), "10m");
        assert_eq!(words(Duration::from_secs(3605)), "1h 5s");
        assert_eq!(words(h(48)), "48h");
        assert_eq!(words(h(30)), "1 day 6h");
        assert_eq!(words(h(51) + Duration::from_secs(240)), "2 days 3h");
        assert_eq!(words(h(30 * 24)), "30 days");
        assert_eq!(words(h(60 * 24)), "60 days");
        assert_eq!(words(h(365 * 24)), "365 days (about 1 year)");
        assert_eq!(words(h(365_250 * 24)), "365250 days (about 1000 years)");
        assert_eq!(words(Duration::from_millis(500)), "500ms");
        assert_eq!(words(Duration::ZERO), "0s");
        assert_eq!(
            words(Duration::MAX),
            "213503982334601 days (about 584542046091 years)"
        );
    }

    #[test]
    fn after_ends_at_the_edge_of_time_instead_of_saturating() {
        let max = DateTime::<Utc>::MAX_UTC;
        assert_eq!(after(max, Duration::from_secs(1)), None);
        assert_eq!(after(max, Duration::MAX), None);
        assert_eq!(after(max, Duration::ZERO), Some(max));
    }
}
