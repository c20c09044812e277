//! `therapy-timer doctor`: checks what a course needs, and says how to fix
//! each thing that does not work.

use serde::Serialize;

use super::schedule::{unit_dir, TIMER, WATCH};
use crate::args::DoctorArgs;
use crate::error::CliError;
use crate::state::Store;
use crate::{bus, notifier};

/// One check.
#[derive(Debug, Serialize)]
struct Check {
    check: &'static str,
    ok: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

fn pass(check: &'static str, detail: String) -> Check {
    Check {
        check,
        ok: true,
        detail,
        fix: None,
    }
}

fn fail(check: &'static str, detail: String, fix: String) -> Check {
    Check {
        check,
        ok: false,
        detail,
        fix: Some(fix),
    }
}

pub fn run(args: &DoctorArgs) -> Result<(), CliError> {
    let found = bus::use_discovered();
    if args.alert {
        return alert(args);
    }
    let mut checks = vec![match &found {
        Some(f) => pass("session bus", format!("{} (from {})", f.address, f.how)),
        None => fail(
            "session bus",
            "none found in DBUS_SESSION_BUS_ADDRESS, $XDG_RUNTIME_DIR/bus or /run/user/<uid>/bus"
                .into(),
            "run therapy-timer inside your desktop session, or set DBUS_SESSION_BUS_ADDRESS \
             (e.g. unix:path=/run/user/1000/bus)"
                .into(),
        ),
    }];
    checks.push(match notifier::server() {
        Ok((name, caps)) => pass(
            "notification server",
            format!("{name}; capabilities: {}", caps.join(", ")),
        ),
        Err(e) => fail(
            "notification server",
            format!("none answered: {e}; notices go to the terminal only"),
            "start a notification server (your desktop's, or dunst or mako)".into(),
        ),
    });
    checks.push(config_check());
    checks.push(state_check());
    checks.push(time_zone_check());
    checks.push(scheduler_check());
    checks.push(sound_check());
    checks.extend(desktop_checks());

    let all_ok = checks.iter().all(|c| c.ok);
    if args.json {
        super::print_json(&checks)?;
    } else {
        for c in &checks {
            outln!(
                "{} {}: {}",
                if c.ok { "ok  " } else { "FAIL" },
                c.check,
                c.detail
            );
            if let Some(fix) = &c.fix {
                outln!("     fix: {fix}");
            }
        }
    }
    if all_ok {
        Ok(())
    } else {
        Err(CliError::Failure(format!(
            "{} of {} checks failed",
            checks.iter().filter(|c| !c.ok).count(),
            checks.len()
        )))
    }
}

/// Whether the config file is in use: a file that cannot be read or
/// parsed leaves the built-in settings in force.
fn config_check() -> Check {
    let path = crate::settings::Settings::path();
    match crate::settings::Settings::load_or_builtin() {
        (_, Some(e)) => fail(
            "config file",
            format!("{e}; {}", super::CONFIG_FALLBACK),
            match &path {
                Some(p) => format!(
                    "correct {} and check it with `therapy-timer config --check {}`",
                    p.display(),
                    p.display()
                ),
                None => "correct the config file".into(),
            },
        ),
        (s, None) => pass(
            "config file",
            match &s.path {
                Some((p, true)) => format!("{} is valid and in use", p.display()),
                Some((p, false)) => format!("{} (none there; defaults in use)", p.display()),
                None => "none (neither XDG_CONFIG_HOME nor HOME is set); defaults in use".into(),
            },
        ),
    }
}

/// Whether a stop would be heard: a sound server to play it on, and the
/// sound it would play (the built-in alarm when the config file is broken,
/// as the commands then use it).
fn sound_check() -> Check {
    let alarm = crate::settings::Settings::load_or_builtin().0.alarm;
    let Some(name) = alarm.stop else {
        return pass(
            "alarm",
            "off ([alarm] sound = \"none\"): stops are not heard, only shown".into(),
        );
    };
    let sound = match crate::alarm::find(&name) {
        Some(p) => p.display().to_string(),
        None => format!("the built-in tone (no sound file for \"{name}\")"),
    };
    match crate::alarm::socket() {
        Ok(socket) => pass(
            "alarm",
            format!(
                "{sound}, at volume {}, on {}",
                alarm.volume,
                socket.display()
            ),
        ),
        Err(why) => fail(
            "alarm",
            format!("{why}; stops are shown but not heard"),
            "run PulseAudio or PipeWire (pipewire-pulse) in your session, or set \
             PULSE_SERVER=unix:PATH"
                .into(),
        ),
    }
}

/// Do-not-disturb and the screen lock, where the desktop tells: facts,
/// not failures (the alarm is what makes a stop heard then).
fn desktop_checks() -> Vec<Check> {
    use crate::desktop_state::{notifications_paused, screen_locked, PAUSED};
    let dnd = match notifications_paused() {
        Some(p) if p.on => format!("on ({}): {PAUSED}", p.by),
        Some(p) => format!("off ({})", p.by),
        None => "unknown (no dunst, KDE, GNOME or mako answered)".into(),
    };
    let locked = match screen_locked() {
        Some(l) if l.on => format!("locked ({}): a stop is given and heard all the same", l.by),
        Some(l) => format!("not locked ({})", l.by),
        None => "unknown (neither logind nor a screen saver answered)".into(),
    };
    vec![pass("do-not-disturb", dnd), pass("screen", locked)]
}

fn state_check() -> Check {
    let store = match Store::locate() {
        Ok(s) => s,
        Err(e) => return fail("state", e.to_string(), "set XDG_STATE_HOME or HOME".into()),
    };
    let path = store.path();
    // Reading checks the format; writing nothing new checks the directory.
    match store.read().and_then(|s| store.update(|_| Ok(s))) {
        Ok(s) => match s
            .driver
            .as_ref()
            .map(|d| d.course())
            .filter(|c| c.injury_known())
        {
            Some(c) => pass(
                "state",
                format!(
                    "{} (injury {}, {})",
                    path.display(),
                    c.injured_at().to_rfc3339(),
                    crate::text::sessions(u64::try_from(c.sessions().len()).unwrap_or(u64::MAX))
                ),
            ),
            None => fail(
                "state",
                format!(
                    "{}: no injury recorded, so tick and watch have nothing to follow",
                    path.display()
                ),
                "record it: therapy-timer injury TIME (e.g. \"3h ago\")".into(),
            ),
        },
        Err(e) => fail(
            "state",
            e.to_string(),
            "see the message; the file was left as it is".into(),
        ),
    }
}

fn time_zone_check() -> Check {
    let offset = chrono::Local::now().format("%:z").to_string();
    if let Some(tz) = std::env::var("TZ").ok().filter(|t| !t.is_empty()) {
        if !known_zone(&tz) {
            return fail(
                "time zone",
                format!(
                    "TZ={tz} names no known time zone (no such zone file, and not a POSIX \
                     TZ rule), so local time falls back to UTC{offset} now, and quiet hours \
                     and times follow it"
                ),
                "set TZ to a zone name such as Europe/Berlin (see /usr/share/zoneinfo), or \
                 unset it to use /etc/localtime"
                    .into(),
            );
        }
        return pass("time zone", format!("TZ={tz} (UTC{offset} now)"));
    }
    if std::path::Path::new("/etc/localtime").exists() || !cfg!(unix) {
        return pass("time zone", format!("/etc/localtime (UTC{offset} now)"));
    }
    fail(
        "time zone",
        "neither TZ nor /etc/localtime is set, so local time is UTC and quiet hours are in UTC"
            .into(),
        "set TZ (e.g. TZ=Europe/Berlin) or link /etc/localtime to your zone".into(),
    )
}

/// Whether the C library (and chrono, which reads `TZ` the same way)
/// understands `tz`: a zone file (a name under the zone directory, or a
/// path), or a POSIX rule such as `EST5EDT` or `<+03>-3` (a name and an
/// offset of at most 24 hours). Anything else silently means UTC.
fn known_zone(tz: &str) -> bool {
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    let is_zone_file = |p: &std::path::Path| {
        let mut magic = [0u8; 4];
        std::fs::File::open(p)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
            .is_ok_and(|()| &magic == b"TZif")
    };
    if tz.starts_with('/') {
        return is_zone_file(std::path::Path::new(tz));
    }
    let dirs = std::env::var_os("TZDIR")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(
            [
                "/usr/share/zoneinfo",
                "/usr/lib/zoneinfo",
                "/usr/share/lib/zoneinfo",
            ]
            .map(Into::into),
        );
    if !tz.contains("..") {
        for dir in dirs {
            if is_zone_file(&dir.join(tz)) {
                return true;
            }
        }
    }
    posix_rule(tz)
}

/// A POSIX TZ rule's start: a name (three or more letters, or `<...>`)
/// and an offset `[+-]hh[:mm[:ss]]` with hh at most 24; what follows (a
/// summer time name and its rule) is not checked.
fn posix_rule(tz: &str) -> bool {
    let rest = if let Some(quoted) = tz.strip_prefix('<') {
        match quoted.split_once('>') {
            Some((name, rest)) if name.len() >= 3 => rest,
            _ => return false,
        }
    } else {
        let letters = tz.chars().take_while(char::is_ascii_alphabetic).count();
        if letters < 3 {
            return false;
        }
        &tz[letters..]
    };
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let after = &rest[digits.len()..];
    let mut parts = digits.split(':');
    let hours_ok = parts
        .next()
        .and_then(|h| {
            (1..=2)
                .contains(&h.len())
                .then(|| h.parse::<u8>().ok())
                .flatten()
        })
        .is_some_and(|h| h <= 24);
    let others_ok = parts.all(|p| p.len() == 2 && p.parse::<u8>().is_ok_and(|n| n < 60));
    let tail_ok =
        after.is_empty() || after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '<');
    hours_ok && others_ok && digits.split(':').count() <= 3 && tail_ok
}

