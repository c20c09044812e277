//! `therapy-timer status`.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use therapy_timer::{Course, Phase, Readiness, Session};

use super::{print_json, Ctx};
use crate::args::{StatusArgs, StatusFormat};
use crate::error::CliError;
use crate::statusbar::{self, pango_escape};
use crate::text::{ago, between, capital, clock, full, review, since, span, wrap};

/// `status --json`: one object, stable field names.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Status {
    now: DateTime<Utc>,
    /// Why the config file is not in use (the built-in settings are), if
    /// it cannot be read or parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    config_problem: Option<String>,
    /// `null` when no injury time was given.
    injured_at: Option<DateTime<Utc>>,
    phase: Option<Phase>,
    hours_since_injury: Option<f64>,
    heat_from: Option<DateTime<Utc>>,
    last_session: Option<Session>,
    /// The session that may still be on: running, or past its end and not
    /// said to be off.
    session_on: Option<Session>,
    /// A session's end has passed and nobody said the pack is off.
    overdue: bool,
    /// Since when (the session's planned end).
    overdue_since: Option<DateTime<Utc>>,
    may_start_now: bool,
    may_start_at: DateTime<Utc>,
    readiness: Readiness,
    next_planned_start: Option<DateTime<Utc>>,
    /// When the course ends (or ended).
    course_ends: Option<DateTime<Utc>>,
    course_over: bool,
    review_due: bool,
    review: Option<String>,
    /// The latest pain score (0 to 10), if any.
    pain_latest: Option<u8>,
    /// The first and latest scores of the course, and whether it is no
    /// better or severe.
    pain_trend: Option<therapy_timer::PainTrend>,
    /// The skin check that pauses cold and heat (numb or blistered, no
    /// normal check since), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    skin_pause: Option<therapy_timer::SkinCheck>,
}

pub fn run(ctx: &Ctx, args: &StatusArgs) -> Result<(), CliError> {
    let state = ctx.store.read()?;
    let now = ctx.now();
    let course = if args.planning.injured_at.is_some() {
        Some(ctx.course(&args.planning, &state)?)
    } else {
        ctx.driver(&state, Some(&args.planning))
            .map(|d| d.course().clone())
    };
    let known = course.as_ref().is_some_and(Course::injury_known);
    let empty;
    let course = match course {
        Some(c) => c,
        None => {
            // Nothing recorded: a course of nothing, for the sentences.
            empty = Course::without_injury(now, ctx.protocol())?;
            empty
        }
    };
    let bar = statusbar::view(&course, known, now);
    let readiness = course.readiness(now);
    let overdue = course.overdue(now).copied();
    let review_due = known && course.review_due(now) && !course.is_over(now);
    let status = Status {
        now,
        config_problem: ctx.config_problem.clone(),
        injured_at: known.then(|| course.injured_at()),
        phase: known.then(|| course.phase_at(now)),
        hours_since_injury: known
            .then(|| (now - course.injured_at()).num_seconds() as f64 / 3600.0),
        heat_from: known.then(|| course.heat_from()),
        last_session: course.sessions().last().copied(),
        session_on: course.open_session().copied(),
        overdue: overdue.is_some(),
        overdue_since: overdue.map(|s| s.end),
        may_start_now: readiness.is_ready() && course.skin_pause(now).is_none(),
        may_start_at: readiness.earliest(now),
        readiness,
        next_planned_start: course.next_prompt(&Local).map(|t| t.max(now)),
        course_ends: known.then(|| course.ends_at()),
        course_over: known && course.is_over(now),
        review_due,
        review: review_due.then(review),
        pain_latest: course.pain_scores().last().map(|p| p.score),
        pain_trend: course.pain_trend(now),
        skin_pause: course.skin_pause(now).cloned(),
    };
    let format = if args.json {
        StatusFormat::Json
    } else {
        args.format
    };
    // Said wherever the status is read: a stop would be heard, not seen.
    let paused = match format {
        StatusFormat::Text | StatusFormat::Waybar => crate::desktop_state::notifications_paused()
            .filter(|p| p.on)
            .map(|p| format!("{} ({})", crate::desktop_state::PAUSED, p.by)),
        _ => None,
    };
    let config = ctx
        .config_problem
        .as_ref()
        .map(|p| format!("Config file not in use: {p}."));
    let sentences = |course: &Course, status: &Status| {
        let mut lines = sentences(course, status);
        lines.extend(paused.clone());
        lines.extend(config.clone());
        lines
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
            let lines = sentences(&course, &status);
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Waybar {
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
/// A session that may still be on comes first.
fn sentences(course: &Course, status: &Status) -> Vec<String> {
    let now = status.now;
    let mut lines = Vec::new();
    if let Some(s) = status.session_on {
        let on_for = between(s.start, now);
        if s.end <= now {
            lines.push(format!(
                "{} on for {on_for}: take it off now (it was due off at {}, {}), then \
                 run `therapy-timer stop`.",
                capital(s.phase),
                clock(s.end, now),
                ago(since(s.end, now))
            ));
        } else {
            lines.push(format!(
                "{} on: {} left (off at {}).",
                capital(s.phase),
                span((s.end - now).to_std().unwrap_or_default()),
                clock(s.end, now)
            ));
        }
    }
    if status.injured_at.is_some() {
        let t = course.injured_at();
        let day = course.day(now).unwrap_or(1);
        lines.push(format!(
            "Injured {} ({} ago): day {day}.",
            full(t),
            between(t, now)
        ));
        if status.course_over {
            lines.push(match course.ended_at() {
                Some(e) => format!("The course ended at {}: no more reminders.", clock(e, now)),
                None => format!(
                    "The course ended at {} (after {}): no more reminders.",
                    clock(course.ends_at(), now),
                    span(course.protocol().course_length())
                ),
            });
        } else {
            lines.push(match status.phase {
                Some(Phase::Ice) => format!(
                    "Phase: ice, until {} (then heat).",
                    clock(course.heat_from(), now)
                ),
                _ => "Phase: heat.".to_owned(),
            });
        }
    } else {
        lines.push(
            "No injury time recorded (record it with: therapy-timer injury TIME).".to_owned(),
        );
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
    if let Some(t) = status.pain_trend {
        lines.push(format!(
            "Pain: {} of 10 at {}. {}",
            t.latest,
            clock(t.latest_at, now),
            super::pain::trend(&t)
        ));
    }
    if let Some(c) = &status.skin_pause {
        lines.push(format!(
            "Paused: the skin was recorded {} at {}. {}",
            c.skin,
            clock(c.at, now),
            therapy_timer::safety::after_skin_check(c.skin)
        ));
    }
    match status.readiness {
        Readiness::Ready if status.skin_pause.is_some() => {}
        Readiness::Ready => lines.push("A session may start now.".to_owned()),
        Readiness::Resting { after, until } => lines.push(format!(
            "Resting after {after}: the next session may start at {} (in {}).",
            clock(until, now),
            between(now, until)
        )),
        Readiness::BeforeInjury { until } => {
            lines.push(format!(
                "That time is before the injury ({}).",
                clock(until, now)
            ));
        }
        Readiness::Running { until, .. } => lines.push(format!(
            "The next session may start at {}.",
            clock(until, now)
        )),
        // Said in the first line.
        _ => {}
    }
    if let Some(t) = status.next_planned_start.filter(|_| !status.course_over) {
        if t > now && status.session_on.is_none() {
            lines.push(format!("Next session due at {}.", clock(t, now)));
        }
    }
    if status.review_due {
        lines.push(String::new());
        lines.push(review());
    }
    lines
}
