//! `therapy-timer start`: one session, now.

// Until this command runs on the library's Driver (the next issue), it uses
// the first version's timetable queries, kept as a deprecated adapter.
#![allow(deprecated)]

use std::io::{IsTerminal, Write};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use therapy_timer::{Advisory, Event, EventKind, Phase, Readiness, Session};

use super::Ctx;
use crate::args::{PhaseArg, StartArgs};
use crate::clock::{forward_signals, Waited};
use crate::error::CliError;
use crate::notifier::{Notice, Notifier};
use crate::state::settle_stale;
use crate::text::{between, clock, full, review_notice, span, start_notice, stop_notice, REVIEW};

pub fn run(ctx: &Ctx, args: &StartArgs) -> Result<(), CliError> {
    // Before anything is written: a signal from now on ends the session as
    // cut short instead of killing the process with the session running;
    // and the notifier's connection is opened before any deadline.
    let (tx, rx) = mpsc::channel();
    forward_signals(tx.clone()).map_err(CliError::Failure)?;
    let mut notifier = ctx.notifier();
    let now = ctx.now();
    let state = ctx.store.read()?;
    let injured = ctx.injured_at(args.injured_at.as_deref(), &state)?;

    // Parse, then act: the phase and the length are settled before anything
    // is written or shown.
    let phase = match (args.phase, injured) {
        (PhaseArg::Ice, _) => Phase::Ice,
        (PhaseArg::Heat, _) => Phase::Heat,
        (PhaseArg::Auto, Some(t)) => {
            let phase = state.course(Some(t), ctx.protocol(), now)?.phase_at(now);
            outln!(
                "Phase {phase}, from the injury at {} (--phase ice|heat to choose).",
                full(t)
            );
            phase
        }
        (PhaseArg::Auto, None) => {
            return Err(CliError::Usage(
                "which therapy? no injury time is recorded, so the phase cannot be chosen \
                 for you; pass --phase ice or --phase heat, or --injured-at TIME, or record \
                 the injury with `therapy-timer injury TIME`"
                    .into(),
            ))
        }
    };
    let length = ctx.protocol().session_length(phase, args.duration)?;

    let session = ctx.store.update(|state| {
        let mut course = state.course(injured, ctx.protocol(), now)?;
        settle_stale(&mut course, now);
        let readiness = course.readiness(now);
        let mut session = Session::running(phase, now, length)?;
        match readiness {
            Readiness::Ready => {}
            Readiness::BeforeInjury { until } => {
                return Err(CliError::Usage(format!(
                    "now is before the recorded injury ({}); check it with `therapy-timer injury`",
                    full(until)
                )))
            }
            Readiness::Running { phase: p, ends, .. } => {
                return Err(CliError::TryLater(format!(
                    "a {p} session is already running until {}; one session at a time",
                    clock(ends, now)
                )))
            }
            Readiness::Resting { after, until } if !args.force => {
                return Err(CliError::TryLater(format!(
                    "the rest after {after} is not over: the next session may start at {} \
                     (in {}). The rest protects your skin{}; wait, or pass --force to start \
                     anyway (it is logged)",
                    clock(until, now),
                    between(now, until),
                    if after == Phase::Ice {
                        " from frostbite"
                    } else {
                        ""
                    }
                )))
            }
            Readiness::Overdue {
                phase: p, since, ..
            } => {
                return Err(CliError::TryLater(format!(
                "the {p} session that ended at {} was never confirmed off; one session at a time",
                clock(since, now)
            )))
            }
            Readiness::Resting { until, .. } => {
                errln!(
                    "therapy-timer: warning: starting before the rest is over (it ends at {}); \
                     logged as forced",
                    clock(until, now)
                );
                session.forced = true;
            }
            _ => {}
        }
        course.record(session)?;
        state.absorb(&course);
        Ok(session)
    })?;

    let advisory = ctx
        .store
        .read()?
        .course(injured, ctx.protocol(), now)?
        .advisory(phase, now);
    match (advisory, injured) {
        (Some(Advisory::HeatInAcuteWindow { heat_from }), Some(_)) => errln!(
            "therapy-timer: warning: heat in the first {}h after an injury can add to \
             inflammation; the articles advise ice until {}",
            ctx.protocol().acute_window().as_secs() / 3600,
            clock(heat_from, now)
        ),
        (Some(Advisory::IceAfterAcuteWindow { .. }), Some(_)) => {
            errln!("therapy-timer: note: the acute window is over; heat is the usual therapy now")
        }
        _ => {}
    }

    notifier.send(&start_notice(phase, length, session.end, now));
    outln!(
        "{} on at {} for {}; off at {}.",
        capital(phase),
        clock(session.start, now),
        span(length),
        clock(session.end, now)
    );

    // The on-time stop notice is worded now, before the deadline, so that
    // nothing but the send stands between the deadline and the notice.
    let on_time = stop_notice_at(ctx, injured, &session, length, session.end, None);
    let terminal = std::io::stdout().is_terminal();
    let mut last_line = None;
    // A session's notices carry no actions; any other wake-up waits on.
    let waited = loop {
        match ctx.clock.wait_until(session.end, &rx, |t| {
            progress(terminal, &mut last_line, session.start, session.end, t)
        }) {
            Waited::Action { .. } => continue,
            w => break w,
        }
    };
    if terminal {
        outln!();
    }

    // On time: the planned end. Early: now, in whole seconds unless that
    // would not be after the start.
    let ended = match waited {
        Waited::Reached => session.end,
        Waited::Signal(_) | Waited::Action { .. } => {
            let precise = ctx.clock.now();
            Some(super::whole_seconds(precise))
                .filter(|t| *t > session.start)
                .unwrap_or(precise)
        }
    };
    // The stop is a safety notice: it goes out before anything that can
    // fail (the state write, the lock), and a failed write is reported
    // after it.
    let notice = match waited {
        Waited::Reached => on_time,
        _ => {
            let early = (ended - session.start).to_std().unwrap_or_default();
            stop_notice_at(ctx, injured, &session, length, ended, Some(early))
        }
    };
    notifier.send(&notice);
    outln!("{}. {}", notice.summary, notice.body);
    let finished = ctx.store.update(|state| {
        let mut course = state.course(injured, ctx.protocol(), ended)?;
        let done = match course.finish(session.start, ended) {
            Ok(done) => done,
            // Another run settled it already (its planned end had passed on
            // that run's clock): take it as recorded.
            Err(e) => *course
                .sessions()
                .iter()
                .find(|s| s.start == session.start)
                .ok_or_else(|| {
                    CliError::Failure(format!(
                        "the session started at {} is no longer in the log ({e}); \
                         was the state file changed by hand?",
                        full(session.start)
                    ))
                })?,
        };
        state.absorb(&course);
        Ok(done)
    });
    if let Err(e) = finished {
        // The session stays `running` in the log; the next command that can
        // write settles it at its planned end.
        return Err(CliError::Failure(format!(
            "the stop was announced but not logged ({e}); the next therapy-timer \
             command that can write the state logs it"
        )));
    }

    announce_review_once(ctx, injured, ended, &mut notifier)?;

    if let Waited::Signal(n) = waited {
        return Err(CliError::Signal(n));
    }
    if args.linger > Duration::ZERO && std::io::stdout().is_terminal() {
        outln!("(This window keeps the notice up until you dismiss it; Ctrl-C to leave.)");
    }
    notifier.linger(args.linger, (&tx, &rx));
    Ok(())
}

