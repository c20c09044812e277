//! The small words: articles, counts, and durations as people write them.
//!
//! Pure functions of their arguments: no clock, no time zone, so the same
//! input always reads the same.

// Until the commands say their words through these (text.rs's own `span`
// and `between` go then).

use std::time::Duration;

use chrono::{DateTime, Utc};

const MINUTE: u64 = 60;

/// Words that start with a vowel letter but a consonant sound (`a unit`,
/// `a one-off`), compared with the start of the lowercased word.
const VOWEL_LETTER_CONSONANT_SOUND: [&str; 12] = [
    "one", "once", "eu", "ewe", "use", "usu", "uti", "unit", "univ", "uniq", "unif", "unio",
];

/// Words that start with a silent `h` (`an hour`).
const SILENT_H: [&str; 5] = ["hour", "honest", "honor", "honour", "heir"];

/// Letters whose name starts with a vowel sound (`an HTML file`, `an RFC`),
/// for words written in capitals, read letter by letter.
const VOWEL_SOUND_LETTERS: &str = "AEFHILMNORSX";

/// The indefinite article for `word`: `"an"` before a vowel sound, `"a"`
/// before a consonant sound.
///
/// Good enough for the words this program says, by these rules:
///
/// - a number is read as people say it: `an 8-minute session`, `an 11`,
///   `an 18`, `an 80`, `an 800` (eight, eleven, eighteen, eighty, eight
///   hundred), `an 11000` (eleven thousand), but `a 10m`, `a 1100`, `a 0`;
///   leading zeros are not read (`an 08:00`);
/// - a word in capitals is read letter by letter: `an HTML`, `an RFC`,
///   `an ICS`, `a CSV`, `a JSON`, `a UTC` (so `NASA` comes out wrong);
/// - otherwise a vowel letter takes `an` (`an ice session`), except words
///   read with a consonant sound (`a unit`, `a user`, `a one-off`, `a
///   European`), and a silent `h` takes `an` (`an hour`, `an honest`), any
///   other letter `a` (`a heat session`).
///
/// Only the first part of a compound counts (`an ice-pack`); leading white
/// space is ignored; an empty word takes `a`.
#[must_use]
pub fn a_or_an(word: &str) -> &'static str {
    let word = word.trim_start();
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    if digits_end > 0 {
        return if number_starts_with_vowel(&word[..digits_end]) {
            "an"
        } else {
            "a"
        };
    }
    let letters_end = word
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(word.len());
    let letters = &word[..letters_end];
    let Some(first) = letters.chars().next() else {
        return "a";
    };
    if letters.chars().count() > 1 && letters.chars().all(|c| c.is_ascii_uppercase()) {
        return if VOWEL_SOUND_LETTERS.contains(first) {
            "an"
        } else {
            "a"
        };
    }
    let lower = letters.to_lowercase();
    if SILENT_H.iter().any(|h| lower.starts_with(h)) {
        return "an";
    }
    if VOWEL_LETTER_CONSONANT_SOUND
        .iter()
        .any(|w| lower.starts_with(w))
    {
        return "a";
    }
    if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Whether the number written with `digits` (ASCII digits only, at least
/// one) is said starting with a vowel: eight..., eleven..., eighteen...
fn number_starts_with_vowel(digits: &str) -> bool {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        // "zero"
        return false;
    }
    // The group said first: "11" in 11000 ("eleven thousand"), "1" in 1100.
    let lead = match digits.len() % 3 {
        0 => 3,
        n => n,
    };
    let lead = &digits[..lead];
    lead.starts_with('8') || lead == "11" || lead == "18"
}

/// `word` after its indefinite article: `an ice session`, `a heat session`.
/// See [`a_or_an`] for the words it gets right.
#[must_use]
pub fn with_article(word: &str) -> String {
    format!("{} {word}", a_or_an(word))
}

/// `n` and the noun in the right number: `1 session`, `0 sessions`,
/// `2 sessions`.
#[must_use]
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// `1 session`, `2 sessions`.
#[must_use]
pub fn sessions(n: u64) -> String {
    count(n, "session", "sessions")
}

