//! `therapy-timer watch`: follow the plan in the foreground.

// Until this command runs on the library's Driver (the next issue), it uses
// the first version's timetable queries, kept as a deprecated adapter.
#![allow(deprecated)]

use std::sync::mpsc;

use chrono::{DateTime, Local, TimeDelta, Utc};
use therapy_timer::Session;

use super::tick::fire_due;
use super::{Ctx, NO_INJURY};
use crate::args::{Planning, WatchArgs};
use crate::clock::{forward_signals, Waited};
use crate::error::CliError;
use crate::notifier;
use crate::text::{clock, full};

/// How long "Snooze" puts the next session off.
const SNOOZE: TimeDelta = TimeDelta::minutes(10);

pub fn run(ctx: &Ctx, args: &WatchArgs) -> Result<(), CliError> {
    crate::bus::use_discovered();
    let until = args
        .until
        .as_deref()
        .map(|u| ctx.time("--until", u))
        .transpose()?;
    if let Some(u) = until.filter(|u| *u <= ctx.now()) {
        return Err(CliError::Usage(format!(
            "--until {} is already past, so there is nothing to follow; give a later time, \
             or leave --until out to follow until Ctrl-C",
            full(u)
        )));
    }
    let state = ctx.store.read()?;
    if ctx
        .injured_at(args.planning.injured_at.as_deref(), &state)?
        .is_none()
    {
        return Err(CliError::Usage(NO_INJURY.into()));
    }
    let (tx, rx) = mpsc::channel();
    forward_signals(tx.clone()).map_err(CliError::Failure)?;
    let mut notifier = ctx.notifier();
    let actions = notifier::server().is_ok_and(|(_, caps)| caps.iter().any(|c| c == "actions"));
    outln!(
        "Following the plan{}{}; Ctrl-C to stop.",
        until.map_or_else(String::new, |u| format!(" until {}", full(u))),
        if actions {
            " (answer a start notice with Start now, Snooze or Skip)"
        } else {
            ""
        }
    );
    loop {
        let now = ctx.now();
        if until.is_some_and(|u| now >= u) {
            return Ok(());
        }
        for f in fire_due(
            ctx,
            &args.planning,
            now,
            &mut notifier,
            actions.then_some(&tx),
        )? {
            outln!("{} {} {}", clock(now, now), f.event.phase, what(&f));
        }
        let state = ctx.store.read()?;
        let course = ctx.course(&args.planning, &state)?;
        // The next event after what was just fired; never the same instant
        // again, so a surprise cannot spin the loop.
        let next = course
            .events(now + TimeDelta::seconds(1), &Local)
            .into_iter()
            .next()
            .map_or(now + TimeDelta::hours(1), |e| e.at);
        let wake = until.map_or(next, |u| next.min(u));
        match ctx.clock.wait_until(wake, &rx, |_| {}) {
            Waited::Reached => {}
            // Stopping the follower cuts nothing short: a running session
            // keeps its planned end, and the next watch or tick announces it.
            Waited::Signal(_) => {
                outln!("Stopped following the plan.");
                return Ok(());
            }
            Waited::Action { key, session } => {
                if let Some(said) = answer(ctx, &args.planning, &key, session)? {
                    outln!("{} {said}", clock(ctx.now(), ctx.now()));
                }
            }
        }
    }
}

fn what(f: &super::tick::Fired) -> String {
    use therapy_timer::EventKind;
    match f.event.kind {
        EventKind::Prompt => "session due: counted as started".into(),
        EventKind::Stop if f.late_seconds > 120 => {
            format!("stop ({}s late)", f.late_seconds)
        }
        EventKind::Stop => "stop".into(),
        EventKind::Review => "clinician reminder".into(),
        _ => "event".into(),
    }
}

/// Applies the person's answer to a start notice: Start now re-anchors the
/// session at this moment; Snooze removes it and plans none for 10 minutes;
/// Skip removes it and plans the next one when it would have come anyway.
/// An answer about a session that is no longer running changes nothing.
fn answer(
    ctx: &Ctx,
    planning: &Planning,
    key: &str,
    started: DateTime<Utc>,
) -> Result<Option<String>, CliError> {
    let now = ctx.now();
    ctx.store.update(|state| {
        let injured = ctx.injured_at(planning.injured_at.as_deref(), state)?;
        let mut course = state.course(injured, ctx.protocol(), now)?;
        let Some(s) = course
            .sessions()
            .iter()
            .find(|s| s.start == started && s.end > now)
            .copied()
        else {
            return Ok(None);
        };
        let said = match key {
            "start" => {
                course.cancel(s.start)?;
                course.record(Session::running(s.phase, now, s.length())?)?;
                format!("{} session started now, by your answer", s.phase)
            }
            "snooze" => {
                course.cancel(s.start)?;
                course = course.with_not_before(Some(now + SNOOZE));
                format!(
                    "{} session snoozed until {}",
                    s.phase,
                    clock(now + SNOOZE, now)
                )
            }
            "skip" => {
                let next = course.skip(s.start)?;
                format!(
                    "{} session skipped; the next from {}",
                    s.phase,
                    clock(next, now)
                )
            }
            _ => return Ok(None),
        };
        state.absorb(&course);
        Ok(Some(said))
    })
}
