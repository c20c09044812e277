//! `therapy-timer status`.

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use therapy_timer::{Phase, Readiness, Session};

use super::{print_json, Ctx};
use crate::args::{StatusArgs, StatusFormat};
use crate::error::CliError;
use crate::state::settle_stale;
use crate::text::{between, clock, full, span, REVIEW};

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
    if args.json || args.format == StatusFormat::Json {
        return print_json(&status);
    }
    match injured {
        Some(t) => {
            let days = (now - t).num_hours() / 24 + 1;
            println!("Injured {} ({} ago): day {days}.", full(t), between(t, now));
            match status.phase {
                Some(Phase::Ice) => println!(
                    "Phase: ice, until {} (then heat).",
                    clock(course.heat_from(), now)
                ),
                _ => println!("Phase: heat."),
            }
        }
        None => println!("No injury time recorded (record it with: therapy-timer injury TIME)."),
    }
    match course.sessions().last() {
        Some(s) => println!(
            "Last session: {} at {}, {}.",
            s.phase,
            clock(s.start, now),
            span(s.length())
        ),
        None => println!("No session logged yet."),
    }
    match readiness {
        Readiness::Ready => println!("A session may start now."),
        Readiness::Running { phase, ends, until } => println!(
            "The {phase} session is running until {}; the next may start at {}.",
            clock(ends, now),
            clock(until, now)
        ),
        Readiness::Resting { after, until } => println!(
            "Resting after {after}: the next session may start at {} (in {}).",
            clock(until, now),
            between(now, until)
        ),
        Readiness::BeforeInjury { until } => {
            println!("That time is before the injury ({}).", clock(until, now))
        }
    }
    if review_due {
        println!("\n{REVIEW}");
    }
    Ok(())
}