/// A duration as people write it, to the whole second (smaller parts are
/// dropped, not rounded, so a session cut at 6m 12.9s reads `6m 12s`):
///
/// - under a day, every part that is not zero: `45s`, `6m 12s`, `1h 5m`,
///   `23h 59m 59s`, and `0s` for nothing;
/// - one to four whole days in hours: `24h`, `48h`, `72h`, `96h`, as the
///   care articles count the acute window ("the first 24-48 hours");
/// - otherwise from a day up, the days and at most one more part, the
///   largest that is not zero (the smaller ones are dropped): `1 day 30s`,
///   `1 day 2h`, `2 days 3h`, `3 days 30m`, `4 days 1h`, `5 days`,
///   `100 days`;
/// - from 365 days, the days and the years they make, rounded (365.25 days
///   a year), the rest dropped: `365250 days (about 1000 years)`, so no one
///   counts the digits.
///
/// So one to four days alone are never written `1 day` or `2 days` but
/// `24h` and `48h`; other whole hours are (`1 day 2h`, not `26h`).
/// Days are the largest exact unit: months and years vary in length.
/// These are the library's rules ([`therapy_timer::say_duration`]), to
/// the whole second.
#[must_use]
pub fn span(d: Duration) -> String {
    // The library's words, so a message and a notice never disagree.
    therapy_timer::say_duration(Duration::from_secs(d.as_secs()))
}

/// How long ago, from a duration before now: `3m ago`, `1 day 2h ago`;
/// `just now` under a second. The duration is written by [`span`].
#[must_use]
pub fn ago(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        "just now".to_owned()
    } else {
        format!("{} ago", span(d))
    }
}

/// How long until, from a duration after now: `in 43m`, `in 1 day 2h`;
/// `now` under a second. The duration is written by [`span`].
#[must_use]
pub fn from_now(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        "now".to_owned()
    } else {
        format!("in {}", span(d))
    }
}