/// The stop notice for `session` ending at `ended` (`early`: how long it
/// ran, when cut short), with the next session's earliest start worded from
/// the state as read now (else from the protocol's rest).
fn stop_notice_at(
    ctx: &Ctx,
    injured: Option<DateTime<Utc>>,
    session: &Session,
    length: Duration,
    ended: DateTime<Utc>,
    early: Option<Duration>,
) -> Notice {
    let phase = session.phase;
    let urgency = Event::new(EventKind::Stop, phase, ended, ended).urgency;
    let next = ctx
        .store
        .read()
        .and_then(|s| s.course(injured, ctx.protocol(), ended))
        .ok()
        .and_then(|mut c| {
            c.finish(session.start, ended).ok()?;
            Some(c.readiness(ended).earliest(ended))
        })
        .unwrap_or_else(|| {
            let rest = ctx.protocol().rest_after(phase, length);
            ended + chrono::TimeDelta::from_std(rest).unwrap_or_default()
        });
    stop_notice(phase, urgency, early, next, ended)
}

/// Says once per course, after the review point, that spasms lasting this
/// long need a clinician.
fn announce_review_once(
    ctx: &Ctx,
    injured: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    notifier: &mut Notifier,
) -> Result<(), CliError> {
    let Some(injured) = injured else {
        return Ok(());
    };
    let due = ctx.store.update(|state| {
        let course = state.course(Some(injured), ctx.protocol(), now)?;
        let due = course.review_due(now) && state.review_announced_at.is_none();
        if due {
            state.review_announced_at = Some(now);
        }
        Ok(due)
    })?;
    if due {
        notifier.send(&review_notice());
        outln!("\n{REVIEW}");
    }
    Ok(())
}

fn capital(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "Ice",
        Phase::Heat => "Heat",
    }
}

/// A live bar on a terminal; a plain line a minute otherwise.
fn progress(
    terminal: bool,
    last_line: &mut Option<u64>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    let total = (end - start).num_milliseconds().max(1) as f64;
    let done = ((now - start).num_milliseconds() as f64 / total).clamp(0.0, 1.0);
    let left = (end - now).to_std().unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if terminal {
        const WIDTH: usize = 30;
        let filled = (done * WIDTH as f64).round() as usize;
        let _ = write!(
            out,
            "\r\x1b[2K[{}{}] {} left ",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            span(left + Duration::from_millis(999))
        );
        let _ = out.flush();
    } else {
        // A line at the start and at each whole minute left.
        let minutes_left = (left.as_millis() as u64).div_ceil(60_000);
        if *last_line != Some(minutes_left) {
            *last_line = Some(minutes_left);
            let _ = writeln!(out, "{} left", span(left + Duration::from_millis(999)));
        }
    }
}
