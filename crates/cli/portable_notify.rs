//! Notices on platforms without a session bus (macOS, Windows), through
//! notify-rust: the same interface as `bus_notify.rs`, without the server's
//! signals (no actions, and `--linger` returns at once).

use std::time::Duration;

use notify_rust::{Notification, Timeout};

use crate::notifier::Notice;

/// What the notification system said about a notice (never anything here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// The person chose the action `key` on notice `id`.
    Action {
        /// The notice.
        id: u32,
        /// The action's key.
        key: String,
    },
    /// Notice `id` was closed.
    Closed {
        /// The notice.
        id: u32,
        /// Why (as in the freedesktop specification).
        reason: u32,
    },
    /// The notification system went away.
    Gone,
}

/// The platform's notification system.
#[derive(Debug, Clone)]
pub struct Bus;

impl Bus {
    /// Nothing to open on these platforms.
    pub fn open(_timeout: Duration) -> Result<Bus, String> {
        Ok(Bus)
    }

    /// Shows `notice`; the id is always 0 (nothing listens for it).
    pub fn notify(&self, notice: &Notice) -> Result<u32, String> {
        let mut n = Notification::new();
        n.appname("therapy-timer")
            .summary(&notice.summary)
            .body(&notice.body)
            .timeout(match notice.expire {
                Some(d) => Timeout::Milliseconds(u32::try_from(d.as_millis()).unwrap_or(u32::MAX)),
                None => Timeout::Default,
            });
        n.show().map(|_| 0).map_err(|e| e.to_string())
    }

    /// Nothing is heard on these platforms.
    pub fn listen(&self, heard: impl FnMut(Heard) + Send + 'static) -> Result<(), String> {
        drop(heard);
        Ok(())
    }
}
