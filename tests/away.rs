//! Prompts held while the person is away, with the real parts: a screen
//! saver on the session bus, logind (python3-dbusmock) on a private system
//! bus, dunst paused (do-not-disturb). A prompt due meanwhile is neither
//! shown nor recorded as missed, and is given once on return; a stop is
//! given and heard all the same.

use crate::util::{in_desktop, Env, Pulse, Run};

/// Above this RMS amplitude a recording holds a sound.
const HEARD: f64 = 0.01;
/// A short theme sound, and a hook that writes each event's kind.
fn config(env: &Env) -> std::path::PathBuf {
    let hooked = env.root().join("hook.log");
    env.config(&format!(
        "[alarm]\nsound = \"complete\"\n[hooks]\nevent = \"echo \\\"$THERAPY_TIMER_EVENT\\\" >> '{}'\"\n",
        hooked.display()
    ));
    hooked
}

const DESKTOP: [&str; 5] = [
    "dbus-run-session",
    "dbus-monitor",
    "Xvfb",
    "dunst",
    "dunstctl",
];

const INJURED: &str = "2026-03-01T08:00:00Z";

fn injured(env: &Env) {
    env.run(["injury", INJURED, "--at", INJURED]).ok();
}

/// `tick --json` at `at` (08:MM), its output between two markers.
fn tick(at: &str) -> String {
    format!(
        "echo '== {at}'; \"$BIN\" tick --json --quiet-hours off --at 2026-03-01T{at}:00Z || echo FAILED"
    )
}

