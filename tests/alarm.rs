//! The alarm the program plays itself, heard on a real PulseAudio server
//! (a null sink, its monitor recorded with parecord, measured with sox).

use crate::util::{Env, Pulse};

/// Above this RMS amplitude a recording holds a sound; a null sink's
/// monitor with nothing playing records exact zeros.
const HEARD: f64 = 0.01;
/// Below this, silence.
const SILENT: f64 = 0.0005;

/// A short theme sound, so that each test does not wait out the 6 s alarm.
const SHORT: &str = "[alarm]\nsound = \"complete\"\n";

#[test]
fn the_ice_stop_is_heard_with_the_theme_alarm() {
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, "the_ice_stop_is_heard_with_the_theme_alarm") else {
        return;
    };
    let (run, rms) = pulse.record("ice", || {
        crate::util::run(pulse.with(env.cmd([
            "start",
            "--phase",
            "ice",
            "--duration",
            "1s",
            "--linger",
            "0s",
        ])))
    });
    run.no_panic().ok();
    assert!(
        !run.stderr().contains("alarm cannot be played"),
        "{}",
        run.report()
    );
    assert!(
        rms > HEARD,
        "the stop was not heard: RMS {rms}\n{}",
        run.report()
    );
}

#[test]
fn the_heat_stop_is_heard() {
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, "the_heat_stop_is_heard") else {
        return;
    };
    env.config(SHORT);
    let (run, rms) = pulse.record("heat", || {
        crate::util::run(pulse.with(env.cmd([
            "start",
            "--phase",
            "heat",
            "--duration",
            "1s",
            "--linger",
            "0s",
        ])))
    });
    run.no_panic().ok();
    assert!(
        rms > HEARD,
        "the stop was not heard: RMS {rms}\n{}",
        run.report()
    );
}

#[test]
fn with_sound_none_the_stop_is_silent() {
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, "with_sound_none_the_stop_is_silent") else {
        return;
    };
    env.config("[alarm]\nsound = \"none\"\n");
    let (run, rms) = pulse.record("none", || {
        crate::util::run(pulse.with(env.cmd([
            "start",
            "--phase",
            "ice",
            "--duration",
            "1s",
            "--linger",
            "0s",
        ])))
    });
    run.no_panic().ok();
    assert!(rms < SILENT, "sound = \"none\" made a sound: RMS {rms}");
}

#[test]
fn tick_sounds_the_stop_and_each_repeat_but_not_a_prompt() {
    let env = Env::new();
    let Some(pulse) = Pulse::start(
        &env,
        "tick_sounds_the_stop_and_each_repeat_but_not_a_prompt",
    ) else {
        return;
    };
    env.config(SHORT);
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    env.start_and_kill("2026-03-01T08:00:00Z");
    let tick = |at: &str| {
        let mut cmd = pulse.with(env.cmd(["tick", "--json", "--quiet-hours", "off", "--at", at]));
        cmd.stdin(std::process::Stdio::null());
        let (run, rms) = pulse.record(&at.replace(':', ""), || crate::util::run(cmd));
        run.no_panic().ok();
        let kinds: Vec<String> = run
            .stdout()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| v["event"].as_str().unwrap_or_default().to_owned())
            .collect();
        (kinds, rms, run.report())
    };
    let (k, rms, report) = tick("2026-03-01T08:10:00Z");
    assert_eq!(k, ["stop"], "{report}");
    assert!(rms > HEARD, "the stop was not heard: RMS {rms}\n{report}");
    for (n, at) in ["08:15", "08:20", "08:25"].iter().enumerate() {
        let (k, rms, report) = tick(&format!("2026-03-01T{at}:00Z"));
        assert_eq!(k, ["repeat"], "{report}");
        assert!(
            rms > HEARD,
            "repeat {} was not heard: RMS {rms}\n{report}",
            n + 1
        );
    }
    // The rest counts from the last reminder, 08:25: the prompt is at 09:25.
    let (k, rms, report) = tick("2026-03-01T09:25:00Z");
    assert_eq!(k, ["prompt"], "{report}");
    assert!(rms < SILENT, "a prompt made a sound: RMS {rms}\n{report}");
}

