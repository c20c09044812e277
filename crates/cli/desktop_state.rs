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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
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

/// Whether the person is away for prompts: the screen locked or
/// do-not-disturb on, as the desktop says. What the library is told at
/// each step ([`therapy_timer::Input::Away`] / `Back`); not knowing is
/// "not away", so a desktop that stops answering never holds prompts.
#[derive(Debug, Clone)]
pub enum Presence {
    /// Asked once (a `tick`).
    Asked(bool),
    /// Asked on a thread of its own every [`WATCH_EVERY`] (a loop): a
    /// step reads the latest answer and never waits for the desktop.
    Watched(Arc<AtomicBool>),
}

/// How often a loop asks the desktop, and how often it wakes while a
/// prompt is held, to give it soon after the person is back.
pub const WATCH_EVERY: Duration = Duration::from_secs(2);

impl Presence {
    /// Asks the desktop now (both questions at once, each within its time
    /// limit).
    pub fn ask() -> Presence {
        Presence::Asked(away_now())
    }

    /// Asks now, then again every [`WATCH_EVERY`] on a thread of its own
    /// (which ends with the process).
    pub fn watch() -> Presence {
        let flag = Arc::new(AtomicBool::new(away_now()));
        let shared = Arc::clone(&flag);
        let spawned = std::thread::Builder::new()
            .name("presence".into())
            .spawn(move || loop {
                std::thread::sleep(WATCH_EVERY);
                shared.store(away_now(), Ordering::Relaxed);
            });
        if spawned.is_err() {
            // No thread: not away (prompts are given as before).
            flag.store(false, Ordering::Relaxed);
        }
        Presence::Watched(flag)
    }

    /// Whether the person is away, by the latest answer.
    pub fn away(&self) -> bool {
        match self {
            Presence::Asked(away) => *away,
            Presence::Watched(flag) => flag.load(Ordering::Relaxed),
        }
    }
}

/// Locked or paused, asked at once.
fn away_now() -> bool {
    let locked = std::thread::Builder::new()
        .name("desktop-locked".into())
        .spawn(screen_locked);
    let paused = notifications_paused().is_some_and(|s| s.on);
    let locked = locked
        .ok()
        .and_then(|h| h.join().ok())
        .flatten()
        .is_some_and(|s| s.on);
    paused || locked
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
        call(&conn, NAME, PATH, NAME, "GetServerInformation", &());
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
    let logind = system().and_then(|sys| {
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
                const SAVER: &str = "org.freedesktop.ScreenSaver";
                call::<_, bool>(&conn, SAVER, path, SAVER, "GetActive", &())
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

/// The session bus, for the questions (one connection for the process:
/// `start` and `watch` ask every [`WATCH_EVERY`]).
#[cfg(all(unix, not(target_os = "macos")))]
fn session() -> Option<zbus::Connection> {
    static SESSION: std::sync::Mutex<Option<zbus::Connection>> = std::sync::Mutex::new(None);
    reused(&SESSION, zbus::conn::Builder::session)
}

/// The system bus (logind), as [`session`].
#[cfg(all(unix, not(target_os = "macos")))]
fn system() -> Option<zbus::Connection> {
    static SYSTEM: std::sync::Mutex<Option<zbus::Connection>> = std::sync::Mutex::new(None);
    reused(&SYSTEM, zbus::conn::Builder::system)
}

/// The connection kept in `kept` if it still answers (a ping to the bus),
/// else a new one from `builder`, kept for the next question.
#[cfg(all(unix, not(target_os = "macos")))]
fn reused(
    kept: &std::sync::Mutex<Option<zbus::Connection>>,
    builder: fn() -> zbus::conn::Builder<'static>,
) -> Option<zbus::Connection> {
    let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(conn) = kept.as_ref() {
        let alive: Option<()> = call(
            conn,
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.Peer",
            "Ping",
            &(),
        );
        if alive.is_some() {
            return Some(conn.clone());
        }
    }
    let conn = zbus::block_on(async { builder().method_timeout(ASK_TIMEOUT).build().await.ok() });
    kept.clone_from(&conn);
    conn
}

/// A D-Bus property, read with `org.freedesktop.DBus.Properties.Get`.
#[cfg(all(unix, not(target_os = "macos")))]
fn get<T>(conn: &zbus::Connection, dest: &str, path: &str, iface: &str, name: &str) -> Option<T>
where
    T: TryFrom<zbus::OwnedVariant>,
{
    let value: zbus::OwnedVariant = call(
        conn,
        dest,
        path,
        "org.freedesktop.DBus.Properties",
        "Get",
        &(iface, name),
    )?;
    T::try_from(value).ok()
}

/// Calls a method with the no-auto-start flag: a question never starts a
/// service (a notification daemon, a screen saver) that is not running.
/// `None` for any error, the name not owned included.
#[cfg(all(unix, not(target_os = "macos")))]
fn call<B, R>(
    conn: &zbus::Connection,
    dest: &str,
    path: &str,
    iface: &str,
    method: &str,
    body: &B,
) -> Option<R>
where
    B: serde::Serialize + zbus::zvariant::DynamicType,
    R: for<'d> zbus::zvariant::DynamicDeserialize<'d>,
{
    zbus::block_on(async {
        let proxy: zbus::Proxy<'_> = zbus::proxy::Builder::new(conn)
            .destination(dest)
            .path(path)
            .interface(iface)
            .cache_properties(zbus::proxy::CacheProperties::No)
            .build()
            .await
            .ok()?;
        proxy
            .call_with_flags(method, zbus::proxy::MethodFlags::NO_AUTO_START, body)
            .await
            .ok()
            .flatten()
    })
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
