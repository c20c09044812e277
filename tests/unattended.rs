//! `tick` (cron, systemd timers) and `watch`: each due event fired once,
//! only what matters after a gap, the ice stop even in quiet hours.

use std::collections::HashSet;
use std::process::Stdio;

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde_json::Value;

use crate::util::Env;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// Runs `tick --json` at `when` and returns the events it fired.
fn tick(env: &Env, when: DateTime<Utc>) -> Vec<Value> {
    let r = env.run(["tick", "--json", "--at", &when.to_rfc3339()]);
    r.no_panic().ok();
    r.stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{}", r.report())))
        .collect()
}

fn kinds(fired: &[Value]) -> Vec<(String, String, i64)> {
    fired
        .iter()
        .map(|f| {
            (
                f["event"].as_str().unwrap_or_default().to_owned(),
                f["at"].as_str().unwrap_or_default().to_owned(),
                f["late_seconds"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

#[test]
fn overlapping_ticks_over_a_day_fire_each_event_once() {
    let env = Env::new();
    let injured = at("2026-03-01T06:00:00Z");
    env.run([
        "injury",
        "2026-03-01T06:00:00Z",
        "--at",
        "2026-03-01T06:00:00Z",
    ])
    .ok();
    let mut fired = Vec::new();
    // Every minute for a day, two ticks at once (a cron job and a timer, or
    // a slow run overlapping the next).
    for minute in 0..24 * 60 {
        let when = (injured + TimeDelta::minutes(minute)).to_rfc3339();
        let children: Vec<_> = (0..2)
            .map(|_| {
                env.cmd(["tick", "--json", "--at", &when])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn tick")
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().expect("wait");
            assert!(out.status.success(), "tick at {when} failed");
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                fired.push(serde_json::from_str::<Value>(line).expect("JSON line"));
            }
        }
    }
    let keys: Vec<_> = kinds(&fired).into_iter().map(|(k, a, _)| (k, a)).collect();
    let unique: HashSet<_> = keys.iter().cloned().collect();
    assert_eq!(unique.len(), keys.len(), "an event fired twice: {keys:#?}");

    let log = env.run(["log", "--json"]).ok().json();
    let sessions = log.as_array().expect("log array");
    let starts = keys.iter().filter(|(k, _)| k == "prompt").count();
    let stops = keys.iter().filter(|(k, _)| k == "stop").count();
    assert_eq!(starts, sessions.len());
    assert_eq!(
        stops,
        sessions.len(),
        "every session stopped within the day"
    );
    // 06:00 is in quiet hours (22:00-07:00): from 07:00 every 70 minutes,
    // the last at 21:00, is 13 sessions, then none until 07:00.
    assert_eq!(sessions.len(), 13, "{sessions:#?}");
    assert_eq!(sessions[0]["start"], "2026-03-01T07:00:00Z");
    assert!(
        kinds(&fired).iter().all(|(_, _, late)| *late == 0),
        "{fired:#?}"
    );
    let times: Vec<_> = sessions
        .iter()
        .map(|s| {
            (
                at(s["start"].as_str().unwrap()),
                at(s["end"].as_str().unwrap()),
            )
        })
        .collect();
    for w in times.windows(2) {
        assert!(
            w[1].0 - w[0].1 >= TimeDelta::minutes(60),
            "rest broken: {w:?}"
        );
    }
    for (start, _) in &times {
        assert!(
            (7..22).contains(&start.hour()),
            "a start in quiet hours: {start}"
        );
    }
}

#[test]
fn after_a_gap_only_what_matters_now_fires() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    assert_eq!(
        kinds(&tick(&env, at("2026-03-01T08:00:00Z")))[0].0,
        "prompt"
    );
    assert!(tick(&env, at("2026-03-01T08:05:00Z")).is_empty());
    // The machine sleeps from 08:05 to 13:05: the ice stop was due at 08:10
    // and four starts were missed. Only the stop (late) and one start fire.
    let fired = tick(&env, at("2026-03-01T13:05:00Z"));
    assert_eq!(
        kinds(&fired),
        [
            ("stop".to_owned(), "2026-03-01T08:10:00Z".to_owned(), 17_700),
            ("prompt".to_owned(), "2026-03-01T13:05:00Z".to_owned(), 0),
        ]
    );
    assert_eq!(fired[0]["urgency"], "critical");
    let r = env.run(["tick", "--at", "2026-03-01T13:05:30Z"]);
    assert_eq!(
        r.ok().stdout(),
        "",
        "a second tick in the same minute fired again"
    );
}

#[test]
fn the_ice_stop_fires_in_quiet_hours_but_no_start_does() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T21:00:00Z",
        "--at",
        "2026-03-01T21:55:00Z",
    ])
    .ok();
    assert_eq!(
        kinds(&tick(&env, at("2026-03-01T21:55:00Z")))[0].0,
        "prompt"
    );
    let stop = tick(&env, at("2026-03-01T22:05:00Z"));
    assert_eq!(
        kinds(&stop),
        [("stop".to_owned(), "2026-03-01T22:05:00Z".to_owned(), 0)]
    );
    assert_eq!(stop[0]["urgency"], "critical");
    assert!(
        tick(&env, at("2026-03-01T23:10:00Z")).is_empty(),
        "a start in quiet hours"
    );
    assert!(tick(&env, at("2026-03-02T06:59:00Z")).is_empty());
    let morning = tick(&env, at("2026-03-02T07:00:00Z"));
    assert_eq!(
        kinds(&morning),
        [("prompt".to_owned(), "2026-03-02T07:00:00Z".to_owned(), 0)]
    );
}

#[test]
fn the_clinician_reminder_fires_once() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-04T08:30:00Z",
    ])
    .ok();
    let first = tick(&env, at("2026-03-04T08:30:00Z"));
    assert!(
        kinds(&first).iter().any(|(k, _, _)| k == "review"),
        "{first:#?}"
    );
    let later = tick(&env, at("2026-03-04T08:41:00Z"));
    assert!(
        kinds(&later).iter().all(|(k, _, _)| k != "review"),
        "{later:#?}"
    );
}

#[test]
fn tick_without_a_course_does_nothing_quietly() {
    let env = Env::new();
    let r = env.run(["tick"]);
    assert_eq!(
        (r.ok().stdout(), r.stderr()),
        (String::new(), String::new())
    );
    assert!(!env.state_file().exists());
}
