//! The crate's own reader and writer of durations in humantime's form, for
//! builds without `std` (humantime needs std). Same answers as humantime on
//! the forms the crate documents and writes: whole numbers with a unit,
//! one or more, spaced or not (`10m`, `1h 30m`, `1h30m`, `48h`, `7days`,
//! `1s 500ms`), and `0`. Fractions (`1.5h`), which humantime also reads,
//! are refused with a hint.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;
use core::time::Duration;

// humantime's lengths of a month (30.44 days) and a year (365.25 days).
const MONTH: u64 = 2_630_016;
const YEAR: u64 = 31_557_600;
const DAY: u64 = 86_400;

/// Writes `d` as humantime's `format_duration` does: `1h 30m`, `2days 3h`,
/// `1s 500ms`, `0s`.
pub(crate) fn format(d: Duration) -> String {
    let secs = d.as_secs();
    let nanos = d.subsec_nanos();
    if secs == 0 && nanos == 0 {
        return String::from("0s");
    }
    let (years, in_year) = (secs / YEAR, secs % YEAR);
    let (months, in_month) = (in_year / MONTH, in_year % MONTH);
    let (days, in_day) = (in_month / DAY, in_month % DAY);
    let parts: [(u64, &str, bool); 9] = [
        (years, "year", true),
        (months, "month", true),
        (days, "day", true),
        (in_day / 3600, "h", false),
        (in_day % 3600 / 60, "m", false),
        (in_day % 60, "s", false),
        (u64::from(nanos / 1_000_000), "ms", false),
        (u64::from(nanos / 1000 % 1000), "us", false),
        (u64::from(nanos % 1000), "ns", false),
    ];
    let mut out = String::new();
    for (value, unit, plural) in parts {
        if value == 0 {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{value}{unit}");
        if plural && value > 1 {
            out.push('s');
        }
    }
    out
}

/// Reads a duration as humantime's `parse_duration` does, whole numbers
/// only. The error says what is wrong, without the input (the caller
/// quotes it).
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let too_large = || String::from("number is too large");
    let mut rest = text.trim_start();
    if rest.is_empty() {
        return Err(String::from("value was empty"));
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let at = text.len() - rest.len();
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("expected number at {at}"));
        }
        let mut n: u64 = 0;
        for c in rest[..digits].bytes() {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(c - b'0')))
                .ok_or_else(too_large)?;
        }
        rest = rest[digits..].trim_start();
        if rest.starts_with('.') {
            return Err(String::from(
                "fractions are not read here; write \"1h 30m\", not \"1.5h\"",
            ));
        }
        let letters = rest
            .find(|c: char| !(c.is_ascii_alphabetic() || c == 'µ'))
            .unwrap_or(rest.len());
        let unit = &rest[..letters];
        let after = &rest[letters..];
        if !(after.is_empty()
            || after.starts_with(|c: char| c.is_whitespace() || c.is_ascii_digit()))
        {
            return Err(format!("invalid character at {}", text.len() - after.len()));
        }
        let (secs_per, nanos_per) = match unit {
            "" => return Err(format!("time unit needed, for example {n}sec or {n}ms")),
            "nanos" | "nsec" | "ns" => (0, 1),
            "usec" | "us" | "µs" => (0, 1000),
            "millis" | "msec" | "ms" => (0, 1_000_000),
            "seconds" | "second" | "secs" | "sec" | "s" => (1, 0),
            "minutes" | "minute" | "min" | "mins" | "m" => (60, 0),
            "hours" | "hour" | "hr" | "hrs" | "h" => (3600, 0),
            "days" | "day" | "d" => (DAY, 0),
            "weeks" | "week" | "wk" | "wks" | "w" => (7 * DAY, 0),
            "months" | "month" | "M" => (MONTH, 0),
            "years" | "year" | "yr" | "yrs" | "y" => (YEAR, 0),
            _ => {
                return Err(format!(
                    "unknown time unit {unit:?}, supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years"
                ))
            }
        };
        let part = if secs_per > 0 {
            Duration::from_secs(n.checked_mul(secs_per).ok_or_else(too_large)?)
        } else {
            Duration::from_nanos(n.checked_mul(nanos_per).ok_or_else(too_large)?)
        };
        total = total.checked_add(part).ok_or_else(too_large)?;
        rest = after.trim_start();
    }
    Ok(total)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use std::time::Duration;

    use proptest::prelude::{prop_assert_eq, proptest};

    use super::{format, parse};

    /// The forms the crate documents and writes (README, protocol docs,
    /// the CLI's flags and config, the JSON), and a few spellings around
    /// them.
    const DOCUMENTED: &[&str] = &[
        "0",
        "0s",
        "2s",
        "10m",
        "8m",
        "15m",
        "20m",
        "30m",
        "1h",
        "1h 30m",
        "1h30m",
        "24h",
        "48h",
        "72h",
        "96h",
        "7days",
        "8days",
        "30days",
        "60days",
        "1day",
        "2d",
        "1s 500ms",
        "500ms",
        "90s",
        "10min",
        "10 min",
        "5 minutes",
        "1 hour",
        "2hours",
        "1w",
        "1 week",
        "1d 6h 5m",
        "1month",
        "1y",
        "250us",
        "7ns",
        "  10m  ",
        "1h  30m",
    ];

    #[test]
    fn reads_the_documented_forms_as_humantime_does() {
        for text in DOCUMENTED {
            assert_eq!(
                parse(text).ok(),
                humantime::parse_duration(text).ok(),
                "{text:?}"
            );
            assert!(parse(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_humantime_refuses() {
        for text in [
            "",
            " ",
            "10",
            "m",
            "10x",
            "ten minutes",
            "10m-",
            "-10m",
            "10m,5s",
            "1h 30",
            "99999999999999999999s",
            "18446744073709551615h",
        ] {
            assert!(humantime::parse_duration(text).is_err(), "{text:?}");
            assert!(parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn writes_the_documented_forms_as_humantime_does() {
        for text in DOCUMENTED {
            if let Ok(d) = humantime::parse_duration(text) {
                assert_eq!(
                    format(d),
                    humantime::format_duration(d).to_string(),
                    "{text:?}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn writes_any_duration_as_humantime_does(secs in 0u64..400_000_000, nanos in 0u32..1_000_000_000) {
            let d = Duration::new(secs, nanos);
            prop_assert_eq!(format(d), humantime::format_duration(d).to_string());
        }

        #[test]
        fn reads_what_it_writes(secs in 0u64..400_000_000, nanos in 0u32..1_000_000_000) {
            let d = Duration::new(secs, nanos);
            prop_assert_eq!(parse(&format(d)), Ok(d));
            prop_assert_eq!(humantime::parse_duration(&format(d)).ok(), Some(d));
        }
    }
}
