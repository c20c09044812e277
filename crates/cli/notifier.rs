//! Desktop notifications, with a terminal fallback that never stalls the
//! timer.
//!
//! `show()` blocks on D-Bus: it fails in milliseconds with no session bus or
//! no notification server, but it can block for the bus's service-activation
//! timeout, or forever on a hung server. So each call runs on its own thread
//! and is given [`SHOW_TIMEOUT`]; past that, or on any error, the notice is
//! written to stderr with a terminal bell, a warning is printed once, and
//! the timer goes on.
//!
//! GNOME 46+ closes a notification when the D-Bus connection that sent it
//! goes away. The handles are therefore kept for the life of the process,
//! and after the last notice the command can wait (`--linger`) until the
//! person dismisses it.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use notify_rust::{Hint, Notification, NotificationHandle, Timeout};
use therapy_timer::Urgency;

use crate::clock::Wake;
use crate::settings::NoticeStyle;

/// How long one notification may take to be accepted by the server.
const SHOW_TIMEOUT: Duration = Duration::from_secs(3);
/// The app name and desktop entry the notifications carry.
const APP: &str = "therapy-timer";

/// One notice for the person.
#[derive(Debug, Clone)]
pub struct Notice {
    /// One line a person understands at a glance.
    pub summary: String,
    /// The detail: what to do, and when the next session may start.
    pub body: String,
    /// From the library: an ice stop is critical.
    pub urgency: Urgency,
    /// How long the notice stays up; `None` for the server's default.
    pub expire: Option<Duration>,
    /// Buttons: (key, label).
    pub actions: Vec<(&'static str, &'static str)>,
}

/// Sends notices to the desktop, or to the terminal when it cannot.
#[derive(Debug)]
pub struct Notifier {
    desktop: bool,
    warned: bool,
    kept: Vec<NotificationHandle>,
    style: NoticeStyle,
}

impl Notifier {
    /// A notifier that tries the desktop first (`desktop = false` writes to
    /// the terminal only), styling notices as configured.
    pub fn new(desktop: bool, style: NoticeStyle) -> Notifier {
        Notifier {
            desktop,
            warned: false,
            kept: Vec::new(),
            style,
        }
    }

    /// Shows `notice`; returns whether the desktop accepted it.
    pub fn send(&mut self, notice: &Notice) -> bool {
        !matches!(self.show(notice), Shown::Terminal)
    }

    /// Shows `notice` and sends the action the person chooses, if any, to
    /// `to`, tagged with `session`. Returns whether the desktop accepted it.
    pub fn send_with_actions(
        &mut self,
        notice: &Notice,
        session: chrono::DateTime<chrono::Utc>,
        to: &Sender<Wake>,
    ) -> bool {
        match self.show(notice) {
            Shown::Terminal => false,
            Shown::Kept => true,
            Shown::WithActions(handle) => {
                let tx = to.clone();
                // The thread owns the handle, which keeps the notice up on
                // desktops that close it with its sender's connection.
                let spawned = std::thread::Builder::new()
                    .name("actions".into())
                    .spawn(move || {
                        handle.wait_for_action(|key| {
                            if key != "__closed" {
                                let _ = tx.send(Wake::Action {
                                    key: key.to_owned(),
                                    session,
                                });
                            }
                        });
                    });
                spawned.is_ok()
            }
        }
    }

