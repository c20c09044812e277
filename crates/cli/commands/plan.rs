//! `therapy-timer plan`.

use chrono::{DateTime, Local, TimeDelta, Utc};
use therapy_timer::Course;

use super::{print_json, write_stdout, Ctx};
use crate::args::PlanArgs;
use crate::error::CliError;
use crate::ics;
use crate::text::{self, full};

pub fn run(ctx: &Ctx, args: &PlanArgs) -> Result<(), CliError> {
    let state = ctx.store.read()?;
    let course = ctx.course(&args.planning, &state)?;
    let from = match &args.from {
        Some(s) => ctx.time("--from", s)?,
        None => ctx.now(),
    };
    let span = TimeDelta::from_std(args.span)
        .ok()
        .filter(|d| *d <= TimeDelta::days(366))
        .ok_or_else(|| CliError::Usage("--for: plan at most a year (366days) ahead".into()))?;
    let until = from + span;
    let sessions: Vec<_> = course
        .plan(from, &Local)
        .take_while(|s| s.start < until)
        .collect();
    if args.json {
        return print_json(&sessions);
    }
    if args.ics {
        let review = Some(course.review_at()).filter(|t| (from..until).contains(t));
        if sessions.is_empty() && review.is_none() {
            // RFC 5545 wants at least one event; an empty file would import
            // as nothing, silently.
            return Err(CliError::Usage(format!(
                "no session starts from {} for {}, so there is no calendar to write; \
                 plan for longer with --for (e.g. --for 2d)",
                full(from),
                text::span(args.span)
            )));
        }
        let place = ics::Place {
            injured_at: course.injured_at(),
            first: first_place(&course, from, ctx.now()),
        };
        return write_stdout(ics::calendar(&sessions, place, review, ctx.now()).as_bytes());
    }
    outln!(
        "Plan from {} for {}{}:",
        full(from),
        text::span(args.span),
        match course.quiet_hours() {
            Some(q) => format!(", no starts in quiet hours {q}"),
            None => String::new(),
        }
    );
    if sessions.is_empty() {
        outln!("  (no session starts in that time)");
    }
    let mut day = None;
    for s in &sessions {
        if crate::output::closed() {
            // The reader has gone (`| head`): nothing more to say.
            break;
        }
        let (start, end) = (s.start.with_timezone(&Local), s.end.with_timezone(&Local));
        if day != Some(start.date_naive()) {
            day = Some(start.date_naive());
            outln!("  {}", start.format("%a %d %b"));
        }
        outln!(
            "    {}-{}  {}",
            start.format("%H:%M"),
            end.format("%H:%M"),
            s.phase
        );
    }
    Ok(())
}

/// The number in the course (from 1) of the first session planned from
/// `from`: the sessions recorded before it, and those planned from `now`
/// up to it, come first. So a session keeps its number, and its calendar
/// UID, whether the plan is exported now or `--from` a later time.
fn first_place(course: &Course, from: DateTime<Utc>, now: DateTime<Utc>) -> usize {
    let recorded = course.sessions().iter().filter(|s| s.start < from).count();
    let planned_between = if from > now {
        course
            .plan(now, &Local)
            .take_while(|s| s.start < from)
            .count()
    } else {
        0
    };
    recorded + planned_between + 1
}
