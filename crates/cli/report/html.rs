//! The HTML page: one file, no scripts, no links, no fonts from outside;
//! it prints on A4.

use std::fmt::Display;
use std::fmt::Write as _;

use chrono::{DateTime, TimeZone, Utc};
use therapy_timer::{Course, Phase};

use super::chart::{self, HEAT, ICE};
use super::summary::{
    day, day_time, days, full_time, length, totals, verdict, Tone, Totals, Verdict,
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
  font: 12px/1.4 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 12px;
  border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin-bottom: 10px; }
h1 { font-size: 20px; margin: 0; line-height: 1.2; }
h2 { font-size: 15px; margin: 0 0 6px; }
h3 { font-size: 11px; margin: 10px 0 3px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.made { color: var(--muted); font-size: 10px; text-align: right; }
.verdict { border-left: 6px solid var(--muted); background: #f3f4f6; padding: 5px 10px; margin: 0 0 8px; }
.verdict strong { font-size: 15px; display: block; }
.verdict.see-clinician { border-color: #b91c1c; background: #fef2f2; }
.verdict.see-clinician strong { color: #b91c1c; }
.verdict.better { border-color: #15803d; background: #f0fdf4; }
.verdict.better strong { color: #166534; }
.cards { display: grid; grid-template-columns: 1.4fr repeat(5, 1fr); gap: 6px; margin: 0 0 8px; }
.card { border: 1px solid var(--line); border-radius: 4px; padding: 3px 8px; }
.card b { display: block; font-size: 18px; line-height: 1.25; }
.card span { color: var(--muted); font-size: 10.5px; }
.card.ice b { color: var(--ice); } .card.heat b { color: var(--heat); }
dl.course-facts { display: grid; grid-template-columns: 5.2em 1fr; gap: 1px 10px; margin: 0 0 4px; font-size: 11px; }
dl.course-facts dt { color: var(--muted); } dl.course-facts dd { margin: 0; }
figure { margin: 4px 0 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.phase-label { font-weight: bold; letter-spacing: .08em; }
ul.legend { list-style: none; margin: 2px 0 0; padding: 0 0 0 48px; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 10.5px; }
ul.legend svg { vertical-align: -2px; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
th, td { border-bottom: 1px solid var(--line); padding: 1px 6px; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; font-weight: bold; }
th.group { text-align: center; border-bottom: 1px solid #9ca3af; }
th:first-child, td:first-child, th.text, td.text { text-align: left; }
td.note { white-space: normal; width: 100%; }
td.zero { color: #9ca3af; }
.severe { color: #b91c1c; font-weight: bold; }
th.ice { color: var(--ice); } th.heat { color: var(--heat); }
.flags { border: 2px solid #b91c1c; border-radius: 4px; padding: 4px 10px; margin: 10px 0 6px; font-size: 11px; }
.flags h2 { color: #b91c1c; font-size: 12px; margin: 0 0 2px; }
.flags ul { margin: 0; padding-left: 1.2em; columns: 2; column-gap: 20px; }
.flags p { margin: 2px 0 0; }
footer { border-top: 1px solid var(--line); padding-top: 3px; font-size: 11px; }
footer .disclaimer { margin: 0; font-weight: bold; }
@page { size: A4; margin: 10mm; }
@media print {
  body { padding: 0; max-width: none; }
  section.course + section.course { break-before: page; }
  figure, table, .flags, .verdict, .cards { break-inside: avoid; }
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
    cards(o, course);
    facts(o, course, now, tz);
    let over_limit = course.sessions().iter().any(|s| s.over_limit());
    let _ = writeln!(
        o,
        "<figure>{}{}</figure>",
        chart::svg(n, course, now, tz),
        chart::legend(n, over_limit)
    );
    day_table(o, course, now, tz);
    notes(o, course, tz);
    o.push_str("</section>\n");
}

/// The numbers to take in first.
fn cards(o: &mut String, course: &Course) {
    let t: Totals = totals(course);
    let pain = match (course.pain_scores().first(), course.pain_scores().last()) {
        (Some(f), Some(l)) if course.pain_scores().len() >= 2 => {
            format!("{} → {}", f.score, l.score)
        }
        (Some(f), _) => f.score.to_string(),
        _ => "–".to_owned(),
    };
    let prompts = t.answered + t.missed;
    let cards = [
        ("pain", pain, "pain 0–10, first → latest"),
        ("ice", t.ice.to_string(), "ice sessions"),
        ("heat", t.heat.to_string(), "heat sessions"),
        ("", t.cut_short.to_string(), "cut short"),
        ("", t.forced.to_string(), "forced starts"),
        ("", format!("{} of {prompts}", t.missed), "prompts missed"),
    ];
    o.push_str("<div class=\"cards\">");
    for (class, value, label) in cards {
        let _ = write!(
            o,
            "<div class=\"card {class}\"><b>{}</b><span>{}</span></div>",
            esc(&value),
            esc(label)
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
            "{} on, at least {} off, prompted every {}",
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
                "Ice for the first {}: {}. Then heat: {}. Clinician review at {}.",
                length(p.acute_window()),
                dose(Phase::Ice),
                dose(Phase::Heat),
                length(p.review_after())
            ),
        ),
        ("Sessions", sessions_line(course)),
    ];
    o.push_str("<dl class=\"course-facts\">");
    for (k, v) in rows {
        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    o.push_str("</dl>\n");
}

fn sessions_line(course: &Course) -> String {
    let t = totals(course);
    let mut parts = vec![
        format!("{} ice, {} heat", t.ice, t.heat),
        format!("{} cut short", t.cut_short),
        format!("{} forced", t.forced),
    ];
    if t.logged > 0 {
        parts.push(format!("{} logged after the fact", t.logged));
    }
    if t.over_limit > 0 {
        parts.push(format!("{} over the safety limit", t.over_limit));
    }
    parts.push(format!(
        "prompts: {} answered ({} skipped), {} missed",
        t.answered, t.skipped, t.missed
    ));
    parts.join("; ")
}

/// Sessions, prompts and pain per local day.
fn day_table<Tz>(o: &mut String, course: &Course, now: DateTime<Utc>, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    o.push_str(
        "<h3>Per day</h3><table class=\"days\"><thead>\
         <tr><th rowspan=\"2\">Day</th><th rowspan=\"2\" class=\"text\">Date</th>\
         <th rowspan=\"2\" class=\"text\">Pain</th><th colspan=\"4\" class=\"group\">Sessions</th>\
         <th colspan=\"2\" class=\"group\">Prompts</th></tr>\
         <tr><th class=\"ice\">Ice</th><th class=\"heat\">Heat</th><th>Cut short</th>\
         <th>Forced</th><th>Answered</th><th>Missed</th></tr></thead><tbody>",
    );
    for d in days(course, now, tz) {
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
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"text\">{}</td><td class=\"text\">{pain}</td>{}{}{}{}{}{}</tr>",
            d.number,
            esc(&day(d.date)),
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
    o.push_str(
        "<h3>Pain notes</h3><table class=\"notes\"><thead><tr><th class=\"text\">When</th>\
         <th>Pain</th><th class=\"text\">Note</th></tr></thead><tbody>",
    );
    for (p, note) in noted {
        let _ = write!(
            o,
            "<tr><td class=\"text\">{}</td><td{}>{}</td><td class=\"text note\">{}</td></tr>",
            esc(&day_time(p.at, tz)),
            if p.is_severe() {
                " class=\"severe\""
            } else {
                ""
            },
            p.score,
            esc(note)
        );
    }
    o.push_str("</tbody></table>\n");
}
