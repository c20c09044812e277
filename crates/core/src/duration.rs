//! Durations in humantime form ("10m", "1h 30m"), for messages and serde.

use std::time::Duration;

use chrono::TimeDelta;
use serde::{Deserialize, Deserializer, Serializer};

/// Formats a duration the way people and config files write it: `10m`,
/// `1h 30m`, `2s`; whole days up to four as hours (`48h`, `72h`), as the
/// care articles count them.
pub(crate) fn human(d: Duration) -> String {
    const HOUR: u64 = 3600;
    let s = d.as_secs();
    if d.subsec_nanos() == 0 && (24 * HOUR..=96 * HOUR).contains(&s) && s.is_multiple_of(HOUR) {
        format!("{}h", s / HOUR)
    } else {
        humantime::format_duration(d).to_string()
    }
}

/// Converts a validated duration to chrono's type for time arithmetic.
///
/// Every duration that reaches this is bounded by the limits (at most
/// [`REST_MAX`](crate::limits::REST_MAX)), so the saturating fallback is
/// never taken; it exists so that no input can make it panic.
pub(crate) fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// serde `with` module: a `Duration` as a humantime string.
pub(crate) mod serde_human {
    use super::{Deserialize, Deserializer, Duration, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&super::human(*d))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "invalid duration {text:?}: {e}; write it like \"10m\", \"1h\" or \"1h 30m\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{delta, human};

    #[test]
    fn formats_like_people_write() {
        assert_eq!(human(Duration::from_secs(600)), "10m");
        assert_eq!(human(Duration::from_secs(5400)), "1h 30m");
        assert_eq!(human(Duration::from_secs(48 * 3600)), "48h");
        assert_eq!(human(Duration::from_secs(8 * 24 * 3600)), "8days");
        assert_eq!(human(Duration::from_millis(1500)), "1s 500ms");
    }

    #[test]
    fn delta_never_panics_on_huge_values() {
        assert_eq!(delta(Duration::from_secs(60)).num_seconds(), 60);
        assert_eq!(delta(Duration::MAX), chrono::TimeDelta::MAX);
    }
}
