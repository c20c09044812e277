//! Parsing the TIME arguments people type: `now`, RFC 3339, `3h ago`,
//! `HH:MM` and `YYYY-MM-DD HH:MM` in local time.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

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
        // Before year 0 a time has no RFC 3339 form to show or store.
        return chrono::TimeDelta::from_std(d)
            .ok()
            .and_then(|d| now.checked_sub_signed(d))
            .filter(|t| t.year() >= 0)
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

    mod fuzz {
        use chrono::{DateTime, TimeDelta};
        use chrono_tz::Europe::Berlin;
        use proptest::prelude::*;

        use super::{now, parse_time};
        use crate::error::shorten_quoted;

        /// Text shaped like the accepted forms, and near misses.
        fn time_like() -> impl Strategy<Value = String> {
            prop_oneof![
                "\\PC{0,40}",
                "[0-9]{1,4}(s|m|h|d|day|days|w|y|ms|ns|x)? ?([0-9]{1,3}[a-z]{1,3})? ?(ago)?",
                "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?",
                "[0-9]{1,3}:[0-9]{1,3}",
                " *(now|NOW|Now|ago) *",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1024))]

            /// No panic; an error is short once its quotes are cut, as main
            /// prints it.
            #[test]
            fn any_text_is_a_time_or_a_short_error(s in time_like()) {
                if let Err(e) = parse_time(&s, now(), &Berlin) {
                    let shown = shorten_quoted(&e, '"');
                    prop_assert!(shown.chars().count() < 300, "{}", shown);
                }
            }

            /// Every accepted input means a time that reads back the same
            /// in RFC 3339.
            #[test]
            fn accepted_input_round_trips(s in time_like()) {
                if let Ok(t) = parse_time(&s, now(), &Berlin) {
                    prop_assert_eq!(parse_time(&t.to_rfc3339(), now(), &Berlin), Ok(t));
                }
            }

            #[test]
            fn every_rfc3339_time_round_trips(secs in -62_000_000_000i64..253_402_300_799) {
                let t = DateTime::from_timestamp(secs, 0).expect("in range");
                prop_assert_eq!(parse_time(&t.to_rfc3339(), now(), &Berlin), Ok(t));
            }

            #[test]
            fn a_duration_ago_is_that_long_before_now(n in 0i64..1_000_000, unit in 0usize..3) {
                let (name, secs) = [("s", 1), ("m", 60), ("h", 3600)][unit];
                let t = parse_time(&format!("{n}{name} ago"), now(), &Berlin);
                prop_assert_eq!(t, Ok(now() - TimeDelta::seconds(n * secs)));
            }
        }
    }
}
