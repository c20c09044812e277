//! Reports of one or more courses, for a clinician and for other programs:
//! an HTML page, CSV and JSON. Pure: courses, a time and a time zone in, a
//! string or a value out; the `report` command reads the state, writes
//! the result and does nothing else.
//!
//! - [`html`]: one self-contained page (no scripts, no files, no fonts
//!   from outside; A4 in print) with the course, a chart of pain over
//!   time with the sessions on the same axis, a table per day, the pain
//!   trend in one sentence, the red flags and the disclaimer.
//! - [`csv`]: one row per log entry (session or pain score), RFC 4180,
//!   times in RFC 3339 UTC, for a spreadsheet.
//! - [`json`]: the same entries and the page's summaries, for programs.
//! - [`fhir`]: a FHIR R4 `Bundle` (an `Observation` per pain score, a
//!   `Procedure` per session) for a clinic's system.
//!
//! The chart is SVG written by hand (`chart.rs`, under 500 lines), not
//! with plotters: the tests count one element per session and per score
//! by its `class`, and colour-blind readers need ice and heat to differ in
//! pattern as well as colour; plotters' drawing backends take a colour
//! and a stroke width per shape, so its SVG has neither classes nor
//! pattern fills, and it would add three crates (plotters,
//! plotters-backend, plotters-svg) for what is rectangles, circles, one
//! line and text. Every rule the page shows (the trend, severe pain, the
//! phases, the review) comes from the library; this module only draws and
//! words it.

// Wired into the `report` command by the CLI's rewrite on the library's
// driver; until then only the tests call it.

mod chart;
mod csv;
mod fhir;
mod html;
pub(crate) mod json;
mod summary;
#[cfg(test)]
mod tests;

use std::fmt::Display;

use chrono::{DateTime, TimeZone, Utc};
use therapy_timer::Course;

/// A pain note as every output shows it: without control characters other
/// than a line break (an ESC or BEL typed or written into the file would
/// reach a terminal, a spreadsheet or a browser as it is).
pub(crate) fn note_text(note: &str) -> String {
    note.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// The red flags, the library's six: each needs a clinician at once.
pub use therapy_timer::safety::RED_FLAGS;

/// After the red flags, as `--help` and the review notice say it.
pub const SEE_ONE_TOO: &str = "See one too if spasms last beyond a few days.";

/// The disclaimer, as `--help` words it.
pub const DISCLAIMER: &str = "therapy-timer is not a medical device and gives no medical advice.";

/// A course to report and the number the CLI shows for it (1 = the
/// oldest), so that `--course 3` still says "Course 3".
pub type Numbered<'a> = (usize, &'a Course);

/// The HTML page for `courses` (oldest first), made at `now`, with local
/// times on the clock of `tz`.
pub fn html<Tz>(courses: &[Numbered<'_>], now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    html::page(courses, now, tz)
}

/// The CSV: a header row, then one row per entry (session or pain score)
/// of each course in time order, at `now`. Lines end in CRLF (RFC 4180).
pub fn csv(courses: &[Numbered<'_>], now: DateTime<Utc>) -> String {
    csv::table(courses, now)
}

/// The JSON: each course with its settings, pain trend, days and
/// entries; local dates on the clock of `tz`.
pub fn json<Tz>(courses: &[Numbered<'_>], now: DateTime<Utc>, tz: &Tz) -> serde_json::Value
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    // A tree of plain structs, strings and numbers: nothing to fail on.
    serde_json::to_value(json::value(courses, now, tz)).unwrap_or(serde_json::Value::Null)
}

/// The FHIR R4 bundle: an `Observation` per pain score and a `Procedure`
/// per session of each course; the `Patient` has only `patient_name`.
pub fn fhir(
    courses: &[Numbered<'_>],
    now: DateTime<Utc>,
    patient_name: Option<&str>,
) -> serde_json::Value {
    fhir::bundle(courses, now, patient_name)
}
