//! `therapy-timer watch`: follow the course in the foreground. A loop of
//! the driver's step: sleep until it is due (or the state changes, or the
//! person answers a notice), step, announce.

use std::sync::mpsc;

use chrono::{DateTime, Local, TimeDelta, Utc};
use therapy_timer::Input;

use super::drive::{self, How};
use super::{Ctx, NO_INJURY};
use crate::args::WatchArgs;
use crate::clock::{forward_signals, Waited};
use crate::desktop_state::{Presence, WATCH_EVERY};
use crate::error::CliError;
use crate::notifier::{self, DISMISSED};
use crate::text::{between, clock, from_now, full, since};

/// The longest sleep without a look at the state (a course changed by hand,
/// a settings change).
const AT_MOST: TimeDelta = TimeDelta::hours(1);

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
    let (tx, rx) = mpsc::channel();
    forward_signals(tx.clone()).map_err(CliError::Failure)?;
    let mut notifier = ctx.notifier();
    // --injured-at on a state with no injury time records the course with
    // it (as `start --injured-at` does), and the prompts are timed from it.
    let (known, recorded) =
        drive::adopt_injury(ctx, args.planning.injured_at.as_deref(), &mut notifier)?;
    if !known {
        return Err(CliError::Usage(NO_INJURY.into()));
    }
    if let Some(line) = recorded {
        outln!("{line}");
    }
    let actions = notifier::server().is_ok_and(|(_, caps)| caps.iter().any(|c| c == "actions"));
    outln!(
        "Following the course{}{}; Ctrl-C to stop.",
        until.map_or_else(String::new, |u| format!(" until {}", full(u))),
        if actions {
            " (answer a notice with its buttons: Start now, Snooze, Skip; It's off)"
        } else {
            ""
        }
    );
    // Locked or do-not-disturb, asked on a thread of its own.
    let presence = Presence::watch();
    let how = How {
        planning: Some(&args.planning),
        listen: Some(&tx),
        new: None,
        prepared: None,
        presence: Some(&presence),
    };
    let mut input = None;
    loop {
        let now = ctx.now();
        if until.is_some_and(|u| now >= u) {
            // The buttons die with this process: its notices name the commands.
            drive::release(ctx, &mut notifier);
            return Ok(());
        }
        let answered = input.is_some();
        let step = match drive::step(ctx, now, input.take(), &how, &mut notifier) {
            Ok(Some(step)) => step,
            Ok(None) => return Err(CliError::Usage(NO_INJURY.into())),
            // A refused answer (the rest is not over for Start now): say
            // so, and follow on.
            Err(e @ (CliError::Usage(_) | CliError::TryLater(_))) if answered => {
                errln!("therapy-timer: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        for e in &step.events {
            outln!("{} {}", clock(now, now), drive::describe(e));
        }
        // Never the same instant again, so a surprise cannot spin the loop.
        let next = step
            .driver
            .poll_timeout(&Local)
            .unwrap_or(now + AT_MOST)
            .clamp(now + TimeDelta::seconds(1), now + AT_MOST);
        // A prompt held while away is given soon after the person is back.
        let next = match step.driver.held_prompt() {
            Some(_) => next.min(now + TimeDelta::from_std(WATCH_EVERY).unwrap_or(AT_MOST)),
            None => next,
        };
        let wake = until.map_or(next, |u| next.min(u));
        let mut stamp = ctx.store.stamp();
        let waited = ctx.clock.wait_until(wake, &rx, |_| {
            let changed = ctx.store.stamp() != stamp;
            stamp = ctx.store.stamp();
            changed
        });
        match waited {
            Waited::Reached | Waited::Interrupted => {}
            Waited::Signal(_) => {
                say_what_runs_on(ctx, ctx.now());
                drive::release(ctx, &mut notifier);
                return Ok(());
            }
            Waited::Action { key, session } => {
                input = answer(&step.driver, &key, session, ctx.now());
                if let Some(said) = input.as_ref().map(|i| said(i, ctx.now())) {
                    outln!("{} {said}", clock(ctx.now(), ctx.now()));
                }
            }
        }
    }
}

/// The input an answer to a notice means, if it is about the prompt or
/// session still open: Start now, Snooze or Skip on a prompt; It's off,
/// or a dismissal, on a stop.
fn answer(
    driver: &therapy_timer::Driver,
    key: &str,
    tag: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Input> {
    let course = driver.course();
    let prompt = course.open_prompt().filter(|p| p.due == tag);
    let session = course.open_session().filter(|s| s.start == tag);
    if let Some(skin) = crate::text::skin_button(key) {
        return Some(Input::Skin {
            at: now,
            skin,
            note: None,
        });
    }
    if let Some(score) = crate::text::pain_button(key) {
        // The stop's answer: the pain after the session it was about.
        return Some(
            match course.sessions().iter().rev().find(|s| s.start == tag) {
                Some(s) => Input::SessionPain {
                    at: now,
                    session: s.id,
                    when: therapy_timer::PainWhen::After,
                    score,
                    note: None,
                },
                None => Input::Pain {
                    at: now,
                    score,
                    note: None,
                },
            },
        );
    }
    match (key, prompt, session) {
        ("start", Some(p), _) => Some(Input::Start {
            at: now,
            phase: Some(p.phase),
            length: None,
            force: false,
        }),
        ("snooze", Some(_), _) => Some(Input::Snooze {
            at: now,
            until: now
                + TimeDelta::from_std(therapy_timer::limits::SNOOZE_DEFAULT)
                    .unwrap_or(TimeDelta::minutes(10)),
        }),
        ("skip", Some(_), _) => Some(Input::Skip { at: now }),
        ("off", _, Some(_)) => Some(Input::ConfirmOff { at: now }),
        (k, _, Some(_)) if k == DISMISSED => Some(Input::Dismissed { at: now }),
        _ => None,
    }
}

/// What the terminal says about an answer.
fn said(input: &Input, now: DateTime<Utc>) -> String {
    match input {
        Input::Start { phase, .. } => format!(
            "{} session started now, by your answer",
            phase.map_or_else(String::new, |p| p.to_string())
        ),
        Input::Snooze { until, .. } => format!(
            "snoozed until {} ({})",
            clock(*until, now),
            from_now(since(now, *until))
        ),
        Input::Skip { .. } => "skipped".into(),
        Input::ConfirmOff { .. } => "the pack is off: logged".into(),
        Input::Dismissed { .. } => "the stop notice was dismissed".into(),
        Input::Pain { score, .. } | Input::SessionPain { score, .. } => {
            format!("pain {score} of 10 recorded")
        }
        Input::Skin { skin, .. } => format!("skin {skin} recorded"),
        _ => String::new(),
    }
}

/// On Ctrl-C: stopping the follower stops no session; say so, with when
/// to take the pack off.
fn say_what_runs_on(ctx: &Ctx, now: DateTime<Utc>) {
    let open = ctx
        .store
        .read()
        .ok()
        .and_then(|s| s.driver)
        .and_then(|d| d.course().open_session().copied());
    match open {
        Some(s) if s.end > now => outln!(
            "Stopped following the course. The {} session is still running: take the pack off \
             at {} (in {}); `therapy-timer stop` ends it now.",
            s.phase,
            clock(s.end, now),
            between(now, s.end)
        ),
        Some(s) => outln!(
            "Stopped following the course. The {} session was due off at {} ({} ago): take \
             the pack off now, then run `therapy-timer stop`.",
            s.phase,
            clock(s.end, now),
            between(s.end, now)
        ),
        None => outln!("Stopped following the course."),
    }
}
