//! Parsing the TIME arguments people type: `now`, RFC 3339, `3h ago`,
//! `HH:MM` and `YYYY-MM-DD HH:MM` in local time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The forms a TIME argument accepts, for error messages and `--help`.
pub const TIME_FORMS: &str = "now, an RFC 3339 time (2026-03-01T08:00:00Z or \
    2026-03-01T09:00:00+01:00), a duration ago (3h ago, 1day 2h ago, 90m ago), \
    or local HH:MM (today) or YYYY-MM-DD HH:MM";

/// Parses `input` as a time, relative to `now` and the clock of `tz`.
///
/// Pure: the clock and the zone come in as arguments, so tests can pin them.
/// The error message names the input and every accepted form.
pub fn parse_time<Tz: TimeZone>(
    input: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    let text = input.trim();
    let q = crate::error::quote(input);
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(ago) = text.strip_suffix("ago") {
        let d = humantime::parse_duration(ago.trim()).map_err(|e| {
            format!("invalid time {q}: the duration before \"ago\" is not valid ({e}); write e.g. \"3h ago\" or \"1day 2h ago\"")
        })?;
        return chrono::TimeDelta::from_std(d)
            .ok()
            .and_then(|d| now.checked_sub_signed(d))
            .ok_or_else(|| format!("invalid time {q}: that is too long ago"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = if let Ok(t) = NaiveTime::parse_from_str(text, "%H:%M") {
        Some(now.with_timezone(tz).date_naive().and_time(t))
    } else {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .map(|d| d.and_time(NaiveTime::MIN))
            })
    };
    let Some(local) = local else {
        return Err(format!("invalid time {q}; use {TIME_FORMS}"));
    };
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            format!(
                "invalid time {q}: {} does not exist on the local clock \
                 (it is skipped by a daylight-saving change); use a time an hour later",
                local.format("%Y-%m-%d %H:%M")
            )
        })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::Berlin;

    use super::parse_time;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap()
    }

    #[test]
    fn every_form() {
        let at = |s: &str| parse_time(s, now(), &Berlin).unwrap().to_rfc3339();
        assert_eq!(at("now"), "2026-03-28T12:00:00+00:00");
        assert_eq!(at("2026-03-01T08:00:00Z"), "2026-03-01T08:00:00+00:00");
        assert_eq!(at("2026-03-01T09:00:00+01:00"), "2026-03-01T08:00:00+00:00");
        assert_eq!(at("3h ago"), "2026-03-28T09:00:00+00:00");
        assert_eq!(at("1day 2h ago"), "2026-03-27T10:00:00+00:00");
        // Berlin is UTC+1 on 2026-03-28.
        assert_eq!(at("08:30"), "2026-03-28T07:30:00+00:00");
        assert_eq!(at("2026-03-20 18:00"), "2026-03-20T17:00:00+00:00");
        assert_eq!(at("2026-03-20"), "2026-03-19T23:00:00+00:00");
    }

    #[test]
    fn bad_input_names_the_forms() {
        let err = parse_time("yesterday", now(), &Berlin).unwrap_err();
        assert!(
            err.starts_with("invalid time \"yesterday\"; use now, an RFC 3339 time"),
            "{err}"
        );
        let err = parse_time("3 fortnights ago", now(), &Berlin).unwrap_err();
        assert!(
            err.contains("the duration before \"ago\" is not valid"),
            "{err}"
        );
        let err = parse_time("25:00", now(), &Berlin).unwrap_err();
        assert!(err.starts_with("invalid time \"25:00\""), "{err}");
    }

    #[test]
    fn a_skipped_local_time_is_refused() {
        // 2026-03-29 02:30 does not exist in Berlin.
        let err = parse_time("2026-03-29 02:30", now(), &Berlin).unwrap_err();
        assert!(err.contains("does not exist on the local clock"), "{err}");
    }
}
