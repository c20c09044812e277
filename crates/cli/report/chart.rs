//! The chart: pain 0–10 over time, with the sessions on the same time
//! axis below it, as inline SVG written by hand (see the module docs of
//! `report` for why).
//!
//! Every session is one element of class `session` (with `ice` or `heat`,
//! and `cut-short`, `forced`, `over-limit` as they apply), every score one
//! of class `pain` (and `severe` from 8): the tests count them.
//! Ice is solid blue, heat orange with diagonal hatching, each in a lane
//! of its own, so they differ in colour, pattern and place: readable by
//! colour-blind readers and on a black-and-white printout.

use std::fmt::Display;
use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use therapy_timer::{Course, Outcome, Phase, Session};

use super::html::esc;
use super::summary::{day, day_time, local_midnight};

/// Units are about a CSS pixel on the A4 page (190 mm wide, 718 px), so
/// that 11 units of text print at about 8 pt.
const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 304.0;
/// The plot's left and right edges.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 752.0;
/// The pain area: 10 at the top, 0 at the bottom.
const PAIN_TOP: f64 = 32.0;
const PAIN_BOTTOM: f64 = 212.0;
/// The two session lanes.
const ICE_LANE: f64 = 226.0;
const HEAT_LANE: f64 = 250.0;
const LANE: f64 = 20.0;
/// A session's mark is never narrower than this (a 10-minute session is
/// under a unit wide on a week's axis; ice every 70 minutes is about 4
/// units apart).
const MARK_MIN: f64 = 3.0;

pub const ICE: &str = "#1d4ed8";
pub const HEAT: &str = "#ea580c";
const HEAT_LIGHT: &str = "#fdba74";
const INK: &str = "#111827";
const GRID: &str = "#d1d5db";
const SEVERE: &str = "#b91c1c";

