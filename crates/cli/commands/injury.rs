//! `therapy-timer injury [TIME]`.

use chrono::TimeDelta;

use super::Ctx;
use crate::error::CliError;
use crate::text::{between, full};

pub fn run(ctx: &Ctx, time: Option<&str>) -> Result<(), CliError> {
    let now = ctx.now();
    let Some(time) = time else {
        let state = ctx.store.read()?;
        match state.injured_at {
            Some(t) => {
                let course = state.course(Some(t), ctx.protocol(), now)?;
                outln!("Injured {} ({} ago).", full(t), between(t, now));
                outln!(
                    "Phase now: {} (ice until {}, heat after).",
                    course.phase_at(now),
                    full(course.heat_from())
                );
            }
            None => {
                outln!("No injury time is recorded. Record it with: therapy-timer injury TIME")
            }
        }
        return Ok(());
    };
    let at = ctx.time("TIME", time)?;
    // A minute of grace for a clock read a moment ago.
    if at > now + TimeDelta::minutes(1) {
        return Err(CliError::Usage(format!(
            "the injury time {} is in the future; give the time it happened (e.g. \"2h ago\")",
            full(at)
        )));
    }
    super::check_injury("TIME", at, now)?;
    let before = ctx.store.update(|state| Ok(state.injured_at.replace(at)))?;
    let course = ctx.store.read()?.course(Some(at), ctx.protocol(), now)?;
    outln!("Injury recorded: {} ({} ago).", full(at), between(at, now));
    if let Some(b) = before.filter(|b| *b != at) {
        outln!("It was {} before.", full(b));
    }
    outln!(
        "Ice until {}, then heat. Run `therapy-timer plan` for the schedule.",
        full(course.heat_from())
    );
    Ok(())
}
