//! A course from `injury` to its end with only the commands and the
//! notices: the two-day simulation, `stop` from another terminal, the
//! stop's reminders, overdue after a killed `start`, the corrections, and
//! the help every subcommand owes.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use crate::unattended::start_and_kill;
use crate::util::{desktop_or_skip, run, Env, BIN};

const DESKTOP: &[&str] = &[
    "dbus-run-session",
    "dbus-send",
    "dbus-monitor",
    "Xvfb",
    "dunst",
    "dunstctl",
];

fn harness() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/run-in-desktop.sh")
}

/// Runs `script` (bash) beside dunst; `$OUT` is the folder the harness
/// leaves history.json in, `$BIN` the binary.
fn in_desktop(env: &Env, script: &str) -> (crate::util::Run, std::path::PathBuf) {
    let out = env.root().join("desktop");
    std::fs::create_dir_all(&out).expect("desktop folder");
    std::fs::create_dir_all(env.root().join("runtime")).expect("runtime folder");
    let mut cmd = env.program(
        "dbus-run-session",
        [
            "--".as_ref(),
            "bash".as_ref(),
            harness().as_os_str(),
            out.as_os_str(),
            "env".as_ref(),
            format!("OUT={}", out.display()).as_ref(),
            format!("BIN={BIN}").as_ref(),
            "bash".as_ref(),
            "-c".as_ref(),
            script.as_ref(),
        ],
    );
    cmd.stdin(Stdio::null());
    (run(cmd), out)
}

