//! The freedesktop notification interface, spoken over one D-Bus
//! connection (zbus directly, on Linux and the BSDs).
//!
//! notify-rust opens a new session-bus connection for every notice and for
//! every listener, and has no way to reuse one (issue 9 measured the stop
//! notice at 2.6 ms after its deadline, against 0.95 ms for a sender that
//! keeps its connection open). Here the
//! connection is opened once and every notice, and the one listener for
//! the server's signals, share it for the life of the process. That also
//! keeps notices up on GNOME 46+, which closes them with their sender's
//! connection.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Duration;

use futures_lite::StreamExt;
use therapy_timer::Urgency;
use zbus::message::Type;
use zbus::{Connection, MatchRule, Message, MessageStream, Variant as Value};

use crate::notifier::Notice;

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// The app name and desktop entry the notifications carry.
const APP: &str = "therapy-timer";

/// What the notification server (or the bus) said about a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// The person chose the action `key` on notice `id`.
    Action {
        /// The notice.
        id: u32,
        /// The action's key.
        key: String,
    },
    /// Notice `id` was closed (dismissed, expired, or by the server).
    Closed {
        /// The notice.
        id: u32,
        /// Why, as the specification numbers it: 1 expired, 2 dismissed
        /// by the user, 3 closed by a call, 4 other.
        reason: u32,
    },
    /// The server left the bus, or the bus went away: no open notice will
    /// be closed or answered any more.
    Gone,
    /// A server took the notifications name: `owner` is its unique bus name.
    Owner(String),
}

/// One connection to the session bus.
#[derive(Debug, Clone)]
pub struct Bus {
    conn: Connection,
}

impl Bus {
    /// Connects to the session bus; every call on it fails after `timeout`
    /// without an answer (a hung server).
    pub fn open(timeout: Duration) -> Result<Bus, String> {
        let conn = zbus::block_on(async {
            zbus::conn::Builder::session()
                .method_timeout(timeout)
                .build()
                .await
        })
        .map_err(|e| e.to_string())?;
        Ok(Bus { conn })
    }

    /// Writes a Notify call for `notice` to the bus at once, on the
    /// caller's thread (nothing else stands between a deadline and the
    /// notice); [`Posted::answer`] reads the server's answer later, on
    /// another thread.
    ///
    /// `replaces` is the id of a notice of this server's that this one takes
    /// the place of (0 for a new one).
    pub fn post(&self, notice: &Notice, replaces: u32) -> Result<Posted, String> {
        let mut hints: HashMap<&str, Value<'_>> = HashMap::new();
        hints.insert(
            "urgency",
            Value::U8(match notice.urgency {
                Urgency::Low => 0,
                Urgency::Critical => 2,
                _ => 1,
            }),
        );
        hints.insert("category", Value::from("x-therapy-timer.session"));
        hints.insert("desktop-entry", Value::from(APP));
        // Keep it in the tray until dismissed, where the server supports it.
        hints.insert("resident", Value::Bool(notice.urgency == Urgency::Critical));
        if let Some(name) = &notice.sound {
            hints.insert("sound-name", Value::from(name.as_str()));
        } else {
            hints.insert("suppress-sound", Value::Bool(true));
        }
        let actions: Vec<&str> = notice
            .actions
            .iter()
            .flat_map(|(key, label)| [*key, *label])
            .collect();
        let icon = match notice.urgency {
            Urgency::Critical => "dialog-warning",
            _ => "appointment-soon",
        };
        let expire = notice
            .expire
            .map_or(-1, |d| i32::try_from(d.as_millis()).unwrap_or(i32::MAX));
        let body = (
            APP,
            replaces,
            icon,
            notice.summary.as_str(),
            notice.body.as_str(),
            actions,
            hints,
            expire,
        );
        let msg = Message::method_call(PATH, "Notify")
            .destination(NAME)
            .interface(NAME)
            .build(&body)
            .map_err(|e| e.to_string())?;
        let serial = msg.primary_header().serial_num();
        // Listening before the call is written, so the answer is not missed.
        let replies = MessageStream::from(&self.conn);
        zbus::block_on(self.conn.send(&msg)).map_err(|e| e.to_string())?;
        Ok(Posted { serial, replies })
    }

    /// The unique bus name of the notification server now (`None` when no
    /// server runs; asking never starts one). A notice's id means something
    /// only to the server that gave it: a server started again numbers
    /// afresh, and its id 5 may be another program's notice.
    pub fn owner(&self) -> Option<String> {
        zbus::block_on(async {
            let proxy: zbus::Proxy<'_> = zbus::proxy::Builder::new(&self.conn)
                .destination("org.freedesktop.DBus")
                .path("/org/freedesktop/DBus")
                .interface("org.freedesktop.DBus")
                .cache_properties(zbus::proxy::CacheProperties::No)
                .build()
                .await
                .ok()?;
            proxy
                .call::<_, _, String>("GetNameOwner", &(NAME,))
                .await
                .ok()
        })
    }