/// Whether something really runs `tick` or `watch`: a systemd user unit
/// that is enabled (and active, when a user manager answers), else a
/// crontab line. A unit file alone is not enough: it may never have been
/// enabled.
fn scheduler_check() -> Check {
    let mut installed = None;
    for unit in [TIMER, WATCH] {
        match systemd_unit(unit) {
            Unit::Unknown => {}
            Unit::Enabled {
                active: Some(a), ..
            } if a == "active" => {
                return pass(
                    "scheduler",
                    format!("systemd: {unit} is enabled and active (systemctl --user)"),
                )
            }
            Unit::Enabled {
                active: None,
                state,
            } => {
                return pass(
                    "scheduler",
                    format!(
                        "systemd: {unit} is {state}; no user manager answered, so whether it \
                         runs now is not known (it starts with your next login)"
                    ),
                )
            }
            Unit::Enabled {
                active: Some(a), ..
            } => {
                return fail(
                    "scheduler",
                    format!("systemd: {unit} is enabled but {a} (systemctl --user is-active)"),
                    format!(
                        "systemctl --user start {unit}; if it fails, see \
                         journalctl --user -u {}",
                        unit.replace(".timer", ".service")
                    ),
                )
            }
            Unit::Disabled(state) => {
                installed.get_or_insert((unit, state));
            }
        }
    }
    if let Some(line) = crontab_line() {
        return pass(
            "scheduler",
            format!("cron: crontab -l has: {}", line.trim()),
        );
    }
    if let Some((unit, state)) = installed {
        return fail(
            "scheduler",
            format!(
                "systemd: {unit} is installed but {state} (systemctl --user is-enabled), \
                 and no crontab line runs therapy-timer tick"
            ),
            format!("systemctl --user daemon-reload && systemctl --user enable --now {unit}"),
        );
    }
    // No systemctl answer; a unit written by `schedule` may still be there.
    let file = |name: &str| {
        unit_dir()
            .ok()
            .map(|d| d.join(name))
            .filter(|p| p.is_file())
    };
    if let Some(p) = file(TIMER).or_else(|| file(WATCH)) {
        return fail(
            "scheduler",
            format!(
                "{} is installed, but systemctl --user could not say whether it is enabled",
                p.display()
            ),
            "run therapy-timer doctor inside your login session, where systemctl --user works"
                .into(),
        );
    }
    fail(
        "scheduler",
        "no enabled systemd user timer or watch service, and no crontab line runs \
         therapy-timer tick"
            .into(),
        "therapy-timer schedule systemd --write (or schedule cron), or keep therapy-timer watch running"
            .into(),
    )
}

