//! Every TIME form, and bad ones.

use crate::util::Env;

const AT: &str = "2026-03-01T12:00:00Z";

/// Records an injury at `time` and reads back what was stored.
fn injury_from(env: &Env, time: &str) -> String {
    env.run(["injury", time, "--at", AT]).no_panic().ok();
    let status = env.run(["status", "--json", "--at", AT]).ok().json();
    status["injured_at"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn every_time_form_is_accepted() {
    // Berlin is UTC+1 on 2026-03-01.
    let cases = [
        ("now", "2026-03-01T12:00:00Z"),
        ("2026-03-01T08:00:00Z", "2026-03-01T08:00:00Z"),
        ("2026-03-01T09:30:00+01:00", "2026-03-01T08:30:00Z"),
        ("3h ago", "2026-03-01T09:00:00Z"),
        ("1day 2h ago", "2026-02-28T10:00:00Z"),
        ("90m ago", "2026-03-01T10:30:00Z"),
        ("08:30", "2026-03-01T07:30:00Z"),
        ("2026-02-28 18:00", "2026-02-28T17:00:00Z"),
    ];
    for (input, stored) in cases {
        let env = Env::in_zone("Europe/Berlin");
        assert_eq!(injury_from(&env, input), stored, "TIME {input:?}");
    }
}

#[test]
fn a_bad_time_is_exit_2_with_the_forms_and_changes_nothing() {
    let env = Env::new();
    for bad in [
        "yesterday",
        "3 fortnights ago",
        "25:00",
        "2026-13-01 10:00",
        "",
    ] {
        let r = env.run(["injury", bad, "--at", AT]);
        r.no_panic()
            .code_is(2)
            .stderr_has("therapy-timer: error: TIME: invalid time");
        if !bad.contains("ago") {
            r.stderr_has("use now, an RFC 3339 time");
        }
        assert!(!env.state_file().exists(), "state written for {bad:?}");
    }
    env.run(["plan", "--at", "tomorrow-ish"])
        .code_is(2)
        .stderr_has("--at: invalid time \"tomorrow-ish\"");
}

#[test]
fn an_injury_in_the_future_is_refused() {
    let env = Env::new();
    env.run(["injury", "2026-03-02T12:00:00Z", "--at", AT])
        .code_is(2)
        .stderr_has("is in the future");
    assert!(!env.state_file().exists());
}

#[test]
fn a_time_skipped_by_daylight_saving_is_refused() {
    let env = Env::in_zone("Europe/Berlin");
    env.run(["injury", "2026-03-29 02:30", "--at", "2026-03-30T12:00:00Z"])
        .code_is(2)
        .stderr_has("does not exist on the local clock");
}