    /// Closes notice `id` of the server `server` (its unique bus name): the
    /// call goes to that server only, so a server started since, whose ids
    /// mean other notices, is never asked.
    pub fn close(&self, server: &str, id: u32) -> Result<(), String> {
        zbus::block_on(async {
            let proxy: zbus::Proxy<'_> = zbus::proxy::Builder::new(&self.conn)
                .destination(server.to_owned())
                .path(PATH)
                .interface(NAME)
                .cache_properties(zbus::proxy::CacheProperties::No)
                .build()
                .await
                .map_err(|e| e.to_string())?;
            proxy
                .call_with_flags::<_, _, ()>(
                    "CloseNotification",
                    zbus::proxy::MethodFlags::NO_AUTO_START,
                    &(id,),
                )
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }

    /// Subscribes to the server's signals and starts a thread that hands
    /// each to `heard`. Subscribe before the first notice, so that no
    /// answer is missed.
    pub fn listen(&self, mut heard: impl FnMut(Heard) + Send + 'static) -> Result<(), String> {
        let rules = [
            MatchRule::builder()
                .msg_type(Type::Signal)
                .interface(NAME)
                .member("ActionInvoked")
                .build(),
            MatchRule::builder()
                .msg_type(Type::Signal)
                .interface(NAME)
                .member("NotificationClosed")
                .build(),
            MatchRule::builder()
                .msg_type(Type::Signal)
                .sender("org.freedesktop.DBus")
                .interface("org.freedesktop.DBus")
                .member("NameOwnerChanged")
                .arg(0, NAME)
                .build(),
        ];
        let mut streams = Vec::new();
        for rule in rules {
            let rule = rule.map_err(|e| e.to_string())?;
            let stream = zbus::block_on(MessageStream::for_match_rule(rule, &self.conn, None))
                .map_err(|e| e.to_string())?;
            streams.push(stream);
        }
        let Some(first) = streams.pop() else {
            return Ok(());
        };
        let mut all = streams
            .into_iter()
            .fold(first.boxed(), |a, b| a.or(b).boxed());
        std::thread::Builder::new()
            .name("bus-signals".into())
            .spawn(move || {
                zbus::block_on(async {
                    while let Some(msg) = all.next().await {
                        let Ok(msg) = msg else { continue };
                        let header = msg.header();
                        let member = header.member().map(|m| m.as_str().to_owned());
                        match member.as_deref() {
                            Some("ActionInvoked") => {
                                if let Ok((id, key)) = msg.body().deserialize::<(u32, String)>() {
                                    heard(Heard::Action { id, key });
                                }
                            }
                            Some("NotificationClosed") => {
                                if let Ok((id, reason)) = msg.body().deserialize::<(u32, u32)>() {
                                    heard(Heard::Closed { id, reason });
                                }
                            }
                            Some("NameOwnerChanged") => {
                                if let Ok((_, _, new)) =
                                    msg.body().deserialize::<(String, String, String)>()
                                {
                                    if new.is_empty() {
                                        heard(Heard::Gone);
                                    } else {
                                        heard(Heard::Owner(new));
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    // The connection is gone.
                    heard(Heard::Gone);
                });
            })
            .map(|_| ())
            .map_err(|e| format!("cannot start a thread: {e}"))
    }
}

/// A Notify call on the bus, its answer not yet read.
#[derive(Debug)]
pub struct Posted {
    serial: NonZeroU32,
    replies: MessageStream,
}

/// Said when the server does not answer in time.
pub const NO_ANSWER: &str = "the notification server did not answer in time";

impl Posted {
    /// Waits at most `within` for the server's answer: the notice's id and
    /// the server's unique bus name, or why it was refused.
    pub fn answer(self, within: Duration) -> Result<(u32, String), String> {
        let Posted {
            serial,
            mut replies,
        } = self;
        let reply = async move {
            while let Some(msg) = replies.next().await {
                let Ok(msg) = msg else { continue };
                let header = msg.header();
                if header.reply_serial() != Some(serial) {
                    continue;
                }
                return match msg.message_type() {
                    Type::MethodReturn => {
                        let server = header.sender().map(|s| s.to_string()).unwrap_or_default();
                        let id = msg.body().deserialize::<u32>().map_err(|e| e.to_string())?;
                        Ok((id, server))
                    }
                    _ => Err(format!(
                        "{}: {}",
                        header.error_name().map_or("error", |n| n.as_str()),
                        msg.body().deserialize::<String>().unwrap_or_default()
                    )),
                };
            }
            Err("the session bus connection closed".to_owned())
        };
        let late = async move {
            sleep(within).await;
            Err(NO_ANSWER.to_owned())
        };
        zbus::block_on(futures_lite::future::or(reply, late))
    }
}

/// A future that is ready after `d` (zbus exports no timer): a thread
/// sleeps, then wakes it.
fn sleep(d: Duration) -> impl std::future::Future<Output = ()> {
    let state: Arc<Mutex<(bool, Option<Waker>)>> = Arc::new(Mutex::new((false, None)));
    let timer = Arc::clone(&state);
    let spawned = std::thread::Builder::new()
        .name("notify-timer".into())
        .spawn(move || {
            std::thread::sleep(d);
            let mut s = timer.lock().unwrap_or_else(|p| p.into_inner());
            s.0 = true;
            if let Some(w) = s.1.take() {
                w.wake();
            }
        });
    if spawned.is_err() {
        // No thread, no timer: time is up at once rather than never.
        state.lock().unwrap_or_else(|p| p.into_inner()).0 = true;
    }
    futures_lite::future::poll_fn(move |cx| {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        if s.0 {
            Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
}
