//! `therapy-timer injury [TIME] [--new]`.

use therapy_timer::{Course, Driver, Input};

use super::drive::{self, How};
use super::Ctx;
use crate::args::InjuryArgs;
use crate::error::CliError;
use crate::help::contraindications;
use crate::text::{between, full};

pub fn run(ctx: &Ctx, args: &InjuryArgs) -> Result<(), CliError> {
    let now = ctx.now();
    let Some(time) = args.time.as_deref() else {
        let state = ctx.store.read()?;
        match ctx.driver(&state, None).map(|d| d.course().clone()) {
            Some(c) if c.injury_known() => {
                let t = c.injured_at();
                outln!("Injured {} ({} ago).", full(t), between(t, now));
                outln!(
                    "Phase now: {} (ice until {}, heat after).",
                    c.phase_at(now),
                    full(c.heat_from())
                );
            }
            _ => {
                outln!("No injury time is recorded. Record it with: therapy-timer injury TIME")
            }
        }
        return Ok(());
    };
    let at = ctx.injury_time("TIME", time)?;
    let recorded = ctx.driver(&ctx.store.read()?, None);
    // While a course runs, a time is a correction; after it (or --new), a
    // new course. A course without an injury time gets this one.
    let (input, new_course) = match &recorded {
        Some(d) if !args.new && !d.course().is_over(now) => (
            Input::CorrectInjury {
                at: now,
                injured_at: at,
            },
            !d.course().injury_known(),
        ),
        _ => (
            Input::NewInjury {
                at: now,
                injured_at: at,
            },
            true,
        ),
    };
    let before = recorded
        .as_ref()
        .map(|d| d.course().clone())
        .filter(|c| c.injury_known() && !new_course);
    let new = || -> Result<Driver, CliError> {
        Ok(Driver::new(
            Course::new(at, ctx.protocol())?.with_quiet_hours(ctx.settings.quiet_hours.0),
        ))
    };
    let how = How {
        planning: None,
        listen: None,
        new: Some(&new),
        prepared: None,
        presence: None,
    };
    let mut notifier = ctx.notifier();
    let input = if recorded.is_some() {
        Some(input)
    } else {
        None
    };
    let step = drive::step(ctx, now, input, &how, &mut notifier)?
        .ok_or_else(|| CliError::Failure("the injury could not be recorded".into()))?;
    let course = step.driver.course();
    outln!("Injury recorded: {} ({} ago).", full(at), between(at, now));
    if let Some(b) = before.filter(|b| b.injured_at() != at) {
        outln!(
            "It was {} before; the course's log is kept. (For another injury, start a new \
             course with --new.)",
            full(b.injured_at())
        );
    }
    if !step.driver.past_courses().is_empty() && new_course && recorded.is_some() {
        outln!(
            "A new course starts; the earlier one stays in the log (`therapy-timer log --all`)."
        );
    }
    outln!(
        "Ice until {}, then heat. Run `therapy-timer plan` for the schedule.",
        full(course.heat_from())
    );
    if new_course {
        // Once per course: who should not use cold or heat on their own.
        outln!();
        outln!("{}", contraindications());
    }
    Ok(())
}
