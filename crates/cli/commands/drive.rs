//! The one step every command takes around the library's driver: under the
//! state lock, load it, give it the time or the person's input, take the
//! events it gives, send the safety ones (a stop, its repeats) before the
//! write and the others after it. `start`, `tick` and `watch` are loops of
//! this step; `stop`, `skip`, `log add` and the rest are one step each, so
//! a stop that came due meanwhile is never swallowed by an unrelated
//! command.

use std::io::IsTerminal;
use std::sync::mpsc::Sender;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use therapy_timer::limits::{REPEATS, SEVERE_PAIN};
use therapy_timer::{Course, Driver, Event, EventKind, Input, Phase};

use super::Ctx;
use crate::alarm::Sound;
use crate::args::Planning;
use crate::clock::Wake;
use crate::error::{refused, CliError};
use crate::notifier::{Notice, Notifier};
use crate::text::{
    end_notice, phase_change_notice, prompt_notice, review_notice, stop_notice, Answering, Stop,
    RED_FLAGS,
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
    /// The session whose stop the caller already sent (at its deadline,
    /// before this step read the state): not sent twice.
    pub stop_sent: Option<u32>,
}

impl<'a> How<'a> {
    /// A step that changes an existing course only, announcing with
    /// notices that name commands.
    pub fn plain(planning: Option<&'a Planning>) -> How<'a> {
        How {
            planning,
            listen: None,
            new: None,
            stop_sent: None,
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
}

/// One event as `tick --json` and `watch --json` print it.
#[derive(Debug, Serialize)]
pub struct Fired<'a> {
    /// The event.
    #[serde(flatten)]
    pub event: &'a Event,
    /// How late it came out, in whole seconds.
    pub late_seconds: u64,
}

impl<'a> Fired<'a> {
    /// `event` as it comes out now.
    pub fn of(event: &'a Event) -> Fired<'a> {
        Fired {
            event,
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
/// recorded.
pub fn step(
    ctx: &Ctx,
    now: DateTime<Utc>,
    input: Option<Input>,
    how: &How<'_>,
    notifier: &mut Notifier,
) -> Result<Option<Step>, CliError> {
    let answering = if how.listen.is_some() {
        Answering::Buttons
    } else {
        Answering::Commands
    };
    let had_input = input.is_some();
    let taken = ctx.store.update(|state| {
        let before = state.driver.clone();
        let (mut driver, created) = match ctx.driver(state, how.planning) {
            Some(d) => (d, false),
            None => match how.new {
                Some(new) => (new()?, true),
                None => return Ok(None),
            },
        };
        let refusal = match input {
            Some(input) => driver.handle_input(input, &Local).err(),
            // A course just recorded gives nothing yet: its first prompt
            // comes from the loops (tick, watch), due from the injury time.
            None if created => None,
            None => {
                driver.handle_timeout(now, &Local);
                None
            }
        };
        let events: Vec<Event> = std::iter::from_fn(|| driver.poll_event()).collect();
        let events: Vec<Event> = events
            .into_iter()
            .filter(|e| still_open(e, driver.course(), had_input))
            .collect();
        // Safety first: before the write, which can fail (a full disk).
        for e in events.iter().filter(|e| e.safety) {
            let sent =
                e.kind == EventKind::Stop && e.session.is_some() && e.session == how.stop_sent;
            if !sent {
                announce(notifier, e, driver.course(), now, how.listen, answering);
            }
        }
        // Every event to the hook, in order, once: they came out under the lock.
        for e in &events {
            notifier.hook(&Fired::of(e).json(), None);
        }
        // A tick that only moved the clock on writes nothing (no write a
        // minute from cron for nothing).
        let changed = before.is_none_or(|b| !same_but_now(&b, &driver));
        if changed && !(created && refusal.is_some()) {
            state.driver = Some(driver.clone());
        }
        Ok(Some((driver, events, refusal)))
    })?;
    let Some((driver, events, refusal)) = taken else {
        return Ok(None);
    };
    for e in events.iter().filter(|e| !e.safety) {
        announce(notifier, e, driver.course(), now, how.listen, answering);
    }
    if let Some(e) = refusal {
        return Err(refused(&e, now));
    }
    Ok(Some(Step { driver, events }))
}

/// Whether two drivers differ only in the time they were last given.
fn same_but_now(a: &Driver, b: &Driver) -> bool {
    let strip = |d: &Driver| {
        let mut v = serde_json::to_value(d).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.remove("now");
        }
        v
    };
    strip(a) == strip(b)
}

/// Whether `event` still needs saying: a prompt that the input answered
/// (a start, a skip) is not announced, nor a reminder to take off a pack
/// that the input said is off (a new session started).
fn still_open(event: &Event, course: &Course, input: bool) -> bool {
    match event.kind {
        EventKind::Prompt => course.open_prompt().is_some_and(|p| p.due == event.due),
        EventKind::Repeat if input => course
            .open_session()
            .is_some_and(|s| Some(s.id) == event.session),
        _ => true,
    }
}

/// Sends the notice for `event`. A loop that listens gets the answers
/// (Start now, Snooze, Skip on a prompt; It's off on a stop) through
/// `listen`, tagged with the prompt's due time or the session's start.
/// Returns whether it went to the desktop.
pub fn announce(
    notifier: &mut Notifier,
    event: &Event,
    course: &Course,
    now: DateTime<Utc>,
    listen: Option<&Sender<Wake>>,
    answering: Answering,
) -> bool {
    let session = event.session.and_then(|id| course.session(id));
    let tag = session.map_or(event.due, |s| s.start);
    let notice = notice_for(event, course, now, listen.is_some(), answering);
    let shown = match listen {
        Some(to) if !notice.actions.is_empty() => notifier.send_with_actions(&notice, tag, to),
        _ => notifier.send(&notice),
    };
    match event.kind {
        EventKind::Stop | EventKind::Repeat => notifier.sound(Sound::Stop),
        EventKind::Prompt => notifier.sound(Sound::Prompt),
        _ => {}
    }
    if shown && event.safety && std::io::stderr().is_terminal() {
        // Heard by someone away from the screen.
        eprint!("\x07");
    }
    shown
}

/// The notice for `event`, worded from the course as it is now.
pub fn notice_for(
    event: &Event,
    course: &Course,
    now: DateTime<Utc>,
    button: bool,
    answering: Answering,
) -> Notice {
    let protocol = course.protocol();
    match event.kind {
        EventKind::Stop | EventKind::Repeat => {
            let next_from = course.readiness(now).earliest(now);
            let stop = if event.kind == EventKind::Repeat {
                Stop::Repeat {
                    n: event.repeat,
                    of: REPEATS,
                    due: event
                        .session
                        .and_then(|id| course.session(id))
                        .map_or(event.due, |s| s.end),
                }
            } else if event.is_late() {
                Stop::Late { due: event.due }
            } else {
                Stop::OnTime
            };
            stop_notice(event.phase, stop, next_from, now, button)
        }
        EventKind::Prompt => prompt_notice(event.phase, protocol.dose(event.phase).on, answering),
        EventKind::PhaseChange => {
            let heat = protocol.dose(Phase::Heat);
            phase_change_notice(protocol.acute_window(), heat.on, heat.rest)
        }
        EventKind::CourseEnd => with_trend(end_notice(course.ended_at().is_some()), event),
        EventKind::SeeClinician => {
            let score = event.trend.map_or(SEVERE_PAIN, |t| t.latest);
            Notice {
                summary: format!("Pain {score} of 10: see a clinician"),
                body: format!(
                    "Pain this strong is worth a clinician's look, whatever day of the \
                     course it is. {RED_FLAGS}"
                ),
                urgency: therapy_timer::Urgency::Normal,
                expire: None,
                actions: Vec::new(),
                sound: None,
            }
        }
        _ => with_trend(review_notice(), event),
    }
}

/// A review or end notice that also says what the pain scores say: no
/// better since the first score, or a severe latest score.
fn with_trend(mut notice: Notice, event: &Event) -> Notice {
    let Some(t) = event.trend else {
        return notice;
    };
    if t.is_no_better() {
        let days = (t.latest_at - t.first_at).num_hours().div_euclid(24).max(1);
        notice.summary = format!(
            "No better after {}: see a clinician",
            crate::text::count(u64::try_from(days).unwrap_or(1), "day", "days")
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

/// A short line for the terminal about `event`.
pub fn describe(event: &Event) -> String {
    let phase = event.phase;
    let late = if event.is_late() {
        format!(
            " (due {}, {}s late)",
            event.due.to_rfc3339(),
            event.late().as_secs()
        )
    } else {
        String::new()
    };
    match event.kind {
        EventKind::Stop => format!("stop: take the {phase} off{late}"),
        EventKind::Repeat => format!(
            "stop, reminder {} of {REPEATS}: take the {phase} off (due {})",
            event.repeat,
            event.due.to_rfc3339()
        ),
        EventKind::Prompt => format!("prompt: time for {phase}{late}"),
        EventKind::PhaseChange => "phase change: heat from now on".into(),
        EventKind::Review => "clinician reminder".into(),
        EventKind::CourseEnd => "course over: no more reminders".into(),
        EventKind::SeeClinician => "pain 8 or more: see a clinician".into(),
        _ => "event".into(),
    }
}
