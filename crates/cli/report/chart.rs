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
use super::summary::{day, day_time, length, local_midnight};

/// Units are about a CSS pixel on the A4 page (190 mm wide, 718 px), so
/// that 11 units of text print at about 8 pt.
const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 234.0;
/// The plot's left and right edges.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 752.0;
/// The pain area: 10 at the top, 0 at the bottom.
const PAIN_TOP: f64 = 46.0;
const PAIN_BOTTOM: f64 = 166.0;
/// The two session lanes.
const ICE_LANE: f64 = 176.0;
const HEAT_LANE: f64 = 196.0;
const LANE: f64 = 16.0;
/// The rows above the plot where the markers' and phases' names go, the
/// nearest first.
const LABEL_ROWS: [f64; 3] = [PAIN_TOP - 4.0, PAIN_TOP - 17.0, PAIN_TOP - 30.0];
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

/// Where a text's anchor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// One text label: where, how big, what.
#[derive(Debug, Clone)]
struct Label<'a> {
    x: f64,
    y: f64,
    anchor: Anchor,
    size: f64,
    bold: bool,
    /// Extra space between letters, in units.
    spacing: f64,
    fill: &'a str,
    /// Any other attributes, written as they are.
    extra: &'a str,
    text: &'a str,
}

/// A box on the chart: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

impl Label<'_> {
    /// The box the text takes, estimated from its font size and length:
    /// DejaVu Sans is about 0.62 em a character (0.7 in bold), a little
    /// more than the tests' estimate, so what fits here fits there.
    fn rect(&self) -> Rect {
        let n = self.text.chars().count() as f64;
        let per = if self.bold { 0.7 } else { 0.62 } * self.size + self.spacing;
        let w = n * per;
        let x0 = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - w / 2.0,
            Anchor::End => self.x - w,
        };
        (
            x0,
            self.y - 0.8 * self.size,
            x0 + w,
            self.y + 0.25 * self.size,
        )
    }

    fn write(&self, o: &mut String) {
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{}" font-size="{}"{}{} fill="{}"{}>{}</text>"#,
            self.x,
            self.y,
            self.anchor.name(),
            self.size,
            if self.bold {
                r#" font-weight="bold""#
            } else {
                ""
            },
            if self.spacing > 0.0 {
                format!(r#" letter-spacing="{}""#, self.spacing)
            } else {
                String::new()
            },
            self.fill,
            self.extra,
            esc(self.text)
        );
    }
}

/// The labels placed so far: a new one goes where it meets none of them.
#[derive(Debug, Default)]
struct Labels {
    placed: Vec<Rect>,
}

impl Labels {
    fn free(&self, r: Rect) -> bool {
        const PAD: f64 = 1.0;
        r.0 >= 0.0
            && r.2 <= WIDTH
            && r.1 >= 0.0
            && r.3 <= HEIGHT
            && self.placed.iter().all(|p| {
                r.2 + PAD <= p.0 || p.2 + PAD <= r.0 || r.3 + PAD <= p.1 || p.3 + PAD <= r.1
            })
    }