    /// Shows `notice` on the desktop, else on the terminal.
    ///
    /// The configured urgency and timeout apply to every notice but a
    /// critical one (an ice stop), which stays critical and up until
    /// dismissed whatever the settings say.
    fn show(&mut self, notice: &Notice) -> Shown {
        let mut notice = notice.clone();
        if notice.urgency != Urgency::Critical {
            notice.urgency = self.style.urgency;
            notice.expire = Some(self.style.timeout);
        }
        if self.desktop {
            match show_bounded(&notice, self.style.sound.as_deref()) {
                Ok(handle) if notice.actions.is_empty() => {
                    self.kept.push(handle);
                    return Shown::Kept;
                }
                Ok(handle) => return Shown::WithActions(Box::new(handle)),
                Err(Failure::TimedOut) => {
                    // A hung server would block every later notice too.
                    self.desktop = false;
                    self.warn(&format!(
                        "the notification server did not answer within {}s",
                        SHOW_TIMEOUT.as_secs()
                    ));
                }
                Err(Failure::Error(e)) => self.warn(&e),
            }
        }
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "\x07therapy-timer: {}: {}",
            notice.summary, notice.body
        );
        Shown::Terminal
    }

    fn warn(&mut self, why: &str) {
        if !self.warned {
            self.warned = true;
            errln!(
                "therapy-timer: warning: desktop notifications are not available ({why}); \
                 notices are written here instead, and the timer goes on"
            );
        }
    }

    /// Keeps the process (and so the last notice, on desktops that close a
    /// notice when its sender exits) alive until the person closes or
    /// answers it, `at_most` passes, or a signal arrives. Returns at once if
    /// the last notice did not reach the desktop.
    pub fn linger(&mut self, at_most: Duration, wake: (&Sender<Wake>, &Receiver<Wake>)) {
        if at_most.is_zero() {
            return;
        }
        let Some(handle) = self.kept.pop() else {
            return;
        };
        let tx = wake.0.clone();
        let spawned = std::thread::Builder::new()
            .name("linger".into())
            .spawn(move || {
                handle.wait_for_action(|_| {});
                let _ = tx.send(Wake::NotificationDone);
            });
        if spawned.is_err() {
            return;
        }
        // Whatever arrives first ends the wait: the notice closed or
        // answered, a signal, or the time limit.
        let _ = wake.1.recv_timeout(at_most);
    }
}

/// The notification server ("dunst 1.9.0 by knopwob, spec 1.2") and its
/// capabilities, asked with the same time limit as a notice.
pub fn server() -> Result<(String, Vec<String>), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("server-info".into())
        .spawn(move || {
            let info = notify_rust::get_server_information()
                .map(|i| {
                    format!(
                        "{} {} by {}, spec {}",
                        i.name, i.version, i.vendor, i.spec_version
                    )
                })
                .map_err(|e| e.to_string());
            let caps = notify_rust::get_capabilities().map_err(|e| e.to_string());
            let _ = tx.send(info.and_then(|i| caps.map(|c| (i, c))));
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    rx.recv_timeout(SHOW_TIMEOUT).unwrap_or_else(|_| {
        Err(format!(
            "the notification server did not answer within {}s",
            SHOW_TIMEOUT.as_secs()
        ))
    })
}

/// Where a notice went.
enum Shown {
    /// To the desktop; its handle is kept.
    Kept,
    /// To the desktop, with actions; the caller listens on the handle.
    WithActions(Box<NotificationHandle>),
    /// To the terminal.
    Terminal,
}

enum Failure {
    TimedOut,
    Error(String),
}

fn show_bounded(notice: &Notice, sound: Option<&str>) -> Result<NotificationHandle, Failure> {
    let mut n = Notification::new();
    n.appname(APP)
        .summary(&notice.summary)
        .body(&notice.body)
        .icon(match notice.urgency {
            Urgency::Critical => "dialog-warning",
            _ => "appointment-soon",
        })
        .timeout(match notice.expire {
            Some(d) => Timeout::Milliseconds(u32::try_from(d.as_millis()).unwrap_or(u32::MAX)),
            None => Timeout::Default,
        });
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.urgency(match notice.urgency {
            Urgency::Low => notify_rust::Urgency::Low,
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        })
        .hint(Hint::Category("x-therapy-timer.session".into()))
        .hint(Hint::DesktopEntry(APP.into()))
        // Keep it in the tray until dismissed, where the server supports it.
        .hint(Hint::Resident(notice.urgency == Urgency::Critical));
        if let Some(name) = sound {
            n.hint(Hint::SoundName(name.to_owned()));
        }
    }
    for (key, label) in &notice.actions {
        n.action(key, label);
    }
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("notify".into())
        .spawn(move || {
            let _ = tx.send(n.show().map_err(|e| e.to_string()));
        });
    if let Err(e) = spawned {
        return Err(Failure::Error(format!("cannot start a thread: {e}")));
    }
    match rx.recv_timeout(SHOW_TIMEOUT) {
        Ok(Ok(handle)) => Ok(handle),
        Ok(Err(e)) => Err(Failure::Error(e)),
        Err(_) => Err(Failure::TimedOut),
    }
}