/// What systemctl says of a user unit.
#[derive(Debug)]
enum Unit {
    /// Not installed, or systemctl is not there to say.
    Unknown,
    /// Installed, not enabled: `disabled`, `masked`, ...
    Disabled(String),
    /// Enabled (`enabled`, `linked`, ...); `active` is what a user manager
    /// answered to is-active (`active`, `inactive`, `failed`), if one did.
    Enabled {
        state: String,
        active: Option<String>,
    },
}

/// Asks `systemctl --user is-enabled` (which reads the unit folders, no
/// manager needed) and `is-active` (which needs the user manager).
fn systemd_unit(unit: &str) -> Unit {
    let ask = |verb: &str| {
        std::process::Command::new("systemctl")
            .args(["--user", verb, unit])
            .stdin(std::process::Stdio::null())
            .output()
            .ok()
            .map(|o| {
                let out = String::from_utf8_lossy(&o.stdout).trim().to_owned();
                (o.status.success(), out)
            })
    };
    let Some((enabled, state)) = ask("is-enabled") else {
        return Unit::Unknown;
    };
    // Without the unit, is-enabled prints nothing (or "not-found").
    if state.is_empty() || state == "not-found" {
        return Unit::Unknown;
    }
    if !enabled {
        return Unit::Disabled(state);
    }
    // A manager that answers prints a state; without one, nothing.
    let active = ask("is-active")
        .map(|(_, out)| out)
        .filter(|out| !out.is_empty());
    Unit::Enabled { state, active }
}

