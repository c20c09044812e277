//! `therapy-timer next`.

// Until this command runs on the library's Driver (the next issue), it uses
// the first version's timetable queries, kept as a deprecated adapter.
#![allow(deprecated)]

use chrono::Local;
use therapy_timer::{EventKind, Phase};

use super::{print_json, Ctx};
use crate::args::NextArgs;
use crate::error::CliError;
use crate::text::{between, clock};

pub fn run(ctx: &Ctx, args: &NextArgs) -> Result<(), CliError> {
    let state = ctx.store.read()?;
    let course = ctx.course(&args.planning, &state)?;
    let now = ctx.now();
    let Some(event) = course.events(now, &Local).into_iter().next() else {
        return Err(CliError::Failure("the plan has no further event".into()));
    };
    if args.json {
        return print_json(&event);
    }
    let when = format!("{} (in {})", clock(event.at, now), between(now, event.at));
    match (event.kind, event.phase) {
        (EventKind::Prompt, phase) => outln!("Next: {phase} session from {when}"),
        (EventKind::Stop, Phase::Ice) => outln!("Next: take the ice off at {when}"),
        (EventKind::Stop, Phase::Heat) => outln!("Next: take the heat off at {when}"),
        (EventKind::Review, _) => outln!("Next: clinician reminder at {when}"),
        (_, _) => outln!("Next: {:?} at {when}", event.kind),
    }
    Ok(())
}