/// dunst's history: (message, summary) in the order sent.
fn history(out: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(out.join("history.json")).expect("history.json");
    let h: Value = serde_json::from_str(&text).expect("JSON");
    let mut list = h["data"][0].as_array().cloned().unwrap_or_default();
    list.sort_by_key(|n| n["id"]["data"].as_i64());
    list.iter()
        .map(|n| {
            (
                n["message"]["data"].as_str().unwrap_or_default().to_owned(),
                n["summary"]["data"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

fn write_config(env: &Env, text: &str) {
    let dir = env.root().join("config/therapy-timer");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.toml"), text).expect("config");
}

/// The walk-through: a two-day course (the config makes the acute
/// window 24 h, the review 36 h and the course 2 days), a tick every
/// minute from the injury to two hours after the end, under real dunst.
/// Prompts come in the ice and in the heat phase, outside quiet hours;
/// nobody starts a session, so none is logged; the switch to heat, the
/// review and the end come once; nothing comes after the end.
#[test]
fn a_two_day_course_ticked_every_minute() {
    if !desktop_or_skip("a_two_day_course_ticked_every_minute", DESKTOP) {
        return;
    }
    let env = Env::new();
    write_config(
        &env,
        "[protocol]\nacute_window = \"24h\"\nreview_after = \"36h\"\ncourse_length = \"2days\"\n",
    );
    let injured = at("2026-03-01T06:00:00Z");
    env.run([
        "injury",
        "2026-03-01T06:00:00Z",
        "--at",
        "2026-03-01T06:00:00Z",
    ])
    .ok()
    .stdout_has("BEFORE YOU START");
    let times = env.root().join("times.txt");
    let mut f = std::fs::File::create(&times).expect("times");
    for minute in 1..=50 * 60 {
        writeln!(f, "{}", (injured + TimeDelta::minutes(minute)).to_rfc3339()).expect("write");
    }
    drop(f);
    let started = Instant::now();
    let (r, out) = in_desktop(
        &env,
        &format!(
            "while read -r t; do \"$BIN\" tick --json --at \"$t\" || echo \"FAILED $t\"; done < {}",
            times.display()
        ),
    );
    let took = started.elapsed();
    let r = r.ok();
    assert!(!r.stdout().contains("FAILED"), "{}", r.report());
    let events: Vec<Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let mut per_day: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for e in &events {
        let due = e["due"].as_str().unwrap_or_default();
        *per_day
            .entry((
                due[..10].to_owned(),
                e["event"].as_str().unwrap_or_default().to_owned(),
                e["phase"].as_str().unwrap_or_default().to_owned(),
            ))
            .or_default() += 1;
    }
    eprintln!(
        "two-day course: {} ticks in {took:.1?}; events per day: {per_day:?}",
        50 * 60
    );
    let count = |day: &str, kind: &str, phase: &str| {
        per_day
            .get(&(day.to_owned(), kind.to_owned(), phase.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    // Day 1, ice: 07:00 to 21:00 every 70 minutes (06:00 is in quiet hours).
    assert_eq!(count("2026-03-01", "prompt", "ice"), 13, "{per_day:?}");
    // Day 2, heat from 06:00: 07:00, 10:00, 13:00, 16:00, 19:00.
    assert_eq!(count("2026-03-02", "prompt", "heat"), 5, "{per_day:?}");
    assert_eq!(count("2026-03-02", "prompt", "ice"), 0, "{per_day:?}");
    let kinds = |k: &str| {
        events
            .iter()
            .filter(|e| e["event"] == k)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds("phase_change").len(), 1);
    assert_eq!(kinds("phase_change")[0]["due"], "2026-03-02T07:00:00Z");
    assert_eq!(kinds("review").len(), 1);
    assert_eq!(kinds("review")[0]["due"], "2026-03-02T18:00:00Z");
    assert_eq!(kinds("course_end").len(), 1);
    assert_eq!(kinds("course_end")[0]["due"], "2026-03-03T06:00:00Z");
    assert!(
        events
            .iter()
            .all(|e| at(e["due"].as_str().unwrap()) <= at("2026-03-03T06:00:00Z")),
        "something after the end"
    );
    assert!(events.iter().all(|e| e["late_seconds"] == 0), "{events:#?}");
    assert!(kinds("stop").is_empty() && kinds("repeat").is_empty());
    // No session that nobody started.
    let log = env.run(["log", "--json"]).ok().json();
    assert_eq!(log.as_array().map(Vec::len), Some(0), "{log:#?}");
    // Each event went to dunst once (Notify calls on the bus; dunst itself
    // stacks identical notices in its history).
    let calls = std::fs::read_to_string(out.join("notify.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("mc\t") && l.ends_with("\tNotify"))
        .count();
    assert_eq!(calls, events.len());
    let shown = history(&out);
    assert!(shown
        .iter()
        .any(|(_, s)| s == "Time to switch from ice to heat"));
    assert!(shown
        .iter()
        .any(|(_, s)| s == "The course is over: no more reminders"));
    // After the end: no prompt, and the status says so.
    env.run(["status", "--at", "2026-03-03T08:00:00Z"])
        .ok()
        .stdout_has("no more reminders");
}

/// `stop` in another terminal ends a running `start`: the timer notices
/// within a second (measured, printed), sends the stop and exits 0; the
/// log says cut short.
#[test]
fn stop_from_another_terminal_ends_a_running_start() {
    let env = Env::new();
    let mut child = env
        .cmd(["start", "--phase", "ice", "--linger", "0s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn start");
    let deadline = Instant::now() + Duration::from_secs(10);
    while env
        .run(["log", "--json"])
        .json()
        .as_array()
        .is_none_or(Vec::is_empty)
    {
        assert!(Instant::now() < deadline, "start never logged its session");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(1100));
    let asked = Instant::now();
    env.run(["stop"])
        .ok()
        .stdout_has("Ice off: the session was cut short after");
    // A generous bound, so a slow machine cannot hang the suite; the
    // figure itself is printed (the issue asks for under 1 s).
    let exited = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "start did not notice the stop"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = asked.elapsed();
    eprintln!("start noticed `stop` from another process after {took:.0?}");
    let out = child.wait_with_output().expect("output");
    assert!(exited.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Take the ice off now: ended early after"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Stopped with `therapy-timer stop`"),
        "{stdout}"
    );
    let log = env.run(["log", "--json"]).ok().json();
    assert_eq!(log[0]["outcome"], "cut_short");
}

/// The stop and its reminders under real dunst: critical, with the alarm
/// sound on the bus, at most three reminders, and `stop` ends them.
#[test]
fn the_stop_repeats_with_a_sound_until_stop_says_the_pack_is_off() {
    if !desktop_or_skip(
        "the_stop_repeats_with_a_sound_until_stop_says_the_pack_is_off",
        DESKTOP,
    ) {
        return;
    }
    let env = Env::new();
    // A session an hour ago, timed by `start` (2 s); then the ticks come.
    let t0 = Utc::now() - TimeDelta::hours(1);
    let t = |secs: i64| (t0 + TimeDelta::seconds(secs)).to_rfc3339();
    let script = format!(
        "dbus-monitor --session \"type='method_call',interface='org.freedesktop.Notifications',member='Notify'\" > \"$OUT/full.log\" 2>/dev/null &
        mon=$!; sleep 0.5
        \"$BIN\" start --phase ice --duration 2s --linger 0s --at {a} >/dev/null
        \"$BIN\" tick --json --at {b}
        \"$BIN\" tick --json --at {c}
        \"$BIN\" stop --at {d}
        \"$BIN\" tick --json --at {e}
        \"$BIN\" tick --json --at {f}
        sleep 0.5; kill $mon",
        a = t(0),
        b = t(2 + 300),
        c = t(2 + 600),
        d = t(2 + 660),
        e = t(2 + 900),
        f = t(2 + 1800),
    );
    let (r, out) = in_desktop(&env, &script);
    let r = r.ok();
    let fired: Vec<Value> = r
        .stdout()
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let repeats: Vec<_> = fired
        .iter()
        .map(|e| (e["event"].clone(), e["repeat"].clone()))
        .collect();
    assert_eq!(
        repeats,
        [
            (Value::from("repeat"), Value::from(1)),
            (Value::from("repeat"), Value::from(2))
        ],
        "{}",
        r.report()
    );
    r.stdout_has("Logged: the ice is off");
    // What was sent (no start notice: its end had passed): the stop; the
    // stop put back without buttons when `start` ended; the two reminders
    // from the ticks, each in the same place. Then `stop` closed it.
    let sent = crate::util::notified(&out);
    let summaries: Vec<&str> = sent.iter().map(|n| n.summary.as_str()).collect();
    assert_eq!(summaries.len(), 4, "{sent:#?}");
    assert_eq!(summaries[0], "Take the ice off now");
    assert_eq!(summaries[1], "Take the ice off now");
    assert!(
        summaries[2].starts_with("Take the ice off now (reminder 1 of 3)"),
        "{summaries:?}"
    );
    assert!(
        summaries[3].starts_with("Take the ice off now (reminder 2 of 3)"),
        "{summaries:?}"
    );
    assert!(sent.iter().all(|n| n.urgency == Some(2)), "{sent:#?}");
    let id = sent[0].id.expect("the stop was shown");
    assert!(
        sent[1..].iter().all(|n| n.replaces == id),
        "one notice for the session: {sent:#?}"
    );
    assert!(
        crate::util::calls(&out).contains(&crate::util::Call::Close(id)),
        "closed by stop"
    );
    // The sound hint, read back from the bus: on the stops, not the start.
    let bus = std::fs::read_to_string(out.join("full.log")).expect("full.log");
    assert_eq!(bus.matches("alarm-clock-elapsed").count(), 3, "{bus}");
    let log = env.run(["log", "--json"]).ok().json();
    assert_eq!(log[0]["off"]["by"], "stopped");
}

/// Regression (the truth of the record): a session whose `start` was killed
/// is overdue once its end passes, in every view.
#[test]
fn overdue_after_a_killed_start_shows_everywhere() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    start_and_kill(&env, "2026-03-01T09:00:00Z");
    let when = ["--at", "2026-03-01T09:13:00Z"];
    let status = env.run(["status"].iter().chain(&when));
    assert_eq!(
        status.ok().stdout().lines().next(),
        Some("Ice on for 13m: take it off now (it was due off at 09:10, 3m ago), then run `therapy-timer stop`.")
    );
    let json = env
        .run(["status", "--json"].iter().chain(&when))
        .ok()
        .json();
    assert_eq!(
        (json["overdue"].clone(), json["overdue_since"].clone()),
        (Value::from(true), Value::from("2026-03-01T09:10:00Z"))
    );
    let next = env.run(["next", "--json"].iter().chain(&when)).ok().json();
    assert_eq!(
        (
            next["event"].clone(),
            next["due"].clone(),
            next["overdue"].clone()
        ),
        (
            Value::from("stop"),
            Value::from("2026-03-01T09:10:00Z"),
            Value::from(true)
        )
    );
    let bar = env
        .run(["status", "--format", "waybar"].iter().chain(&when))
        .ok()
        .json();
    assert_eq!(bar["class"], "overdue");
    // `stop` says the pack is off: overdue no more, and the rest counts.
    env.run(["stop"].iter().chain(&when))
        .ok()
        .stdout_has("Logged: the ice is off (3m after its end); no more reminders.");
    let json = env
        .run(["status", "--json"].iter().chain(&when))
        .ok()
        .json();
    assert_eq!(json["overdue"], false);
}

/// Regression: once the stop was given, `next --json` said `"overdue":
/// false` (its next event, the stop's reminder, is not yet due) while
/// `status --json` said overdue. Both read the library's one definition.
#[test]
fn regression_next_and_status_agree_on_overdue() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    start_and_kill(&env, "2026-03-01T09:00:00Z");
    // Before the end neither is overdue.
    let when = ["--at", "2026-03-01T09:05:00Z"];
    let next = env.run(["next", "--json"].iter().chain(&when)).ok().json();
    assert_eq!(
        (next["event"].clone(), next["overdue"].clone()),
        ("stop".into(), false.into())
    );
    // The stop at 09:10 is given; its first reminder is due at 09:15.
    env.run(["tick", "--at", "2026-03-01T09:11:00Z"]).ok();
    let when = ["--at", "2026-03-01T09:12:00Z"];
    let status = env
        .run(["status", "--json"].iter().chain(&when))
        .ok()
        .json();
    let next = env.run(["next", "--json"].iter().chain(&when)).ok().json();
    assert_eq!(status["overdue"], true, "{status}");
    assert_eq!(next["event"], "repeat", "{next}");
    assert_eq!(next["overdue"], status["overdue"], "next {next}");
}

/// Regression: `snooze 20m` with nothing due said "Snoozed until 08:40"
/// and changed nothing. It is refused (exit 2, as `stop` with nothing
/// running), says what is next and when, and writes nothing.
#[test]
fn regression_snooze_with_nothing_due_says_there_is_nothing_to_snooze() {
    let env = Env::in_zone("Europe/Berlin");
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:20:00Z",
    ])
    .ok();
    let before = std::fs::read(env.state_file()).expect("state");
    let r = env.run(["snooze", "20m", "--at", "2026-03-01T08:20:00Z"]);
    r.code_is(2).stderr_has(
        "nothing to snooze: no session is due now, and the next is due at 10:10 (in 50m), \
         after 09:40 anyway",
    );
    assert!(r.stdout().is_empty(), "{}", r.report());
    assert_eq!(std::fs::read(env.state_file()).expect("state"), before);
    // Long enough to move the next session: snoozed.
    env.run(["snooze", "1h", "--at", "2026-03-01T08:20:00Z"])
        .ok()
        .stdout_has("Snoozed until 10:20 (for 1h). The next session is due at 10:20.");
}

/// Regression: `next` after the course ended exited 1, which the README
/// gives to a state file that cannot be read. It says the course is over
/// and exits 2, as `skip` after the end does; the text and JSON alike.
#[test]
fn regression_next_after_the_course_ended_says_so_with_exit_2() {
    let env = Env::in_zone("Europe/Berlin");
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    env.run(["end", "--at", "2026-03-01T09:00:00Z"]).ok();
    // The course-end notice is given; nothing comes after it.
    env.run(["tick", "--at", "2026-03-01T09:01:00Z"]).ok();
    for json in [false, true] {
        let mut args = vec!["next", "--at", "2026-03-01T09:02:00Z"];
        if json {
            args.push("--json");
        }
        let r = env.run(args);
        r.code_is(2).stderr_has(
            "the course is over (it ended Sun 01 Mar 2026 10:00 +01:00); nothing more is due. \
             A new injury starts a new course: `therapy-timer injury TIME`",
        );
        assert!(r.stdout().is_empty(), "{}", r.report());
    }
}

/// Corrections: `log add` (history beyond the limit is kept and marked),
/// `log remove`, `undo`, `skip`, `snooze`, `end`, and a new course after.
#[test]
fn corrections_and_the_end_of_a_course() {
    let env = Env::new();
    let now = |s: &'static str| ["--at", s];
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok()
    .stdout_has("BEFORE YOU START");
    let r = env.run([
        "log",
        "add",
        "ice",
        "2026-03-01T08:00:00Z",
        "--duration",
        "15m",
        "--at",
        "2026-03-01T09:00:00Z",
    ]);
    r.ok()
        .stderr_has("longer than the safety limit for ice; recorded as it happened");
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-01T09:20:00Z",
        "--at",
        "2026-03-01T09:40:00Z",
    ])
    .ok()
    .stdout_has("Logged 2: ice 09:20 for 10m.");
    let log = env
        .run(["log"].iter().chain(&now("2026-03-01T09:40:00Z")))
        .ok()
        .stdout();
    assert!(log.contains("longer than the safety limit"), "{log}");
    env.run(["undo", "--at", "2026-03-01T09:41:00Z"])
        .ok()
        .stdout_has("Undone: removed 2  ");
    env.run(["log", "remove", "7", "--at", "2026-03-01T09:41:00Z"])
        .code_is(2)
        .stderr_has("there is no entry 7");
    env.run(["log", "remove", "1", "--at", "2026-03-01T09:42:00Z"])
        .ok();
    assert_eq!(
        env.run(["log", "--json"])
            .ok()
            .json()
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    env.run(["skip", "--at", "2026-03-01T09:43:00Z"])
        .ok()
        .stdout_has("Skipped the ice session due");
    // The next session (10:20) comes after a 20-minute snooze anyway.
    env.run(["snooze", "20m", "--at", "2026-03-01T09:44:00Z"])
        .code_is(2)
        .stderr_has("nothing to snooze");
    env.run(["snooze", "1h", "--at", "2026-03-01T09:44:00Z"])
        .ok()
        .stdout_has("Snoozed until 10:44 (for 1h).");
    env.run(["end", "--at", "2026-03-01T09:45:00Z"])
        .ok()
        .stdout_has("Course ended: no more reminders.");
    env.run(["end", "--at", "2026-03-01T09:46:00Z"])
        .code_is(2)
        .stderr_has("the course ended at");
    assert!(env
        .run(["tick", "--json", "--at", "2026-03-01T12:00:00Z"])
        .ok()
        .stdout()
        .is_empty());
    // A new injury after the end: a new course; the earlier one is kept.
    env.run([
        "injury",
        "2026-03-05T08:00:00Z",
        "--at",
        "2026-03-05T08:00:00Z",
    ])
    .ok()
    .stdout_has("BEFORE YOU START");
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-05T08:00:00Z",
        "--at",
        "2026-03-05T09:00:00Z",
    ])
    .ok();
    let all = env.run(["log", "--all", "--json"]).ok().json();
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    assert_eq!(all[0]["course"], 1);
    // A correction within a course is not a new course: no list again.
    let r = env.run([
        "injury",
        "2026-03-05T07:00:00Z",
        "--at",
        "2026-03-05T09:01:00Z",
    ]);
    assert!(
        !r.ok().stdout().contains("BEFORE YOU START"),
        "{}",
        r.report()
    );
    r.stdout_has("It was Thu 05 Mar 2026 08:00 +00:00 before");
}

/// Every subcommand's `--help` ends with examples, and the main `--help`
/// carries who should ask a clinician first.
#[test]
fn every_subcommand_help_has_an_example() {
    let env = Env::new();
    let tree = crate::cli_tree::command();
    let mut paths: Vec<Vec<String>> = Vec::new();
    for sub in crate::cli_tree::subcommands(&tree) {
        paths.push(vec![sub.get_name().to_owned()]);
        for inner in crate::cli_tree::subcommands(sub) {
            paths.push(vec![sub.get_name().to_owned(), inner.get_name().to_owned()]);
        }
    }
    assert!(paths.len() >= 20, "{paths:?}");
    for path in paths {
        let mut args = path.clone();
        args.push("--help".into());
        let r = env.run(&args);
        let text = r.ok().stdout();
        assert!(
            text.contains("Examples:\n  therapy-timer "),
            "{path:?}:\n{text}"
        );
    }
    env.run(["--help"]).ok().stdout_has("BEFORE YOU START");
}

/// Pain scores: 0 to 10 (else exit 2), the trend in `status`, 8 or more
/// says to see a clinician; the report in its three forms, counts matching
/// the log.
#[test]
fn pain_scores_the_trend_and_the_report() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    env.run(["pain", "11", "--at", "2026-03-01T08:30:00Z"])
        .code_is(2)
        .stderr_has("11");
    env.run([
        "pain",
        "7",
        "--note",
        "worse bending",
        "--at",
        "2026-03-01T08:30:00Z",
    ])
    .ok()
    .stdout_has("Pain 7 of 10 recorded at 08:30.");
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-01T08:40:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    env.run(["pain", "8", "--at", "2026-03-01T09:30:00Z"])
        .ok()
        .stdout_has("worth a clinician's look");
    env.run(["pain", "5", "--at", "2026-03-02T09:30:00Z"])
        .ok()
        .stdout_has("Better: 7 of 10 at first, 5 now.");
    env.run(["status", "--at", "2026-03-02T09:31:00Z"])
        .ok()
        .stdout_has("Pain: 5 of 10 at 09:30. Better: 7 of 10 at first, 5 now.");
    let csv = env
        .run(["report", "--csv", "--at", "2026-03-02T10:00:00Z"])
        .ok()
        .stdout();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 1 + 1 + 3, "{csv}");
    let json = env
        .run(["report", "--json", "--at", "2026-03-02T10:00:00Z"])
        .ok()
        .json();
    assert!(json.to_string().contains("worse bending"), "{json}");
    let html = env
        .run(["report", "--at", "2026-03-02T10:00:00Z"])
        .ok()
        .stdout();
    assert!(html.contains("<svg") && !html.contains("<script"), "{html}");
    env.run(["report", "--course", "3"])
        .code_is(2)
        .stderr_has("--course 3");
}

/// Regression: `log add` twice, `pain 6`, `log remove 2`, `undo` said
/// "Undone: removed 3: pain 6/10", and a second `undo` removed entry 1.
/// Undo takes back the last change: the removal, restoring the entry.
#[test]
fn undo_after_log_remove_puts_the_entry_back() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    for start in ["2026-03-01T08:00:00Z", "2026-03-01T09:10:00Z"] {
        env.run([
            "log",
            "add",
            "ice",
            start,
            "--duration",
            "10m",
            "--at",
            "2026-03-01T10:00:00Z",
        ])
        .ok();
    }
    env.run(["pain", "6", "--at", "2026-03-01T10:01:00Z"]).ok();
    let before = env.run(["log", "--json"]).ok().json();
    let scores = |env: &Env| {
        env.run(["report", "--json", "--at", "2026-03-01T10:03:00Z"])
            .ok()
            .json()["courses"][0]["entries"]
            .clone()
    };
    let scores_before = scores(&env);
    assert_eq!(
        scores_before.as_array().map(Vec::len),
        Some(3),
        "{scores_before}"
    );
    env.run(["log", "remove", "2", "--at", "2026-03-01T10:02:00Z"])
        .ok();
    assert_eq!(
        env.run(["log", "--json"])
            .ok()
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    env.run(["undo", "--at", "2026-03-01T10:02:30Z"])
        .ok()
        .stdout_has("Undone: put back 2  ");
    assert_eq!(env.run(["log", "--json"]).ok().json(), before);
    assert_eq!(scores(&env), scores_before);
}

/// The `log` rows used by the two regressions below: ice, a pain score, a
/// skin check with a note, heat, a pain score after a session.
fn logged_every_kind() -> Env {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    let at = ["--at", "2026-03-04T12:00:00Z"];
    env.run(
        ["log", "add", "ice", "2026-03-01T08:00:00Z"]
            .iter()
            .chain(&at),
    )
    .ok();
    env.run(["pain", "6", "--at", "2026-03-01T09:00:00Z"]).ok();
    env.run([
        "skin",
        "red",
        "--note",
        "pink",
        "--at",
        "2026-03-01T09:01:00Z",
    ])
    .ok();
    env.run(
        ["log", "add", "heat", "2026-03-03T10:00:00Z"]
            .iter()
            .chain(&at),
    )
    .ok();
    env.run(["pain", "3", "--note", "better"].iter().chain(&at))
        .ok();
    env
}

/// Regression: heat rows in `log` were a column off (the phase's padding
/// was ignored): every kind of row has its columns where the others do.
#[test]
fn regression_log_rows_align_for_every_kind() {
    let env = logged_every_kind();
    let log = env
        .run(["log", "--at", "2026-03-04T12:00:00Z"])
        .ok()
        .stdout();
    assert_eq!(
        log,
        "    1  Sun 01 Mar 08:00-08:10  ice       10m  logged afterwards\n\
         \x20   2  Sun 01 Mar 09:00        pain     6/10\n\
         \x20   3  Sun 01 Mar 09:01        skin      red: pink\n\
         \x20   4  Tue 03 Mar 10:00-10:15  heat      15m  logged afterwards\n\
         \x20   5  Wed 04 Mar 12:00        pain     3/10: better\n"
    );
    // The value column (length, score, skin) ends at column 44 on every
    // row (the ice rows ended at 43: "ice" was not padded).
    for l in log.lines() {
        let b = l.as_bytes();
        assert!(
            b.get(43).is_some_and(|c| *c != b' ') && b.get(44).is_none_or(|c| b" :".contains(c)),
            "{l:?}\n{log}"
        );
    }
}

/// Regression: `log` did not show pain scores, so their ids were gaps and
/// `log remove` of one said "there is no entry". They are shown with their
/// ids; `log remove` removes one and `undo` puts it back.
#[test]
fn regression_log_shows_pain_scores_with_ids_and_remove_and_undo_work() {
    let env = logged_every_kind();
    let log = |env: &Env| {
        env.run(["log", "--at", "2026-03-04T12:00:00Z"])
            .ok()
            .stdout()
    };
    let before = log(&env);
    assert!(
        before.contains("    2  Sun 01 Mar 09:00        pain     6/10\n"),
        "{before}"
    );
    let state = std::fs::read(env.state_file()).expect("state");
    env.run(["log", "remove", "2", "--at", "2026-03-04T12:01:00Z"])
        .ok()
        .stdout_has("Removed 2  ")
        .stdout_has("pain     6/10");
    let after = log(&env);
    assert!(!after.contains("pain     6/10"), "{after}");
    assert_ne!(std::fs::read(env.state_file()).expect("state"), state);
    env.run(["undo", "--at", "2026-03-04T12:02:00Z"])
        .ok()
        .stdout_has("Undone: put back 2  ");
    assert_eq!(log(&env), before);
}