/// The first crontab line (not a comment) that runs `therapy-timer tick`.
fn crontab_line() -> Option<String> {
    std::process::Command::new("crontab")
        .arg("-l")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .and_then(|t| {
            t.lines()
                .find(|l| {
                    !l.trim_start().starts_with('#')
                        && l.contains("therapy-timer")
                        && l.contains(" tick")
                })
                .map(str::to_owned)
        })
}

/// How long `doctor --alert` waits for the person to answer.
const ANSWER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// `doctor --alert`: the alert path for real, each part reported.
fn alert(args: &DoctorArgs) -> Result<(), CliError> {
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use crate::alarm::{Alarm, Played, Sound};
    use crate::clock::Wake;
    use crate::desktop_state::{notifications_paused, screen_locked, PAUSED};
    use crate::hooks::{Hooks, Ran};
    use crate::notifier::{Notice, Notifier, DISMISSED};

    // As the commands would alert: the built-in settings if the file is
    // broken (`doctor` says so).
    let settings = crate::settings::Settings::load_or_builtin().0;
    let mut notifier = Notifier::new(true, settings.notices.clone())
        .with_alarm(Alarm::new(&settings.alarm))
        .with_hooks(Hooks::new(settings.hook.clone()));
    let now = chrono::Utc::now();
    let (tx, rx) = mpsc::channel();
    let notice = Notice {
        summary: "therapy-timer test: can you see this?".into(),
        body: "A test of the stop alert (doctor --alert). Choose \"I see it\".".into(),
        urgency: therapy_timer::Urgency::Critical,
        expire: None,
        actions: vec![("seen", "I see it")],
        sound: Some(crate::text::ALARM_SOUND.to_owned()),
    };
    notifier.send_with_actions(&notice, now, &tx);
    let sent = notifier.last_sent();
    notifier.sound(Sound::Stop);
    let (hook_tx, hook_rx) = mpsc::channel();
    let hooked = settings.hook.is_some();
    notifier.hook(
        &serde_json::json!({"event": "test", "at": now, "urgency": "critical"}),
        Some(hook_tx),
    );
    let dnd = notifications_paused();
    let locked = screen_locked();
    let shown = notifier.on_desktop(sent);
    if shown && !args.json {
        outln!(
            "A test notice is up: choose \"I see it\" (waiting up to {}s).",
            ANSWER_WAIT.as_secs()
        );
    }
    let mut answer = None;
    if shown {
        let until = Instant::now() + ANSWER_WAIT;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Wake::Action { key, .. }) if key == "seen" || key == DISMISSED => {
                    answer = Some(key);
                    break;
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    let played = if settings.alarm.stop.is_some() {
        notifier
            .alarm()
            .and_then(|a| a.wait(Duration::from_secs(40)))
    } else {
        None
    };
    let ran = if hooked {
        hook_rx
            .recv_timeout(crate::hooks::HOOK_LIMIT + Duration::from_secs(1))
            .ok()
    } else {
        None
    };
    let answered = answer.is_some();
    let heard = matches!(played, Some(Played::Played { .. }));
    let mut checks = vec![
        Check {
            check: "notice",
            ok: answered,
            detail: match (&answer, shown) {
                (Some(k), _) if k == "seen" => "shown and answered (\"I see it\")".into(),
                (Some(_), _) => "shown and dismissed: seen, not answered with the button".into(),
                (None, true) => format!("shown, not answered within {}s", ANSWER_WAIT.as_secs()),
                (None, false) => "not shown: no notification server took it".into(),
            },
            fix: (!answered).then(|| {
                "start a notification server, and turn do-not-disturb off to see stops".into()
            }),
        },
        match &played {
            Some(Played::Played { sink, source }) => {
                pass("alarm", format!("played {source} on sink {sink}"))
            }
            Some(Played::Failed(why)) => fail(
                "alarm",
                format!("not played: {why}"),
                "run PulseAudio or PipeWire (pipewire-pulse), or set PULSE_SERVER=unix:PATH".into(),
            ),
            None if settings.alarm.stop.is_none() => fail(
                "alarm",
                "off ([alarm] sound = \"none\")".into(),
                "set [alarm] sound, or leave it out for the default alarm".into(),
            ),
            None => fail(
                "alarm",
                "did not finish in time".into(),
                "check the sound server".into(),
            ),
        },
        match &ran {
            Some(Ran::Ok) => pass("hook", "ran the test event; it exited 0".into()),
            Some(Ran::Failed(why)) => fail(
                "hook",
                format!("ran the test event and failed: {why}"),
                "fix the [hooks] event command".into(),
            ),
            None if hooked => fail(
                "hook",
                "did not finish in time".into(),
                "fix the [hooks] event command".into(),
            ),
            None => pass("hook", "none configured ([hooks] event)".into()),
        },
    ];
    checks.push(pass(
        "do-not-disturb",
        match dnd {
            Some(p) if p.on => format!("on ({}): {PAUSED}", p.by),
            Some(p) => format!("off ({})", p.by),
            None => "unknown".into(),
        },
    ));
    checks.push(pass(
        "screen",
        match locked {
            Some(l) if l.on => format!("locked ({})", l.by),
            Some(l) => format!("not locked ({})", l.by),
            None => "unknown".into(),
        },
    ));
    if args.json {
        super::print_json(&checks)?;
    } else {
        for c in &checks {
            outln!(
                "{} {}: {}",
                if c.ok { "ok  " } else { "FAIL" },
                c.check,
                c.detail
            );
            if let Some(fix) = &c.fix {
                outln!("     fix: {fix}");
            }
        }
    }
    if answered || heard {
        Ok(())
    } else {
        Err(CliError::Failure(
            "the test alert was neither answered nor heard: a stop would reach nobody".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::posix_rule;

    #[test]
    fn posix_rules_are_told_from_nonsense() {
        for good in [
            "EST5EDT",
            "EST+5",
            "UTC0",
            "<+03>-3",
            "CET-1CEST,M3.5.0,M10.5.0/3",
            "XXX24",
        ] {
            assert!(posix_rule(good), "{good}");
        }
        for bad in [
            "Nowhere/Bogus",
            "EST+25",
            "EST",
            "E5",
            "<+0>3",
            "EST5:60",
            "EST5/x",
            "",
        ] {
            assert!(!posix_rule(bad), "{bad}");
        }
    }
}
