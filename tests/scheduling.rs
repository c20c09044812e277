//! `schedule` and `doctor`: the crontab line and the systemd units, checked
//! by the real tools, and the doctor's verdicts.

use std::fs;
use std::process::Command;

use crate::util::{desktop_or_skip, run, Env, BIN};

const DEBIAN_PYTHON: &str = "/usr/bin/python3";

#[test]
fn systemd_units_pass_systemd_analyze_verify() {
    if !desktop_or_skip(
        "systemd_units_pass_systemd_analyze_verify",
        &["systemd-analyze"],
    ) {
        return;
    }
    let env = Env::new();
    env.run(["schedule", "systemd", "--write"])
        .ok()
        .stdout_has("systemctl --user enable --now therapy-timer-tick.timer");
    let dir = env.root().join("config/systemd/user");
    let timer = fs::read_to_string(dir.join("therapy-timer-tick.timer")).unwrap();
    assert!(timer.contains("Persistent=true") && timer.contains("OnCalendar=*-*-* *:*:00"));
    let service = fs::read_to_string(dir.join("therapy-timer-tick.service")).unwrap();
    assert!(
        service.contains(&format!("ExecStart=\"{BIN}\" tick")),
        "{service}"
    );
    assert!(
        service.contains("Environment=\"XDG_STATE_HOME="),
        "{service}"
    );
    let verify = run({
        let mut c = Command::new("systemd-analyze");
        c.current_dir(&dir).args([
            "verify",
            "therapy-timer-tick.timer",
            "therapy-timer-tick.service",
        ]);
        c
    });
    verify.ok();
    assert_eq!(verify.stderr(), "", "systemd-analyze complained");
}

#[test]
fn the_watch_service_passes_systemd_analyze_verify() {
    if !desktop_or_skip(
        "the_watch_service_passes_systemd_analyze_verify",
        &["systemd-analyze"],
    ) {
        return;
    }
    let env = Env::new();
    env.run(["schedule", "systemd", "--watch", "--write"])
        .ok()
        .stdout_has("systemctl --user enable --now therapy-timer-watch.service");
    let dir = env.root().join("config/systemd/user");
    let unit = fs::read_to_string(dir.join("therapy-timer-watch.service")).unwrap();
    assert!(
        unit.contains(&format!("ExecStart=\"{BIN}\" watch")),
        "{unit}"
    );
    // Regression: RestartPreventExitStatus=2 left the service down for good
    // after a broken config file (exit 2), even once it was fixed.
    assert!(unit.contains("Restart=on-failure"), "{unit}");
    assert!(!unit.contains("RestartPreventExitStatus"), "{unit}");
    let verify = run({
        let mut c = Command::new("systemd-analyze");
        c.current_dir(&dir)
            .args(["verify", "therapy-timer-watch.service"]);
        c
    });
    verify.ok();
    assert_eq!(verify.stderr(), "", "systemd-analyze complained");
    env.run(["schedule", "cron", "--watch"])
        .code_is(2)
        .stderr_has("--watch is for systemd");
}

#[test]
fn installed_units_are_not_overwritten_silently() {
    let env = Env::new();
    env.run(["schedule", "systemd", "--write"]).ok();
    // Again: the same content, nothing to do.
    env.run(["schedule", "systemd", "--write"]).ok();
    let timer = env
        .root()
        .join("config/systemd/user/therapy-timer-tick.timer");
    fs::write(&timer, "[Timer]\nOnCalendar=hourly\n").unwrap();
    env.run(["schedule", "systemd", "--write"])
        .code_is(1)
        .stderr_has("exists and differs from what would be written; it was left as it is");
    assert_eq!(
        fs::read_to_string(&timer).unwrap(),
        "[Timer]\nOnCalendar=hourly\n"
    );
    env.run(["schedule", "systemd", "--write", "--force"]).ok();
    assert!(fs::read_to_string(&timer)
        .unwrap()
        .contains("Persistent=true"));
    env.run(["schedule", "cron", "--write"])
        .code_is(2)
        .stderr_has("--write is for systemd");
}

