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
                f["due"].as_str().unwrap_or_default().to_owned(),
                f["late_seconds"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

/// Starts a 10-minute ice session at `when` whose `start` process is
/// killed: see [`Env::start_and_kill`].
pub fn start_and_kill(env: &Env, when: &str) {
    env.start_and_kill(when);
}

#[test]
fn overlapping_ticks_over_a_day_give_each_prompt_once_and_log_nothing() {
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
    // 06:00 is in quiet hours (22:00-07:00): from 07:00 every 70 minutes,
    // the last at 21:00, is 13 prompts, then none until 07:00.
    let prompts: Vec<_> = keys.iter().filter(|(k, _)| k == "prompt").collect();
    assert_eq!(prompts.len(), 13, "{keys:#?}");
    assert_eq!(prompts[0].1, "2026-03-01T07:00:00Z");
    for (_, due) in &prompts {
        assert!(
            (7..22).contains(&at(due).hour()),
            "a prompt in quiet hours: {due}"
        );
    }
    assert!(
        kinds(&fired).iter().all(|(_, _, late)| *late == 0),
        "{fired:#?}"
    );
    // A prompt is not a session: nobody started one, so none is logged.
    let log = env.run(["log", "--json"]).ok().json();
    assert_eq!(log.as_array().map(Vec::len), Some(0), "{log:#?}");
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
    start_and_kill(&env, "2026-03-01T08:00:00Z");
    assert!(tick(&env, at("2026-03-01T08:05:00Z")).is_empty());
    // The machine sleeps from 08:05 to 13:05: the ice stop was due at 08:10
    // and prompts went by. Only the stop (late) and the latest prompt come
    // out. (Nobody said the ice was off, so its rest counts from its last
    // reminder, 08:25: prompts at 09:25, 10:35, 11:45, 12:55.)
    let fired = tick(&env, at("2026-03-01T13:05:00Z"));
    assert_eq!(
        kinds(&fired),
        [
            ("stop".to_owned(), "2026-03-01T08:10:00Z".to_owned(), 17_700),
            ("prompt".to_owned(), "2026-03-01T12:55:00Z".to_owned(), 600),
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
fn the_ice_stop_and_its_reminders_come_in_quiet_hours_but_no_prompt_does() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T21:00:00Z",
        "--at",
        "2026-03-01T21:55:00Z",
    ])
    .ok();
    start_and_kill(&env, "2026-03-01T21:55:00Z");
    let mut fired = Vec::new();
    let mut t = at("2026-03-01T22:00:00Z");
    while t <= at("2026-03-02T07:00:00Z") {
        fired.extend(tick(&env, t));
        t += TimeDelta::minutes(5);
    }
    let k: Vec<_> = kinds(&fired).into_iter().map(|(k, d, _)| (k, d)).collect();
    let expected: Vec<(String, String)> = [
        ("stop", "2026-03-01T22:05:00Z"),
        ("repeat", "2026-03-01T22:10:00Z"),
        ("repeat", "2026-03-01T22:15:00Z"),
        ("repeat", "2026-03-01T22:20:00Z"),
        ("prompt", "2026-03-02T07:00:00Z"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(k, expected);
    assert!(fired[..4].iter().all(|f| f["urgency"] == "critical"));
    assert_eq!(fired[4]["urgency"], "normal");
}

#[test]
fn the_clinician_reminder_fires_once() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-03T08:30:00Z",
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

/// Regression: injury 20:00, a session at 20:10, no tick until 23:45:
/// `tick` gave "Time for ice" at 23:45, in quiet hours (22:00-07:00). A
/// prompt whose time passed before quiet hours is not given during them;
/// the next comes at 07:00.
#[test]
fn after_a_gap_a_prompt_due_before_quiet_hours_waits_for_their_end_at_23_45() {
    let env = Env::new();
    env.config("quiet_hours = \"22:00-07:00\"\n");
    env.run([
        "injury",
        "2026-03-01T20:00:00Z",
        "--at",
        "2026-03-01T20:00:00Z",
    ])
    .ok();
    env.run([
        "start",
        "--phase",
        "ice",
        "--duration",
        "1s",
        "--linger",
        "0s",
        "--at",
        "2026-03-01T20:10:00Z",
    ])
    .ok();
    env.run(["stop", "--at", "2026-03-01T20:11:00Z"]).ok();
    let fired = tick(&env, at("2026-03-01T23:45:00Z"));
    assert!(
        fired.iter().all(|f| f["event"] != "prompt"),
        "a prompt in quiet hours: {fired:?}"
    );
    let fired = tick(&env, at("2026-03-02T07:00:30Z"));
    let prompts: Vec<_> = kinds(&fired)
        .into_iter()
        .filter(|k| k.0 == "prompt")
        .map(|k| k.1)
        .collect();
    assert_eq!(prompts, ["2026-03-02T07:00:00Z"], "{fired:?}");
}

/// Regression: `tick`'s terminal lines printed raw UTC and seconds
/// (`due 2026-12-02T01:13:26+00:00, 3000s late`). They say the local time as
/// `status` does and the lateness as people read it.
#[test]
fn regression_tick_lines_say_local_times_and_human_lateness() {
    let env = Env::in_zone("Europe/Berlin");
    let lines = |when: &str| {
        let r = env.run(["tick", "--at", when]);
        r.ok().stdout()
    };
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    // The first prompt, due at the injury (09:00 in Berlin), given 50
    // minutes late.
    assert_eq!(
        lines("2026-03-01T08:50:00Z"),
        "prompt: time for ice (due 09:00, 50m late)\n"
    );
    start_and_kill(&env, "2026-03-01T09:00:00Z");
    assert_eq!(
        lines("2026-03-01T09:13:20Z"),
        "stop: take the ice off (due 10:10, 3m 20s late)\n"
    );
    assert_eq!(
        lines("2026-03-01T09:15:00Z"),
        "stop, reminder 1 of 3: take the ice off (due 10:15)\n"
    );
}

/// Regression: `watch --injured-at` on an empty state ignored the flag
/// ("no injury time is recorded"). It records the course with that injury
/// time, as `start --injured-at` does, and times the prompts from it.
#[test]
fn regression_watch_records_the_injured_at_it_is_given() {
    let env = Env::new();
    let r = env.run([
        "watch",
        "--injured-at",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:30:00Z",
        "--until",
        "2026-03-01T08:30:02Z",
        "--quiet-hours",
        "off",
    ]);
    r.no_panic()
        .ok()
        .stdout_has("Injury recorded: Sun 01 Mar 2026 08:00 +00:00 (30m ago).")
        .stdout_has("prompt: time for ice (due 08:00, 30m late)");
    let status = env
        .run(["status", "--json", "--at", "2026-03-01T08:31:00Z"])
        .ok()
        .json();
    assert_eq!(status["injured_at"], "2026-03-01T08:00:00Z", "{status}");
    // A different time than the one recorded is refused, as by `start`.
    env.run([
        "watch",
        "--injured-at",
        "2026-03-01T07:00:00Z",
        "--at",
        "2026-03-01T08:32:00Z",
        "--until",
        "2026-03-01T08:32:02Z",
    ])
    .code_is(2)
    .stderr_has("the course recorded has its injury at Sun 01 Mar 2026 08:00 +00:00");
}

/// Regression (as `watch` above): `tick --injured-at` on an empty state did
/// nothing and exited 0, so a cron line with the flag never prompted. It
/// records the course with that time, and gives what is due from it.
#[test]
fn regression_tick_records_the_injured_at_it_is_given() {
    let env = Env::new();
    let tick = |at: &str, injured: &str| {
        env.run([
            "tick",
            "--json",
            "--injured-at",
            injured,
            "--at",
            at,
            "--quiet-hours",
            "off",
        ])
    };
    let r = tick("2026-03-01T08:30:00Z", "2026-03-01T08:00:00Z");
    r.no_panic()
        .ok()
        .stderr_has("Injury recorded: Sun 01 Mar 2026 08:00 +00:00 (30m ago).")
        .stdout_has(r#""event":"prompt""#);
    // Standard output stays JSON lines.
    assert!(
        r.stdout().lines().all(|l| l.starts_with('{')),
        "{}",
        r.report()
    );
    let status = env
        .run(["status", "--json", "--at", "2026-03-01T08:31:00Z"])
        .ok()
        .json();
    assert_eq!(status["injured_at"], "2026-03-01T08:00:00Z", "{status}");
    // The same time again: nothing new to record, nothing given twice.
    let again = tick("2026-03-01T08:31:00Z", "2026-03-01T08:00:00Z");
    again.ok();
    assert_eq!(again.stdout(), "", "{}", again.report());
    tick("2026-03-01T08:32:00Z", "2026-03-01T07:00:00Z")
        .code_is(2)
        .stderr_has("the course recorded has its injury at Sun 01 Mar 2026 08:00 +00:00");
}