/// The time axis: from the local midnight before the injury to the one
/// after the last thing to show.
struct Axis {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Axis {
    fn x(&self, t: DateTime<Utc>) -> f64 {
        let span = (self.to - self.from).num_seconds().max(1) as f64;
        let at = (t - self.from).num_seconds() as f64;
        LEFT + (RIGHT - LEFT) * (at / span).clamp(0.0, 1.0)
    }
}

fn pain_y(score: u8) -> f64 {
    PAIN_BOTTOM - (PAIN_BOTTOM - PAIN_TOP) * f64::from(score) / 10.0
}

/// The chart of course number `n` (ids in the page stay unique when it
/// shows several courses).
pub fn svg<Tz>(n: usize, course: &Course, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let axis = axis(course, tz);
    let mut o = String::with_capacity(32 * 1024);
    let hatch = format!("heat-hatch-{n}");
    let _ = write!(
        o,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title-{n}">"#
    );
    let _ = write!(
        o,
        r#"<title id="chart-title-{n}">Pain scores and sessions of course {n}</title>"#
    );
    let _ = write!(
        o,
        r#"<defs><pattern id="{hatch}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="{HEAT_LIGHT}"/><rect width="2" height="4" fill="{HEAT}"/></pattern></defs>"#
    );
    phases(&mut o, course, &axis);
    grid(&mut o, &axis, tz);
    markers(&mut o, course, now, &axis);
    // Over the markers' lines, with a halo, so a line never cuts it.
    let _ = write!(
        o,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="10" fill="{SEVERE}" stroke="#fee2e2" stroke-width="4" paint-order="stroke">8–10 severe: see a clinician</text>"##,
        RIGHT - 4.0,
        PAIN_TOP + 12.0
    );
    lanes(&mut o);
    for s in course.sessions() {
        session(&mut o, s, &axis, &hatch, tz);
    }
    pain(&mut o, course, &axis, tz);
    o.push_str("</svg>");
    o
}

/// A course still running shows its whole length, with "now" on it.
fn axis<Tz: TimeZone>(course: &Course, tz: &Tz) -> Axis {
    let mut last = course.ends_at().max(course.injured_at());
    if let Some(s) = course.sessions().last() {
        last = last.max(s.end);
    }
    if let Some(p) = course.pain_scores().last() {
        last = last.max(p.at);
    }
    // Clipped to the course (at most 30 days), whatever the file says: a
    // day's grid line per day of a 50-year axis would be a page of lines.
    last = last.min(course.ends_at().max(course.injured_at()) + TimeDelta::days(1));
    let first_day = course.injured_at().with_timezone(tz).date_naive();
    let last_day = last.with_timezone(tz).date_naive();
    let from = local_midnight(first_day, tz);
    let end_of_last = local_midnight(last_day, tz);
    let to = if end_of_last == last {
        last
    } else {
        last_day
            .succ_opt()
            .map_or(last + TimeDelta::days(1), |d| local_midnight(d, tz))
    };
    Axis {
        from,
        to: to.max(from + TimeDelta::hours(1)),
    }
}

/// The ice and heat phases as tinted bands, named above the plot.
fn phases(o: &mut String, course: &Course, axis: &Axis) {
    if !course.injury_known() {
        return;
    }
    let (start, heat, end) = (
        axis.x(course.injured_at()),
        axis.x(course.heat_from().min(course.ends_at())),
        axis.x(course.ends_at()),
    );
    let h = HEAT_LANE + LANE - PAIN_TOP;
    let _ = write!(
        o,
        r##"<rect class="phase-ice" x="{start:.1}" y="{PAIN_TOP}" width="{:.1}" height="{h}" fill="#eff6ff"/>"##,
        heat - start
    );
    let _ = write!(
        o,
        r##"<rect class="phase-heat" x="{heat:.1}" y="{PAIN_TOP}" width="{:.1}" height="{h}" fill="#fff7ed"/>"##,
        end - heat
    );
    let label_y = PAIN_TOP - 19.0;
    if heat - start > 60.0 {
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{label_y}" text-anchor="middle" class="phase-label" fill="{ICE}">ICE PHASE</text>"#,
            (start + heat) / 2.0
        );
    }
    if end - heat > 60.0 {
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{label_y}" text-anchor="middle" class="phase-label" fill="{HEAT}">HEAT PHASE</text>"#,
            (heat + end) / 2.0
        );
    }
}

/// The pain scale, the severe band, the days.
fn grid<Tz>(o: &mut String, axis: &Axis, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let _ = write!(
        o,
        r##"<rect class="severe-band" x="{LEFT}" y="{PAIN_TOP}" width="{:.1}" height="{:.1}" fill="#fee2e2" opacity="0.8"/>"##,
        RIGHT - LEFT,
        pain_y(8) - PAIN_TOP
    );
    for score in (0..=10).step_by(2) {
        let y = pain_y(score);
        let _ = write!(
            o,
            r#"<line x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}" stroke="{GRID}" stroke-width="0.6"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="{INK}">{score}</text>"#,
            LEFT - 6.0,
            y + 4.0
        );
    }
    let _ = write!(
        o,
        r#"<text transform="translate(12 {:.1}) rotate(-90)" text-anchor="middle" font-size="11" fill="{INK}">Pain (0–10)</text>"#,
        (PAIN_TOP + PAIN_BOTTOM) / 2.0
    );
    // One column per local day, with its name below the lanes.
    let first = axis.from.with_timezone(tz).date_naive();
    let days: Vec<_> = first
        .iter_days()
        .map(|d| (d, local_midnight(d, tz)))
        .take_while(|(_, t)| *t < axis.to)
        .collect();
    let every = days.len().div_ceil(10).max(1);
    for (i, (d, start)) in days.iter().enumerate() {
        let x = axis.x(*start);
        let next = days.get(i + 1).map_or(axis.to, |(_, t)| *t);
        let mid = (x + axis.x(next)) / 2.0;
        let _ = write!(
            o,
            r#"<line x1="{x:.1}" y1="{PAIN_TOP}" x2="{x:.1}" y2="{:.1}" stroke="{GRID}" stroke-width="0.8"/>"#,
            HEAT_LANE + LANE
        );
        if i % every == 0 {
            let _ = write!(
                o,
                r##"<text x="{mid:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{INK}">{}</text><text x="{mid:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#4b5563">day {}</text>"##,
                HEAT_LANE + LANE + 15.0,
                esc(&day(*d)),
                HEAT_LANE + LANE + 28.0,
                i + 1
            );
        }
    }
    let x = RIGHT;
    let _ = write!(
        o,
        r#"<line x1="{x}" y1="{PAIN_TOP}" x2="{x}" y2="{:.1}" stroke="{GRID}" stroke-width="0.8"/>"#,
        HEAT_LANE + LANE
    );
}

