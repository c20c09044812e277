//! The CSV: one row per log entry, RFC 4180 (a header row, CRLF line
//! ends, fields with a comma, a quote or a line break in double quotes,
//! quotes doubled), times in RFC 3339 UTC.

use chrono::{DateTime, SecondsFormat, Utc};
use therapy_timer::{Entry, OffBy, Outcome, Session};

use super::summary::{self, confirmed, ended};
use super::{note_text, Numbered};

/// The columns, in order. The last four are a session's: how it ended
/// (`completed`, `cut_short`, `unconfirmed`, `logged`, `running`), whether
/// someone said the pack was off, and the pain before and after it (an
/// estimate: the scores nearest it within 30 minutes, unless given for it).
/// `skin`: a skin check's finding; on a session's row, the last check
/// after it (before the next session).
pub const HEADER: [&str; 18] = [
    "course",
    "kind",
    "id",
    "phase",
    "start",
    "end",
    "minutes",
    "outcome",
    "forced",
    "off_by",
    "off_at",
    "score",
    "note",
    "ended",
    "confirmed",
    "pain_before",
    "pain_after",
    "skin",
];

/// The whole table, at `now` (a session past its end with no answer is
/// unconfirmed).
pub fn table(courses: &[Numbered<'_>], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|h| (*h).to_owned()));
    for (n, course) in courses {
        let around = summary::around(course);
        let skin = summary::skin_after(course);
        for entry in course.entries() {
            let mut fields = match entry {
                Entry::Session(s) => {
                    let mut f = session(*n, s);
                    let i = course.sessions().iter().position(|x| x.id == s.id);
                    let a = i.and_then(|i| around.get(i).copied()).unwrap_or_default();
                    let k = i.and_then(|i| skin.get(i).copied().flatten());
                    let score = |p: Option<u8>| p.map(|p| p.to_string()).unwrap_or_default();
                    f.extend([
                        ended(s, now).name().to_owned(),
                        confirmed(s).to_string(),
                        score(a.before),
                        score(a.after),
                        k.map(|k| k.as_str().to_owned()).unwrap_or_default(),
                    ]);
                    f
                }
                Entry::Pain(p) => vec![
                    n.to_string(),
                    "pain".into(),
                    p.id.to_string(),
                    String::new(),
                    time(p.at),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    p.score.to_string(),
                    p.note.as_deref().map(note_text).unwrap_or_default(),
                ],
                Entry::Skin(k) => {
                    let mut f = vec![
                        n.to_string(),
                        "skin".into(),
                        k.id.to_string(),
                        String::new(),
                        time(k.at),
                    ];
                    f.resize(12, String::new());
                    f.push(k.note.as_deref().map(note_text).unwrap_or_default());
                    f.resize(HEADER.len() - 1, String::new());
                    f.push(k.skin.as_str().to_owned());
                    f
                }
                // A kind of entry this version does not know: its id and
                // time, so the row count stays true.
                other => vec![
                    n.to_string(),
                    "other".into(),
                    other.id().to_string(),
                    String::new(),
                    time(other.at()),
                ],
            };
            fields.resize(HEADER.len(), String::new());
            row(&mut out, fields);
        }
    }
    out
}

fn session(n: usize, s: &Session) -> Vec<String> {
    vec![
        n.to_string(),
        "session".into(),
        s.id.to_string(),
        s.phase.to_string(),
        time(s.start),
        time(s.end),
        minutes(s),
        outcome(s.outcome).into(),
        s.forced.to_string(),
        s.off.map(|o| off_by(o.by)).unwrap_or_default().into(),
        s.off.map(|o| time(o.at)).unwrap_or_default(),
        String::new(),
        String::new(),
    ]
}

/// RFC 3339 in UTC, to the second: `2026-03-02T07:30:00Z`.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A session's length in minutes, to a tenth: `10`, `6.5`.
pub fn minutes(s: &Session) -> String {
    let tenths = (s.length().as_secs() + 3) / 6;
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// (which a spreadsheet reads as a formula: `=cmd|' /C calc'!A0`) with a
/// `'` before it, as OWASP's "CSV Injection" advises; the `'` shows. No
/// cell this table writes but a note can begin so (no number is negative).
fn neutralised(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The library's serde names, so the CSV and the JSON agree.
pub fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Running => "running",
        Outcome::Completed => "completed",
        Outcome::CutShort => "cut_short",
        _ => "other",
    }
}

/// As [`outcome`].
pub fn off_by(by: OffBy) -> &'static str {
    match by {
        OffBy::Stopped => "stopped",
        OffBy::Confirmed => "confirmed",
        OffBy::Dismissed => "dismissed",
        OffBy::NoAnswer => "no_answer",
        OffBy::Logged => "logged",
        _ => "other",
    }
}

/// One row; a field is quoted when it must be, and one a spreadsheet
/// would take for a formula is not one.
fn row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = neutralised(f);
        if f.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}
