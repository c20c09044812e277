//! `plan`, `next` and `status` for a known injury: exact outputs.

use serde_json::json;

use crate::util::Env;

const INJURED: &str = "2026-03-01T08:00:00Z";

#[test]
fn plan_json_for_a_known_injury() {
    let env = Env::new();
    let r = env.run([
        "plan",
        "--json",
        "--injured-at",
        INJURED,
        "--at",
        INJURED,
        "--for",
        "4h",
        "--quiet-hours",
        "off",
    ]);
    r.ok();
    assert_eq!(
        r.json(),
        json!([
            {"phase": "ice", "start": "2026-03-01T08:00:00Z", "end": "2026-03-01T08:10:00Z"},
            {"phase": "ice", "start": "2026-03-01T09:10:00Z", "end": "2026-03-01T09:20:00Z"},
            {"phase": "ice", "start": "2026-03-01T10:20:00Z", "end": "2026-03-01T10:30:00Z"},
            {"phase": "ice", "start": "2026-03-01T11:30:00Z", "end": "2026-03-01T11:40:00Z"},
        ])
    );
}

#[test]
fn plan_moves_starts_out_of_local_quiet_hours() {
    // 20:00 in Berlin is 19:00 UTC; 22:20 local is quiet, so 07:00 local.
    let env = Env::in_zone("Europe/Berlin");
    let r = env.run([
        "plan",
        "--json",
        "--injured-at",
        "2026-03-01T18:00:00Z",
        "--from",
        "2026-03-01T19:00:00Z",
        "--for",
        "12h",
    ]);
    let starts: Vec<_> = r
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].clone())
        .collect();
    assert_eq!(
        starts,
        [
            json!("2026-03-01T19:00:00Z"),
            json!("2026-03-01T20:10:00Z"),
            json!("2026-03-02T06:00:00Z")
        ]
    );
}

#[test]
fn plan_switches_to_heat_after_the_acute_window() {
    let env = Env::new();
    let r = env.run([
        "plan",
        "--json",
        "--injured-at",
        INJURED,
        "--at",
        "2026-03-03T07:00:00Z",
        "--for",
        "2h",
        "--quiet-hours",
        "off",
    ]);
    assert_eq!(
        r.ok().json(),
        json!([
            {"phase": "ice", "start": "2026-03-03T07:00:00Z", "end": "2026-03-03T07:10:00Z"},
            {"phase": "heat", "start": "2026-03-03T08:10:00Z", "end": "2026-03-03T08:25:00Z"},
            // Heat every 3 hours, not every 30 minutes: the next is 11:10.
        ])
    );
}

#[test]
fn plan_table_for_people() {
    let env = Env::new();
    let r = env.run([
        "plan",
        "--injured-at",
        INJURED,
        "--at",
        INJURED,
        "--for",
        "3h",
        "--quiet-hours",
        "off",
    ]);
    assert_eq!(
        r.ok().stdout(),
        "Plan from Sun 01 Mar 2026 08:00 +00:00 for 3h:\n  Sun 01 Mar\n    08:00-08:10  ice\n    \
         09:10-09:20  ice\n    10:20-10:30  ice\n"
    );
}

#[test]
fn next_json_and_text() {
    let env = Env::new();
    let args = ["--injured-at", INJURED, "--at", "2026-03-01T08:05:00Z"];
    let r = env.run(["next", "--json"].iter().chain(&args));
    assert_eq!(
        r.ok().json(),
        // Events are an enum in the library: a prompt carries its length
        // and, when more than 2 minutes late, "late"; no "repeat" (only a
        // repeat has one); "late_seconds" as in `tick --json`.
        json!({"event": "prompt", "phase": "ice", "due": "2026-03-01T08:00:00Z", "late": "5m", "length": "10m", "at": "2026-03-01T08:05:00Z", "urgency": "normal", "safety": false, "late_seconds": 300, "overdue": false})
    );
    let r = env.run(["next"].iter().chain(&args));
    assert_eq!(
        r.ok().stdout(),
        "Next: ice session, now (due at 08:00, 5m ago)\n"
    );
}

#[test]
fn status_after_the_review_point_reminds_of_a_clinician() {
    let env = Env::new();
    env.run(["injury", INJURED, "--at", "2026-03-04T09:00:00Z"])
        .ok();
    let s = env
        .run(["status", "--json", "--at", "2026-03-04T09:00:00Z"])
        .ok()
        .json();
    assert_eq!(s["phase"], "heat");
    assert_eq!(s["hours_since_injury"], 73.0);
    assert_eq!(s["review_due"], true);
    assert_eq!(s["may_start_now"], true);
    assert!(s["review"]
        .as_str()
        .unwrap()
        .contains("should be seen by a clinician"));
    env.run(["status", "--at", "2026-03-04T09:00:00Z"])
        .ok()
        .stdout_has("day 4")
        .stdout_has("should be seen by a clinician");
    // Before the review point there is no reminder.
    let s = env
        .run(["status", "--json", "--at", "2026-03-02T09:00:00Z"])
        .ok()
        .json();
    assert_eq!(
        (s["review_due"].clone(), s["review"].clone()),
        (json!(false), json!(null))
    );
}

#[test]
fn planning_without_an_injury_says_how_to_give_one() {
    let env = Env::new();
    for cmd in ["plan", "next"] {
        env.run([cmd])
            .no_panic()
            .code_is(2)
            .stderr_has("no injury time is recorded; record it with `therapy-timer injury TIME`");
    }
}

#[test]
fn bad_flags_are_exit_2() {
    let env = Env::new();
    env.run(["plan", "--quiet-hours", "22-7", "--injured-at", INJURED])
        .code_is(2)
        .stderr_has("write them as HH:MM-HH:MM");
    env.run(["plan", "--for", "forever", "--injured-at", INJURED])
        .code_is(2)
        .stderr_has("write a duration like");
    env.run(["start", "--phase", "warm"]).code_is(2);
}

#[test]
fn help_carries_red_flags_disclaimer_and_exit_codes() {
    let env = Env::new();
    let r = env.run(["--help"]);
    r.ok()
        .stdout_has("SEE A CLINICIAN AT ONCE")
        .stdout_has("loss of bladder or bowel control")
        .stdout_has("not a medical device")
        .stdout_has("75   refused: the rest after the last session is not over");
}

/// Regression: durations read "30days" (humantime's form) on the terminal.
/// They read as `status` and the notices say them: "30 days".
#[test]
fn regression_plan_says_30_days_not_30days() {
    let env = Env::new();
    let r = env.run([
        "plan",
        "--injured-at",
        INJURED,
        "--at",
        INJURED,
        "--for",
        "30d",
    ]);
    let first = r
        .ok()
        .stdout()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        first,
        "Plan from Sun 01 Mar 2026 08:00 +00:00 for 30 days, no starts in quiet hours 22:00-07:00:"
    );
    // The library's messages too: a day and six hours, not "1day 6h".
    env.run(["injury", INJURED, "--at", "2026-03-03T00:00:00Z"])
        .ok();
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-01T09:00:00Z",
        "--duration",
        "30h",
        "--at",
        "2026-03-03T00:00:00Z",
    ])
    .code_is(2)
    .stderr_has("a session of 1 day 6h is longer than the 24h the log accepts");
}
