//! The bad-input corpus (issue 9): every case in `tests/data/bad_inputs.jsonl`
//! exits with its code and message, in under 300 characters (the bad value
//! quoted at most 40 characters long), without a panic and without changing
//! the state file.

use std::ffi::OsString;
use std::fs;

use serde_json::Value;

use crate::util::{run, Env};

const CORPUS: &str = include_str!("data/bad_inputs.jsonl");

/// A valid state: a recorded injury and one completed session.
const GOOD_STATE: &str = r#"{
  "format": 1,
  "injured_at": "2026-03-01T08:00:00Z",
  "sessions": [
    {"phase": "ice", "start": "2026-03-01T08:00:00Z", "end": "2026-03-01T08:10:00Z", "outcome": "completed"}
  ]
}
"#;

fn expand(s: &str) -> String {
    s.replace("{BIG_SPACED}", &"x ".repeat(50_000))
        .replace("{BIG}", &"x".repeat(100_000))
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex in the corpus"))
        .collect()
}

fn text_or_hex(case: &Value, field: &str) -> Option<Vec<u8>> {
    if let Some(t) = case[field].as_str() {
        return Some(expand(t).into_bytes());
    }
    case[format!("{field}_hex")].as_str().map(hex)
}

#[test]
fn every_bad_input_is_a_clear_error_and_changes_nothing() {
    let cases: Vec<Value> = CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .filter(|c: &Value| c.get("_comment").is_none())
        .collect();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let env = Env::new();
        let state = env.state_file();
        fs::create_dir_all(state.parent().expect("dir")).expect("state dir");
        let state_bytes =
            text_or_hex(case, "state").unwrap_or_else(|| GOOD_STATE.as_bytes().to_vec());
        fs::write(&state, &state_bytes).expect("state");
        if let Some(config) = text_or_hex(case, "config") {
            let dir = env.root().join("config/therapy-timer");
            fs::create_dir_all(&dir).expect("config dir");
            fs::write(dir.join("config.toml"), config).expect("config");
        }
        let mut args: Vec<OsString> = case["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| OsString::from(expand(a.as_str().expect("an arg"))))
            .collect();
        #[cfg(unix)]
        if let Some(raw) = case["raw_arg_hex"].as_str() {
            use std::os::unix::ffi::OsStringExt;
            args.push(OsString::from_vec(hex(raw)));
        }
        let mut cmd = env.cmd(&args);
        // A case that would wait (a running session, a watch) fails instead
        // of hanging the suite.
        cmd.stdin(std::process::Stdio::null());
        let r = run(cmd);
        let code = case["code"].as_i64().and_then(|c| i32::try_from(c).ok());
        let message = case["message"].as_str().expect("message");
        let stderr = r.stderr();
        // Measured without the temporary directory's own path.
        let shown = stderr.replace(&env.root().display().to_string(), "~");
        let mut wrong = Vec::new();
        if stderr.contains("panicked") || r.code() == Some(101) {
            wrong.push("panicked".to_owned());
        }
        if r.code() != code {
            wrong.push(format!("exit {:?}, expected {code:?}", r.code()));
        }
        if !stderr.contains(message) {
            wrong.push(format!("no {message:?} in the message"));
        }
        if shown.chars().count() >= 300 {
            wrong.push(format!("{} characters", shown.chars().count()));
        }
        if stderr.contains(&"x".repeat(41)) {
            wrong.push("quotes more than 40 characters of the value".into());
        }
        if fs::read(&state).ok().as_deref() != Some(&state_bytes[..]) {
            wrong.push("the state file changed".into());
        }
        if !wrong.is_empty() {
            let short: String = shown.chars().take(600).collect();
            failures.push(format!("{name}: {}\n  {short}", wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("bad inputs: {} cases", cases.len());
}

/// Regression: `pain 11`, a 501-character note, `snooze 0s` and `stop`
/// with nothing running exited 2, yet the state was rewritten (a prompt
/// marked missed, a new one added) and "Time for ice" was announced.
/// Refused input acts on nothing: the state file is byte-identical and no
/// event is announced (none on the terminal, none to the hook).
#[test]
fn refused_input_writes_nothing_and_announces_nothing() {
    let env = Env::new();
    let hook = env.root().join("hook.log");
    env.config(&format!(
        "[hooks]\nevent = \"cat >> '{}'\"\n",
        hook.display()
    ));
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    let _ = fs::remove_file(&hook);
    let before = fs::read(env.state_file()).expect("state");
    let note = "n".repeat(501);
    let cases: [(&[&str], &str); 4] = [
        (&["pain", "11"], "11"),
        (&["pain", "3", "--note", &note], "note"),
        (&["snooze", "0s"], "snooze"),
        (&["stop"], "no session"),
    ];
    for (args, message) in cases {
        // At 09:05 a prompt (due 08:00) is open: a step would announce it.
        let mut all = args.to_vec();
        all.extend(["--at", "2026-03-01T09:05:00Z"]);
        let r = env.run(&all);
        r.no_panic().stderr_has(message);
        assert!(
            r.code().is_some_and(|c| c != 0),
            "{args:?} was not refused\n{}",
            r.report()
        );
        assert!(
            !r.stderr().contains("Time for"),
            "{args:?} announced a prompt\n{}",
            r.report()
        );
        assert_eq!(
            fs::read(env.state_file()).expect("state"),
            before,
            "{args:?} changed the state\n{}",
            r.report()
        );
        assert!(
            !hook.exists(),
            "{args:?} gave an event: {:?}",
            fs::read_to_string(&hook)
        );
    }
    // The same time, a command that is not refused does give the prompt.
    env.run(["tick", "--at", "2026-03-01T09:05:00Z"])
        .ok()
        .stderr_has("Time for");
}

/// Regression: where the library refuses an input and a stop came due
/// meanwhile, the stop is given (safety first), but the error said only
/// the refusal, as if nothing had happened. It says the stop was given.
#[test]
fn regression_a_refusal_says_the_stop_due_meanwhile_was_given() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    env.start_and_kill("2026-03-01T09:00:00Z");
    // At 09:11 the stop (due 09:10) has not been given; a snooze has
    // nothing to snooze (the next session comes after the rest).
    let r = env.run(["snooze", "20m", "--at", "2026-03-01T09:11:00Z"]);
    r.no_panic()
        .code_is(2)
        .stderr_has("Take the ice off now")
        .stderr_has(
            "therapy-timer: error: nothing to snooze: no session is due now, and the next is \
             due at 10:10 (in 59m), after 09:31 anyway; snooze when it is due, or \
             `therapy-timer skip` it; the ice stop that came due meanwhile was given",
        );
    // Given once: a tick after it has no stop to give, only its reminder.
    let tick = env.run(["tick", "--json", "--at", "2026-03-01T09:15:00Z"]);
    let out = tick.ok().stdout();
    assert!(out.contains("\"event\":\"repeat\""), "{}", tick.report());
    assert!(!out.contains("\"event\":\"stop\""), "{}", tick.report());
}