/// The time from `from` to `to` written by [`span`]: as seconds up to a
/// minute (`30s`), rounded up to the minute beyond (`43m`, `1h 5m`, `2 days
/// 1m`), so a rest is never announced as over early; `0s` when `to` is not
/// after `from`.
#[must_use]
pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let d = (to - from).to_std().unwrap_or_default();
    if d <= Duration::from_secs(MINUTE) {
        return span(d);
    }
    // `d` is within chrono's range (a few hundred thousand years), so this
    // cannot overflow; if it did, the unrounded time is still true.
    let rounded = d
        .as_secs()
        .div_ceil(MINUTE)
        .checked_mul(MINUTE)
        .map_or(d, Duration::from_secs);
    span(rounded)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use proptest::prelude::{prop_assert_eq, proptest};

    use super::{a_or_an, ago, between, count, from_now, sessions, span, with_article};

    const H: u64 = 3600;
    const DAY: u64 = 24 * H;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// The `span` this one replaces (crates/cli/text.rs, before), kept to
    /// show that nothing under a day and no whole day up to four changed.
    fn old_span(d: Duration) -> String {
        let s = d.as_secs();
        if (24 * 3600..=96 * 3600).contains(&s) && s.is_multiple_of(3600) {
            return format!("{}h", s / 3600);
        }
        humantime::format_duration(Duration::from_secs(s)).to_string()
    }

    #[test]
    fn articles_follow_the_sound() {
        for (word, article) in [
            ("ice session", "an"),
            ("heat session", "a"),
            ("hour", "an"),
            ("hourly reminder", "an"),
            ("honest answer", "an"),
            ("8-minute session", "an"),
            ("8m session", "an"),
            ("08:00 start", "an"),
            ("80", "an"),
            ("800", "an"),
            ("11-minute session", "an"),
            ("18", "an"),
            ("11000", "an"),
            ("18500", "an"),
            ("1100", "a"),
            ("110", "a"),
            ("118", "a"),
            ("10m session", "a"),
            ("1-hour rest", "a"),
            ("0", "a"),
            ("000", "a"),
            ("unit", "a"),
            ("user", "a"),
            ("usual dose", "a"),
            ("one-off", "a"),
            ("European", "a"),
            ("uncomfortable pack", "an"),
            ("ice-pack", "an"),
            ("Ice", "an"),
            ("HTML report", "an"),
            ("RFC", "an"),
            ("ICS file", "an"),
            ("CSV file", "a"),
            ("JSON array", "a"),
            ("UTC time", "a"),
            ("A", "an"),
            ("  ice", "an"),
            ("", "a"),
            ("-", "a"),
        ] {
            assert_eq!(a_or_an(word), article, "{word:?}");
        }
    }

    #[test]
    fn with_article_puts_it_before_the_word() {
        assert_eq!(with_article("ice session"), "an ice session");
        assert_eq!(with_article("heat session"), "a heat session");
        assert_eq!(with_article("8-minute session"), "an 8-minute session");
        assert_eq!(with_article("hour"), "an hour");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "day", "days"), "1 day");
        assert_eq!(count(0, "day", "days"), "0 days");
        assert_eq!(count(u64::MAX, "day", "days"), "18446744073709551615 days");
        assert_eq!(sessions(0), "0 sessions");
        assert_eq!(sessions(1), "1 session");
        assert_eq!(sessions(2), "2 sessions");
    }

    #[test]
    fn spans_under_a_day_list_every_part() {
        assert_eq!(span(Duration::from_millis(372_400)), "6m 12s");
        assert_eq!(span(Duration::from_millis(372_999)), "6m 12s");
        assert_eq!(span(secs(3900)), "1h 5m");
        assert_eq!(span(secs(3605)), "1h 5s");
        assert_eq!(span(secs(45)), "45s");
        assert_eq!(span(secs(0)), "0s");
        assert_eq!(span(Duration::from_millis(999)), "0s");
        assert_eq!(span(secs(59)), "59s");
        assert_eq!(span(secs(60)), "1m");
        assert_eq!(span(secs(H)), "1h");
        assert_eq!(span(secs(DAY - 1)), "23h 59m 59s");
    }

    #[test]
    fn spans_of_one_to_four_whole_days_stay_in_hours() {
        assert_eq!(span(secs(DAY)), "24h");
        assert_eq!(span(secs(48 * H)), "48h");
        assert_eq!(span(secs(72 * H)), "72h");
        assert_eq!(span(secs(96 * H)), "96h");
        assert_eq!(span(secs(25 * H)), "1 day 1h");
        assert_eq!(span(secs(36 * H)), "1 day 12h");
        // A fraction of a second is dropped, so it is still whole hours.
        assert_eq!(span(Duration::from_millis(48 * H * 1000 + 999)), "48h");
    }

    #[test]
    fn spans_from_a_day_show_days_and_one_more_part() {
        assert_eq!(span(secs(DAY + 2 * H)), "1 day 2h");
        assert_eq!(span(secs(DAY + 30)), "1 day 30s");
        assert_eq!(span(secs(DAY + 30 * 60)), "1 day 30m");
        assert_eq!(span(secs(DAY + 2 * H + 4 * 60 + 5)), "1 day 2h");
        assert_eq!(span(secs(2 * DAY + 3 * H + 4 * 60 + 5)), "2 days 3h");
        assert_eq!(span(secs(2 * DAY + 1)), "2 days 1s");
        assert_eq!(span(secs(3 * DAY + 30 * 60)), "3 days 30m");
        assert_eq!(span(secs(3 * DAY + 30 * 60 + 59)), "3 days 30m");
        assert_eq!(span(secs(96 * H + 1)), "4 days 1s");
        assert_eq!(span(secs(97 * H)), "4 days 1h");
        assert_eq!(span(secs(5 * DAY)), "5 days");
        assert_eq!(span(secs(100 * DAY)), "100 days");
        assert_eq!(span(secs(364 * DAY + 1)), "364 days 1s");
        assert_eq!(span(secs(365 * DAY + 1)), "365 days (about 1 year)");
        assert_eq!(span(secs(548 * DAY)), "548 days (about 2 years)");
        assert_eq!(span(secs(365_250 * DAY)), "365250 days (about 1000 years)");
        assert!(!span(secs(2 * DAY + 60)).contains("2days"));
    }

    #[test]
    fn spans_of_the_longest_durations_do_not_panic() {
        let max = "213503982334601 days (about 584542046091 years)";
        assert_eq!(span(Duration::MAX), max);
        assert_eq!(ago(Duration::MAX), format!("{max} ago"));
        assert_eq!(from_now(Duration::MAX), format!("in {max}"));
    }

    #[test]
    fn ago_and_from_now() {
        assert_eq!(ago(secs(DAY + 2 * H)), "1 day 2h ago");
        assert_eq!(ago(secs(180)), "3m ago");
        assert_eq!(ago(secs(48 * H)), "48h ago");
        assert_eq!(ago(Duration::from_millis(999)), "just now");
        assert_eq!(ago(Duration::ZERO), "just now");
        assert_eq!(ago(secs(1)), "1s ago");
        assert_eq!(from_now(secs(43 * 60)), "in 43m");
        assert_eq!(from_now(secs(DAY + 2 * H)), "in 1 day 2h");
        assert_eq!(from_now(Duration::from_millis(999)), "now");
        assert_eq!(from_now(secs(1)), "in 1s");
    }

    #[test]
    fn between_rounds_up_to_the_minute_beyond_one() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let at = |s: i64| t + TimeDelta::seconds(s);
        assert_eq!(between(t, at(42 * 60 + 1)), "43m");
        assert_eq!(between(t, at(30)), "30s");
        assert_eq!(between(t, at(60)), "1m");
        assert_eq!(between(t, at(61)), "2m");
        assert_eq!(between(t, at(3600 + 5 * 60)), "1h 5m");
        assert_eq!(between(t, t), "0s");
        assert_eq!(between(t, at(-30)), "0s");
        assert_eq!(between(t, at(48 * 3600)), "48h");
        assert_eq!(between(t, at(48 * 3600 + 30)), "2 days 1m");
        assert_eq!(between(t, at(26 * 3600 + 30)), "1 day 2h");
        assert_eq!(
            between(t, t + TimeDelta::milliseconds(59_500)),
            "59s",
            "under a minute: not rounded up"
        );
        assert_eq!(
            between(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
            "191491529 days (about 524275 years)"
        );
        assert_eq!(
            between(DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC),
            "0s"
        );
    }

    /// The library's messages say a duration as `span` does: one renderer's
    /// rules, on the terminal whoever wrote the sentence (it said "1day 6h"
    /// and "365250 days").
    #[test]
    fn library_messages_say_durations_as_span_does() {
        for s in [
            1,
            59,
            3605,
            DAY,
            30 * H,
            2 * DAY + 3 * H + 240,
            30 * DAY,
            364 * DAY + 1,
            365_250 * DAY,
            u64::MAX,
        ] {
            let e = therapy_timer::Error::SessionTooShort { length: secs(s) };
            assert_eq!(
                e.to_string(),
                format!(
                    "a session of {} is too short; a session lasts at least 1s",
                    span(secs(s))
                )
            );
        }
    }

    proptest! {
        /// Under a day it reads as it did.
        #[test]
        fn span_under_a_day_is_unchanged(s in 0..DAY, ms in 0u64..1000) {
            let d = Duration::from_millis(s * 1000 + ms);
            prop_assert_eq!(span(d), old_span(d));
        }

        /// One to four whole days read as they did.
        #[test]
        fn span_of_whole_days_to_4_is_unchanged(days in 1u64..=4) {
            prop_assert_eq!(span(secs(days * DAY)), old_span(secs(days * DAY)));
        }

        /// From a day up: days, then at most one more part, never "2days".
        #[test]
        fn span_from_a_day_has_at_most_two_parts(s in DAY..u64::MAX) {
            let text = span(secs(s));
            let parts: Vec<&str> = text.split(' ').collect();
            if s <= 4 * DAY && s.is_multiple_of(DAY) {
                prop_assert_eq!(text, format!("{}h", s / H));
            } else {
                prop_assert_eq!(parts[0], (s / DAY).to_string());
                prop_assert_eq!(parts[1], if s / DAY == 1 { "day" } else { "days" });
                if s / DAY >= 365 {
                    // "N days (about M years)"
                    prop_assert_eq!(parts.len(), 5, "{}", text);
                    prop_assert_eq!(parts[2], "(about");
                } else {
                    proptest::prop_assert!(parts.len() <= 3, "{}", text);
                }
            }
        }
    }
}
