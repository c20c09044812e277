//! The HTML page: one file, no scripts, no links, no fonts from outside;
//! it prints on A4.

use std::fmt::Display;
use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use therapy_timer::{Course, Phase};

use super::chart::{self, HEAT, ICE};
use super::summary::{
    self, course_day, day, day_time, days, ended, full_time, high_pain_by_day, length, totals,
    verdict, Ended, Tone, Totals, Verdict, HIGH_PAIN, PAIN_WINDOW, UNCONFIRMED_MEANS,
};
use super::{Numbered, DISCLAIMER, RED_FLAGS, SEE_ONE_TOO};

/// `text` escaped for HTML text and attribute values alike.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One layout for the screen and for paper: the page is A4 wide (794 CSS
/// px at 96 px per inch) with 10 mm margins, so the screen shows what
/// prints, and a screenshot at 150 dpi is the printed page.
const STYLE: &str = r#"
:root { --ice: ICE; --heat: HEAT; --ink: #111827; --muted: #4b5563; --line: #d1d5db; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; padding: 38px; max-width: 794px; color: var(--ink); background: #fff;
  font: 11px/1.35 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 12px;
  border-bottom: 2px solid var(--ink); padding-bottom: 3px; margin-bottom: 6px; }
h1 { font-size: 18px; margin: 0; line-height: 1.2; }
h2 { font-size: 14px; margin: 0 0 4px; }
h3 { font-size: 10.5px; margin: 6px 0 2px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.made { color: var(--muted); font-size: 10px; text-align: right; }
.verdict { border-left: 6px solid var(--muted); background: #f3f4f6; padding: 3px 10px; margin: 0 0 6px; }
.verdict strong { font-size: 15px; display: block; }
.verdict.see-clinician { border-color: #b91c1c; background: #fef2f2; }
.verdict.see-clinician strong { color: #b91c1c; }
.verdict.better { border-color: #15803d; background: #f0fdf4; }
.verdict.better strong { color: #166534; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 6px; margin: 0 0 8px; }
.card { border: 1px solid var(--line); border-radius: 4px; padding: 3px 8px; }
.card b { display: block; font-size: 17px; line-height: 1.2; }
.card span { color: var(--muted); font-size: 10px; line-height: 1.2; display: block; white-space: nowrap; }
.card.ice b { color: var(--ice); } .card.heat b { color: var(--heat); }
.card.alert { border: 2px solid #b91c1c; background: #fef2f2; } .card.alert b { color: #b91c1c; }
h3 .aside { text-transform: none; letter-spacing: 0; font-weight: normal; }
div.sessions { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; align-items: start; }
table.sessions { font-size: 9px; line-height: 1.2; }
p.notes { margin: 6px 0 0; font-size: 10px; }
p.unconfirmed { color: #b91c1c; margin: 0 0 2px; font-size: 10px; }
table.days td.pain { white-space: normal; }
table.sessions td, table.sessions th { padding: 0 4px; }
table.sessions td.how { white-space: normal; }
table.sessions td.ice { color: var(--ice); } table.sessions td.heat { color: var(--heat); }
tr.unconfirmed td { color: #b91c1c; font-weight: bold; background: #fef2f2; }
dl.course-facts { display: grid; grid-template-columns: 5.2em 1fr; gap: 0 10px; margin: 0 0 2px; font-size: 10px; }
dl.course-facts dt { color: var(--muted); } dl.course-facts dd { margin: 0; }
figure { margin: 4px 0 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.phase-label { font-weight: bold; letter-spacing: .08em; }
ul.legend { list-style: none; margin: 2px 0 0; padding: 0 0 0 48px; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 10.5px; }
ul.legend svg { vertical-align: -2px; }
table { border-collapse: collapse; width: 100%; font-size: 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 0 6px; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; font-weight: bold; }
th.group { text-align: center; border-bottom: 1px solid #9ca3af; }
th:first-child, td:first-child, th.text, td.text { text-align: left; }
td.note { white-space: normal; width: 100%; }
td.zero { color: #9ca3af; }
.severe { color: #b91c1c; font-weight: bold; }
th.ice { color: var(--ice); } th.heat { color: var(--heat); }
.flags { border: 2px solid #b91c1c; border-radius: 4px; padding: 4px 10px; margin: 10px 0 6px; font-size: 11px; }
.flags h2 { color: #b91c1c; font-size: 12px; margin: 0 0 2px; }
.flags ul { margin: 0; padding-left: 1.2em; columns: 3; column-gap: 20px; font-size: 10px; }
.flags p { margin: 2px 0 0; }
footer { border-top: 1px solid var(--line); padding-top: 3px; font-size: 11px; }
footer .disclaimer { margin: 0; font-weight: bold; }
@page { size: A4; margin: 9mm 10mm; }
@media print {
  body { padding: 0; max-width: none; }
  section.course + section.course { break-before: page; }
  figure, table, .flags, .verdict, .cards, div.sessions { break-inside: avoid; }
}
"#;

/// The page.
pub fn page<Tz>(courses: &[Numbered<'_>], now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let mut o = String::with_capacity(64 * 1024);
    let title = "Ice and heat therapy report";
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        esc(title),
        STYLE.replace("ICE", ICE).replace("HEAT", HEAT)
    );
    let _ = writeln!(
        o,
        "<header><h1>{}</h1><div class=\"made\">Made {} by therapy-timer {}<br>\
         Times are local (now UTC{})</div></header>",
        esc(title),
        esc(&full_time(now, tz)),
        esc(env!("CARGO_PKG_VERSION")),
        now.with_timezone(tz).format("%:z")
    );
    if courses.is_empty() {
        o.push_str("<p>No course to report.</p>\n");
    }
    for (n, course) in courses {
        section(&mut o, *n, course, now, tz);
    }
    o.push_str("<section class=\"flags\"><h2>See a clinician at once for</h2><ul>");
    for flag in RED_FLAGS {
        let _ = write!(o, "<li>{}</li>", esc(flag));
    }
    let _ = write!(
        o,
        "</ul><p>{}</p></section>\n<footer><p class=\"disclaimer\">{}</p></footer>\n</body>\n</html>\n",
        esc(SEE_ONE_TOO),
        esc(DISCLAIMER)
    );
    o
}

fn section<Tz>(o: &mut String, n: usize, course: &Course, now: DateTime<Utc>, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let _ = writeln!(o, "<section class=\"course\" id=\"course-{n}\">");
    let injury = if course.injury_known() {
        format!("injury {}", full_time(course.injured_at(), tz))
    } else {
        "injury time not given".to_owned()
    };
    let _ = writeln!(o, "<h2>Course {n} · {}</h2>", esc(&injury));
    let Verdict {
        tone,
        headline,
        detail,
    } = verdict(course, tz);
    let class = match tone {
        Tone::Better => "better",
        Tone::Plain => "plain",
        Tone::SeeClinician => "see-clinician",
    };
    let _ = writeln!(
        o,
        "<p class=\"verdict {class}\"><strong>{}</strong>{}</p>",
        esc(&headline),
        esc(&detail)
    );
    cards(o, course, now, tz);
    facts(o, course, now, tz);
    let over_limit = course.sessions().iter().any(|s| s.over_limit());
    let _ = writeln!(
        o,
        "<figure>{}{}</figure>",
        chart::svg(n, course, now, tz),
        chart::legend(n, over_limit)
    );
    day_table(o, course, now, tz);
    session_table(o, course, now, tz);
    notes(o, course, tz);
    o.push_str("</section>\n");
}

/// The numbers a clinician takes in first: worst pain, time in high
/// pain, stops nobody confirmed, and the pain before and after a session
/// of each kind (an estimate, from the scores nearest a session).
fn cards<Tz>(o: &mut String, course: &Course, now: DateTime<Utc>, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let t: Totals = totals(course, now);
    let scores = course.pain_scores();
    let worst = scores
        .iter()
        .max_by_key(|p| (p.score, std::cmp::Reverse(p.at)));
    let (worst_value, worst_label) = match worst {
        Some(p) => (
            format!("{}/10", p.score),
            format!("worst, {}", p.at.with_timezone(tz).format("%a %H:%M")),
        ),
        None => ("–".to_owned(), "worst pain (no scores)".to_owned()),
    };
    let high = high_pain_by_day(course, now);
    let days_so_far = usize::try_from(course_day(course, now.min(course.ends_at())).max(1))
        .unwrap_or(1)
        .min(high.len().max(1));
    let total: TimeDelta = high.iter().copied().sum();
    let per_day = total.num_minutes() as f64 / 60.0 / days_so_far as f64;
    let high_value = if scores.is_empty() {
        "–".to_owned()
    } else {
        format!("{per_day:.1} h/day")
    };
    let change = |phase: Phase| match summary::change(course, phase) {
        Some(c) => (
            format!("{:+.1}", c.mean),
            format!("after {phase}, n={} (est.)", c.sessions),
        ),
        None => ("–".to_owned(), format!("after {phase}: no pairs")),
    };
    let (ice_value, ice_label) = change(Phase::Ice);
    let (heat_value, heat_label) = change(Phase::Heat);
    let sessions = t.ice + t.heat;
    let cards = [
        ("pain", worst_value, worst_label),
        ("", high_value, format!("pain {HIGH_PAIN}–10 (est.)")),
        (
            if t.unconfirmed > 0 { "alert" } else { "" },
            format!("{} of {sessions}", t.unconfirmed),
            "stops unconfirmed".to_owned(),
        ),
        ("ice", ice_value, ice_label),
        ("heat", heat_value, heat_label),
        (
            "",
            format!("{} + {}", t.ice, t.heat),
            "ice + heat".to_owned(),
        ),
    ];
    o.push_str("<div class=\"cards\">");
    for (class, value, label) in cards {
        let _ = write!(
            o,
            "<div class=\"card {class}\"><b>{}</b><span>{}</span></div>",
            esc(&value),
            esc(&label)
        );
    }
    o.push_str("</div>\n");
}

/// The course's dates and protocol.
fn facts<Tz>(o: &mut String, course: &Course, now: DateTime<Utc>, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let p = course.protocol();
    let dose = |phase: Phase| {
        let d = p.dose(phase);
        format!(
            "{} on, ≥ {} off, every {}",
            length(d.on),
            length(d.rest),
            length(p.every(phase))
        )
    };
    let dates = {
        let start = course.injured_at().with_timezone(tz).date_naive();
        let end = course.ends_at();
        let planned = length(p.course_length());
        let state = match course.ended_at() {
            Some(e) if e <= end => format!("{planned} planned, ended early"),
            _ if course.is_over(now) => format!("{planned}, over"),
            // The day as the library counts it (24 h from the injury).
            _ => format!(
                "{planned}, now on day {} of {}",
                course.day(now).unwrap_or(1),
                course.days()
            ),
        };
        format!("{} to {} ({state})", day(start), full_time(end, tz))
    };
    let rows = [
        ("Course", dates),
        (
            "Protocol",
            format!(
                "Ice for the first {}: {}. Then heat: {}. Review at {}.",
                length(p.acute_window()),
                dose(Phase::Ice),
                dose(Phase::Heat),
                length(p.review_after())
            ),
        ),
        ("Sessions", sessions_line(course, now)),
    ];
    o.push_str("<dl class=\"course-facts\">");
    for (k, v) in rows {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    o.push_str("</dl>\n");
}

fn sessions_line(course: &Course, now: DateTime<Utc>) -> String {
    let t = totals(course, now);
    let mut parts = vec![format!(
        "prompts {} answered ({} skipped), {} missed",
        t.answered, t.skipped, t.missed
    )];
    parts.push(format!("{} forced", t.forced));
    if t.logged > 0 {
        parts.push(format!("{} logged after the fact", t.logged));
    }
    if t.over_limit > 0 {
        parts.push(format!("{} over the safety limit", t.over_limit));
    }
    parts.join("; ")
}

/// Sessions, prompts and pain per course day.
fn day_table<Tz>(o: &mut String, course: &Course, now: DateTime<Utc>, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    o.push_str(
        "<h3>Per day <span class=\"aside\">(day 1 is the first 24 hours from the injury)</span></h3>\
         <table class=\"days\"><thead>\
         <tr><th>Day</th><th class=\"text\">From</th>\
         <th class=\"text\">Pain</th><th>Pain 7–10</th>\
         <th class=\"ice\">Ice</th><th class=\"heat\">Heat</th><th>Cut short</th>\
         <th>Unconfirmed</th><th>Forced</th><th>Prompts</th><th>Missed</th></tr></thead><tbody>",
    );
    for d in days(course, now) {
        let pain = if d.pain.is_empty() {
            "–".to_owned()
        } else {
            d.pain
                .iter()
                .map(|s| {
                    if *s >= therapy_timer::limits::SEVERE_PAIN {
                        format!("<span class=\"severe\">{s}</span>")
                    } else {
                        s.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let num = |n: u32| {
            if n == 0 {
                "<td class=\"zero\">0</td>".to_owned()
            } else {
                format!("<td>{n}</td>")
            }
        };
        let high = if d.high_pain.is_zero() {
            "<td class=\"zero\">0</td>".to_owned()
        } else {
            format!("<td>{:.1} h</td>", d.high_pain.num_minutes() as f64 / 60.0)
        };
        let unconfirmed = if d.unconfirmed == 0 {
            num(0)
        } else {
            format!("<td class=\"severe\">{}</td>", d.unconfirmed)
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"text\">{}</td><td class=\"text pain\">{pain}</td>{high}{}{}{}{unconfirmed}{}{}{}</tr>",
            d.number,
            esc(&day_time(d.start, tz)),
            num(d.ice),
            num(d.heat),
            num(d.cut_short),
            num(d.forced),
            num(d.answered),
            num(d.missed)
        );
    }
    o.push_str("</tbody></table>\n");
}

/// Every session: when, what, how long, how it ended, when the pack was
/// said to be off, and the pain before and after (estimated). In two
/// side-by-side tables so that a week fits on the page.
fn session_table<Tz>(o: &mut String, course: &Course, now: DateTime<Utc>, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let sessions = course.sessions();
    if sessions.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h3>Per session <span class=\"aside\">(pain before → after: the score at most {} \
         before the start and after the end; an estimate)</span></h3>",
        length(PAIN_WINDOW.to_std().unwrap_or_default())
    );
    if sessions.iter().any(|s| ended(s, now) == Ended::Unconfirmed) {
        let _ = write!(o, "<p class=\"unconfirmed\">{}</p>", esc(UNCONFIRMED_MEANS));
    }
    o.push_str("<div class=\"sessions\">");
    let around = summary::around(course);
    let skin = summary::skin_after(course);
    let rows: Vec<_> = sessions.iter().zip(around.into_iter().zip(skin)).collect();
    let half = rows.len().div_ceil(2);
    for part in rows.chunks(half.max(1)) {
        o.push_str(
            "<table class=\"sessions\"><thead><tr><th class=\"text\">Start</th>\
             <th class=\"text\">Phase</th><th>Min</th><th class=\"text\">How it ended</th>\
             <th>Off at</th><th>Pain</th></tr></thead><tbody>",
        );
        for (s, (a, k)) in part {
            let how = ended(s, now);
            let class = if how == Ended::Unconfirmed {
                " class=\"unconfirmed\""
            } else {
                ""
            };
            // For a stop nobody answered, the library's time is when the
            // last repeat was due, not when the pack came off: unknown.
            let off = match s.off {
                _ if how == Ended::Unconfirmed => "?".to_owned(),
                Some(o) => o.at.with_timezone(tz).format("%H:%M").to_string(),
                None => "–".to_owned(),
            };
            let pain = |p: Option<u8>| p.map_or_else(|| "–".to_owned(), |p| p.to_string());
            let words = how.words();
            let forced = if s.forced { " (forced)" } else { "" };
            let _ = write!(
                o,
                "<tr{class}><td class=\"text\">{}</td><td class=\"text {phase}\">{phase}{forced}</td>\
                 <td>{}</td><td class=\"text how\">{}</td><td>{}</td><td>{} → {}{}</td></tr>",
                esc(&s.start.with_timezone(tz).format("%a %-d %H:%M").to_string()),
                super::csv::minutes(s),
                esc(words),
                esc(&off),
                pain(a.before),
                pain(a.after),
                k.map_or(String::new(), |k| format!(" <span class=\"skin\">{k}</span>")),
                phase = s.phase,
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</div>\n");
}

/// The scores that came with a note.
fn notes<Tz>(o: &mut String, course: &Course, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let noted: Vec<_> = course
        .pain_scores()
        .iter()
        .filter_map(|p| p.note.as_ref().map(|n| (p, n)))
        .collect();
    if noted.is_empty() {
        return;
    }
    o.push_str("<p class=\"notes\"><b>Pain notes:</b> ");
    for (i, (p, note)) in noted.into_iter().enumerate() {
        let _ = write!(
            o,
            "{}{} (<span{}>{}</span>): {}",
            if i > 0 { "; " } else { "" },
            esc(&day_time(p.at, tz)),
            if p.is_severe() {
                " class=\"severe\""
            } else {
                ""
            },
            p.score,
            esc(&super::note_text(note))
        );
    }
    o.push_str("</p>\n");
}