    /// Writes the first of `candidates` that meets no label placed yet;
    /// false (and nothing written) when every one would.
    fn place(&mut self, o: &mut String, candidates: &[Label<'_>]) -> bool {
        for c in candidates {
            let r = c.rect();
            if self.free(r) {
                self.placed.push(r);
                c.write(o);
                return true;
            }
        }
        false
    }
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
    let mut labels = Labels::default();
    phases(&mut o, course, &axis);
    grid(&mut o, &mut labels, &axis, tz);
    lanes(&mut o, &mut labels);
    markers(&mut o, &mut labels, course, now, &axis);
    // Inside the band, over the markers' lines, with a halo, so a line
    // never cuts it.
    labels.place(
        &mut o,
        &[Label {
            x: RIGHT - 4.0,
            y: PAIN_TOP + 12.0,
            anchor: Anchor::End,
            size: 10.0,
            bold: false,
            spacing: 0.0,
            fill: SEVERE,
            extra: r##" stroke="#fee2e2" stroke-width="4" paint-order="stroke""##,
            text: "8–10 severe: see a clinician",
        }],
    );
    phase_labels(&mut o, &mut labels, course, &axis);
    for s in course.sessions() {
        session(&mut o, s, &axis, &hatch, tz);
    }
    pain(&mut o, &mut labels, course, &axis, tz);
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
}

/// The phases' names above the plot, in the first row with room.
fn phase_labels(o: &mut String, labels: &mut Labels, course: &Course, axis: &Axis) {
    if !course.injury_known() {
        return;
    }
    let (start, heat, end) = (
        axis.x(course.injured_at()),
        axis.x(course.heat_from().min(course.ends_at())),
        axis.x(course.ends_at()),
    );
    for (from, to, text, fill) in [
        (start, heat, "ICE PHASE", ICE),
        (heat, end, "HEAT PHASE", HEAT),
    ] {
        if to - from < 60.0 {
            continue;
        }
        let candidates: Vec<Label<'_>> = LABEL_ROWS
            .iter()
            .rev()
            .map(|y| Label {
                x: (from + to) / 2.0,
                y: *y,
                anchor: Anchor::Middle,
                size: 11.0,
                bold: true,
                spacing: 1.0,
                fill,
                extra: r#" class="phase-label""#,
                text,
            })
            .collect();
        labels.place(o, &candidates);
    }
}

/// The pain scale, the severe band, the days.
fn grid<Tz>(o: &mut String, labels: &mut Labels, axis: &Axis, tz: &Tz)
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
    let ticks: Vec<(f64, String)> = (0..=10)
        .step_by(2)
        .map(|score| (pain_y(score), score.to_string()))
        .collect();
    for (y, score) in &ticks {
        let _ = write!(
            o,
            r#"<line x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}" stroke="{GRID}" stroke-width="0.6"/>"#
        );
        labels.place(
            o,
            &[Label {
                x: LEFT - 6.0,
                y: y + 4.0,
                anchor: Anchor::End,
                size: 11.0,
                bold: false,
                spacing: 0.0,
                fill: INK,
                extra: "",
                text: score,
            }],
        );
    }
    // Rotated, left of the scale's numbers: its box is tall and narrow.
    let mid = (PAIN_TOP + PAIN_BOTTOM) / 2.0;
    let title = "Pain (0–10)";
    let half = title.chars().count() as f64 * 0.62 * 11.0 / 2.0;
    labels.placed.push((4.0, mid - half, 16.0, mid + half));
    let _ = write!(
        o,
        r#"<text transform="translate(13 {mid:.1}) rotate(-90)" text-anchor="middle" font-size="11" fill="{INK}">{title}</text>"#
    );
    // One column per local day, its date below the lanes.
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
            let date = day(*d);
            labels.place(
                o,
                &[Label {
                    x: mid,
                    y: HEAT_LANE + LANE + 14.0,
                    anchor: Anchor::Middle,
                    size: 11.0,
                    bold: false,
                    spacing: 0.0,
                    fill: INK,
                    extra: "",
                    text: &date,
                }],
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

/// The review, the end, and now (while the course runs): a dashed line
/// each, its name in the first row above the plot with room, right of
/// the line or, failing that, left of it. The review's name is the
/// course's own setting ("48 h review").
fn markers(o: &mut String, labels: &mut Labels, course: &Course, now: DateTime<Utc>, axis: &Axis) {
    let mut line = |t: DateTime<Utc>, label: &str, class: &str| {
        let x = axis.x(t);
        let _ = write!(
            o,
            r#"<line class="{class}" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1.1" stroke-dasharray="4 3"/>"#,
            PAIN_TOP - 4.0,
            HEAT_LANE + LANE,
        );
        let extra = format!(r#" class="{class}-label""#);
        let candidates: Vec<Label<'_>> = LABEL_ROWS
            .iter()
            .flat_map(|y| {
                [(x + 3.0, Anchor::Start), (x - 3.0, Anchor::End)].map(|(x, anchor)| Label {
                    x,
                    y: *y,
                    anchor,
                    size: 10.0,
                    bold: false,
                    spacing: 0.0,
                    fill: INK,
                    extra: &extra,
                    text: label,
                })
            })
            .collect();
        labels.place(o, &candidates);
    };
    if course.injury_known() {
        line(course.injured_at(), "injury", "marker-injury");
        if course.review_at() < course.ends_at() {
            let review = format!("{} review", length(course.protocol().review_after()));
            line(course.review_at(), &review, "marker-review");
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
fn lanes(o: &mut String, labels: &mut Labels) {
    for (y, name, colour) in [(ICE_LANE, "Ice", ICE), (HEAT_LANE, "Heat", HEAT)] {
        let _ = write!(
            o,
            r##"<rect x="{LEFT}" y="{y}" width="{:.1}" height="{LANE}" fill="#f3f4f6" opacity="0.7"/>"##,
            RIGHT - LEFT,
        );
        labels.place(
            o,
            &[Label {
                x: LEFT - 6.0,
                y: y + 12.0,
                anchor: Anchor::End,
                size: 11.0,
                bold: true,
                spacing: 0.0,
                fill: colour,
                extra: "",
                text: name,
            }],
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
/// score beside the dot where it has room (above, below, right, left); a
/// score with no room has only its dot and its tooltip, and is in the
/// tables.
fn pain<Tz>(o: &mut String, labels: &mut Labels, course: &Course, axis: &Axis, tz: &Tz)
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let scores = course.pain_scores();
    // The dots first, so that no score's number covers another's dot.
    for p in scores {
        let (x, y) = (axis.x(p.at), pain_y(p.score));
        labels.placed.push((x - 6.0, y - 6.0, x + 6.0, y + 6.0));
    }
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
        let ink = if severe { SEVERE } else { INK };
        let _ = write!(
            o,
            r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="5" fill="{fill}" stroke="{ink}" stroke-width="2"><title>{}</title></circle>"#,
            esc(&title),
        );
        let text = p.score.to_string();
        let label = |x: f64, y: f64, anchor: Anchor| Label {
            x,
            y,
            anchor,
            size: 11.0,
            bold: true,
            spacing: 0.0,
            fill: ink,
            extra: r#" class="pain-label""#,
            text: &text,
        };
        labels.place(
            o,
            &[
                label(x, y - 10.0, Anchor::Middle),
                label(x, y + 18.0, Anchor::Middle),
                label(x + 8.0, y + 4.0, Anchor::Start),
                label(x - 8.0, y + 4.0, Anchor::End),
            ],
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
