//! The plan as an iCalendar file (RFC 5545) that calendar apps import: one
//! event per session, with an alarm when it starts and one when it ends.
//!
//! Pure: the sessions and the time go in, the file's text comes out.

use chrono::{DateTime, Datelike, Utc};
use therapy_timer::{Phase, PlannedSession};

use crate::text::{care, review, review_notice, span, take_off};

/// The longest a content line may be, in octets, without its CRLF
/// (RFC 5545 §3.1).
const LINE_LIMIT: usize = 75;

/// Which course a calendar is for, and where in it its first session is:
/// what makes an event's UID the same on every export.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// The course's injury time: it names the course.
    pub injured_at: DateTime<Utc>,
    /// The number of the first session in the file within the course,
    /// counting from 1: sessions recorded before it, plus one.
    pub first: usize,
}

/// An iCalendar file of `sessions`, plus an event for the clinician
/// reminder at `review` if given. `stamp` is when the file was made
/// (every event's DTSTAMP and LAST-MODIFIED).
///
/// A session's UID is its course and its number in it
/// (`1772352000-s12@therapy-timer`), not its start time: the plan moves
/// with every export (it starts now, after the rest owed), and a calendar
/// app that imports a newer export must update the events, not add a
/// second set. SEQUENCE grows with the export time (seconds since the
/// injury), so the newer export wins.
pub fn calendar(
    sessions: &[PlannedSession],
    place: Place,
    review: Option<DateTime<Utc>>,
    stamp: DateTime<Utc>,
) -> String {
    let mut ics = Ics::default();
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line(&format!(
        "PRODID:-//therapy-timer//therapy-timer {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    let course = place.injured_at.timestamp();
    let version = Version::of(place, stamp);
    // iCalendar's DATE-TIME has a four-digit year: the plan ends at the
    // end of 9999 (as an iterator ends), rather than write "+10000" that
    // no calendar reads.
    let writable = |t: DateTime<Utc>| t.year() <= 9999;
    for (i, s) in sessions.iter().enumerate() {
        if !writable(s.end) {
            break;
        }
        let uid = format!("{course}-s{}@therapy-timer", place.first + i);
        session(&mut ics, s, &uid, version);
    }
    if let Some(at) = review.filter(|t| writable(*t)) {
        reminder(
            &mut ics,
            at,
            &format!("{course}-review@therapy-timer"),
            version,
        );
    }
    ics.line("END:VCALENDAR");
    ics.text
}

/// When the file was made, and the SEQUENCE number that says so.
#[derive(Debug, Clone, Copy)]
struct Version {
    stamp: DateTime<Utc>,
    sequence: i64,
}

impl Version {
    /// SEQUENCE is an INTEGER (32 bits signed, RFC 5545 §3.3.8): the
    /// seconds from the injury to the export fit for 68 years.
    fn of(place: Place, stamp: DateTime<Utc>) -> Version {
        let sequence = (stamp - place.injured_at)
            .num_seconds()
            .clamp(0, i64::from(i32::MAX));
        Version { stamp, sequence }
    }

    /// DTSTAMP, LAST-MODIFIED and SEQUENCE.
    fn write(self, ics: &mut Ics) {
        ics.line(&format!("DTSTAMP:{}", utc(self.stamp)));
        ics.line(&format!("LAST-MODIFIED:{}", utc(self.stamp)));
        ics.line(&format!("SEQUENCE:{}", self.sequence));
    }
}

/// One session: the event, an alarm at its start and one at its end.
fn session(ics: &mut Ics, s: &PlannedSession, uid: &str, version: Version) {
    let (name, word) = match s.phase {
        Phase::Ice => ("Ice", "ice"),
        Phase::Heat => ("Heat", "heat"),
    };
    let length = (s.end - s.start).to_std().unwrap_or_default();
    let minutes = if length.as_secs().is_multiple_of(60) {
        format!("{} min", length.as_secs() / 60)
    } else {
        span(length)
    };
    ics.line("BEGIN:VEVENT");
    ics.line(&format!("UID:{uid}"));
    version.write(ics);
    ics.line(&format!("DTSTART:{}", utc(s.start)));
    ics.line(&format!("DTEND:{}", utc(s.end)));
    ics.text_property("SUMMARY", &format!("{name} ({minutes})"));
    ics.text_property(
        "DESCRIPTION",
        &format!(
            "{} Take the {word} off at the second alarm, when the session ends.",
            care(s.phase)
        ),
    );
    ics.line("CATEGORIES:THERAPY");
    ics.line("TRANSP:OPAQUE");
    ics.alarm(
        "TRIGGER:PT0S",
        &format!("Time for {word}. {}", care(s.phase)),
    );
    ics.alarm(
        "TRIGGER;RELATED=END:PT0S",
        &format!("{}.", take_off(s.phase)),
    );
    ics.line("END:VEVENT");
}

/// The clinician reminder: a moment, not a block of time, so it has no end
/// and does not make you busy.
fn reminder(ics: &mut Ics, at: DateTime<Utc>, uid: &str, version: Version) {
    ics.line("BEGIN:VEVENT");
    ics.line(&format!("UID:{uid}"));
    version.write(ics);
    ics.line(&format!("DTSTART:{}", utc(at)));
    ics.text_property("SUMMARY", &review_notice().summary);
    ics.text_property("DESCRIPTION", &review());
    ics.line("TRANSP:TRANSPARENT");
    ics.alarm("TRIGGER:PT0S", &review());
    ics.line("END:VEVENT");
}

/// A date-time in UTC, RFC 5545's basic form: `20260301T080000Z`.
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The file being written.
#[derive(Debug, Default)]
struct Ics {
    text: String,
}

impl Ics {
    /// Adds a content line, folded, with CRLF.
    fn line(&mut self, line: &str) {
        fold(line, &mut self.text);
    }

    /// Adds a property whose value is TEXT, escaped.
    fn text_property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape(value)));
    }

    /// Adds a display alarm with `trigger` (the whole TRIGGER line).
    fn alarm(&mut self, trigger: &str, description: &str) {
        self.line("BEGIN:VALARM");
        self.line("ACTION:DISPLAY");
        self.line(trigger);
        self.text_property("DESCRIPTION", description);
        self.line("END:VALARM");
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma
/// and newline. Other control characters are not allowed in TEXT; they are
/// dropped.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded to at most 75 octets per line (RFC 5545 §3.1):
/// every line but the first starts with one space, and no fold splits a
/// UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = LINE_LIMIT;
    while rest.len() > limit {
        let cut = cut(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space counts toward the limit.
        limit = LINE_LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Where to fold `s` so the piece has at most `limit` octets.
///
/// Unfolding removes only CRLF and the one space after it, so a fold is
/// correct anywhere. But some readers also trim the blanks at the end or the
/// start of a folded line (the `ical` crate does), which would eat the space
/// between two words; so, within the last few characters, prefer a fold
/// between two characters that are neither blank nor an escape.
fn cut(s: &str, limit: usize) -> usize {
    let mut hard = limit.min(s.len());
    while !s.is_char_boundary(hard) {
        hard -= 1;
    }
    if hard == 0 {
        // Cannot happen with a limit of 74, but never fold to nothing.
        return s.chars().next().map_or(s.len(), char::len_utf8);
    }
    let fragile = |c: Option<char>| c.is_none_or(|c| c == ' ' || c == '\t' || c == '\\');
    (hard.saturating_sub(16).max(1)..=hard)
        .rev()
        .filter(|&i| s.is_char_boundary(i))
        .find(|&i| !fragile(s[..i].chars().next_back()) && !fragile(s[i..].chars().next()))
        .unwrap_or(hard)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use therapy_timer::{Phase, PlannedSession};

    use super::{calendar, escape, fold, Place};

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold(line, &mut out);
        out
    }

    /// RFC 5545 unfolding: remove every CRLF followed by one blank.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "").replace("\r\n\t", "")
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exactly = "X".repeat(75);
        assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_and_unfold_to_the_same() {
        let line = format!("DESCRIPTION:{}", "abcdefghij".repeat(20));
        let out = folded(&line);
        let lines: Vec<_> = out.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 3, "{out:?}");
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' ') && !lines[1].starts_with("  "));
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn folds_never_split_a_character() {
        // "é" is two octets, "🧊" four: a fold at 75 octets would split them.
        for filler in ["é", "🧊", "aé", "a🧊b"] {
            let line = format!("SUMMARY:{}", filler.repeat(60));
            let out = folded(&line);
            for l in out.split_terminator("\r\n") {
                assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
            }
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn folds_keep_blanks_and_escapes_away_from_the_edges() {
        let line = format!("DESCRIPTION:{}end", "ab\\, cd ".repeat(30));
        let out = folded(&line);
        for l in out.split_terminator("\r\n") {
            let l = l.strip_prefix(' ').unwrap_or(l);
            assert!(!l.ends_with([' ', '\\']) && !l.starts_with(' '), "{l:?}");
        }
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(
            escape("a\\b; c, d\ne\r\nf\u{7}"),
            "a\\\\b\\; c\\, d\\ne\\nf"
        );
    }

    #[test]
    fn one_ice_session_exactly() {
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let session = PlannedSession::new(
            Phase::Ice,
            start,
            Utc.with_ymd_and_hms(2026, 3, 1, 8, 10, 0).unwrap(),
        );
        let stamp = Utc.with_ymd_and_hms(2026, 3, 1, 7, 30, 5).unwrap();
        let place = Place {
            injured_at: Utc.with_ymd_and_hms(2026, 3, 1, 7, 0, 0).unwrap(),
            first: 3,
        };
        let expected = format!(
            "BEGIN:VCALENDAR\r\n\
             VERSION:2.0\r\n\
             PRODID:-//therapy-timer//therapy-timer {}//EN\r\n\
             CALSCALE:GREGORIAN\r\n\
             METHOD:PUBLISH\r\n\
             BEGIN:VEVENT\r\n\
             UID:1772348400-s3@therapy-timer\r\n\
             DTSTAMP:20260301T073005Z\r\n\
             LAST-MODIFIED:20260301T073005Z\r\n\
             SEQUENCE:1805\r\n\
             DTSTART:20260301T080000Z\r\n\
             DTEND:20260301T081000Z\r\n\
             SUMMARY:Ice (10 min)\r\n\
             DESCRIPTION:Put a towel between the pack and your skin\\; never ice bare o\r\n \
             r numb skin. Take the ice off at the second alarm\\, when the session ends.\r\n\
             CATEGORIES:THERAPY\r\n\
             TRANSP:OPAQUE\r\n\
             BEGIN:VALARM\r\n\
             ACTION:DISPLAY\r\n\
             TRIGGER:PT0S\r\n\
             DESCRIPTION:Time for ice. Put a towel between the pack and your skin\\; neve\r\n \
             r ice bare or numb skin.\r\n\
             END:VALARM\r\n\
             BEGIN:VALARM\r\n\
             ACTION:DISPLAY\r\n\
             TRIGGER;RELATED=END:PT0S\r\n\
             DESCRIPTION:Take the ice off now.\r\n\
             END:VALARM\r\n\
             END:VEVENT\r\n\
             END:VCALENDAR\r\n",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(calendar(&[session], place, None, stamp), expected);
    }

    #[test]
    fn the_review_is_a_reminder_with_an_alarm_and_no_end() {
        let at = Utc.with_ymd_and_hms(2026, 3, 4, 8, 0, 0).unwrap();
        let place = Place {
            injured_at: Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap(),
            first: 1,
        };
        let ics = calendar(&[], place, Some(at), at);
        let text = unfold(&ics);
        assert!(text.contains(
            "BEGIN:VEVENT\r\nUID:1772352000-review@therapy-timer\r\n\
             DTSTAMP:20260304T080000Z\r\nLAST-MODIFIED:20260304T080000Z\r\n\
             SEQUENCE:259200\r\nDTSTART:20260304T080000Z\r\n\
             SUMMARY:Spasms for a few days? See a clinician\r\n"
        ));
        assert!(text.contains("should be seen by a clinician"));
        assert!(text.contains("TRANSP:TRANSPARENT\r\nBEGIN:VALARM\r\n"));
        assert!(!text.contains("DTEND"));
    }

    #[test]
    fn heat_sessions_say_heat_and_every_line_ends_in_crlf() {
        let start = Utc.with_ymd_and_hms(2026, 3, 3, 8, 10, 0).unwrap();
        let session =
            PlannedSession::new(Phase::Heat, start, start + chrono::TimeDelta::minutes(15));
        let place = Place {
            injured_at: start,
            first: 1,
        };
        let ics = calendar(&[session], place, None, start);
        assert!(ics.contains("SUMMARY:Heat (15 min)\r\n"));
        assert!(unfold(&ics).contains("do not fall asleep on it"));
        assert!(ics.contains("DESCRIPTION:Take the heat off now.\r\n"));
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
        assert!(ics.split_terminator("\r\n").all(|l| l.len() <= 75));
    }
}
