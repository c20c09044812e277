//! `[hooks] event = "COMMAND"`: every event once, in order, as the JSON
//! `tick --json` prints; a slow hook never holds up the stop.

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::util::{desktop_or_skip, Env};

/// A config whose hook appends `KIND JSON` to `file`.
fn appending_hook(env: &Env, file: &Path) {
    env.config(&format!(
        "[hooks]\nevent = \"{{ printf '%s ' \\\"$THERAPY_TIMER_EVENT\\\"; cat; }} >> '{}'\"\n",
        file.display()
    ));
}

/// The hook's file as (kind, event) pairs.
fn heard(file: &Path) -> Vec<(String, Value)> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let (kind, json) = l
                .split_once(' ')
                .unwrap_or_else(|| panic!("bad line {l:?}"));
            let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {l}"));
            (kind.to_owned(), v)
        })
        .collect()
}

#[test]
fn every_event_reaches_the_hook_once_and_in_order_with_two_ticks_racing() {
    let env = Env::new();
    let file = env.root().join("hook.log");
    appending_hook(&env, &file);
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    env.start_and_kill("2026-03-01T08:00:00Z");
    let mut printed = Vec::new();
    for at in [
        "08:05", "08:10", "08:15", "08:20", "08:25", "09:00", "09:25", "11:00",
    ] {
        let when = format!("2026-03-01T{at}:00Z");
        let children: Vec<_> = (0..2)
            .map(|_| {
                env.cmd(["tick", "--json", "--quiet-hours", "off", "--at", &when])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn tick")
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "tick at {when}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                printed.push(serde_json::from_str::<Value>(line).expect("JSON line"));
            }
        }
    }
    let got = heard(&file);
    let kinds: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["stop", "repeat", "repeat", "repeat", "prompt", "prompt"],
        "{got:#?}"
    );
    // The same objects tick printed, each once.
    let events: Vec<Value> = got.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(events, printed);
    assert!(got.iter().all(|(k, v)| v["event"] == k.as_str()));
}

#[test]
fn a_failing_hook_is_a_warning_and_the_event_is_recorded() {
    let env = Env::new();
    env.config("[hooks]\nevent = \"exit 7\"\n");
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    let r = env.run([
        "tick",
        "--json",
        "--quiet-hours",
        "off",
        "--at",
        "2026-03-01T08:01:00Z",
    ]);
    r.no_panic()
        .ok()
        .stdout_has("\"event\":\"prompt\"")
        .stderr_has(
            "warning: the hook for the prompt event failed (it exited with exit status: 7)",
        );
    // Given once: the next tick gives nothing.
    let again = env.run([
        "tick",
        "--json",
        "--quiet-hours",
        "off",
        "--at",
        "2026-03-01T08:02:00Z",
    ]);
    assert_eq!(again.ok().stdout(), "");
}

#[test]
fn a_hook_that_sleeps_a_minute_does_not_delay_the_stop_notice() {
    let needs = [
        "dbus-run-session",
        "dbus-monitor",
        "Xvfb",
        "dunst",
        "dunstctl",
    ];
    if !desktop_or_skip(
        "a_hook_that_sleeps_a_minute_does_not_delay_the_stop_notice",
        &needs,
    ) {
        return;
    }
    let env = Env::new();
    env.config("[hooks]\nevent = \"sleep 60\"\n");
    let out = env.root().join("desktop");
    std::fs::create_dir_all(&out).expect("desktop folder");
    std::fs::create_dir_all(env.root().join("runtime")).expect("runtime folder");
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/run-in-desktop.sh");
    // The start notice, then a hook for nothing: the session's own events
    // (the stop) come after the deadline.
    let started = std::time::Instant::now();
    let r = crate::util::run(env.program(
        "dbus-run-session",
        [
            "--".as_ref(),
            "bash".as_ref(),
            harness.as_os_str(),
            out.as_os_str(),
            crate::util::BIN.as_ref(),
            "start".as_ref(),
            "--phase".as_ref(),
            "ice".as_ref(),
            "--duration".as_ref(),
            "2s".as_ref(),
            "--linger".as_ref(),
            "0s".as_ref(),
        ] as [&std::ffi::OsStr; 12],
    ));
    let took = started.elapsed();
    r.no_panic()
        .ok()
        .stderr_has("the hook for the stop event failed (still running after 10s");
    let end = env.run(["log", "--json"]).ok().json()[0]["end"]
        .as_str()
        .map(str::to_owned)
        .expect("the session's end");
    let end = chrono::DateTime::parse_from_rfc3339(&end).expect("RFC 3339");
    let log = std::fs::read_to_string(out.join("notify.log")).expect("notify.log");
    let times: Vec<f64> = log
        .lines()
        .filter(|l| l.starts_with("mc\t") && l.ends_with("\tNotify"))
        .filter_map(|l| l.split('\t').nth(1)?.parse().ok())
        .collect();
    // The start and stop notices, and the stop put back without buttons.
    assert_eq!(times.len(), 3, "start and stop notices: {log}");
    let gap = times[1] - end.timestamp() as f64;
    // A hook in the way would hold it for 60 s (or 10 s, the limit).
    assert!(
        gap < 2.0,
        "the stop notice came {gap:.3}s after its deadline"
    );
    // The hook was ended at its limit: the command did not wait a minute.
    assert!(took.as_secs() < 45, "start took {took:?}");
}
