//! `therapy-timer pain N` and `therapy-timer report`.

use chrono::Local;
use therapy_timer::{Course, Driver, Input, PainTrend};

use super::drive::{self, How};
use super::Ctx;
use crate::args::{PainArgs, ReportArgs};
use crate::error::CliError;
use crate::report;
use crate::text::{clock, RED_FLAGS};

pub fn run(ctx: &Ctx, args: &PainArgs) -> Result<(), CliError> {
    let now = ctx.now();
    // Parse, then act: a score or note the library refuses is refused
    // before the state is read.
    therapy_timer::PainScore::new(now, args.score, args.note.clone())
        .map_err(|e| crate::error::refused(&e, now))?;
    // A score before any course: a course for it, without an injury time.
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
    let input = Input::Pain {
        at: now,
        score: args.score,
        note: args.note.clone(),
    };
    let mut notifier = ctx.notifier();
    let step = drive::step(ctx, now, Some(input), &how, &mut notifier)?
        .ok_or_else(|| CliError::Failure("the score could not be recorded".into()))?;
    outln!("Pain {} of 10 recorded at {}.", args.score, clock(now, now));
    if let Some(t) = step.driver.course().pain_trend(now) {
        outln!("{}", trend(&t));
        if t.is_severe() {
            outln!("Pain this strong is worth a clinician's look. {RED_FLAGS}");
        }
    }
    Ok(())
}

/// The trend in one sentence.
pub fn trend(t: &PainTrend) -> String {
    if t.count < 2 {
        return "The first score of this course: later ones show the trend.".into();
    }
    let change = i16::from(t.latest) - i16::from(t.first);
    match change {
        c if c < 0 => format!("Better: {} of 10 at first, {} now.", t.first, t.latest),
        0 => format!("No better: {} of 10 at first and now.", t.first),
        _ => format!("Worse: {} of 10 at first, {} now.", t.first, t.latest),
    }
}

pub fn report(ctx: &Ctx, args: &ReportArgs) -> Result<(), CliError> {
    let now = ctx.now();
    // With the earlier courses: their count numbers the current one.
    let state = ctx.store.read_all()?;
    let Some(driver) = state.driver else {
        return Err(CliError::Usage(super::NO_INJURY.into()));
    };
    let mut all: Vec<(usize, &Course)> = driver
        .past_courses()
        .iter()
        .enumerate()
        .map(|(i, c)| (i + 1, c))
        .collect();
    all.push((all.len() + 1, driver.course()));
    let chosen: Vec<(usize, &Course)> = match (args.course, args.all) {
        (_, true) => all,
        (Some(n), _) => {
            let one = all.iter().find(|(i, _)| *i == n).copied().ok_or_else(|| {
                CliError::Usage(format!(
                    "--course {n}: there are {} courses; `therapy-timer log --all` numbers them",
                    all.len()
                ))
            })?;
            vec![one]
        }
        (None, false) => all.split_off(all.len() - 1),
    };
    if args.csv {
        crate::output::write_bytes(report::csv(&chosen, now).as_bytes());
    } else if args.json {
        super::print_json(&report::json(&chosen, now, &Local))?;
    } else if args.fhir {
        let bundle = report::fhir(&chosen, now, args.patient_name.as_deref());
        super::print_json(&bundle)?;
    } else {
        crate::output::write_bytes(report::html(&chosen, now, &Local).as_bytes());
    }
    Ok(())
}
