//! `therapy-timer start`: one session, now. A loop around the library's
//! driver: it feeds "started", waits for the session's end (watching the
//! state for a `stop` or `undo` from another terminal), gives the stop, and
//! then, while it lingers, the stop's repeats until the pack is said to be
//! off.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use chrono::{DateTime, Local, TimeDelta, Utc};
use therapy_timer::{Advisory, Course, Driver, Input, Phase, Session};

use super::drive::{self, How};
use super::Ctx;
use crate::args::{PhaseArg, StartArgs};
use crate::clock::{forward_signals, Timeline, Waited, Wake};
use crate::desktop_state::Presence;
use crate::error::CliError;
use crate::notifier::{Notifier, DISMISSED};
use crate::text::{capital, clock, full, span, start_notice, stop_notice, Stop};

pub fn run(ctx: &Ctx, args: &StartArgs) -> Result<(), CliError> {
    // Before anything is written: a signal from now on ends the session as
    // cut short instead of killing the process with the session running;
    // and the notifier's connection is opened before any deadline.
    let (tx, rx) = mpsc::channel();
    forward_signals(tx.clone()).map_err(CliError::Failure)?;
    let mut notifier = ctx.notifier();
    let done = timed(ctx, args, &mut notifier, (&tx, &rx));
    // The buttons die with this process: its notices name the commands.
    drive::release(ctx, &mut notifier);
    done
}

