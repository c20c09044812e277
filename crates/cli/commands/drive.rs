//! The one step every command takes around the library's driver: under the
//! state lock, load it, give it the time or the person's input, take the
//! events it gives, send the safety ones (a stop, its repeats) before the
//! write and the others after it. `start`, `tick` and `watch` are loops of
//! this step; `stop`, `skip`, `log add` and the rest are one step each, so
//! a stop that came due meanwhile is never swallowed by an unrelated
//! command.

use std::io::IsTerminal;
use std::sync::mpsc::Sender;

use chrono::{DateTime, Local, TimeDelta, Utc};
use serde::Serialize;
use therapy_timer::{ClinicianReason, Course, Driver, Event, EventKind, Input, Urgency};

use super::Ctx;
use crate::alarm::Sound;
use crate::args::Planning;
use crate::clock::Wake;
use crate::desktop_state::Presence;
use crate::error::{refused, CliError};
use crate::notifier::{Notice, Notifier, OnScreen};
use crate::text::{
    clock, end_notice, phase_change_notice, prompt_notice, review_notice, span, stop_notice,
    Answering, Stop, RED_FLAGS,
};

/// How a step is taken.
pub struct How<'a> {
    /// The planning flags of the command, if it has them (quiet hours).
    pub planning: Option<&'a Planning>,
    /// Where the answers to the notices go, for a loop that listens.
    pub listen: Option<&'a Sender<Wake>>,
    /// A driver for a state with none yet; without it such a step does
    /// nothing.
    pub new: Option<&'a dyn Fn() -> Result<Driver, CliError>>,
    /// An event worded ahead of its time (from `Driver::upcoming`), with
    /// its notice: when the driver gives that event, this notice goes out
    /// as it is, with nothing to word between the deadline and the send.
    pub prepared: Option<&'a (Event, Notice)>,
    /// Whether the person is away (screen locked, do-not-disturb), for a
    /// step of time (tick, watch, start's loop): the library is told
    /// `Away` or `Back` before the time, and holds prompts meanwhile.
    pub presence: Option<&'a Presence>,
}

impl<'a> How<'a> {
    /// A step that changes an existing course only, announcing with
    /// notices that name commands.
    pub fn plain(planning: Option<&'a Planning>) -> How<'a> {
        How {
            planning,
            listen: None,
            new: None,
            prepared: None,
            presence: None,
        }
    }
}

/// What one step did.
#[derive(Debug)]
pub struct Step {
    /// The driver as written.
    pub driver: Driver,
    /// The events it gave, in order (each announced).
    pub events: Vec<Event>,
    /// What the input did, for a step with an input that was applied.
    pub applied: Option<therapy_timer::Applied>,
    /// The notice of the last safety event it sent (for
    /// `Notifier::on_desktop`).
    pub safety_sent: Option<u64>,
}

/// One event as `tick --json` and `watch --json` print it: the library's
/// event, with its urgency, whether it is a safety event, when it came
/// out and how late.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Fired<'a> {
    /// The event.
    #[serde(flatten)]
    pub event: &'a Event,
    /// When it came out (the time of the step).
    pub at: DateTime<Utc>,
    /// `event.urgency()`.
    pub urgency: Urgency,
    /// `event.is_safety()`.
    pub safety: bool,
    /// How late it came out, in whole seconds (0 when on time).
    pub late_seconds: u64,
}

