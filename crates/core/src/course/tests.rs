//! The course's rules: the record, the rest, the plan and its JSON.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Berlin;

use super::Course;
use crate::error::Error;
use crate::phase::Phase;
use crate::protocol::Protocol;
use crate::quiet_hours::QuietHours;
use crate::readiness::Readiness;
use crate::session::{OffBy, Session};

fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
}

fn course() -> Course {
    Course::new(t(1, 8, 0), Protocol::default()).unwrap()
}

fn session(phase: Phase, start: DateTime<Utc>, minutes: i64) -> Session {
    Session::completed(phase, start, start + TimeDelta::minutes(minutes)).unwrap()
}

#[test]
fn phase_changes_at_the_end_of_the_acute_window() {
    let c = course();
    assert_eq!(c.phase_at(t(3, 7, 59)), Phase::Ice);
    assert_eq!(c.phase_at(t(3, 8, 0)), Phase::Heat);
}

#[test]
fn a_forced_short_session_does_not_cancel_the_hour_after_ice() {
    let mut c = course();
    c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
    c.record(session(Phase::Heat, t(1, 9, 20), 5).forced_start())
        .unwrap();
    assert_eq!(c.rest_until().unwrap().0, t(1, 10, 10));
    assert_eq!(
        c.readiness(t(1, 9, 50)),
        Readiness::Resting {
            after: Phase::Ice,
            until: t(1, 10, 10)
        }
    );
    assert_eq!(c.next_prompt(&Utc), Some(t(1, 10, 30)));
}

#[test]
fn record_keeps_order_refuses_overlaps_and_times_before_the_injury() {
    let mut c = course();
    c.record(session(Phase::Ice, t(1, 12, 0), 10)).unwrap();
    c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
    assert_eq!(c.sessions()[0].start, t(1, 9, 0));
    assert_eq!(c.sessions()[0].id, 2, "ids are given in the order recorded");
    assert_eq!(
        c.record(session(Phase::Ice, t(1, 11, 55), 10)),
        Err(Error::SessionOverlaps {
            start: t(1, 12, 0),
            previous_end: t(1, 12, 5)
        })
    );
    assert!(c.record(session(Phase::Heat, t(1, 9, 10), 5)).is_ok());
    assert!(matches!(
        c.record(session(Phase::Ice, t(1, 7, 0), 10)),
        Err(Error::BeforeInjury { .. })
    ));
}

#[test]
fn rest_is_real_time_across_a_clock_change() {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    let injured = Berlin.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
    let c = Course::new(injured.with_timezone(&Utc), Protocol::default()).unwrap();
    let plan: Vec<_> = c.plan(c.injured_at(), &Berlin).take(2).collect();
    assert_eq!(plan[1].start - plan[0].end, TimeDelta::minutes(60));
    assert_eq!(
        plan[1]
            .start
            .with_timezone(&Berlin)
            .format("%H:%M")
            .to_string(),
        "03:10"
    );
}

#[test]
fn quiet_hours_move_prompts_to_the_morning() {
    let c = Course::new(t(1, 20, 0), Protocol::default())
        .unwrap()
        .with_quiet_hours(Some(QuietHours::default()));
    let starts: Vec<_> = c.plan(t(1, 20, 0), &Utc).take(4).map(|s| s.start).collect();
    assert_eq!(starts, [t(1, 20, 0), t(1, 21, 10), t(2, 7, 0), t(2, 8, 10)]);
}

#[test]
fn json_round_trip_and_the_first_format() {
    let mut c = course().with_quiet_hours(Some(QuietHours::default()));
    c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
    assert_eq!(Course::from_json(&c.to_json()).unwrap(), c);
    assert_eq!(serde_json::from_str::<Course>(&c.to_json()).unwrap(), c);

    let first = r#"{"injured_at":"2026-03-01T08:00:00Z","quiet_hours":"22:00-07:00",
        "not_before":"2026-03-01T12:00:00Z","sessions":[
        {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"}]}"#;
    let old = Course::from_json(first).unwrap();
    assert_eq!(old.sessions()[0].off.map(|o| o.by), Some(OffBy::Stopped));
    assert_eq!(old.sessions()[0].id, 1);

    let overlapping = r#"{"injured_at":"2026-03-01T08:00:00Z","sessions":[
        {"phase":"ice","start":"2026-03-01T09:05:00Z","end":"2026-03-01T09:15:00Z","outcome":"completed"},
        {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"}]}"#;
    assert!(matches!(
        Course::from_json(overlapping),
        Err(Error::SessionOverlaps { .. })
    ));
    assert!(matches!(Course::from_json("[]"), Err(Error::Data { .. })));
}

#[test]
fn regression_reading_newest_first_is_not_quadratic() {
    // 20,000 sessions newest first: sorted once, not inserted one by one.
    let mut sessions = Vec::new();
    for i in (0..20_000i64).rev() {
        let start = t(1, 8, 0) + TimeDelta::hours(2 * i);
        sessions.push(format!(
            r#"{{"phase":"ice","start":"{}","end":"{}","outcome":"completed"}}"#,
            start.to_rfc3339(),
            (start + TimeDelta::minutes(10)).to_rfc3339()
        ));
    }
    let json = format!(
        r#"{{"injured_at":"2026-03-01T08:00:00Z","sessions":[{}]}}"#,
        sessions.join(",")
    );
    let c = Course::from_json(&json).unwrap();
    assert_eq!(c.sessions().len(), 20_000);
    assert!(c.sessions().windows(2).all(|w| w[0].start < w[1].start));
}

#[test]
fn remove_refuses_a_session_that_may_be_on() {
    let mut c = course();
    let id = c
        .record(
            Session::running(Phase::Ice, t(1, 9, 0), std::time::Duration::from_secs(600)).unwrap(),
        )
        .unwrap();
    assert_eq!(c.remove(id), Err(Error::SessionRunning { id }));
    assert_eq!(c.remove(99), Err(Error::NoSuchSession { id: 99 }));
}
