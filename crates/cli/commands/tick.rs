//! `therapy-timer tick`: fire what is due now, once; and the step `watch`
//! repeats.

// Until this command runs on the library's Driver (the next issue), it uses
// the first version's timetable queries, kept as a deprecated adapter.
#![allow(deprecated)]

use std::sync::mpsc::Sender;

use chrono::{DateTime, Local, TimeDelta, Utc};
use serde::Serialize;
use therapy_timer::{Event, EventKind, Session};

use super::Ctx;
use crate::args::{Planning, TickArgs};
use crate::clock::Wake;
use crate::error::CliError;
use crate::notifier::Notifier;
use crate::text::{due_notice, overdue_stop_notice, review_notice, stop_notice};

/// A stop this much after its time is announced as overdue.
const LATE: TimeDelta = TimeDelta::minutes(2);

/// One event fired, as `tick --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Fired {
    /// The event, with the time it was due.
    #[serde(flatten)]
    pub event: Event,
    /// When it was fired.
    pub fired_at: DateTime<Utc>,
    /// How late, in whole seconds.
    pub late_seconds: i64,
}

pub fn run(ctx: &Ctx, args: &TickArgs) -> Result<(), CliError> {
    crate::bus::use_discovered();
    let mut notifier = ctx.notifier();
    let fired = fire_due(ctx, &args.planning, ctx.now(), &mut notifier, None)?;
    for f in &fired {
        if args.json {
            let line = serde_json::to_string(f)
                .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
            outln!("{line}");
        } else {
            outln!(
                "fired {} {} due {}{}",
                match f.event.kind {
                    EventKind::Prompt => "start",
                    EventKind::Stop => "stop",
                    EventKind::Review => "review",
                    _ => "event",
                },
                f.event.phase,
                f.event.at.to_rfc3339(),
                if f.late_seconds > 0 {
                    format!(" ({}s late)", f.late_seconds)
                } else {
                    String::new()
                }
            );
        }
    }
    Ok(())
}

/// Fires every event due at `now`, exactly once: under the state lock, each
/// due event changes the state (a start records a running session, a stop
/// finishes it, the reminder is marked announced), so a second run at the
/// same moment finds nothing due. Stop notices are sent inside the lock,
/// before the write, so a crash or a failed write can repeat one but never
/// lose one; prompts are sent once they are logged. With `actions_to`, a start
/// notice offers Start now / Snooze / Skip and the answer goes there.
pub fn fire_due(
    ctx: &Ctx,
    planning: &Planning,
    now: DateTime<Utc>,
    notifier: &mut Notifier,
    actions_to: Option<&Sender<Wake>>,
) -> Result<Vec<Fired>, CliError> {
    let state = ctx.store.read()?;
    let injured = ctx.injured_at(planning.injured_at.as_deref(), &state)?;
    if injured.is_none() {
        // No course yet: nothing is due. `doctor` says so.
        return Ok(Vec::new());
    }
    // Prompts (a start, the reminder) go out only once they are logged: if
    // the write fails (a full disk), a prompt for a session that was never
    // recorded would repeat at every tick. Stops are safety notices and go
    // out at once, before the write.
    let mut after_write = Vec::new();
    let fired = ctx.store.update(|state| {
        let mut course = state
            .course(injured, ctx.protocol(), now)?
            .with_quiet_hours(ctx.quiet_hours(planning));
        let mut fired = Vec::new();
        for event in course.due(now, &Local) {
            let late = now - event.at;
            match event.kind {
                EventKind::Stop => {
                    let Some(running) = course
                        .sessions()
                        .iter()
                        .find(|s| s.end == event.at && s.phase == event.phase)
                        .copied()
                    else {
                        continue;
                    };
                    course.finish(running.start, running.end)?;
                    let next = course.readiness(now).earliest(now);
                    let notice = if late > LATE {
                        overdue_stop_notice(event.phase, event.urgency, event.at, next, now)
                    } else {
                        stop_notice(event.phase, event.urgency, None, next, now)
                    };
                    notifier.send(&notice);
                }
                EventKind::Prompt => {
                    let length = ctx.protocol().session_length(event.phase, None)?;
                    let started = Session::running(event.phase, now, length)?;
                    course.record(started)?;
                    let notice =
                        due_notice(event.phase, length, started.end, now, actions_to.is_some());
                    after_write.push((notice, Some(started.start)));
                }
                EventKind::Review => {
                    if state.review_announced_at.is_some() {
                        continue;
                    }
                    state.review_announced_at = Some(now);
                    after_write.push((review_notice(), None));
                }
                _ => continue,
            }
            fired.push(Fired {
                event,
                fired_at: now,
                late_seconds: late.num_seconds().max(0),
            });
        }
        state.absorb(&course);
        Ok(fired)
    })?;
    for (notice, session) in &after_write {
        match (actions_to, session) {
            (Some(to), Some(start)) => notifier.send_with_actions(notice, *start, to),
            _ => notifier.send(notice),
        };
    }
    Ok(fired)
}
