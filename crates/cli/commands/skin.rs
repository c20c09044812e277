//! `therapy-timer skin normal|red|numb|blistered`.

use therapy_timer::{safety, Course, Driver, Input, Skin};

use super::drive::{self, How};
use super::Ctx;
use crate::args::SkinArgs;
use crate::error::CliError;
use crate::text::{clock, RED_FLAGS};

pub fn run(ctx: &Ctx, args: &SkinArgs) -> Result<(), CliError> {
    let now = ctx.now();
    // A check before any course: a course for it, without an injury time.
    let new = || -> Result<Driver, CliError> {
        Ok(Driver::new(
            Course::without_injury(now, ctx.protocol())?
                .with_quiet_hours(ctx.settings.quiet_hours.0),
        ))
    };
    let how = How {
        planning: None,
        listen: None,
        new: Some(&new),
        prepared: None,
        presence: None,
    };
    let input = Input::Skin {
        at: now,
        skin: args.skin,
        note: args.note.clone(),
    };
    let mut notifier = ctx.notifier();
    let step = drive::step(ctx, now, Some(input), &how, &mut notifier)?
        .ok_or_else(|| CliError::Failure("the skin check could not be recorded".into()))?;
    let id = step.applied.and_then(|a| a.entry()).unwrap_or_default();
    outln!("Skin check {id}: {} at {}.", args.skin, clock(now, now));
    outln!("{}", safety::after_skin_check(args.skin));
    if args.skin == Skin::Blistered {
        outln!("{RED_FLAGS}");
    }
    Ok(())
}
