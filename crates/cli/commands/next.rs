//! `therapy-timer next`: the next event the driver will give, worked out
//! on a copy (looking changes nothing).

use chrono::Local;
use serde::Serialize;
use therapy_timer::{Driver, Event};

use super::drive::Fired;
use super::{print_json, Ctx, NO_INJURY};
use crate::args::NextArgs;
use crate::error::CliError;
use crate::text::{between, clock, full};

/// `next --json`: the event, and whether a stop is overdue.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Next<'a> {
    #[serde(flatten)]
    event: Fired<'a>,
    /// A session's stop whose time has passed with the pack not said to be
    /// off (`Course::overdue`, as `status --json` says it), whatever the
    /// next event is.
    overdue: bool,
}

pub fn run(ctx: &Ctx, args: &NextArgs) -> Result<(), CliError> {
    let state = ctx.store.read()?;
    let now = ctx.now();
    let mut driver = if args.planning.injured_at.is_some() {
        Driver::new(ctx.course(&args.planning, &state)?)
    } else {
        ctx.driver(&state, Some(&args.planning))
            .filter(|d| d.course().injury_known() || d.course().open_session().is_some())
            .ok_or_else(|| CliError::Usage(NO_INJURY.into()))?
    };
    // The library's one definition, on the course as recorded (as
    // `status` reads it): the next event may be a reminder not yet due.
    let overdue = driver.course().overdue(now).is_some();
    let Some(due) = driver.poll_timeout(&Local) else {
        // Not a failure of the state file (exit 1): the course refuses the
        // question as it refuses `skip` after its end, with the exit code
        // of the library's kind for that.
        let ended = driver.course().ends_at();
        return Err(CliError::of_kind(
            therapy_timer::Error::CourseEnded { at: ended }.kind(),
            format!(
                "the course is over (it ended {}); nothing more is due. A new injury starts a \
                 new course: `therapy-timer injury TIME`",
                full(ended)
            ),
        ));
    };
    // Due in the past (nothing ran to give it): it comes out now.
    driver.handle_timeout(due.max(now), &Local);
    let Some(event) = driver.poll_event() else {
        return Err(CliError::Failure("the plan has no further event".into()));
    };
    if args.json {
        let event = Fired::new(&event, due.max(now));
        return print_json(&Next { event, overdue });
    }
    let due = event.due();
    let when = if due <= now {
        format!(
            "now (due at {}, {} ago)",
            clock(due, now),
            between(due, now)
        )
    } else {
        format!("at {} (in {})", clock(due, now), between(now, due))
    };
    let phase = event.phase();
    match event {
        Event::Prompt { .. } => outln!("Next: {phase} session, {when}"),
        Event::Stop { .. } => outln!("Next: take the {phase} off {when}"),
        Event::Repeat { .. } => outln!("Next: reminder to take the {phase} off, {when}"),
        Event::PhaseChange { .. } => outln!("Next: switch to heat, {when}"),
        Event::Review { .. } => outln!("Next: clinician reminder, {when}"),
        Event::CourseEnd { .. } => outln!("Next: the course ends, {when}"),
        _ => outln!("Next: {}, {when}", crate::commands::drive::describe(&event)),
    }
    Ok(())
}
