//! The config file: every key optional, broken limits named by line, and
//! `config --check FILE`.

use std::fs;

use crate::util::Env;

fn write_config(env: &Env, text: &str) -> std::path::PathBuf {
    let dir = env.root().join("config/therapy-timer");
    fs::create_dir_all(&dir).expect("the config folder");
    let path = dir.join("config.toml");
    fs::write(&path, text).expect("the config file");
    path
}

/// Regression: `ice = { on = "8m" }` was refused for a missing `rest`,
/// though every key is optional.
#[test]
fn half_a_dose_in_the_config_file_is_filled_from_the_default() {
    let env = Env::new();
    write_config(&env, "[protocol]\nice = { on = \"8m\" }\n");
    env.run(["config"])
        .ok()
        .stdout_has("ice                       8m on, 1h rest  (config file)")
        .stdout_has("heat                      15m on, 15m rest  (default)");
    // And the plan follows it: 8 minutes on, then the next start on the
    // default ice cadence (every 1h10m, which leaves more than the hour off).
    let plan = env
        .run([
            "plan",
            "--json",
            "--for",
            "3h",
            "--quiet-hours",
            "off",
            "--injured-at",
            "2026-03-01T08:00:00Z",
            "--at",
            "2026-03-01T08:00:00Z",
        ])
        .ok()
        .json();
    assert_eq!(plan[0]["end"], "2026-03-01T08:08:00Z");
    assert_eq!(plan[1]["start"], "2026-03-01T09:10:00Z");
}

/// Regression: a limit broken inside `[protocol]` lost its line number.
#[test]
fn a_broken_limit_in_the_config_file_names_its_line() {
    let env = Env::new();
    write_config(
        &env,
        "quiet_hours = \"off\"\n\n[protocol]\nacute_window = \"48h\"\nheat = { on = \"25m\" }\n",
    );
    env.run(["config"])
        .code_is(2)
        .stderr_has("is not valid: line 5: [protocol] heat.on: a heat session of 25m is longer than the 20m safety limit");
}

#[test]
fn config_check_validates_a_file_without_using_it() {
    let env = Env::new();
    // The config in use is broken; --check must not read it.
    write_config(&env, "[protocol\n");
    let good = env.root().join("good.toml");
    fs::write(
        &good,
        "[protocol]\nheat = { on = \"20m\", rest = \"20m\" }\n",
    )
    .unwrap();
    env.run([
        std::ffi::OsStr::new("config"),
        "--check".as_ref(),
        good.as_os_str(),
    ])
    .ok()
    .stdout_has("is valid; it would set:")
    .stdout_has("heat                      20m on, 20m rest  (config file)");
    let bad = env.root().join("bad.toml");
    fs::write(&bad, "[protocol]\n\nice = { rest = \"30m\" }\n").unwrap();
    env.run([std::ffi::OsStr::new("config"), "--check".as_ref(), bad.as_os_str()])
        .code_is(2)
        .stderr_has("line 3: [protocol] ice.rest: a rest of 30m after ice is shorter than the 1h safety minimum");
    let missing = env.root().join("missing.toml");
    env.run([
        std::ffi::OsStr::new("config"),
        "--check".as_ref(),
        missing.as_os_str(),
    ])
    .code_is(2)
    .stderr_has("cannot read the config file");
    // The broken file in use is still an error for everything else.
    env.run(["config"]).code_is(2).stderr_has("line 1");
}

/// The cadence and the course length are config keys too, and a broken one
/// names its line like any other.
#[test]
fn cadence_and_course_length_are_read_and_checked() {
    let env = Env::new();
    write_config(
        &env,
        "[protocol]\nice = { every = \"2h\" }\ncourse_length = \"5days\"\n",
    );
    let plan = env
        .run([
            "plan",
            "--json",
            "--for",
            "5h",
            "--quiet-hours",
            "off",
            "--injured-at",
            "2026-03-01T08:00:00Z",
            "--at",
            "2026-03-01T08:00:00Z",
        ])
        .ok()
        .json();
    assert_eq!(plan[1]["start"], "2026-03-01T10:00:00Z");
    write_config(&env, "[protocol]\n\nice = { every = \"30m\" }\n");
    env.run(["config"])
        .code_is(2)
        .stderr_has("line 3: [protocol] ice.every:");
    write_config(&env, "[protocol]\ncourse_length = \"90days\"\n");
    env.run(["config"])
        .code_is(2)
        .stderr_has("line 2: [protocol] course_length:");
}

