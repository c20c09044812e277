//! `therapy-timer log` (list, add, remove) and `therapy-timer undo`.

use chrono::{DateTime, Local, TimeDelta, Utc};
use serde::Serialize;
use therapy_timer::{Course, Input, OffBy, Outcome, Phase, Session};

use super::drive::{self, How};
use super::{print_json, Ctx, NO_INJURY};
use crate::args::{LogAction, LogAddArgs, LogArgs, LoggedPhase};
use crate::error::CliError;
use crate::text::{clock, count, full, span};

pub fn run(args: &LogArgs) -> Result<(), CliError> {
    match &args.action {
        Some(LogAction::Add(a)) => add(&Ctx::new(&a.when)?, a),
        Some(LogAction::Remove(a)) => remove(&Ctx::new(&a.when)?, a.id),
        None => list(&Ctx::new(&args.when)?, args.json, args.all),
    }
}

/// One log entry as `log --json` prints it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct LogEntry<'a> {
    /// The course, numbered from 1 (oldest first).
    course: usize,
    /// When the course's injury happened; `null` if it was never given.
    injured_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    session: &'a Session,
}

fn list(ctx: &Ctx, json: bool, all: bool) -> Result<(), CliError> {
    // With the earlier courses: their count numbers the current one.
    let state = ctx.store.read_all()?;
    let Some(driver) = state.driver else {
        if json {
            return print_json(&Vec::<()>::new());
        }
        outln!("Nothing logged yet. Start a session with: therapy-timer start");
        return Ok(());
    };
    let past = driver.past_courses();
    let mut courses: Vec<(usize, &Course)> =
        past.iter().enumerate().map(|(i, c)| (i + 1, c)).collect();
    courses.push((past.len() + 1, driver.course()));
    if !all {
        courses.drain(..courses.len() - 1);
    }
    if json {
        let entries: Vec<LogEntry<'_>> = courses
            .iter()
            .flat_map(|(n, c)| {
                c.sessions().iter().map(move |s| LogEntry {
                    course: *n,
                    injured_at: c.injury_known().then(|| c.injured_at()),
                    session: s,
                })
            })
            .collect();
        return print_json(&entries);
    }
    let now = ctx.now();
    for (i, (n, c)) in courses.iter().enumerate() {
        if i > 0 || all {
            if i > 0 {
                outln!();
            }
            outln!("Course {n}: {}", heading(c, now));
        }
        if c.sessions().is_empty() {
            // Pain scores and skin checks may be there all the same.
            outln!("  No ice or heat sessions logged yet. Start one with: therapy-timer start");
        }
        for e in c.entries() {
            match e {
                therapy_timer::Entry::Session(s) => outln!("{}", line(s, now)),
                therapy_timer::Entry::Skin(k) => outln!("{}", skin_line(k)),
                therapy_timer::Entry::Pain(p) => outln!("{}", pain_line(p)),
                _ => {}
            }
        }
    }
    if !all && !past.is_empty() {
        let n = u64::try_from(past.len()).unwrap_or(u64::MAX);
        outln!(
            "({}: `therapy-timer log --all`.)",
            count(n, "earlier course", "earlier courses")
        );
    }
    Ok(())
}

/// "injury Sun 01 Mar 2026 08:00 +00:00, ended Fri 06 Mar ...".
fn heading(c: &Course, now: DateTime<Utc>) -> String {
    let injury = if c.injury_known() {
        format!("injury {}", full(c.injured_at()))
    } else {
        "injury time not given".to_owned()
    };
    let end = match c.ended_at() {
        Some(t) => format!(", ended {}", full(t)),
        None if c.is_over(now) => format!(", over {}", full(c.ends_at())),
        None => String::new(),
    };
    format!("{injury}{end}")
}

/// One skin check, a line: id, day, time, what was found, the note.
fn skin_line(k: &therapy_timer::SkinCheck) -> String {
    point_line(k.id, k.at, "skin", k.skin.as_str(), k.note.as_deref())
}

/// One pain score, a line: id, day, time, the score, the session it is
/// about, the note. With its id, so `log remove ID` works from what is shown.
fn pain_line(p: &therapy_timer::PainScore) -> String {
    let about = p.relation.map(|r| match r.when {
        therapy_timer::PainWhen::Before => format!("before session {}", r.session),
        _ => format!("after session {}", r.session),
    });
    let note = match (about, p.note.as_deref()) {
        (Some(a), Some(n)) => Some(format!("{a}, {n}")),
        (Some(a), None) => Some(a),
        (None, n) => n.map(str::to_owned),
    };
    point_line(
        p.id,
        p.at,
        "pain",
        &format!("{}/10", p.score),
        note.as_deref(),
    )
}

/// An entry at one time (a skin check, a pain score) in the columns of a
/// session's line: the kind under the phase, the value under the length.
fn point_line(id: u32, at: DateTime<Utc>, kind: &str, value: &str, note: Option<&str>) -> String {
    let at = at.with_timezone(&Local);
    let note = note.map_or(String::new(), |n| format!(": {n}"));
    format!(
        "  {id:>3}  {} {}{:6}  {kind:<4}  {value:>7}{note}",
        at.format("%a %d %b"),
        at.format("%H:%M"),
        "",
    )
}