/// The events (kind, due) `tick` printed after the marker `== at`.
fn events_at(run: &Run, at: &str) -> Vec<(String, String)> {
    let out = run.stdout();
    let Some((_, after)) = out.split_once(&format!("== {at}\n")) else {
        panic!("no tick at {at}:\n{}", run.report());
    };
    after
        .lines()
        .take_while(|l| !l.starts_with("== "))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["event"].as_str().unwrap_or_default().to_owned(),
                v["due"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn prompt(due: &str) -> Vec<(String, String)> {
    vec![("prompt".to_owned(), format!("2026-03-01T{due}:00Z"))]
}

/// The prompts the state file records, and the held one.
fn recorded(state: &std::path::Path) -> (usize, Option<String>) {
    let text = std::fs::read_to_string(state).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let driver = &v["driver"];
    let prompts = driver["course"]["prompts"].as_array().map_or(0, Vec::len);
    (prompts, driver["held"].as_str().map(str::to_owned))
}

/// Waits in the script until `name` is owned on `bus` (session/system).
fn owned(bus: &str, name: &str, yes: bool) -> String {
    let test = if yes { "" } else { "! " };
    format!(
        r#"for _ in $(seq 100); do
          {test}dbus-send --{bus} --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:{name} | grep -q true && break
          sleep 0.1
        done"#
    )
}

#[test]
fn while_the_screen_saver_is_on_a_prompt_is_held_and_given_once_after() {
    let test = "while_the_screen_saver_is_on_a_prompt_is_held_and_given_once_after";
    if !crate::util::desktop_or_skip(test, &DESKTOP)
        || !crate::util::tools_or_skip(test, &["python3"], "python3-dbus python3-gi")
    {
        return;
    }
    let env = Env::new();
    config(&env);
    injured(&env);
    let saver =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/fake-screensaver.py");
    let script = format!(
        r#"/usr/bin/python3 '{saver}' & saver=$!
        {up}
        {t0}
        {t1}
        cp "$XDG_STATE_HOME/therapy-timer/state.json" "$OUT/locked.json"
        kill $saver; wait $saver
        {down}
        {t5}
        {t6}"#,
        saver = saver.display(),
        up = owned("session", "org.freedesktop.ScreenSaver", true),
        down = owned("session", "org.freedesktop.ScreenSaver", false),
        t0 = tick("08:00"),
        t1 = tick("08:01"),
        t5 = tick("08:05"),
        t6 = tick("08:06"),
    );
    let run = in_desktop(&env, None, &script, &[]);
    run.no_panic().ok();
    assert!(!run.stdout().contains("FAILED"), "{}", run.report());
    assert_eq!(events_at(&run, "08:00"), vec![], "{}", run.report());
    assert_eq!(events_at(&run, "08:01"), vec![], "{}", run.report());
    // Held: not in the record, not even as missed.
    let (prompts, held) = recorded(&env.root().join("desktop/locked.json"));
    assert_eq!(prompts, 0, "a prompt nobody was shown was recorded");
    assert_eq!(held.as_deref(), Some(INJURED));
    // Unlocked: given once, the one due at 08:00.
    assert_eq!(
        events_at(&run, "08:05"),
        prompt("08:00"),
        "{}",
        run.report()
    );
    assert_eq!(events_at(&run, "08:06"), vec![], "{}", run.report());
    let shown =
        std::fs::read_to_string(env.root().join("desktop/history.json")).unwrap_or_default();
    let summary = "\"data\" : \"Time for ice: 10m\"";
    assert_eq!(shown.matches(summary).count(), 1, "shown once: {shown}");
}

#[test]
fn while_logind_says_locked_a_prompt_is_held_and_a_stop_is_given_and_heard() {
    let test = "while_logind_says_locked_a_prompt_is_held_and_a_stop_is_given_and_heard";
    if !crate::util::desktop_or_skip(test, &DESKTOP)
        || !crate::util::tools_or_skip(test, &["python3", "dbus-daemon"], "python3-dbusmock")
    {
        return;
    }
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, test) else {
        return;
    };
    let hooked = config(&env);
    injured(&env);
    let login = "--system --dest=org.freedesktop.login1";
    let script = format!(
        r#"dbus-daemon --config-file=/usr/share/dbus-1/session.conf --nofork --print-address=3 \
          3>"$OUT/sysbus" 2>"$OUT/sysbus.log" & sysd=$!
        trap 'kill $mock $sysd 2>/dev/null' EXIT
        for _ in $(seq 100); do [ -s "$OUT/sysbus" ] && break; sleep 0.05; done
        export DBUS_SYSTEM_BUS_ADDRESS=$(head -n1 "$OUT/sysbus")
        /usr/bin/python3 -m dbusmock --system --template logind >"$OUT/logind.log" 2>&1 & mock=$!
        {up}
        dbus-send {login} --print-reply /org/freedesktop/login1 org.freedesktop.DBus.Mock.AddSession \
          string:auto string:seat0 uint32:1000 string:someone boolean:true >/dev/null
        lock() {{ dbus-send {login} --print-reply /org/freedesktop/login1/session/auto \
          org.freedesktop.login1.Session.SetLockedHint boolean:$1 >/dev/null; }}
        lock true
        "$BIN" doctor | grep 'screen:'
        {t0}
        cp "$XDG_STATE_HOME/therapy-timer/state.json" "$OUT/locked.json"
        lock false
        {t5}
        lock true
        echo '== stop'
        "$BIN" start --phase ice --duration 1s --linger 0s --at 2026-03-01T08:06:00Z"#,
        up = owned("system", "org.freedesktop.login1", true),
        t0 = tick("08:00"),
        t5 = tick("08:05"),
    );
    let (run, rms) = pulse.record("logind", || in_desktop(&env, Some(&pulse), &script, &[]));
    run.no_panic().ok();
    assert!(!run.stdout().contains("FAILED"), "{}", run.report());
    run.stdout_has("screen: locked (logind)");
    assert_eq!(events_at(&run, "08:00"), vec![], "{}", run.report());
    let (prompts, held) = recorded(&env.root().join("desktop/locked.json"));
    assert_eq!((prompts, held.as_deref()), (0, Some(INJURED)));
    assert_eq!(
        events_at(&run, "08:05"),
        prompt("08:00"),
        "{}",
        run.report()
    );
    // Locked again: the stop is given, heard, and reaches the hook.
    let out = run.stdout();
    let (_, stop) = out.split_once("== stop").unwrap_or_default();
    assert!(stop.contains("Take the ice off now"), "{}", run.report());
    assert!(
        rms > HEARD,
        "the stop was not heard: RMS {rms}\n{}",
        run.report()
    );
    let hook = std::fs::read_to_string(&hooked).unwrap_or_default();
    assert_eq!(
        hook.lines().collect::<Vec<_>>(),
        ["prompt", "stop"],
        "{hook}"
    );
}

#[test]
fn while_dunst_is_paused_a_prompt_is_not_shown_nor_missed_and_a_stop_is_heard() {
    let test = "while_dunst_is_paused_a_prompt_is_not_shown_nor_missed_and_a_stop_is_heard";
    if !crate::util::desktop_or_skip(test, &DESKTOP) {
        return;
    }
    let env = Env::new();
    let Some(pulse) = Pulse::start(&env, test) else {
        return;
    };
    let hooked = config(&env);
    injured(&env);
    let script = format!(
        r#"dunstctl set-paused true
        {t0}
        {t1}
        cp "$XDG_STATE_HOME/therapy-timer/state.json" "$OUT/paused.json"
        dunstctl set-paused false
        {t2}
        dunstctl set-paused true
        echo '== stop'
        "$BIN" start --phase ice --duration 1s --linger 0s --at 2026-03-01T08:03:00Z
        dunstctl is-paused"#,
        t0 = tick("08:00"),
        t1 = tick("08:01"),
        t2 = tick("08:02"),
    );
    let (run, rms) = pulse.record("paused", || in_desktop(&env, Some(&pulse), &script, &[]));
    run.no_panic().ok();
    assert!(!run.stdout().contains("FAILED"), "{}", run.report());
    assert_eq!(events_at(&run, "08:00"), vec![], "{}", run.report());
    assert_eq!(events_at(&run, "08:01"), vec![], "{}", run.report());
    let (prompts, held) = recorded(&env.root().join("desktop/paused.json"));
    assert_eq!((prompts, held.as_deref()), (0, Some(INJURED)));
    assert_eq!(
        events_at(&run, "08:02"),
        prompt("08:00"),
        "{}",
        run.report()
    );
    let out = run.stdout();
    let (_, stop) = out.split_once("== stop").unwrap_or_default();
    assert!(stop.contains("Take the ice off now"), "{}", run.report());
    assert!(
        stop.trim_end().ends_with("true"),
        "still paused: {}",
        run.report()
    );
    assert!(
        rms > HEARD,
        "the stop was not heard: RMS {rms}\n{}",
        run.report()
    );
    let hook = std::fs::read_to_string(&hooked).unwrap_or_default();
    assert_eq!(
        hook.lines().collect::<Vec<_>>(),
        ["prompt", "stop"],
        "{hook}"
    );
}
