//! `therapy-timer stop`, `skip`, `snooze` and `end`: the person's answers,
//! each one step of the library's driver.

use std::time::Duration;

use chrono::TimeDelta;
use therapy_timer::{Input, OffBy, Outcome};

use super::drive::{self, How};
use super::{Ctx, NO_INJURY};
use crate::error::CliError;
use crate::text::{between, capital, clock, span, RED_FLAGS};

/// One step with `input`; an error when nothing is recorded yet.
fn answer(ctx: &Ctx, input: Input) -> Result<drive::Step, CliError> {
    let mut notifier = ctx.notifier();
    drive::step(
        ctx,
        ctx.now(),
        Some(input),
        &How::plain(None),
        &mut notifier,
    )?
    .ok_or_else(|| CliError::Usage(NO_INJURY.into()))
}

pub fn stop(ctx: &Ctx) -> Result<(), CliError> {
    let now = ctx.now();
    let before = ctx
        .store
        .read()?
        .driver
        .and_then(|d| d.course().open_session().copied());
    let step = answer(ctx, Input::Stop { at: now })?;
    let course = step.driver.course();
    let next = course.readiness(now).earliest(now);
    let rest = if next > now {
        format!(
            " The next session may start at {} (in {}).",
            clock(next, now),
            between(now, next)
        )
    } else {
        String::new()
    };
    let Some(was) = before else {
        // The repeats had run out: this said the pack is off all the same.
        outln!("Logged: the pack is off.{rest}");
        return Ok(());
    };
    match course.session(was.id) {
        None => outln!(
            "The {} session started {} ago is removed: stopped within a second, it did not \
             happen.",
            was.phase,
            between(was.start, now)
        ),
        Some(s) if s.outcome == Outcome::CutShort => outln!(
            "{} off: the session was cut short after {}.{rest}",
            capital(s.phase),
            span(s.length())
        ),
        Some(s) if s.off.is_some_and(|o| o.by != OffBy::NoAnswer) => outln!(
            "Logged: the {} is off ({} after its end); no more reminders.{rest}",
            s.phase,
            between(s.end, now)
        ),
        Some(_) => outln!("Logged.{rest}"),
    }
    Ok(())
}

pub fn skip(ctx: &Ctx) -> Result<(), CliError> {
    let now = ctx.now();
    let step = answer(ctx, Input::Skip { at: now })?;
    let skipped = step.driver.course().prompts().last().copied();
    match skipped {
        Some(p) => outln!(
            "Skipped the {} session due {}.{}",
            p.phase,
            clock(p.due, now),
            next_prompt(&step, now)
        ),
        None => outln!("Skipped.{}", next_prompt(&step, now)),
    }
    Ok(())
}

pub fn snooze(ctx: &Ctx, duration: Duration) -> Result<(), CliError> {
    let now = ctx.now();
    let until = TimeDelta::from_std(duration)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .ok_or_else(|| CliError::Usage(format!("cannot snooze for {}", span(duration))))?;
    let step = answer(ctx, Input::Snooze { at: now, until })?;
    outln!(
        "Snoozed until {} (for {}).{}",
        clock(until, now),
        span(duration),
        next_prompt(&step, now)
    );
    Ok(())
}

pub fn end(ctx: &Ctx) -> Result<(), CliError> {
    let now = ctx.now();
    answer(ctx, Input::EndCourse { at: now })?;
    outln!(
        "Course ended: no more reminders. Its log is kept (`therapy-timer log`); a new \
         injury starts a new course (`therapy-timer injury TIME`)."
    );
    outln!("If the spasms persist, see a clinician. {RED_FLAGS}");
    Ok(())
}

/// " The next session is due at 15:20." from the course after a step.
fn next_prompt(step: &drive::Step, now: chrono::DateTime<chrono::Utc>) -> String {
    match step.driver.course().next_prompt(&chrono::Local) {
        Some(t) => format!(" The next session is due at {}.", clock(t, now)),
        None => " No more sessions are due in this course.".into(),
    }
}