#[test]
fn the_crontab_line_parses_and_runs_from_crons_bare_environment() {
    // Debian's own python3, which python3-croniter installs into (a python3
    // earlier on PATH, such as pyenv's, would not have it).
    if !std::path::Path::new(DEBIAN_PYTHON).is_file() {
        assert!(
            !crate::util::desktop_required(),
            "{DEBIAN_PYTHON} is missing"
        );
        eprintln!("\n*** crontab line: SKIPPED: {DEBIAN_PYTHON} missing ***\n");
        return;
    }
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T09:00:00Z",
    ])
    .ok();
    // Whatever the hour the test runs at, a session is due: no quiet hours.
    let config = env.root().join("config/therapy-timer");
    fs::create_dir_all(&config).unwrap();
    fs::write(config.join("config.toml"), "quiet_hours = \"off\"\n").unwrap();
    let out = env.run(["schedule", "cron"]).ok().stdout();
    let line = out
        .lines()
        .find(|l| !l.starts_with('#'))
        .expect("a crontab line")
        .to_owned();
    let fields: Vec<_> = line.split_whitespace().collect();
    let schedule = fields[..5].join(" ");
    let command = fields[5..].join(" ");
    // The schedule, by a real cron parser (Debian: python3-croniter).
    let check = run({
        let mut c = Command::new(DEBIAN_PYTHON);
        c.args([
            "-c",
            "import sys; from croniter import croniter; import datetime as d; \
             it = croniter(sys.argv[1], d.datetime(2026, 3, 1, 9, 0, 30)); \
             print(it.get_next(d.datetime), it.get_next(d.datetime))",
            &schedule,
        ]);
        c
    });
    if check.stderr().contains("No module named 'croniter'") {
        assert!(
            !crate::util::desktop_required(),
            "python3-croniter is missing"
        );
        eprintln!("\n*** crontab schedule not parsed: SKIPPED: python3-croniter missing ***\n");
    } else {
        assert_eq!(
            check.ok().stdout(),
            "2026-03-01 09:01:00 2026-03-01 09:02:00\n"
        );
    }
    // The command, the way cron runs it: sh, an almost empty environment.
    let r = run({
        let mut c = Command::new("env");
        c.args([
            "-i",
            &format!("HOME={}", env.root().display()),
            "SHELL=/bin/sh",
            "PATH=/usr/bin:/bin",
        ])
        .args(["sh", "-c", &command]);
        c
    });
    r.ok();
    // A prompt is not a session: the tick from cron records none. (Until
    // tick runs on the driver, which keeps the prompt it gave in the state,
    // this checks only that the command runs from cron's environment.)
    let log = env.run(["log", "--json"]).ok().json();
    assert_eq!(log.as_array().map(Vec::len), Some(0));
}

#[test]
fn doctor_fails_and_says_how_to_fix() {
    let env = Env::new();
    let r = env.run(["doctor"]);
    r.code_is(1)
        .stdout_has("FAIL session bus")
        .stdout_has("FAIL notification server")
        .stdout_has("no injury recorded")
        .stdout_has("FAIL scheduler")
        .stdout_has("fix: therapy-timer schedule systemd --write")
        .stdout_has("FAIL alarm: no sound server")
        .stdout_has("ok   config file:")
        .stderr_has("5 of 9 checks failed");
    let json = env.run(["doctor", "--json"]).code_is(1).json();
    assert_eq!(json.as_array().map(Vec::len), Some(9));
    assert_eq!(json[4]["check"], "time zone");
}

/// The doctor's scheduler line, from `doctor --json`.
fn scheduler_verdict(env: &Env, path: Option<&std::path::Path>) -> (bool, String, String) {
    let mut c = env.cmd(["doctor", "--json"]);
    if let Some(dir) = path {
        let old = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![dir.to_path_buf()];
        paths.extend(std::env::split_paths(&old));
        c.env("PATH", std::env::join_paths(paths).expect("a PATH"));
    }
    let r = run(c);
    r.no_panic();
    let json: serde_json::Value = r.json();
    let check = json
        .as_array()
        .and_then(|a| a.iter().find(|c| c["check"] == "scheduler"))
        .unwrap_or_else(|| panic!("no scheduler check\n{}", r.report()))
        .clone();
    let text = |k: &str| check[k].as_str().unwrap_or_default().to_owned();
    (check["ok"] == true, text("detail"), text("fix"))
}