/// The review, the end, and now (while the course runs).
fn markers(o: &mut String, course: &Course, now: DateTime<Utc>, axis: &Axis) {
    let mut line = |t: DateTime<Utc>, label: &str, class: &str| {
        let x = axis.x(t);
        let _ = write!(
            o,
            r#"<line class="{class}" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1.1" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" font-size="10" fill="{INK}" text-anchor="{}">{}</text>"#,
            PAIN_TOP - 4.0,
            HEAT_LANE + LANE,
            if x > RIGHT - 70.0 { x - 3.0 } else { x + 3.0 },
            PAIN_TOP - 5.0,
            if x > RIGHT - 70.0 { "end" } else { "start" },
            esc(label)
        );
    };
    if course.injury_known() {
        line(course.injured_at(), "injury", "marker-injury");
        if course.review_at() < course.ends_at() {
            line(course.review_at(), "72 h review", "marker-review");
        }
        let end = if course.ended_at().is_some() {
            "ended"
        } else {
            "course end"
        };
        line(course.ends_at(), end, "marker-end");
    }
    if !course.is_over(now) {
        line(now, "now", "marker-now");
    }
}

/// The lanes' names and backgrounds.
fn lanes(o: &mut String) {
    for (y, name, colour) in [(ICE_LANE, "Ice", ICE), (HEAT_LANE, "Heat", HEAT)] {
        let _ = write!(
            o,
            r##"<rect x="{LEFT}" y="{y}" width="{:.1}" height="{LANE}" fill="#f3f4f6" opacity="0.7"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" font-weight="bold" fill="{colour}">{name}</text>"##,
            RIGHT - LEFT,
            LEFT - 6.0,
            y + 14.0
        );
    }
}