impl<'a> Fired<'a> {
    /// `event` as it came out at `at`.
    pub fn new(event: &'a Event, at: DateTime<Utc>) -> Fired<'a> {
        Fired {
            event,
            at,
            urgency: event.urgency(),
            safety: event.is_safety(),
            late_seconds: event.late().as_secs(),
        }
    }

    /// As a JSON object (what a hook reads).
    pub fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Takes one step at `now`: `input` if given, else just the time. Returns
/// `None` when nothing is recorded and `how.new` is not given. A refused
/// input is an error, after the events that came due are announced and
/// recorded. Every event the driver gives is announced, once.
pub fn step(
    ctx: &Ctx,
    now: DateTime<Utc>,
    input: Option<Input>,
    how: &How<'_>,
    notifier: &mut Notifier,
) -> Result<Option<Step>, CliError> {
    // Parse, then act: an input the library refuses, with no stop come due
    // meanwhile, is refused before anything is written or announced (tried
    // on a copy of the state as read). With a stop due, the step is taken
    // for real: the stop is given and recorded, then the refusal returned.
    if let Some(input) = &input {
        if let Some(refusal) = dry_run(ctx, now, input, how)? {
            return Err(refusal);
        }
    }
    let answering = if how.listen.is_some() {
        Answering::Buttons
    } else {
        Answering::Commands
    };
    let taken = ctx.store.update(|state| {
        let before = state.driver.clone();
        let (mut driver, created) = match ctx.driver(state, how.planning) {
            Some(d) => (d, false),
            None => match how.new {
                Some(new) => (new()?, true),
                None => return Ok(None),
            },
        };
        let (applied, refusal) = match input {
            Some(input) => match driver.handle_input(input, &Local) {
                Ok(a) => (Some(a), None),
                Err(e) => (None, Some(e)),
            },
            // A course just recorded gives nothing yet: its first prompt
            // comes from the loops (tick, watch), due from the injury time.
            None if created => (None, None),
            None => {
                if let Some(p) = how.presence {
                    let said = if p.away() {
                        Input::Away { at: now }
                    } else {
                        Input::Back { at: now }
                    };
                    // Refused only for a time outside the calendar, which
                    // the time step below meets the same way.
                    let _ = driver.handle_input(said, &Local);
                }
                driver.handle_timeout(now, &Local);
                (None, None)
            }
        };
        let events: Vec<Event> = std::iter::from_fn(|| driver.poll_event()).collect();
        // What is on screen, so that a notice about a session replaces the
        // one before it.
        notifier.know(&state.notices);
        // Safety first: before the write, which can fail (a full disk).
        let mut safety_sent = None;
        for e in events.iter().filter(|e| e.is_safety()) {
            announce(notifier, e, driver.course(), now, how, answering);
            safety_sent = notifier.last_sent();
        }
        // Every event to the hook, in order, once: they came out under the lock.
        for e in &events {
            notifier.hook(&Fired::new(e, now).json(), None);
        }
        // A tick that only moved the clock on writes nothing (no write a
        // minute from cron for nothing).
        let changed = before.is_none_or(|b| !driver.is_same_but_time(&b));
        if changed && !(created && refusal.is_some()) {
            state.driver = Some(driver.clone());
        }
        // The notices of sessions that are over leave the state: after the
        // write, each is closed, or left up if this step spoke of its
        // session last (the early stop's rest).
        let over = sessions_over(&driver, &notifier.sessions());
        let mut on_screen = notifier.on_screen();
        on_screen.retain(|n| !over.contains(&n.session));
        state.notices = on_screen;
        Ok(Some((driver, events, applied, refusal, safety_sent, over)))
    })?;
    let Some((driver, events, applied, refusal, safety_sent, over)) = taken else {
        return Ok(None);
    };
    for e in events.iter().filter(|e| !e.is_safety()) {
        announce(notifier, e, driver.course(), now, how, answering);
    }
    let spoken: Vec<DateTime<Utc>> = events
        .iter()
        .filter_map(|e| driver.course().session(e.session()?))
        .map(|s| s.start)
        .collect();
    for session in over {
        if spoken.contains(&session) {
            notifier.forget(session);
        } else {
            notifier.close(session);
        }
    }
    if let Some(e) = refusal {
        // The refusal, and the safety event it did not hold back (so the
        // person does not take the error for "nothing happened").
        let given = events.iter().find_map(|e| match *e {
            Event::Stop { phase, .. } => Some(format!(
                "the {phase} stop that came due meanwhile was given"
            )),
            Event::Repeat { phase, .. } => Some(format!(
                "a reminder of the {phase} stop that came due meanwhile was given"
            )),
            _ => None,
        });
        return Err(match given {
            Some(given) => CliError::of_kind(
                e.kind(),
                format!("{}; {given}", crate::error::refusal(&e, now)),
            ),
            None => refused(&e, now),
        });
    }
    Ok(Some(Step {
        driver,
        events,
        applied,
        safety_sent,
    }))
}

/// `--injured-at` on a command that follows the course (`watch`, `tick`):
/// with no injury time recorded, the course is recorded with it, as by
/// `start --injured-at` (sessions logged without one get it); a time other
/// than the one recorded is refused. Returns whether an injury time is
/// recorded now, and the line that says it was recorded just now (for the
/// command to print where its output goes).
pub fn adopt_injury(
    ctx: &Ctx,
    flag: Option<&str>,
    notifier: &mut Notifier,
) -> Result<(bool, Option<String>), CliError> {
    let state = ctx.store.read()?;
    let recorded = ctx.driver(&state, None);
    let flag = injury_flag(ctx, recorded.as_ref(), flag)?;
    let known = recorded.as_ref().is_some_and(|d| d.course().injury_known());
    let t = match (known, flag) {
        (true, _) => return Ok((true, None)),
        (false, None) => return Ok((false, None)),
        (false, Some(t)) => t,
    };
    let now = ctx.now();
    let new = || -> Result<Driver, CliError> {
        Ok(Driver::new(
            Course::new(t, ctx.protocol())?.with_quiet_hours(ctx.settings.quiet_hours.0),
        ))
    };
    let (input, how) = match recorded {
        // Sessions logged without an injury time: the time is given.
        Some(_) => (
            Some(Input::CorrectInjury {
                at: now,
                injured_at: t,
            }),
            How::plain(None),
        ),
        None => (
            None,
            How {
                new: Some(&new),
                ..How::plain(None)
            },
        ),
    };
    step(ctx, now, input, &how, notifier)?;
    let said = format!(
        "Injury recorded: {} ({}).",
        crate::text::full(t),
        crate::text::ago(crate::text::since(t, now))
    );
    Ok((true, Some(said)))
}

/// The `--injured-at` time given (`None` without the flag), refused if the
/// course `recorded` has another injury time: the flag only gives the time
/// when none is recorded.
pub fn injury_flag(
    ctx: &Ctx,
    recorded: Option<&Driver>,
    flag: Option<&str>,
) -> Result<Option<DateTime<Utc>>, CliError> {
    let Some(t) = flag
        .map(|s| ctx.injury_time("--injured-at", s))
        .transpose()?
    else {
        return Ok(None);
    };
    match recorded.map(Driver::course).filter(|c| c.injury_known()) {
        Some(c) if c.injured_at() != t => Err(CliError::Usage(format!(
            "--injured-at: the course recorded has its injury at {}; --injured-at only \
             gives the time when none is recorded. Correct it with \
             `therapy-timer injury TIME`",
            crate::text::full(c.injured_at())
        ))),
        _ => Ok(Some(t)),
    }
}

/// Of the sessions with a notice, those that no longer need one: gone from
/// the course, followed by another, or said to be off.
fn sessions_over(driver: &Driver, with_notice: &[DateTime<Utc>]) -> Vec<DateTime<Utc>> {
    let last = driver.course().sessions().last();
    with_notice
        .iter()
        .copied()
        .filter(|start| !last.is_some_and(|s| s.start == *start && !s.is_known_off()))
        .collect()
}

/// Records `on_screen` (a notice shown outside a step: `start`'s) in the
/// state, beside the notices of other sessions.
pub fn remember(ctx: &Ctx, on_screen: &[OnScreen]) -> Result<(), CliError> {
    ctx.store.update(|state| {
        for n in on_screen {
            state.notices.retain(|m| m.session != n.session);
            state.notices.push(n.clone());
        }
        state.notices.sort_by_key(|n| n.session);
        Ok(())
    })
}

/// Before a process that listens to notices ends: each notice whose
/// buttons it listened to is put back without them, unless another process
/// has shown a newer notice about its session since.
pub fn release(ctx: &Ctx, notifier: &mut Notifier) {
    let me = std::process::id();
    let notices = ctx.store.read().map(|s| s.notices).unwrap_or_default();
    notifier.release(|id| {
        notices
            .iter()
            .find(|n| n.id == id)
            .is_none_or(|n| n.listener == Some(me))
    });
}

/// The refusal of `input` at `now` when the library refuses it and no
/// safety event comes due with it; `None` to take the step for real.
fn dry_run(
    ctx: &Ctx,
    now: DateTime<Utc>,
    input: &Input,
    how: &How<'_>,
) -> Result<Option<CliError>, CliError> {
    let state = ctx.store.read()?;
    let Some(mut driver) = ctx.driver(&state, how.planning) else {
        return Ok(None);
    };
    let Err(e) = driver.handle_input(input.clone(), &Local) else {
        return Ok(None);
    };
    let safety = std::iter::from_fn(|| driver.poll_event()).any(|e| e.is_safety());
    Ok((!safety).then(|| refused(&e, now)))
}

/// Sends the notice for `event` (the prepared one if it is that event). A
/// loop that listens gets the answers (Start now, Snooze, Skip on a prompt;
/// It's off on a stop) through `how.listen`, tagged with the prompt's due
/// time or the session's start. Returns whether it went to the desktop.
pub fn announce(
    notifier: &mut Notifier,
    event: &Event,
    course: &Course,
    now: DateTime<Utc>,
    how: &How<'_>,
    answering: Answering,
) -> bool {
    // Buttons only where they can be pressed: with a listener, on a desktop.
    let listen = how.listen.filter(|_| notifier.may_reach_desktop());
    let answering = if listen.is_some() {
        answering
    } else {
        Answering::Commands
    };
    let session = event.session().and_then(|id| course.session(id));
    let tag = session.map_or(event.due(), |s| s.start);
    let notice = match how.prepared {
        Some((e, n)) if e == event && listen.is_some() => n.clone(),
        _ => notice_for(event, now, listen.is_some(), answering),
    };
    let listen = listen.filter(|_| !notice.actions.is_empty());
    let shown = match (session, listen) {
        (Some(s), _) => {
            let shown = notifier.send_about(s.start, &notice, listen);
            // What the notice becomes when this process no longer listens
            // to its buttons (worded after the send).
            if listen.is_some() {
                notifier.set_fallback(&notice_for(event, now, false, Answering::Commands));
            }
            shown
        }
        (None, Some(to)) => {
            let shown = notifier.send_with_actions(&notice, tag, to);
            notifier.set_fallback(&notice_for(event, now, false, Answering::Commands));
            shown
        }
        (None, None) => notifier.send(&notice),
    };
    match event.kind() {
        EventKind::Stop | EventKind::Repeat => notifier.sound(Sound::Stop),
        EventKind::Prompt => notifier.sound(Sound::Prompt),
        _ => {}
    }
    if shown && event.is_safety() && std::io::stderr().is_terminal() {
        // Heard by someone away from the screen.
        eprint!("\x07");
    }
    shown
}

/// The notice for `event`, worded from what the event carries.
pub fn notice_for(event: &Event, now: DateTime<Utc>, button: bool, answering: Answering) -> Notice {
    let mut notice = match *event {
        Event::Stop {
            phase, rest_until, ..
        } => {
            let stop = if event.is_late() {
                Stop::Late { due: event.due() }
            } else {
                Stop::OnTime
            };
            stop_notice(phase, stop, rest_until, now, button)
        }
        Event::Repeat {
            phase,
            ended,
            repeat,
            of,
            rest_until,
            ..
        } => stop_notice(
            phase,
            Stop::Repeat {
                n: repeat,
                of,
                due: ended,
            },
            rest_until,
            now,
            button,
        ),
        Event::StoppedEarly {
            phase,
            ran,
            rest_until,
            ..
        } => {
            let mut n = stop_notice(phase, Stop::Early { ran }, rest_until, now, button);
            // The person took it off: no alarm for that.
            n.sound = None;
            n
        }
        Event::Prompt {
            phase,
            length,
            skip_if_red,
            ..
        } => {
            let mut n = prompt_notice(phase, length, answering);
            if skip_if_red {
                n.body = format!("{} {}", therapy_timer::safety::SKIP_IF_STILL_RED, n.body);
            }
            n
        }
        Event::PhaseChange {
            acute_window,
            on,
            rest,
            ..
        } => phase_change_notice(acute_window, on, rest),
        Event::CourseEnd { by_person, .. } => with_trend(end_notice(by_person), event),
        Event::SeeClinician { reason, .. } => match reason {
            ClinicianReason::SeverePain { score, .. } => {
                see_clinician(format!("Pain {score} of 10: see a clinician"), event)
            }
            ClinicianReason::Blistered { .. } => Notice {
                summary: "Blistered skin: see a clinician".into(),
                body: format!(
                    "{} {RED_FLAGS}",
                    therapy_timer::safety::after_skin_check(therapy_timer::Skin::Blistered)
                ),
                urgency: event.urgency(),
                expire: None,
                actions: Vec::new(),
                sound: None,
            },
            _ => see_clinician("See a clinician".into(), event),
        },
        _ => with_trend(review_notice(), event),
    };
    // The urgency is the library's, never the wording's.
    notice.urgency = event.urgency();
    notice
}

/// The notice to see a clinician at once, whatever the day.
fn see_clinician(summary: String, event: &Event) -> Notice {
    Notice {
        summary,
        body: format!(
            "{} {RED_FLAGS}",
            therapy_timer::safety::SEVERE_PAIN_SEE_CLINICIAN
        ),
        urgency: event.urgency(),
        expire: None,
        actions: Vec::new(),
        sound: None,
    }
}

/// A review or end notice that also says what the pain scores say: no
/// better since the first score, or a severe latest score.
fn with_trend(mut notice: Notice, event: &Event) -> Notice {
    let Some(t) = event.trend() else {
        return notice;
    };
    if t.is_no_better() {
        notice.summary = format!(
            "No better after {}: see a clinician",
            crate::text::count(u64::from(t.whole_days()), "day", "days")
        );
        notice.body = format!(
            "Pain was {} of 10 at first and is {} now. {}",
            t.first, t.latest, notice.body
        );
    } else if t.is_severe() {
        notice.summary = format!("Pain {} of 10: see a clinician", t.latest);
    }
    notice
}

/// A short line for the terminal about `event`: times on the person's
/// clock as `status` shows them, lateness as a duration people read
/// (`(due 09:10, 50m late)`), worded at the time the event came out (its
/// due time plus its lateness).
pub fn describe(event: &Event) -> String {
    let phase = event.phase();
    let due = event.due();
    let given = TimeDelta::from_std(event.late())
        .ok()
        .and_then(|late| due.checked_add_signed(late))
        .unwrap_or(due);
    let late = if event.is_late() {
        format!(" (due {}, {} late)", clock(due, given), span(event.late()))
    } else {
        String::new()
    };
    match *event {
        Event::Stop { .. } => format!("stop: take the {phase} off{late}"),
        Event::Repeat { repeat, of, .. } => format!(
            "stop, reminder {repeat} of {of}: take the {phase} off (due {})",
            clock(due, given)
        ),
        Event::StoppedEarly { ran, .. } => {
            format!("stopped early: the {phase} came off after {}", span(ran))
        }
        Event::Prompt { .. } => format!("prompt: time for {phase}{late}"),
        Event::PhaseChange { .. } => "phase change: heat from now on".into(),
        Event::Review { .. } => "clinician reminder".into(),
        Event::CourseEnd { .. } => "course over: no more reminders".into(),
        Event::SeeClinician {
            reason: ClinicianReason::Blistered { .. },
            ..
        } => "blistered skin: see a clinician".into(),
        Event::SeeClinician { .. } => "pain 8 or more: see a clinician".into(),
        _ => "event".into(),
    }
}
