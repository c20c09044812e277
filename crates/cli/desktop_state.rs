//! What the desktop says about whether a notice would be seen: is
//! do-not-disturb on, is the screen locked. Asked where each desktop tells,
//! each question within a time limit; a desktop that does not answer is
//! "unknown", never an error.
//!
//! Do-not-disturb: dunst (`paused` on `org.dunstproject.cmd0`), KDE Plasma
//! (`Inhibited` on `org.freedesktop.Notifications`), GNOME (`gsettings get
//! org.gnome.desktop.notifications show-banners`), mako (`makoctl mode`).
//! Locked: logind's `LockedHint` of the user's session on the system bus,
//! and `org.freedesktop.ScreenSaver.GetActive` on the session bus.

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// What `status`, the bar's tooltip and `doctor` say while do-not-disturb
/// is on.
pub const PAUSED: &str = "notifications are paused: stops will only be heard";

/// How long the desktop may take to answer each question.
const ASK_TIMEOUT: Duration = Duration::from_millis(700);

/// An answer and who gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said {
    /// Yes or no.
    pub on: bool,
    /// Who said so ("dunst", "logind", ...).
    pub by: &'static str,
}

/// Runs `ask` on a thread of its own and waits at most `within`.
fn within<T: Send + 'static>(
    within: Duration,
    ask: impl FnOnce() -> Option<T> + Send + 'static,
) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("desktop-state".into())
        .spawn(move || {
            let _ = tx.send(ask());
        })
        .ok()?;
    rx.recv_timeout(within).ok().flatten()
}

/// Whether the notification server holds notices back (do-not-disturb);
/// `None` when no desktop answers.
pub fn notifications_paused() -> Option<Said> {
    within(ASK_TIMEOUT * 2, paused_now)
}

/// Whether the screen is locked; `None` when neither logind nor a screen
/// saver answers.
pub fn screen_locked() -> Option<Said> {
    within(ASK_TIMEOUT * 2, locked_now)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn paused_now() -> Option<Said> {
    const NAME: &str = "org.freedesktop.Notifications";
    const PATH: &str = "/org/freedesktop/Notifications";
    let conn = session()?;
    if let Some(on) = property(&conn, NAME, PATH, "org.dunstproject.cmd0", "paused") {
        return Some(Said { on, by: "dunst" });
    }
    if let Some(on) = property(&conn, NAME, PATH, NAME, "Inhibited") {
        return Some(Said {
            on,
            by: "KDE Plasma",
        });
    }
    let server: Option<(String, String, String, String)> =
        zbus::block_on(conn.call_method(Some(NAME), PATH, Some(NAME), "GetServerInformation", &()))
            .ok()
            .and_then(|m| m.body().deserialize().ok());
    let name = server.map(|s| s.0.to_ascii_lowercase()).unwrap_or_default();
    if name.contains("gnome") {
        let out = program(
            "gsettings",
            &["get", "org.gnome.desktop.notifications", "show-banners"],
        )?;
        return Some(Said {
            on: out.trim() == "false",
            by: "GNOME",
        });
    }
    if name.contains("mako") {
        let out = program("makoctl", &["mode"])?;
        return Some(Said {
            on: out.lines().any(|l| l.trim() == "do-not-disturb"),
            by: "mako",
        });
    }
    None
}

#[cfg(all(unix, not(target_os = "macos")))]
fn locked_now() -> Option<Said> {
    let logind = zbus::block_on(async {
        zbus::conn::Builder::system()
            .method_timeout(ASK_TIMEOUT)
            .build()
            .await
            .ok()
    })
    .and_then(|sys| {
        const LOGIN: &str = "org.freedesktop.login1";
        // The caller's own session, else the user's graphical one (from
        // cron, which runs in none).
        let session = |path: &str| {
            property(
                &sys,
                LOGIN,
                path,
                "org.freedesktop.login1.Session",
                "LockedHint",
            )
        };
        session("/org/freedesktop/login1/session/auto").or_else(|| {
            let display: (String, zbus::OwnedObjectPath) = get(
                &sys,
                LOGIN,
                "/org/freedesktop/login1/user/self",
                "org.freedesktop.login1.User",
                "Display",
            )?;
            session(display.1.as_str())
        })
    });
    if let Some(true) = logind {
        return Some(Said {
            on: true,
            by: "logind",
        });
    }
    let saver = session().and_then(|conn| {
        ["/org/freedesktop/ScreenSaver", "/ScreenSaver"]
            .iter()
            .find_map(|path| {
                zbus::block_on(conn.call_method(
                    Some("org.freedesktop.ScreenSaver"),
                    *path,
                    Some("org.freedesktop.ScreenSaver"),
                    "GetActive",
                    &(),
                ))
                .ok()
                .and_then(|m| m.body().deserialize::<bool>().ok())
            })
    });
    match (logind, saver) {
        (_, Some(true)) => Some(Said {
            on: true,
            by: "the screen saver",
        }),
        (Some(false), _) => Some(Said {
            on: false,
            by: "logind",
        }),
        (None, Some(false)) => Some(Said {
            on: false,
            by: "the screen saver",
        }),
        _ => None,
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn session() -> Option<zbus::Connection> {
    zbus::block_on(async {
        zbus::conn::Builder::session()
            .method_timeout(ASK_TIMEOUT)
            .build()
            .await
            .ok()
    })
}

/// A D-Bus property, read with `org.freedesktop.DBus.Properties.Get`.
#[cfg(all(unix, not(target_os = "macos")))]
fn get<T>(conn: &zbus::Connection, dest: &str, path: &str, iface: &str, name: &str) -> Option<T>
where
    T: TryFrom<zbus::OwnedVariant>,
{
    let reply = zbus::block_on(conn.call_method(
        Some(dest),
        path,
        Some("org.freedesktop.DBus.Properties"),
        "Get",
        &(iface, name),
    ))
    .ok()?;
    let value: zbus::OwnedVariant = reply.body().deserialize().ok()?;
    T::try_from(value).ok()
}

#[cfg(all(unix, not(target_os = "macos")))]
fn property(
    conn: &zbus::Connection,
    dest: &str,
    path: &str,
    iface: &str,
    name: &str,
) -> Option<bool> {
    get::<bool>(conn, dest, path, iface, name)
}

/// A program's output, if it ran and succeeded within the time limit.
#[cfg(all(unix, not(target_os = "macos")))]
fn program(name: &str, args: &[&str]) -> Option<String> {
    let mut child = Command::new(name)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let until = std::time::Instant::now() + ASK_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(s)) if s.success() => break,
            Ok(None) if std::time::Instant::now() < until => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    use std::io::Read;
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    Some(out)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn paused_now() -> Option<Said> {
    let _ = (Command::new, Stdio::null);
    None
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn locked_now() -> Option<Said> {
    None
}
