//! The state file: where it lives, its permissions, and what happens when it
//! is corrupt or from a newer version (a clear error; never overwritten).

use std::fs;

use crate::util::Env;

fn commands_that_touch_state() -> Vec<Vec<&'static str>> {
    vec![
        vec!["log"],
        vec!["status"],
        vec!["injury"],
        vec!["injury", "now"],
        vec!["plan", "--injured-at", "3h ago"],
        vec![
            "start",
            "--phase",
            "ice",
            "--duration",
            "1s",
            "--linger",
            "0s",
        ],
    ]
}

fn assert_left_alone(env: &Env, content: &str, message: &str) {
    for args in commands_that_touch_state() {
        env.run(&args)
            .no_panic()
            .code_is(1)
            .stderr_has(message)
            .stderr_has(&env.state_file().display().to_string());
        assert_eq!(
            fs::read_to_string(env.state_file()).unwrap(),
            content,
            "{args:?} changed it"
        );
    }
}

fn write_state(env: &Env, content: &str) {
    fs::create_dir_all(env.state_file().parent().unwrap()).unwrap();
    fs::write(env.state_file(), content).unwrap();
}

#[test]
fn corrupt_state_is_an_error_that_says_what_to_do() {
    let env = Env::new();
    let content = "{\"format\": 1, \"sessions\": [";
    write_state(&env, content);
    assert_left_alone(&env, content, "is not valid JSON");
    env.run(["log"])
        .stderr_has("left as it is. Fix it, or rename it to start a new course");
}

#[test]
fn a_newer_format_is_refused_not_misread() {
    let env = Env::new();
    let content = "{\"format\": 99, \"something\": \"new\"}\n";
    write_state(&env, content);
    assert_left_alone(
        &env,
        content,
        "has format version 99, which this therapy-timer (format 2) cannot read",
    );
}

#[test]
fn an_inconsistent_log_is_refused() {
    let env = Env::new();
    let content = r#"{"format": 1, "sessions": [
        {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"},
        {"phase":"ice","start":"2026-03-01T09:05:00Z","end":"2026-03-01T09:15:00Z","outcome":"completed"}]}"#;
    write_state(&env, content);
    assert_left_alone(&env, content, "overlaps the session recorded before it");
}

#[test]
fn a_missing_format_is_refused() {
    let env = Env::new();
    let content = "{\"sessions\": []}";
    write_state(&env, content);
    assert_left_alone(&env, content, "has no format version");
}

#[test]
fn state_lives_under_xdg_state_home_owner_only_with_a_version() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    let text = fs::read_to_string(env.state_file()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["format"], 2);
    assert_eq!(
        json["driver"]["course"]["injured_at"],
        "2026-03-01T08:00:00Z"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&env.state_file()), 0o600);
        assert_eq!(mode(env.state_file().parent().unwrap()), 0o700);
    }
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(env.state_file().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"state.json".to_owned()) && names.contains(&"state.lock".to_owned()));
}

#[test]
fn home_fallback_when_xdg_state_home_is_unset() {
    let env = Env::new();
    let mut cmd = env.cmd(["injury", "now"]);
    cmd.env_remove("XDG_STATE_HOME");
    crate::util::run(cmd).ok();
    assert!(env
        .root()
        .join(".local/state/therapy-timer/state.json")
        .is_file());
}

#[test]
fn bad_input_leaves_state_unchanged() {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    let before = fs::read(env.state_file()).unwrap();
    for args in [
        vec!["injury", "next tuesday"],
        vec!["start", "--phase", "ice", "--duration", "30m"],
        vec!["start", "--duration", "soon"],
        vec!["plan", "--from", "nope"],
    ] {
        env.run(&args).no_panic().code_is(2);
        assert_eq!(
            fs::read(env.state_file()).unwrap(),
            before,
            "{args:?} changed the state"
        );
    }
}
