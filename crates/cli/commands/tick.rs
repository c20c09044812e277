//! `therapy-timer tick`: give what is due now, once. One step of the
//! library's driver: load it, tell it the time, announce what it gives,
//! save it. Under the state lock, so concurrent ticks give each event once.

use super::drive::{self, Fired, How};
use super::Ctx;
use crate::args::TickArgs;
use crate::desktop_state::Presence;
use crate::error::CliError;

pub fn run(ctx: &Ctx, args: &TickArgs) -> Result<(), CliError> {
    crate::bus::use_discovered();
    let mut notifier = ctx.notifier();
    // --injured-at with none recorded records the course with it (as
    // `watch` and `start` do); without either, nothing is due.
    let (_, said) = drive::adopt_injury(ctx, args.planning.injured_at.as_deref(), &mut notifier)?;
    if let Some(said) = said {
        // Standard output is the events' alone (JSON lines with --json).
        errln!("therapy-timer: {said}");
    }
    let now = ctx.now();
    // Locked or do-not-disturb: the library holds prompts meanwhile.
    let presence = Presence::ask();
    let how = How {
        presence: Some(&presence),
        ..How::plain(Some(&args.planning))
    };
    // No course yet: nothing is due (`doctor` says so).
    let Some(step) = drive::step(ctx, now, None, &how, &mut notifier)? else {
        return Ok(());
    };
    for event in &step.events {
        if args.json {
            let fired = Fired::new(event, now);
            let line = serde_json::to_string(&fired)
                .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
            outln!("{line}");
        } else {
            outln!("{}", drive::describe(event));
        }
    }
    Ok(())
}
