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
    checks.push(state_check());
    checks.push(time_zone_check());
    checks.push(scheduler_check());

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

fn state_check() -> Check {
    let store = match Store::locate() {
        Ok(s) => s,
        Err(e) => return fail("state", e.to_string(), "set XDG_STATE_HOME or HOME".into()),
    };
    let path = store.path();
    // Reading checks the format; writing nothing new checks the directory.
    match store.read().and_then(|s| store.update(|_| Ok(s))) {
        Ok(s) => match s.injured_at {
            Some(t) => pass(
                "state",
                format!(
                    "{} (injury {}, {} sessions)",
                    path.display(),
                    t.to_rfc3339(),
                    s.sessions.len()
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

fn scheduler_check() -> Check {
    let unit = |name: &str| {
        unit_dir()
            .ok()
            .map(|d| d.join(name))
            .filter(|p| p.is_file())
    };
    if let Some(p) = unit(TIMER) {
        return pass("scheduler", format!("systemd user timer {}", p.display()));
    }
    if let Some(p) = unit(WATCH) {
        return pass("scheduler", format!("systemd user service {}", p.display()));
    }
    let cron = std::process::Command::new("crontab")
        .arg("-l")
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
        });
    if let Some(line) = cron {
        return pass("scheduler", format!("crontab: {}", line.trim()));
    }
    fail(
        "scheduler",
        "no systemd user timer or watch service, and no crontab line runs therapy-timer tick"
            .into(),
        "therapy-timer schedule systemd --write (or schedule cron), or keep therapy-timer watch running"
            .into(),
    )
}