/// Regression: doctor called the scheduler fine once the unit file
/// existed, even when the timer was never enabled. Asked of the real
/// `systemctl --user`, whose is-enabled reads the unit folders without a
/// user manager.
#[test]
fn doctor_asks_systemctl_whether_the_timer_is_enabled() {
    if !desktop_or_skip(
        "doctor_asks_systemctl_whether_the_timer_is_enabled",
        &["systemctl"],
    ) {
        return;
    }
    let env = Env::new();
    env.run(["schedule", "systemd", "--write"]).ok();
    let (ok, detail, fix) = scheduler_verdict(&env, None);
    assert!(!ok, "{detail}");
    assert!(
        detail.contains("therapy-timer-tick.timer is installed but disabled"),
        "{detail}"
    );
    assert_eq!(
        fix,
        "systemctl --user daemon-reload && systemctl --user enable --now therapy-timer-tick.timer"
    );
    // Enabled the way a person would (no manager needed to make the link).
    let enable = run(env.program(
        "systemctl",
        ["--user", "enable", "therapy-timer-tick.timer"],
    ));
    enable.ok();
    let (ok, detail, _) = scheduler_verdict(&env, None);
    assert!(ok, "{detail}");
    assert!(
        detail.starts_with("systemd: therapy-timer-tick.timer is enabled"),
        "{detail}"
    );
    // Here no user manager answers is-active; the doctor says it cannot tell.
    if detail.contains("no user manager answered") {
        assert!(detail.contains("not known"), "{detail}");
    } else {
        assert!(
            detail.ends_with("enabled and active (systemctl --user)"),
            "{detail}"
        );
    }
}

/// Writes an executable script `name` into `dir`.
fn stub(dir: &std::path::Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, format!("#!/bin/sh\n{script}")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// What the doctor makes of a user manager's answers, and of a crontab.
/// STUBS: no user manager runs in CI's container, and the real `crontab -l`
/// would read the account's own crontab; these scripts answer as
/// systemctl and crontab do (stdout and exit code).
#[test]
fn doctor_says_which_scheduler_runs_and_whether_it_is_active() {
    let env = Env::new();
    let bin = env.root().join("stub-bin");
    let no_crontab = "echo 'no crontab for you' >&2; exit 1\n";
    stub(&bin, "crontab", no_crontab);
    // The timer enabled and active.
    stub(
        &bin,
        "systemctl",
        "case \"$2 $3\" in\n\
         'is-enabled therapy-timer-tick.timer') echo enabled ;;\n\
         'is-active therapy-timer-tick.timer') echo active ;;\n\
         *) exit 1 ;;\nesac\n",
    );
    let (ok, detail, _) = scheduler_verdict(&env, Some(&bin));
    assert!(ok, "{detail}");
    assert_eq!(
        detail,
        "systemd: therapy-timer-tick.timer is enabled and active (systemctl --user)"
    );
    // Enabled, but the manager says it failed.
    stub(
        &bin,
        "systemctl",
        "case \"$2 $3\" in\n\
         'is-enabled therapy-timer-tick.timer') echo enabled ;;\n\
         'is-active therapy-timer-tick.timer') echo failed; exit 3 ;;\n\
         *) exit 1 ;;\nesac\n",
    );
    let (ok, detail, fix) = scheduler_verdict(&env, Some(&bin));
    assert!(!ok);
    assert_eq!(
        detail,
        "systemd: therapy-timer-tick.timer is enabled but failed (systemctl --user is-active)"
    );
    assert!(
        fix.contains("journalctl --user -u therapy-timer-tick.service"),
        "{fix}"
    );
    // The watch service instead.
    stub(
        &bin,
        "systemctl",
        "case \"$2 $3\" in\n\
         'is-enabled therapy-timer-watch.service') echo enabled ;;\n\
         'is-active therapy-timer-watch.service') echo active ;;\n\
         *) exit 1 ;;\nesac\n",
    );
    let (ok, detail, _) = scheduler_verdict(&env, Some(&bin));
    assert!(
        ok && detail.contains("therapy-timer-watch.service is enabled and active"),
        "{detail}"
    );
    // No unit; cron has the line (a comment mentioning it does not count).
    stub(&bin, "systemctl", "exit 1\n");
    stub(
        &bin,
        "crontab",
        "printf '# therapy-timer tick\\n* * * * * /usr/bin/therapy-timer tick >/dev/null\\n'\n",
    );
    let (ok, detail, _) = scheduler_verdict(&env, Some(&bin));
    assert!(ok, "{detail}");
    assert_eq!(
        detail,
        "cron: crontab -l has: * * * * * /usr/bin/therapy-timer tick >/dev/null"
    );
    stub(&bin, "crontab", "echo '# therapy-timer tick'\n");
    let (ok, _, _) = scheduler_verdict(&env, Some(&bin));
    assert!(!ok);
}