/// Regression: with `[notifications] volume = 3` (no such key) in the
/// config file, `tick`, `watch`, `start` and `stop` all exited 2: an
/// overdue ice-off was never given and the pack could not be said to be
/// off. The safety commands run on the built-in protocol and say why; only
/// `config` and `config --check` fail on the file.
#[test]
fn a_broken_config_does_not_silence_a_stop() {
    let env = Env::new();
    let path = write_config(&env, "[notifications]\nvolume = 3\n");
    let warning = "unknown field `volume`";
    let fallback = "the built-in protocol and settings are in use until it is fixed";

    // start: the session is logged and timed; its process is gone (the
    // machine went down): tick gives its stop.
    env.start_and_kill("2026-03-01T09:00:00Z");
    let r = env.run(["tick", "--json", "--at", "2026-03-01T09:11:00Z"]);
    r.ok().stderr_has(warning).stderr_has(fallback);
    // One JSON line per event.
    let fired = r.json();
    assert_eq!(fired["event"], "stop", "{}", r.report());
    assert_eq!(fired["urgency"], "critical", "{}", r.report());

    // status says it, in every form.
    env.run(["status", "--at", "2026-03-01T09:12:00Z"])
        .ok()
        .stdout_has("Config file not in use: the config file")
        .stdout_has(warning);
    let json = env
        .run(["status", "--json", "--at", "2026-03-01T09:12:00Z"])
        .ok()
        .json();
    assert!(
        json["config_problem"]
            .as_str()
            .is_some_and(|p| p.contains(warning)),
        "{json}"
    );
    let bar = env
        .run([
            "status",
            "--format",
            "waybar",
            "--at",
            "2026-03-01T09:12:00Z",
        ])
        .ok()
        .json();
    assert!(
        bar["tooltip"]
            .as_str()
            .is_some_and(|t| t.contains("Config file not in use")),
        "{bar}"
    );

    // stop: the pack can be said to be off.
    env.run(["stop", "--at", "2026-03-01T09:13:00Z"])
        .ok()
        .stderr_has(warning);
    let log = env.run(["log", "--json"]).ok().json();
    assert_eq!(log[0]["off"]["by"], "stopped", "{log}");

    // start runs a whole session and gives its stop.
    env.run([
        "start",
        "--phase",
        "ice",
        "--duration",
        "1s",
        "--linger",
        "0s",
        "--at",
        "2026-03-01T10:30:00Z",
    ])
    .ok()
    .stdout_has("Take the ice off now.")
    .stderr_has(warning);

    // doctor checks the file.
    env.run(["doctor"])
        .stdout_has("FAIL config file:")
        .stdout_has(warning);

    // Only the commands whose job is the config fail on it.
    env.run(["config"]).code_is(2).stderr_has(warning);
    env.run(["config", "--check", path.to_str().unwrap_or_default()])
        .code_is(2)
        .stderr_has(warning);
}

/// Regression: `quiet_hours = 22:00` (a TOML time, not a string) said
/// "invalid type: map, expected a string". It says what is wrong and how
/// to write it, at its line, as the config's other messages do; a range
/// without quotes (not TOML at all) gets the same fix.
#[test]
fn regression_quiet_hours_not_a_string_says_how_to_write_it() {
    let env = Env::new();
    let fix = "write the range as a string, in quotes: quiet_hours = \"22:00-07:00\" (or \"off\")";
    for (value, what) in [
        (
            "22:00",
            "line 2: quiet_hours = 22:00 is a TOML time, not a string; ",
        ),
        (
            "5",
            "line 2: quiet_hours = 5 is a TOML integer, not a string; ",
        ),
        ("22:00-07:00", "line 2: invalid datetime; "),
    ] {
        let path = write_config(&env, &format!("# mine\nquiet_hours = {value}\n"));
        for r in [
            env.run(["config"]),
            env.run(["config".as_ref(), "--check".as_ref(), path.as_os_str()]),
        ] {
            r.code_is(2).stderr_has(&format!("{what}{fix}")).no_panic();
            assert!(!r.stderr().contains("invalid type"), "{}", r.report());
        }
    }
}