/// One session: a bar in its lane, half height when cut short, a black
/// triangle above when forced, a dark outline when over the limit.
fn session<Tz>(o: &mut String, s: &Session, axis: &Axis, hatch: &str, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let (lane, fill, phase) = match s.phase {
        Phase::Ice => (ICE_LANE, ICE.to_owned(), "ice"),
        Phase::Heat => (HEAT_LANE, format!("url(#{hatch})"), "heat"),
    };
    let x0 = axis.x(s.start);
    let w = (axis.x(s.end) - x0).max(MARK_MIN);
    let x = x0 - if w <= MARK_MIN { MARK_MIN / 2.0 } else { 0.0 };
    let cut = s.outcome == Outcome::CutShort;
    let (y, h) = if cut {
        (lane + LANE / 2.0, LANE / 2.0)
    } else {
        (lane, LANE)
    };
    let mut class = format!("session {phase}");
    let mut how = Vec::new();
    if cut {
        class.push_str(" cut-short");
        how.push("cut short");
    }
    if s.forced {
        class.push_str(" forced");
        how.push("forced");
    }
    if s.over_limit() {
        class.push_str(" over-limit");
        how.push("over the safety limit");
    }
    if s.is_logged() {
        how.push("logged");
    }
    let outline = if s.over_limit() {
        format!(r#" stroke="{SEVERE}" stroke-width="1.5""#)
    } else {
        String::new()
    };
    let title = format!(
        "{} {}–{}{}{}",
        phase,
        day_time(s.start, tz),
        s.end.with_timezone(tz).format("%H:%M"),
        if how.is_empty() { "" } else { ", " },
        how.join(", ")
    );
    let _ = write!(
        o,
        r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"{outline}><title>{}</title></rect>"#,
        esc(&title)
    );
    if s.forced {
        let cx = x + w / 2.0;
        let _ = write!(
            o,
            r#"<path class="forced-mark" d="M{:.1} {:.1} L{:.1} {:.1} L{cx:.1} {:.1} Z" fill="{INK}"/>"#,
            cx - 4.0,
            lane - 8.0,
            cx + 4.0,
            lane - 8.0,
            lane - 1.0
        );
    }
}

/// The scores: a line through them, a dot each (filled red from 8), the
/// score above the dot.
fn pain<Tz>(o: &mut String, course: &Course, axis: &Axis, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let scores = course.pain_scores();
    if scores.len() >= 2 {
        let points: Vec<String> = scores
            .iter()
            .map(|p| format!("{:.1},{:.1}", axis.x(p.at), pain_y(p.score)))
            .collect();
        let _ = write!(
            o,
            r#"<polyline class="pain-line" points="{}" fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round"/>"#,
            points.join(" ")
        );
    }
    for p in scores {
        let (x, y) = (axis.x(p.at), pain_y(p.score));
        let severe = p.is_severe();
        let (class, fill) = if severe {
            ("pain severe", SEVERE)
        } else {
            ("pain", "#ffffff")
        };
        let mut title = format!("pain {}/10, {}", p.score, day_time(p.at, tz));
        if let Some(note) = &p.note {
            title.push_str(": ");
            title.push_str(&super::note_text(note));
        }
        let _ = write!(
            o,
            r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="5" fill="{fill}" stroke="{}" stroke-width="2"><title>{}</title></circle><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" font-weight="bold" fill="{}">{}</text>"#,
            if severe { SEVERE } else { INK },
            esc(&title),
            y - 9.0,
            if severe { SEVERE } else { INK },
            p.score
        );
    }
}

/// What the marks mean, as HTML under the chart (it wraps, where SVG
/// text would not); each swatch is a small SVG of its own, drawn like the
/// mark. `n` is the course's number (the hatch pattern is the chart's).
pub fn legend(n: usize, over_limit: bool) -> String {
    let swatch = |inner: String| {
        format!(
            r#"<svg class="swatch" viewBox="0 0 12 14" width="12" height="14" aria-hidden="true">{inner}</svg>"#
        )
    };
    let mut items = vec![
        (
            swatch(format!(r#"<rect width="12" height="14" fill="{ICE}"/>"#)),
            "ice session",
        ),
        (
            swatch(format!(
                r#"<rect width="12" height="14" fill="url(#heat-hatch-{n})"/>"#
            )),
            "heat session",
        ),
        (
            swatch(r##"<rect y="7" width="12" height="7" fill="#6b7280"/>"##.to_owned()),
            "cut short",
        ),
        (
            swatch(format!(r#"<path d="M1 3 L11 3 L6 11 Z" fill="{INK}"/>"#)),
            "forced start (rest not over)",
        ),
        (
            swatch(format!(
                r##"<circle cx="6" cy="7" r="4.5" fill="#ffffff" stroke="{INK}" stroke-width="2"/>"##
            )),
            "pain score",
        ),
        (
            swatch(format!(
                r#"<circle cx="6" cy="7" r="4.5" fill="{SEVERE}" stroke="{SEVERE}" stroke-width="2"/>"#
            )),
            "pain 8 or more",
        ),
    ];
    if over_limit {
        items.push((
            swatch(format!(
                r##"<rect x="1" y="1" width="10" height="12" fill="#ffffff" stroke="{SEVERE}" stroke-width="2"/>"##
            )),
            "over the safety limit (logged)",
        ));
    }
    let mut o = String::from(r#"<ul class="legend">"#);
    for (swatch, label) in items {
        let _ = write!(o, "<li>{swatch} {}</li>", esc(label));
    }
    o.push_str("</ul>");
    o
}