/// The session, from its start to its stop and the lingering after it.
fn timed(
    ctx: &Ctx,
    args: &StartArgs,
    notifier: &mut Notifier,
    (tx, rx): (&Sender<Wake>, &Receiver<Wake>),
) -> Result<(), CliError> {
    let now = ctx.precise_now();

    // Parse, then act: the injury time, the phase and the length are
    // settled before anything is written or shown.
    let state = ctx.store.read()?;
    let recorded = ctx.driver(&state, None);
    let flag = drive::injury_flag(ctx, recorded.as_ref(), args.injured_at.as_deref())?;
    let known = recorded
        .as_ref()
        .map(Driver::course)
        .filter(|c| c.injury_known());
    let injured = known.map(Course::injured_at).or(flag);
    let phase = match (args.phase, injured) {
        (PhaseArg::Ice, _) => Phase::Ice,
        (PhaseArg::Heat, _) => Phase::Heat,
        (PhaseArg::Auto, Some(t)) => {
            let course = Course::new(t, ctx.protocol())?;
            let phase = course.phase_at(now);
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
    // When the rest ends, as the driver will see it now (a stop never
    // said to be off is closed after its last reminder).
    let rest_until = recorded.as_ref().map(|d| {
        let mut probe = d.clone();
        probe.handle_timeout(now, &Local);
        probe.course().readiness(now).earliest(now)
    });
    // A course that had no injury time gets the one given.
    if let (Some(d), Some(t)) = (&recorded, flag) {
        if !d.course().injury_known() {
            let input = Input::CorrectInjury {
                at: now,
                injured_at: t,
            };
            drive::step(ctx, now, Some(input), &How::plain(None), notifier)?;
        }
    }

    let new = || -> Result<Driver, CliError> {
        let course = match flag {
            Some(t) => Course::new(t, ctx.protocol())?,
            // No injury time: a course for the sessions only, no prompts.
            None => Course::without_injury(now, ctx.protocol())?,
        };
        Ok(Driver::new(
            course.with_quiet_hours(ctx.settings.quiet_hours.0),
        ))
    };
    let how = How {
        planning: None,
        listen: Some(tx),
        new: Some(&new),
        prepared: None,
        presence: None,
    };
    let input = Input::Start {
        at: now,
        phase: Some(phase),
        length: Some(length),
        force: args.force,
    };
    let step = drive::step(ctx, now, Some(input), &how, notifier)?
        .ok_or_else(|| CliError::Failure("the session could not be recorded".into()))?;
    let course = step.driver.course();
    let session = *step
        .applied
        .as_ref()
        .and_then(therapy_timer::Applied::session)
        .and_then(|id| course.session(id))
        .ok_or_else(|| CliError::Failure("the session is not in the log after starting".into()))?;
    if let Some(score) = args.pain {
        let before = Input::SessionPain {
            at: now,
            session: session.id,
            when: therapy_timer::PainWhen::Before,
            score,
            note: None,
        };
        drive::step(ctx, now, Some(before), &how, notifier)?;
        outln!("Pain {score} of 10 before it recorded.");
    }
    say_the_rest(Some(&step), &session, now);
    if session.forced {
        errln!(
            "therapy-timer: warning: starting before the rest is over{}; logged as forced",
            match rest_until.filter(|t| *t > now) {
                Some(t) => format!(" (it ends at {})", clock(t, now)),
                None => String::new(),
            }
        );
    }
    if course.injury_known() {
        match course.advisory(phase, now) {
            Some(Advisory::HeatInAcuteWindow { heat_from }) => errln!(
                "therapy-timer: warning: heat in the first {}h after an injury can add to \
                 inflammation; the articles advise ice until {}",
                ctx.protocol().acute_window().as_secs() / 3600,
                clock(heat_from, now)
            ),
            Some(Advisory::IceAfterAcuteWindow { .. }) => {
                errln!(
                    "therapy-timer: note: the acute window is over; heat is the usual therapy now"
                )
            }
            _ => {}
        }
    }

    // The session's notice: its stop takes its place, here or from a tick.
    // A session whose end has passed (`--at`) gets none: "it comes off at"
    // a time gone by is not true, and its stop comes at once.
    if session.end > crate::clock::Clock::system().now() {
        notifier.send_about(
            session.start,
            &start_notice(phase, length, session.end, now),
            None,
        );
    }

    outln!(
        "{} on at {} for {}; off at {}. (`therapy-timer stop` ends it early.)",
        capital(phase),
        clock(session.start, now),
        span(length),
        clock(session.end, now)
    );

    // The on-time stop is the driver's own event, worded now, before the
    // deadline, so that nothing but the send stands between the deadline
    // and the notice (the driver gives that same event then).
    let prepared = step
        .driver
        .upcoming(&Local)
        .filter(|e| e.is_safety() && e.session() == Some(session.id))
        .map(|e| {
            let notice = drive::notice_for(&e, e.due(), true, crate::text::Answering::Buttons);
            (e, notice)
        });
    // Locked or do-not-disturb, asked meanwhile on a thread of its own:
    // the stop step reads the latest answer and never waits for it.
    let presence = Presence::watch();
    // From here on the session runs on real time, whatever `--at` said:
    // started at T, it stops at T + length by the system clock (at once if
    // that has passed), and by the elapsed-time clock, whichever comes
    // first, so a clock stepped back does not hold the stop back.
    let ctx = &ctx.on_clock(crate::clock::Clock::system());
    let line = Timeline::now(&ctx.clock);
    let by_elapsed = line.when(session.end);
    let terminal = std::io::stdout().is_terminal();
    let mut last_line = None;
    let mut stamp = ctx.store.stamp();
    // The start notice goes into the state once the server has shown it, so
    // that a `stop` or `tick` elsewhere replaces it rather than standing a
    // second notice beside it. Never waited for: a hung server must not
    // hold the countdown.
    let mut remembered = false;
    let waited = loop {
        let waited = ctx
            .clock
            .wait_until_either(session.end, Some(by_elapsed), rx, |t| {
                progress(terminal, &mut last_line, session.start, session.end, t);
                if !remembered {
                    if let Some(on_screen) = notifier.on_screen_if_settled() {
                        remembered = true;
                        // Not a reason to stop timing if it fails.
                        if drive::remember(ctx, &on_screen).is_ok() {
                            stamp = ctx.store.stamp();
                        }
                    }
                }
                ctx.store.stamp() != stamp
            });
        match waited {
            Waited::Interrupted => {
                stamp = ctx.store.stamp();
                if let Some(done) = changed_elsewhere(ctx, &session)? {
                    if terminal {
                        outln!();
                    }
                    return done;
                }
            }
            // The start notice has no buttons; an answer to an older
            // notice is no reason to stop timing.
            Waited::Action { .. } => {}
            w => break w,
        }
    };
    if terminal {
        // The bar at its end, then the stop's lines below it.
        progress(
            terminal,
            &mut last_line,
            session.start,
            session.end,
            session.end,
        );
        outln!();
    }

    if let Waited::Signal(n) = waited {
        // Cut short: the driver's early stop goes out and is logged (never
        // before the start, whatever the clock did meanwhile).
        let at = ctx.now().max(session.start);
        let stopped = drive::step(
            ctx,
            at,
            Some(Input::Stop { at }),
            &How::plain(None),
            notifier,
        );
        match stopped {
            Ok(Some(step))
                if matches!(step.applied, Some(therapy_timer::Applied::Undone { .. })) =>
            {
                outln!(
                    "{} off: stopped within a second of its start, so nothing is logged.",
                    capital(phase)
                );
            }
            Ok(step) => say_all(step.as_ref(), at),
            Err(e) => errln!("therapy-timer: the stop was not logged: {e}"),
        }
        return Err(CliError::Signal(n));
    }

    // On time: the step gives the stop (the prepared notice goes out at
    // once) and what else came due, and records it.
    let how = How {
        planning: None,
        listen: Some(tx),
        new: None,
        prepared: prepared.as_ref(),
        presence: Some(&presence),
    };
    // Woken no later than the session's end by the elapsed-time clock (the
    // wall clock may have jumped either way meanwhile), or at once for an
    // end that had passed when the session was started: the stop is on
    // time, and is given at the session's end. Later than that (the
    // process was held up), it is given that much after the end, saying
    // how late.
    let late = by_elapsed.since();
    let on_time = late <= therapy_timer::limits::LATE_AFTER;
    let at = if on_time {
        session.end
    } else {
        super::whole_millis(
            TimeDelta::from_std(late)
                .ok()
                .and_then(|d| session.end.checked_add_signed(d))
                .unwrap_or_else(|| ctx.now()),
        )
    };
    let step = match drive::step(ctx, at, None, &how, notifier) {
        Ok(step) => step,
        // The session stays open in the log; the next tick, watch or
        // status shows it as overdue.
        // (The step announces a stop before it writes, so the stop went
        // out; only the record failed.)
        Err(e) => {
            if let Some((e, _)) = &prepared {
                let n = drive::notice_for(e, e.due(), false, crate::text::Answering::Commands);
                outln!("{}. {}", n.summary, n.body);
            }
            return Err(CliError::Failure(format!(
                "the stop was announced but not logged ({e}); `therapy-timer stop` records \
                 it once the pack is off"
            )));
        }
    };
    let stop_sent = step.as_ref().and_then(|s| s.safety_sent);
    // Lingering keeps the stop notice up and repeats it; with the notice
    // not on the desktop (the server hung, failed or went away) and no
    // terminal to write to, nobody would see either.
    let lingers = args.linger > Duration::ZERO
        && (std::io::stderr().is_terminal() || notifier.on_desktop(stop_sent));
    if let Some(step) = &step {
        for e in step
            .events
            .iter()
            .filter(|e| e.session() == Some(session.id))
        {
            // The words of the notice that went out, while this process
            // is here to take its answers; else the commands that do.
            let n = match &prepared {
                Some((p, n)) if p == e && lingers => n.clone(),
                _ if lingers => {
                    drive::notice_for(e, e.due(), true, crate::text::Answering::Buttons)
                }
                _ => drive::notice_for(e, e.due(), false, crate::text::Answering::Commands),
            };
            outln!("{}. {}", n.summary, n.body);
        }
    }
    say_the_rest(step.as_ref(), &session, at);
    if lingers {
        // The repeats on the stop's own timeline: a clock that reads `at`
        // now, and the elapsed-time clock from now.
        let ctx = &ctx.on_clock(crate::clock::Clock::shifted_to(at));
        linger(
            ctx,
            args.linger,
            (&session, Timeline::anchored(at)),
            notifier,
            (tx, rx),
        )?;
    }
    Ok(())
}

/// Writes what else the step gave (the clinician reminder, the switch to
/// heat) to the terminal too: the notices went to the desktop.
fn say_the_rest(step: Option<&drive::Step>, session: &Session, now: DateTime<Utc>) {
    let Some(step) = step else { return };
    for e in &step.events {
        if e.session() != Some(session.id) {
            let n = drive::notice_for(e, now, false, crate::text::Answering::Commands);
            outln!("\n{}\n{}", n.summary, n.body);
        }
    }
}

/// Writes every event the step gave to the terminal, as its notice says it.
fn say_all(step: Option<&drive::Step>, now: DateTime<Utc>) {
    let Some(step) = step else { return };
    for e in &step.events {
        let n = drive::notice_for(e, now, false, crate::text::Answering::Commands);
        outln!("{}. {}", n.summary, n.body);
    }
}

/// What a change made by another process means for the session being
/// timed: `None` to go on timing, or how this command ends.
fn changed_elsewhere(
    ctx: &Ctx,
    session: &Session,
) -> Result<Option<Result<(), CliError>>, CliError> {
    let state = ctx.store.read()?;
    let now = ctx.now();
    let found = state.driver.as_ref().and_then(|d| {
        d.course()
            .sessions()
            .iter()
            .find(|s| s.start == session.start)
            .copied()
    });
    let Some(s) = found else {
        outln!(
            "The {} session was removed from the log; nothing more to time.",
            session.phase
        );
        return Ok(Some(Ok(())));
    };
    if s.end < session.end || s.off.is_some() {
        let ran = (s.end.min(now) - s.start).to_std().unwrap_or_default();
        let next = state
            .driver
            .as_ref()
            .map_or(now, |d| d.course().readiness(now).earliest(now));
        // The `stop` that did it announced the driver's early stop; this
        // terminal is only told.
        let notice = stop_notice(s.phase, Stop::Early { ran }, next, now, false);
        outln!(
            "{}. {} (Stopped with `therapy-timer stop`.)",
            notice.summary,
            notice.body
        );
        return Ok(Some(Ok(())));
    }
    Ok(None)
}

/// After the stop: keeps the process (and so the notice, on desktops that
/// drop a notice when its sender exits) until the person says the pack is
/// off (It's off, Enter on the terminal, `therapy-timer stop` elsewhere) or
/// `at_most` passes (a dismissed notice was only seen); meanwhile the stop's
/// repeats come out when due.
/// The repeats are timed as the stop was: by the wall clock and by the
/// elapsed-time clock from the stop (`line`), whichever comes first.
fn linger(
    ctx: &Ctx,
    at_most: Duration,
    (session, line): (&Session, Timeline),
    notifier: &mut Notifier,
    (tx, rx): (&Sender<Wake>, &Receiver<Wake>),
) -> Result<(), CliError> {
    // The later of the two clocks' times is the one whose deadline came
    // first.
    let now = || ctx.now().max(super::whole_millis(line.now_by_elapsed()));
    let until = now() + TimeDelta::from_std(at_most).unwrap_or(TimeDelta::hours(1));
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        outln!("(Press Enter when the pack is off; Ctrl-C to leave.)");
        let to = tx.clone();
        let tag = session.start;
        let _ = std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                let mut line = String::new();
                if std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .is_ok_and(|n| n > 0)
                {
                    let _ = to.send(Wake::Action {
                        key: "off".into(),
                        session: tag,
                    });
                }
            });
    }
    let presence = Presence::watch();
    let mut stamp = ctx.store.stamp();
    loop {
        let next_repeat = ctx
            .store
            .read()?
            .driver
            .and_then(|d| d.poll_timeout(&Local))
            .filter(|t| *t > now());
        let wake = next_repeat.map_or(until, |t| t.min(until));
        let waited = ctx
            .clock
            .wait_until_either(wake, Some(line.when(wake)), rx, |_| {
                ctx.store.stamp() != stamp
            });
        let now = now();
        let how = How {
            planning: None,
            listen: Some(tx),
            new: None,
            prepared: None,
            presence: Some(&presence),
        };
        match waited {
            Waited::Reached if now >= until => return Ok(()),
            Waited::Reached => {
                if let Some(step) = drive::step(ctx, now, None, &how, notifier)? {
                    for e in &step.events {
                        outln!("{} {}", clock(now, now), drive::describe(e));
                    }
                    if !is_open(&step.driver, session) {
                        return Ok(());
                    }
                }
            }
            Waited::Interrupted => {
                stamp = ctx.store.stamp();
                let open = ctx
                    .store
                    .read()?
                    .driver
                    .is_some_and(|d| is_open(&d, session));
                if !open {
                    return Ok(());
                }
            }
            Waited::Action { key, session: tag } if tag == session.start => {
                if let Some(skin) = crate::text::skin_button(&key) {
                    let input = Input::Skin {
                        at: now,
                        skin,
                        note: None,
                    };
                    if drive::step(ctx, now, Some(input), &how, notifier).is_ok() {
                        outln!("Skin {skin} recorded, from the notice.");
                        outln!("{}", therapy_timer::safety::after_skin_check(skin));
                    }
                    continue;
                }
                if let Some(score) = crate::text::pain_button(&key) {
                    // The stop's answer: the pain after this session.
                    let input = Input::SessionPain {
                        at: now,
                        session: session.id,
                        when: therapy_timer::PainWhen::After,
                        score,
                        note: None,
                    };
                    if drive::step(ctx, now, Some(input), &how, notifier).is_ok() {
                        outln!("Pain {score} of 10 recorded, from the notice.");
                    }
                    continue;
                }
                let input = match key.as_str() {
                    "off" => Input::ConfirmOff { at: now },
                    k if k == DISMISSED => Input::Dismissed { at: now },
                    _ => continue,
                };
                match drive::step(ctx, now, Some(input), &how, notifier) {
                    Ok(_) if key == "off" => outln!("Logged: the {} is off.", session.phase),
                    Ok(_) => {}
                    // Already said elsewhere: nothing to add.
                    Err(_) => {}
                }
                if key == DISMISSED {
                    // Seen, not off: the repeats go on until it is said to
                    // be off.
                    outln!(
                        "Notice dismissed: the {} is not confirmed off; the reminders go on \
                         until you press It's off or run `therapy-timer stop`.",
                        session.phase
                    );
                    continue;
                }
                return Ok(());
            }
            Waited::Action { .. } => {}
            Waited::Signal(_) => {
                outln!(
                    "Not confirmed off: when the pack is off, run `therapy-timer stop` to stop \
                     the reminders."
                );
                return Ok(());
            }
        }
    }
}

/// Whether `session` may still be on in `driver`'s course.
fn is_open(driver: &Driver, session: &Session) -> bool {
    driver
        .course()
        .open_session()
        .is_some_and(|s| s.start == session.start)
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