#[test]
fn a_prompt_sounds_when_configured() {
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, "a_prompt_sounds_when_configured") else {
        return;
    };
    env.config("[alarm]\nprompt = \"message-new-instant\"\n");
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    let (run, rms) = pulse.record("prompt", || {
        crate::util::run(pulse.with(env.cmd([
            "tick",
            "--json",
            "--quiet-hours",
            "off",
            "--at",
            "2026-03-01T08:01:00Z",
        ])))
    });
    run.no_panic().ok().stdout_has("\"event\":\"prompt\"");
    assert!(
        rms > HEARD,
        "the prompt was not heard: RMS {rms}\n{}",
        run.report()
    );
}

#[test]
fn without_a_sound_server_the_stop_says_so_once_and_goes_on() {
    let env = Env::new();
    let run = env.run([
        "start",
        "--phase",
        "ice",
        "--duration",
        "1s",
        "--linger",
        "0s",
    ]);
    run.no_panic().ok().stdout_has("Take the ice off now");
    assert_eq!(
        run.stderr().matches("the alarm cannot be played").count(),
        1,
        "{}",
        run.report()
    );
}

#[test]
fn a_volume_out_of_range_is_refused_with_the_fix() {
    let env = Env::new();
    env.config("[alarm]\nvolume = 150\n");
    // Reported wherever it is read; only `config` fails on it.
    env.run(["status"])
        .ok()
        .stderr_has("[alarm] volume = 150 is out of range; write a number from 0 to 100");
    env.run(["config"])
        .code_is(2)
        .stderr_has("[alarm] volume = 150 is out of range; write a number from 0 to 100");
}

/// Runs `script` beside a real dunst, told where `pulse` is
/// ([`crate::util::in_desktop`]).
fn in_desktop(env: &Env, pulse: &Pulse, script: &str) -> crate::util::Run {
    crate::util::in_desktop(env, Some(pulse), script, &[])
}

/// [`in_desktop`] with more environment (dunst's too).
fn in_desktop_with(
    env: &Env,
    pulse: &Pulse,
    script: &str,
    vars: &[(&str, &str)],
) -> crate::util::Run {
    crate::util::in_desktop(env, Some(pulse), script, vars)
}

const DESKTOP: [&str; 5] = [
    "dbus-run-session",
    "dbus-monitor",
    "Xvfb",
    "dunst",
    "dunstctl",
];

#[test]
fn with_dunst_paused_the_stop_is_heard_and_status_and_doctor_say_so() {
    let test = "with_dunst_paused_the_stop_is_heard_and_status_and_doctor_say_so";
    if !crate::util::desktop_or_skip(test, &DESKTOP) {
        return;
    }
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, test) else {
        return;
    };
    env.config(SHORT);
    let script = r#"dunstctl set-paused true
        "$BIN" status
        "$BIN" doctor
        "$BIN" start --phase ice --duration 1s --linger 0s"#;
    let (run, rms) = pulse.record("paused", || in_desktop(&env, &pulse, script));
    run.no_panic().ok();
    let paused = "notifications are paused: stops will only be heard";
    assert_eq!(run.stdout().matches(paused).count(), 2, "{}", run.report());
    run.stdout_has("notifications are paused: stops will only be heard (dunst)")
        .stdout_has("ok   do-not-disturb: on (dunst)");
    assert!(
        rms > HEARD,
        "the stop was not heard: RMS {rms}\n{}",
        run.report()
    );
}

#[test]
fn with_dunst_running_status_says_nothing_of_a_pause() {
    let test = "with_dunst_running_status_says_nothing_of_a_pause";
    if !crate::util::desktop_or_skip(test, &DESKTOP) {
        return;
    }
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, test) else {
        return;
    };
    let run = in_desktop(&env, &pulse, r#""$BIN" status; "$BIN" doctor; true"#);
    run.no_panic().ok();
    assert!(!run.stdout().contains("paused"), "{}", run.report());
    run.stdout_has("ok   do-not-disturb: off (dunst)");
}

