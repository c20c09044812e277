//! `therapy-timer status`.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use therapy_timer::{Course, Phase, Readiness, Session};

use super::{print_json, Ctx};
use crate::args::{StatusArgs, StatusFormat};
use crate::error::CliError;
use crate::state::settle_stale;
use crate::statusbar::{self, pango_escape};
use crate::text::{between, clock, full, overdue_line, span, wrap, REVIEW};

/// `status --json`: one object, stable field names.
#[derive(Debug, Serialize)]
struct Status {
    now: DateTime<Utc>,
    injured_at: Option<DateTime<Utc>>,
    phase: Option<Phase>,
    hours_since_injury: Option<f64>,
    heat_from: Option<DateTime<Utc>>,
    last_session: Option<Session>,
    may_start_now: bool,
    may_start_at: DateTime<Utc>,
    readiness: Readiness,
    next_planned_start: Option<DateTime<Utc>>,
    review_due: bool,
    review: Option<&'static str>,
}

pub fn run(ctx: &Ctx, args: &StatusArgs) -> Result<(), CliError> {
    let state = ctx.store.read()?;
    let now = ctx.now();
    let injured = ctx.injured_at(args.planning.injured_at.as_deref(), &state)?;
    let mut course = state
        .course(injured, ctx.protocol(), now)?
        .with_quiet_hours(ctx.quiet_hours(&args.planning));
    // The bar looks at the log as read: settling marks a session nobody
    // confirmed the stop of as completed, and that is what it must show.
    let bar = statusbar::view(&course, injured.is_some(), now);
    let unconfirmed = course.overdue(now).copied();
    settle_stale(&mut course, now);
    let readiness = course.readiness(now);
    let known = injured.is_some();
    let review_due = known && course.review_due(now);
    let status = Status {
        now,
        injured_at: injured,
        phase: known.then(|| course.phase_at(now)),
        hours_since_injury: injured.map(|t| (now - t).num_seconds() as f64 / 3600.0),
        heat_from: known.then(|| course.heat_from()),
        last_session: course.sessions().last().copied(),
        may_start_now: readiness.is_ready(),
        may_start_at: readiness.earliest(now),
        readiness,
        next_planned_start: known
            .then(|| course.plan(now, &Local).next().map(|s| s.start))
            .flatten(),
        review_due,
        review: review_due.then_some(REVIEW),
    };
    let format = if args.json {
        StatusFormat::Json
    } else {
        args.format
    };
    match format {
        StatusFormat::Json => print_json(&status),
        StatusFormat::Text => {
            for line in sentences(&course, &status) {
                outln!("{line}");
            }
            Ok(())
        }
        StatusFormat::Waybar => {
            let mut lines: Vec<String> = unconfirmed
                .map(|s| overdue_line(s.phase, s.start, s.end, now))
                .into_iter()
                .collect();
            lines.extend(sentences(&course, &status));
            let tooltip: Vec<String> = lines.iter().map(|l| wrap(l, TOOLTIP_WIDTH)).collect();
            let module = Waybar {
                text: pango_escape(&bar.text),
                tooltip: pango_escape(&tooltip.join("\n")),
                class: bar.class.as_str(),
                percentage: bar.percentage,
            };
            let json = serde_json::to_string(&module)
                .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
            print_line(&json)
        }
        StatusFormat::Plain => print_line(&bar.plain),
    }
}

/// A status bar polls `status --format waybar|plain` and shows whatever it
/// prints: on any failure (a bad config, an unreadable state file, a bad
/// TIME) it gets the error form, and the exit is 0, so the bar shows `!`
/// and the reason instead of going blank. Other formats keep the error and
/// its exit code.
pub fn or_bar_failure(shown: Result<(), CliError>, args: &StatusArgs) -> Result<(), CliError> {
    let error = match shown {
        Err(e) if !args.json && !matches!(e, CliError::Signal(_)) => e,
        other => return other,
    };
    bar_failure(args.format, error)
}

/// Shows `error` in the bar's `format`, or returns it for the other formats.
pub fn bar_failure(format: StatusFormat, error: CliError) -> Result<(), CliError> {
    if matches!(format, StatusFormat::Waybar | StatusFormat::Plain) {
        // Also where main would put it: bars log their modules' stderr.
        eprintln!("therapy-timer: error: {error}");
    }
    match format {
        StatusFormat::Waybar => {
            let module = Waybar {
                text: "!".into(),
                tooltip: pango_escape(&wrap(&format!("therapy-timer: {error}"), TOOLTIP_WIDTH)),
                class: statusbar::ERROR_CLASS,
                percentage: 0,
            };
            let json = serde_json::to_string(&module)
                .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
            print_line(&json)
        }
        StatusFormat::Plain => print_line(&format!("! {error}")),
        StatusFormat::Text | StatusFormat::Json => Err(error),
    }
}

/// waybar's custom module with `"return-type": "json"`: exactly these keys.
#[derive(Debug, Serialize)]
struct Waybar {
    text: String,
    tooltip: String,
    class: &'static str,
    percentage: u8,
}

/// A tooltip does not wrap; the clinician reminder is a paragraph.
const TOOLTIP_WIDTH: usize = 72;

/// Writes one line to stdout without panicking when the reader is gone (a
/// status bar that restarts closes the pipe).
fn print_line(line: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Failure(format!("cannot write to stdout: {e}")))
}

/// The status in sentences, one a line: the text form, and the tooltip.
fn sentences(course: &Course, status: &Status) -> Vec<String> {
    let now = status.now;
    let mut lines = Vec::new();
    match status.injured_at {
        Some(t) => {
            let days = (now - t).num_hours() / 24 + 1;
            lines.push(format!(
                "Injured {} ({} ago): day {days}.",
                full(t),
                between(t, now)
            ));
            lines.push(match status.phase {
                Some(Phase::Ice) => format!(
                    "Phase: ice, until {} (then heat).",
                    clock(course.heat_from(), now)
                ),
                _ => "Phase: heat.".to_owned(),
            });
        }
        None => lines.push(
            "No injury time recorded (record it with: therapy-timer injury TIME).".to_owned(),
        ),
    }
    lines.push(match course.sessions().last() {
        Some(s) => format!(
            "Last session: {} at {}, {}.",
            s.phase,
            clock(s.start, now),
            span(s.length())
        ),
        None => "No session logged yet.".to_owned(),
    });
    lines.push(match status.readiness {
        Readiness::Ready => "A session may start now.".to_owned(),
        Readiness::Running { phase, ends, until } => format!(
            "The {phase} session is running until {}; the next may start at {}.",
            clock(ends, now),
            clock(until, now)
        ),
        Readiness::Resting { after, until } => format!(
            "Resting after {after}: the next session may start at {} (in {}).",
            clock(until, now),
            between(now, until)
        ),
        Readiness::BeforeInjury { until } => {
            format!("That time is before the injury ({}).", clock(until, now))
        }
        _ => "A session is under way.".to_owned(),
    });
    if status.review_due {
        lines.push(String::new());
        lines.push(REVIEW.to_owned());
    }
    lines
}
