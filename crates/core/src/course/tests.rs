//! The course's rules: the record, the rest, the plan and its JSON.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Berlin;

use super::Course;
use crate::entry::{Entry, Removed};
use crate::error::Error;
use crate::pain::PainScore;
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

fn pain(at: DateTime<Utc>, score: u8) -> PainScore {
    PainScore::new(at, score, None).unwrap()
}

#[test]
fn sessions_and_scores_share_one_numbering_and_undo_takes_the_last_of_either() {
    let mut c = course();
    let s1 = c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
    let p1 = c.record_pain(pain(t(1, 9, 15), 7)).unwrap();
    // Written down earlier, entered now: filed by time, numbered last.
    let p2 = c.record_pain(pain(t(1, 8, 30), 8)).unwrap();
    assert_eq!((s1, p1, p2), (1, 2, 3));
    let scores: Vec<_> = c.pain_scores().iter().map(|p| (p.id, p.score)).collect();
    assert_eq!(scores, [(3, 8), (2, 7)]);
    let order: Vec<_> = c.entries().map(|e| e.id()).collect();
    assert_eq!(order, [3, 1, 2]);

    assert!(matches!(c.last_recorded(), Some(Entry::Pain(p)) if p.id == 3));
    assert!(matches!(c.remove(3), Ok(Removed::Pain(p)) if p.score == 8));
    assert!(matches!(c.last_recorded(), Some(Entry::Pain(p)) if p.id == 2));
    assert!(matches!(c.remove(2), Ok(Removed::Pain(_))));
    assert!(matches!(c.last_recorded(), Some(Entry::Session(s)) if s.id == 1));
    assert_eq!(c.remove(2), Err(Error::NoSuchSession { id: 2 }));
    assert_eq!(
        Error::NoSuchSession { id: 2 }.to_string(),
        "no session or pain score has id 2; the log lists the ids"
    );
    // Ids are never given twice, even after a removal.
    assert_eq!(c.record_pain(pain(t(1, 10, 0), 5)).unwrap(), 4);
}

#[test]
fn scores_survive_json_and_are_checked_when_read() {
    let mut c = course();
    c.record(session(Phase::Ice, t(1, 9, 0), 10)).unwrap();
    c.record_pain(PainScore::new(t(1, 9, 15), 7, Some("sharp, \"left\" side".into())).unwrap())
        .unwrap();
    let json = c.to_json();
    assert!(
        json.contains(r#""pain":[{"id":2,"at":"2026-03-01T09:15:00Z","score":7,"note":"sharp, \"left\" side"}]"#),
        "{json}"
    );
    let back = Course::from_json(&json).unwrap();
    assert_eq!(back, c);
    // The numbering goes on after reading.
    let mut back = back;
    assert_eq!(back.record_pain(pain(t(1, 11, 0), 6)).unwrap(), 3);
    // No scores: no key (older readers of format 2 read it).
    assert!(!course().to_json().contains("pain"));

    let base = r#"{"format":2,"injured_at":"2026-03-01T08:00:00Z","sessions":[],"pain":[PAIN]}"#;
    let with = |p: &str| base.replace("PAIN", p);
    assert_eq!(
        Course::from_json(&with(r#"{"id":1,"at":"2026-03-01T09:00:00Z","score":11}"#)),
        Err(Error::PainOutOfRange { score: 11 })
    );
    let long = format!(
        r#"{{"id":1,"at":"2026-03-01T09:00:00Z","score":3,"note":"{}"}}"#,
        "x".repeat(501)
    );
    assert_eq!(
        Course::from_json(&with(&long)),
        Err(Error::PainNoteTooLong { chars: 501 })
    );
    assert!(matches!(
        Course::from_json(&with(r#"{"id":1,"at":"2026-03-01T07:00:00Z","score":3}"#)),
        Err(Error::BeforeInjury { .. })
    ));
    // Beyond a byte, or negative: serde's error, still typed as data.
    assert!(matches!(
        Course::from_json(&with(r#"{"id":1,"at":"2026-03-01T09:00:00Z","score":300}"#)),
        Err(Error::Data { .. })
    ));
}

#[test]
fn ids_repeated_across_sessions_and_scores_are_given_again_in_time_order() {
    let json = r#"{"format":2,"injured_at":"2026-03-01T08:00:00Z","sessions":[
        {"id":1,"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"}],
        "pain":[{"id":1,"at":"2026-03-01T12:00:00Z","score":4},{"id":2,"at":"2026-03-01T08:30:00Z","score":6}]}"#;
    let c = Course::from_json(json).unwrap();
    let order: Vec<_> = c.entries().map(|e| (e.id(), e.at())).collect();
    assert_eq!(order, [(1, t(1, 8, 30)), (2, t(1, 9, 0)), (3, t(1, 12, 0))]);
    let mut c = c;
    assert_eq!(c.record_pain(pain(t(1, 13, 0), 3)).unwrap(), 4);
}

#[test]
fn a_score_is_refused_before_the_injury_and_moves_an_unknown_injury_back() {
    let mut c = course();
    assert_eq!(
        c.record_pain(pain(t(1, 7, 0), 5)),
        Err(Error::BeforeInjury {
            at: t(1, 7, 0),
            injured_at: t(1, 8, 0)
        })
    );
    let mut bad = pain(t(1, 9, 0), 5);
    bad.score = 12;
    assert_eq!(c.record_pain(bad), Err(Error::PainOutOfRange { score: 12 }));
    assert!(c.pain_scores().is_empty(), "nothing changed on an error");

    let mut unknown = Course::without_injury(t(1, 9, 0), Protocol::default()).unwrap();
    unknown.record_pain(pain(t(1, 8, 0), 5)).unwrap();
    assert_eq!(unknown.injured_at(), t(1, 8, 0));
    assert_eq!(
        unknown.correct_injury(t(1, 8, 30)),
        Err(Error::InjuryAfterSession {
            injured_at: t(1, 8, 30),
            first: t(1, 8, 0)
        })
    );
}

#[test]
fn the_trend_counts_the_scores_up_to_a_time() {
    let mut c = course();
    assert_eq!(c.pain_trend(t(9, 0, 0)), None);
    c.record_pain(pain(t(1, 9, 0), 7)).unwrap();
    c.record_pain(pain(t(4, 9, 0), 7)).unwrap();
    c.record_pain(pain(t(6, 9, 0), 4)).unwrap();
    let at_review = c.pain_trend(t(4, 8, 0)).unwrap();
    assert_eq!(at_review.count, 1);
    assert!(!at_review.is_no_better(), "one score: nothing to compare");
    let day4 = c.pain_trend(t(4, 9, 0)).unwrap();
    assert!(day4.is_no_better());
    let end = c.pain_trend(t(8, 8, 0)).unwrap();
    assert!(!end.is_no_better());
    assert_eq!(
        (end.first, end.latest, end.highest, end.count),
        (7, 4, 7, 3)
    );
}