#[test]
fn doctor_alert_reports_each_part_when_answered_under_dunst() {
    let test = "doctor_alert_reports_each_part_when_answered_under_dunst";
    if !crate::util::desktop_or_skip(test, &DESKTOP) {
        return;
    }
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, test) else {
        return;
    };
    let hooked = env.root().join("hook.log");
    env.config(&format!(
        "{SHORT}[hooks]\nevent = \"{{ printf '%s ' \\\"$THERAPY_TIMER_EVENT\\\"; cat; }} >> '{}'\"\n",
        hooked.display()
    ));
    let out = env.root().join("desktop");
    let script = format!(
        r#""$BIN" doctor --alert &
        pid=$!
        for _ in $(seq 100); do [ "$(grep -c Notify "{out}/notify.log")" -ge 1 ] && break; sleep 0.1; done
        sleep 0.5
        dunstctl context
        wait $pid"#,
        out = out.display()
    );
    let pick = [("THERAPY_TIMER_TEST_PICK", "I see it")];
    let (run, rms) = pulse.record("doctor", || in_desktop_with(&env, &pulse, &script, &pick));
    run.no_panic().ok();
    run.stdout_has("ok   notice: shown and answered (\"I see it\")")
        .stdout_has(
            "ok   alarm: played /usr/share/sounds/freedesktop/stereo/complete.oga on sink tt",
        )
        .stdout_has("ok   hook: ran the test event; it exited 0")
        .stdout_has("ok   do-not-disturb: off (dunst)");
    assert!(rms > HEARD, "the alarm was not heard: RMS {rms}");
    let log = std::fs::read_to_string(&hooked).unwrap_or_default();
    assert!(log.starts_with("test {\"at\":"), "{log}");
}

#[test]
fn doctor_alert_without_a_desktop_passes_on_the_sound_alone() {
    let env = Env::new();
    let Some(pulse) = Pulse::start(
        &env,
        "doctor_alert_without_a_desktop_passes_on_the_sound_alone",
    ) else {
        return;
    };
    env.config(SHORT);
    let (run, rms) = pulse.record("nodesk", || {
        crate::util::run(pulse.with(env.cmd(["doctor", "--alert"])))
    });
    run.no_panic().ok();
    run.stdout_has("FAIL notice: not shown: no notification server took it")
        .stdout_has("ok   alarm: played")
        .stdout_has("on sink tt")
        .stdout_has("ok   hook: none configured");
    assert!(rms > HEARD, "the alarm was not heard: RMS {rms}");
}

#[test]
fn doctor_alert_with_nothing_to_reach_anyone_fails() {
    let env = Env::new();
    env.run(["doctor", "--alert"])
        .no_panic()
        .code_is(1)
        .stdout_has("FAIL notice: not shown")
        .stdout_has("FAIL alarm: not played: no sound server")
        .stderr_has("the test alert was neither answered nor heard");
}

#[test]
fn with_the_screen_locked_the_stop_is_given_and_heard() {
    let test = "with_the_screen_locked_the_stop_is_given_and_heard";
    if !crate::util::desktop_or_skip(test, &DESKTOP)
        || !crate::util::tools_or_skip(test, &["python3"], "python3-dbus python3-gi")
    {
        return;
    }
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, test) else {
        return;
    };
    env.config(SHORT);
    let saver =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/fake-screensaver.py");
    let script = format!(
        r#"/usr/bin/python3 '{saver}' & saver=$!
        for _ in $(seq 100); do
          dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.ScreenSaver | grep -q true && break
          sleep 0.1
        done
        "$BIN" doctor
        "$BIN" start --phase ice --duration 1s --linger 0s
        kill $saver"#,
        saver = saver.display()
    );
    let (run, rms) = pulse.record("locked", || in_desktop(&env, &pulse, &script));
    run.no_panic().ok();
    run.stdout_has("ok   screen: locked (the screen saver)")
        .stdout_has("Take the ice off now");
    assert!(
        rms > HEARD,
        "the stop was not heard: RMS {rms}\n{}",
        run.report()
    );
    let shown =
        std::fs::read_to_string(env.root().join("desktop/history.json")).unwrap_or_default();
    assert!(shown.contains("Take the ice off now"), "not given: {shown}");
}