/// One session, a line: id, day, times, phase, length, how it ended.
fn line(s: &Session, now: DateTime<Utc>) -> String {
    let (start, end) = (s.start.with_timezone(&Local), s.end.with_timezone(&Local));
    let how = match (s.outcome, s.off.map(|o| o.by)) {
        (_, Some(OffBy::Logged)) => "logged afterwards".to_owned(),
        (Outcome::CutShort, _) => "cut short".to_owned(),
        (_, None) if s.end > now => "running".to_owned(),
        (_, None) => format!("OVERDUE: due off at {}, not confirmed", clock(s.end, now)),
        (_, Some(OffBy::NoAnswer)) => "completed (stop never confirmed)".to_owned(),
        _ => "completed".to_owned(),
    };
    let mut notes = Vec::new();
    if s.forced {
        notes.push("started before the rest was over (--force)".to_owned());
    }
    if s.over_limit() {
        notes.push("longer than the safety limit".to_owned());
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(", {}", notes.join(", "))
    };
    format!(
        "  {:>3}  {} {}-{}  {:<4}  {:>7}  {how}{notes}",
        s.id,
        start.format("%a %d %b"),
        start.format("%H:%M"),
        end.format("%H:%M"),
        s.phase,
        span(s.length()),
    )
}

fn add(ctx: &Ctx, args: &LogAddArgs) -> Result<(), CliError> {
    let now = ctx.now();
    let phase = match args.phase {
        LoggedPhase::Ice => Phase::Ice,
        LoggedPhase::Heat => Phase::Heat,
    };
    let start = ctx.time("START", &args.start)?;
    let length = args
        .duration
        .unwrap_or_else(|| ctx.protocol().dose(phase).on);
    let end = TimeDelta::from_std(length)
        .ok()
        .and_then(|d| start.checked_add_signed(d))
        .ok_or_else(|| CliError::Usage("--duration: too long".into()))?;
    if end > now {
        return Err(CliError::Usage(format!(
            "the session would end at {}, after now; log sessions that are over (for one \
             now, run `therapy-timer start`)",
            full(end)
        )));
    }
    let session = Session::logged(phase, start, end)?;
    // A log entry before any course: a course for it, without an injury
    // time (so no reminders until one is given).
    let new = || -> Result<therapy_timer::Driver, CliError> {
        Ok(therapy_timer::Driver::new(
            Course::without_injury(start, ctx.protocol())?
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
    let mut notifier = ctx.notifier();
    let step = drive::step(ctx, now, Some(Input::Log { session }), &how, &mut notifier)?
        .ok_or_else(|| CliError::Failure("the session could not be recorded".into()))?;
    let id = step.driver.course().last_recorded().map_or(0, |e| e.id());
    if session.over_limit() {
        errln!(
            "therapy-timer: warning: {} is longer than the safety limit for {}; recorded as \
             it happened, and marked",
            span(length),
            phase
        );
    }
    outln!(
        "Logged {id}: {phase} {} for {}.",
        clock(start, now),
        span(length)
    );
    Ok(())
}

fn remove(ctx: &Ctx, id: u32) -> Result<(), CliError> {
    let now = ctx.now();
    let state = ctx.store.read()?;
    let driver = state
        .driver
        .ok_or_else(|| CliError::Usage(NO_INJURY.into()))?;
    let course = driver.course();
    let pain = course.pain_scores().iter().find(|p| p.id == id);
    let what = match (course.session(id), course.skin_check(id), pain) {
        (Some(s), _, _) => line(s, now).trim_start().to_owned(),
        (None, Some(k), _) => skin_line(k).trim_start().to_owned(),
        (None, None, Some(p)) => pain_line(p).trim_start().to_owned(),
        (None, None, None) => {
            return Err(CliError::Usage(format!(
                "there is no entry {id} in this course's log; `therapy-timer log` shows the ids"
            )))
        }
    };
    let mut notifier = ctx.notifier();
    drive::step(
        ctx,
        now,
        Some(Input::Remove { id }),
        &How::plain(None),
        &mut notifier,
    )?;
    // `what` is the log line, which begins with the id.
    outln!("Removed {what}");
    Ok(())
}

pub fn undo(ctx: &Ctx) -> Result<(), CliError> {
    let now = ctx.now();
    let state = ctx.store.read()?;
    let describe = |e: therapy_timer::Entry<'_>| match e {
        therapy_timer::Entry::Session(s) => line(s, now).trim_start().to_owned(),
        therapy_timer::Entry::Pain(p) => pain_line(p).trim_start().to_owned(),
        therapy_timer::Entry::Skin(k) => skin_line(k).trim_start().to_owned(),
        _ => String::new(),
    };
    // The last change: a removal (put back), else the entry recorded last.
    let course = state.driver.as_ref().map(therapy_timer::Driver::course);
    let (restore, what) = match course.and_then(therapy_timer::Course::removed) {
        Some(therapy_timer::Removed::Session(s)) => {
            (true, describe(therapy_timer::Entry::Session(s)))
        }
        Some(therapy_timer::Removed::Pain(p)) => (true, describe(therapy_timer::Entry::Pain(p))),
        Some(therapy_timer::Removed::Skin(k)) => (true, describe(therapy_timer::Entry::Skin(k))),
        _ => match course.and_then(therapy_timer::Course::last_recorded) {
            Some(e) => (false, describe(e)),
            None => {
                return Err(CliError::Usage(
                    "nothing to undo: this course's log is empty".into(),
                ))
            }
        },
    };
    let mut notifier = ctx.notifier();
    let step = drive::step(
        ctx,
        now,
        Some(Input::Undo),
        &How::plain(None),
        &mut notifier,
    )?;
    match step.and_then(|s| s.applied) {
        Some(therapy_timer::Applied::Restored { .. }) if restore => {
            outln!("Undone: put back {what}");
        }
        Some(therapy_timer::Applied::Removed(_)) => {
            outln!("Undone: removed {what}");
        }
        _ => outln!("Undone."),
    }
    Ok(())
}
