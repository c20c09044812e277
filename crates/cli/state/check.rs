//! What a state read from disk may hold: only what this program can write.
//! The library checks its rules (a session's length, its phase); this
//! checks the times against the clock and the ids against their limit, so
//! that a tampered file (an injury in year -262143, a `now` in 2099) is an
//! error naming the field, not a course the program then acts on.

use chrono::{DateTime, TimeDelta, Utc};
use therapy_timer::{Answer, Course, Driver};

/// How far ahead of the system clock a recorded time may be: the clock of
/// the machine that wrote it may have been a little ahead (and `--at` may
/// write a minute ahead).
const CLOCK_SLACK: TimeDelta = TimeDelta::days(1);

/// Checks `driver`, read at `clock` (the system clock), and the courses
/// kept apart from it. `Err` names the field and the bad value.
pub fn driver(driver: &Driver, clock: DateTime<Utc>) -> Result<(), String> {
    let latest = clock + CLOCK_SLACK;
    if let Some(now) = driver.now() {
        if now > latest {
            return Err(format!(
                "driver.now is {}, after the system clock ({}) by more than a day",
                now.to_rfc3339(),
                clock.to_rfc3339()
            ));
        }
    }
    for (i, c) in driver.past_courses().iter().enumerate() {
        course(c, &format!("driver.past[{i}]"), clock)?;
    }
    course(driver.course(), "driver.course", clock)
}

/// Checks one course; `at` names it in errors.
pub fn course(c: &Course, at: &str, clock: DateTime<Utc>) -> Result<(), String> {
    // Nothing this program records happened before 1970, or after the
    // clock; what it plans (a snooze, an end) is within the course.
    let earliest = DateTime::<Utc>::UNIX_EPOCH;
    let latest = clock + CLOCK_SLACK;
    let happened = |field: String, t: DateTime<Utc>| {
        if t < earliest || t > latest {
            Err(format!(
                "{at}.{field} is {}, which is not between 1970 and the system clock",
                t.to_rfc3339()
            ))
        } else {
            Ok(())
        }
    };
    happened("injured_at".into(), c.injured_at())?;
    // A course lasts at most 30 days, so this bounds every planned time.
    let planned_limit = c.ends_at().max(latest) + CLOCK_SLACK;
    let planned = |field: String, t: DateTime<Utc>| {
        if t < earliest || t > planned_limit {
            Err(format!(
                "{at}.{field} is {}, outside the course (it ends {})",
                t.to_rfc3339(),
                c.ends_at().to_rfc3339()
            ))
        } else {
            Ok(())
        }
    };
    if let Some(t) = c.ended_at() {
        happened("ended_at".into(), t)?;
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut id = |field: String, n: u32| {
        // The next entry takes the highest id plus one.
        if n == u32::MAX {
            return Err(format!(
                "{at}.{field} is {n}, the largest id there is (the next one would repeat it)"
            ));
        }
        if !ids.insert(n) {
            return Err(format!("{at}.{field} is {n}, an id used twice"));
        }
        Ok(())
    };
    for (i, s) in c.sessions().iter().enumerate() {
        id(format!("sessions[{i}].id"), s.id)?;
        happened(format!("sessions[{i}].start"), s.start)?;
        planned(format!("sessions[{i}].end"), s.end)?;
        if let Some(off) = s.off {
            if off.at < s.start {
                return Err(format!(
                    "{at}.sessions[{i}].off.at is {}, before the session's start ({})",
                    off.at.to_rfc3339(),
                    s.start.to_rfc3339()
                ));
            }
            happened(format!("sessions[{i}].off.at"), off.at)?;
        }
    }
    for (i, p) in c.pain_scores().iter().enumerate() {
        id(format!("pain[{i}].id"), p.id)?;
        happened(format!("pain[{i}].at"), p.at)?;
    }
    for (i, p) in c.prompts().iter().enumerate() {
        planned(format!("prompts[{i}].due"), p.due)?;
        match p.answer {
            Answer::Started { at: t } | Answer::Skipped { at: t } => {
                happened(format!("prompts[{i}].answer.at"), t)?;
            }
            Answer::Snoozed { at: t, until } => {
                happened(format!("prompts[{i}].answer.at"), t)?;
                planned(format!("prompts[{i}].answer.until"), until)?;
            }
            _ => {}
        }
    }
    Ok(())
}
