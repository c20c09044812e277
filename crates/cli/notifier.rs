//! Desktop notifications, with a terminal fallback that never stalls the
//! timer.
//!
//! One connection to the session bus is opened when the notifier is made
//! (when the command starts, before any deadline), on a thread of its own
//! so that a hung bus cannot hold up the start; every notice and the one
//! listener for the server's answers share it for the life of the process
//! (see `bus_notify.rs`). GNOME 46+ closes a notification when its sender's
//! connection goes away; this one stays until the process exits, and after
//! the last notice the command can wait (`--linger`) until the person
//! dismisses it.
//!
//! Sending never waits for the server: once connected, `send` writes the
//! Notify call to the bus itself (nothing but a socket write between a
//! deadline and its notice), and the server's answer is read on the thread
//! that made the connection (or on a thread of its own, if that one is
//! busy), within [`SHOW_TIMEOUT`]. Past that, or on any error, the notice is
//! written to stderr with a terminal bell, a warning is printed once, and
//! the timer goes on. A server that hung once is not asked again. Before the
//! process ends, a notice still unanswered is written to the terminal.
//!
//! A session has one notice on screen: each notice about it (its start,
//! its stop, each repeat) replaces the one before (`replaces_id`, on the
//! server that showed it: ids mean nothing to another server), and the
//! notice is closed when the pack is said to be off. The state keeps which
//! notice that is ([`OnScreen`]), so that a `tick` replaces or closes what
//! `start` showed. Buttons work only while the process that listens to
//! them lives: before it ends, it puts each such notice back without
//! buttons, naming the commands instead ([`Notifier::release`]).

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use therapy_timer::Urgency;

use crate::alarm::{Alarm, Sound};
use crate::bus_notify::{Bus, Heard, Posted, NO_ANSWER};
use crate::clock::Wake;
use crate::hooks::{Hooks, Ran};
use crate::settings::NoticeStyle;

/// How long one notification may take to be accepted by the server (and
/// the bus connection to be made).
const SHOW_TIMEOUT: Duration = Duration::from_secs(3);

/// How long the end of a command waits for an alarm still playing (the
/// sound's length, at most 30 s, and the server's time limits).
const ALARM_WAIT: Duration = Duration::from_secs(40);

/// The `NotificationClosed` reason for "dismissed by the user"
/// (Desktop Notifications Specification 1.2).
const CLOSED_BY_USER: u32 = 2;

/// The action key a loop receives when the person dismisses a notice it
/// listens to.
pub const DISMISSED: &str = "dismissed";

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
    /// A freedesktop sound to play: a safety stop's alarm; `None` for a
    /// silent notice. The config can name another sound, or none.
    pub sound: Option<String>,
}

/// A notice on the desktop, as the state keeps it from one process to the
/// next: the session it is about, the server that shows it and its id
/// there, and the process that listens to its buttons, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnScreen {
    /// The start of the session it is about (sessions are told apart by
    /// their start: an undo can give a session's number to the next one).
    pub session: DateTime<Utc>,
    /// The server's unique bus name (`:1.42`); a server started again has
    /// another, and its ids are other notices.
    pub server: String,
    /// The notice's id on that server.
    pub id: u32,
    /// The process that listens to its buttons (`start`, `watch`), which
    /// puts it back without them when it ends; `None` when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener: Option<u32>,
}

/// The notice of one session, in this process.
#[derive(Debug, Default, Clone)]
struct Slot {
    /// The last notice about it handed to the desktop here.
    latest: Option<u64>,
    /// The last one the server has shown (here, or known from the state).
    shown: Option<OnScreen>,
}

/// Sends notices to the desktop, or to the terminal when it cannot.
#[derive(Debug)]
pub struct Notifier {
    shared: Arc<Shared>,
    style: NoticeStyle,
    /// The last notice handed to the desktop, by sequence number; `None`
    /// when the last one went straight to the terminal.
    last: Option<u64>,
    /// The thread that made the connection, and delivers notices while it
    /// is free (no thread to start between a deadline and its notice).
    worker: Option<Sender<Job>>,
    /// The sounds the program plays itself (`None`: silent, as in tests
    /// of the notices alone).
    alarm: Option<Alarm>,
    /// The command run for every event (waited for when this is dropped).
    hooks: Hooks,
}

/// Who listens for the answers to a notice, and the session it is about.
type Answers = Option<(Sender<Wake>, DateTime<Utc>)>;

/// Work for a delivering thread, with the notice's sequence number.
#[derive(Debug)]
enum Job {
    /// Connect (or wait for the connection), post the notice, read the answer.
    Deliver(u64, Notice, Answers),
    /// Read the answer to a notice already on the bus.
    Answer(u64, Box<Posted>, Answers),
}

#[derive(Debug, Default)]
struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Inner {
    /// Still worth trying: false without a desktop, or after a hang.
    desktop: bool,
    /// The connection, once made (or why it could not be).
    bus: Option<Result<Bus, String>>,
    warned: bool,
    next: u64,
    /// Notices handed to the desktop and not yet settled. Whoever removes
    /// one settles it (the delivering thread, or the end of the process).
    in_flight: HashMap<u64, Notice>,
    /// Settled notices: the server's id, or `None` if it went to the terminal.
    shown: HashMap<u64, Option<u32>>,
    /// Notices the server has closed.
    closed: HashSet<u32>,
    /// Notices whose answers someone listens for, with the session they are about.
    answers: HashMap<u32, (Sender<Wake>, DateTime<Utc>)>,
    /// The server now (its unique bus name), once known.
    owner: Option<String>,
    /// Each session's notice.
    slots: HashMap<DateTime<Utc>, Slot>,
    /// The session each notice in flight is about.
    about: HashMap<u64, DateTime<Utc>>,
    /// What a notice with buttons becomes when its listener ends, by
    /// sequence number while in flight.
    fallback_pending: HashMap<u64, Notice>,
    /// The same, by the server's id once shown, with the server.
    fallback: HashMap<u32, (String, Notice)>,
    /// The notice `linger` waits on.
    lingering: Option<(u32, Sender<Wake>)>,
    /// The server or the bus has gone.
    gone: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not stop the safety notices.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits (at most until `until`) while `busy` holds.
    fn wait_while(
        &self,
        until: Instant,
        mut busy: impl FnMut(&Inner) -> bool,
    ) -> MutexGuard<'_, Inner> {
        let mut inner = self.lock();
        while busy(&inner) {
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                break;
            };
            inner = match self.changed.wait_timeout(inner, left) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        inner
    }

    fn heard(&self, what: Heard) {
        let mut inner = self.lock();
        let linger_on = |inner: &Inner, id: u32| {
            if let Some((wait_on, tx)) = &inner.lingering {
                if *wait_on == id {
                    let _ = tx.send(Wake::NotificationDone);
                }
            }
        };
        match what {
            Heard::Action { id, key } => {
                if let Some((tx, session)) = inner.answers.get(&id) {
                    if key != "__closed" {
                        let _ = tx.send(Wake::Action {
                            key,
                            session: *session,
                        });
                    }
                }
                linger_on(&inner, id);
            }
            Heard::Closed { id, reason } => {
                inner.closed.insert(id);
                inner.fallback.remove(&id);
                if let Some((tx, session)) = inner.answers.remove(&id) {
                    // Closed by the person (not expired, not by the
                    // server): the notice was seen.
                    if reason == CLOSED_BY_USER {
                        let _ = tx.send(Wake::Action {
                            key: DISMISSED.into(),
                            session,
                        });
                    }
                }
                linger_on(&inner, id);
            }
            Heard::Owner(owner) => inner.owner = Some(owner),
            Heard::Gone => {
                inner.gone = true;
                inner.owner = None;
                if let Some((_, tx)) = &inner.lingering {
                    let _ = tx.send(Wake::NotificationDone);
                }
            }
        }
    }
}

impl Inner {
    /// The id notice `seq` replaces: its session's notice, if the server
    /// showing it is the one now and it is still up; else 0 (a new one).
    fn replaces(&self, seq: u64) -> u32 {
        let shown = self
            .about
            .get(&seq)
            .and_then(|s| self.slots.get(s))
            .and_then(|slot| slot.shown.as_ref());
        match shown {
            Some(n) if self.owner.as_deref() == Some(&n.server) && !self.closed.contains(&n.id) => {
                n.id
            }
            _ => 0,
        }
    }

    /// Whether a session's latest notice is still on its way.
    fn slot_in_flight(&self) -> bool {
        self.slots
            .values()
            .any(|s| s.latest.is_some_and(|q| self.in_flight.contains_key(&q)))
    }

    /// Each session's notice, as [`Notifier::on_screen`] gives them.
    fn on_screen(&self) -> Vec<OnScreen> {
        let mut out: Vec<OnScreen> = self
            .slots
            .values()
            .filter_map(|slot| {
                let mut n = slot.shown.clone()?;
                // Shown here: its listener is this process or none. Known
                // from the state only: as the state says.
                if slot.latest.is_some() {
                    n.listener = self.answers.contains_key(&n.id).then(std::process::id);
                }
                Some(n)
            })
            .collect();
        out.sort_by_key(|n| n.session);
        out
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
}

/// Writes `notice` to the terminal, with a bell.
fn terminal(notice: &Notice) {
    errln!("\x07therapy-timer: {}: {}", notice.summary, notice.body);
}

impl Notifier {
    /// A notifier that tries the desktop first (`desktop = false` writes to
    /// the terminal only), styling notices as configured. With the desktop,
    /// the bus connection is opened now, in the background.
    pub fn new(desktop: bool, style: NoticeStyle) -> Notifier {
        let shared = Arc::new(Shared::default());
        shared.lock().desktop = desktop;
        let mut worker = None;
        if desktop {
            let sh = Arc::clone(&shared);
            let (tx, jobs) = mpsc::channel::<Job>();
            let spawned = std::thread::Builder::new()
                .name("notify".into())
                .spawn(move || {
                    let listener = Arc::clone(&sh);
                    let bus = Bus::open(SHOW_TIMEOUT).and_then(|bus| {
                        bus.listen(move |what| listener.heard(what))?;
                        Ok(bus)
                    });
                    // Asked after listening, so a change is not missed.
                    let owner = bus.as_ref().ok().and_then(Bus::owner);
                    let mut inner = sh.lock();
                    if inner.owner.is_none() {
                        inner.owner = owner;
                    }
                    inner.bus = Some(bus);
                    drop(inner);
                    sh.changed.notify_all();
                    for job in jobs {
                        run(&sh, job);
                    }
                });
            match spawned {
                Ok(_) => worker = Some(tx),
                Err(e) => shared.lock().bus = Some(Err(format!("cannot start a thread: {e}"))),
            }
        }
        Notifier {
            shared,
            style,
            last: None,
            worker,
            alarm: None,
            hooks: Hooks::default(),
        }
    }

    /// This notifier, also running `hooks` for the events it is given
    /// (see [`Notifier::hook`]).
    pub fn with_hooks(mut self, hooks: Hooks) -> Notifier {
        self.hooks = hooks;
        self
    }

    /// Runs the hook for `event` (the object `tick --json` prints), in the
    /// background; `done` hears how it ran.
    pub fn hook(&mut self, event: &serde_json::Value, done: Option<Sender<Ran>>) {
        self.hooks.fire(event, done);
    }

    /// The alarm, if this notifier plays one.
    pub fn alarm(&self) -> Option<&Alarm> {
        self.alarm.as_ref()
    }

    /// This notifier, also playing `alarm`'s sounds (see [`Notifier::sound`]).
    pub fn with_alarm(mut self, alarm: Alarm) -> Notifier {
        self.alarm = Some(alarm);
        self
    }

    /// Plays the sound for `what` (a stop, a prompt), on a thread of its
    /// own: it never waits for the sound server.
    pub fn sound(&self, what: Sound) {
        if let Some(alarm) = &self.alarm {
            alarm.play(what);
        }
    }

    /// Whether a notice may reach the desktop (and so show buttons): false
    /// without one, or after it failed or hung.
    pub fn may_reach_desktop(&self) -> bool {
        let inner = self.shared.lock();
        inner.desktop && !inner.gone && !matches!(inner.bus, Some(Err(_)))
    }

    /// Shows `notice`, without waiting for the desktop. Returns false if it
    /// went straight to the terminal (no desktop, or one that hung before);
    /// a desktop that fails later falls back to the terminal by itself.
    pub fn send(&mut self, notice: &Notice) -> bool {
        self.dispatch(notice, None, None)
    }

    /// Shows `notice` and sends the action the person chooses, if any, to
    /// `to`, tagged with `session`. Returns as [`Notifier::send`] does.
    pub fn send_with_actions(
        &mut self,
        notice: &Notice,
        session: DateTime<Utc>,
        to: &Sender<Wake>,
    ) -> bool {
        self.dispatch(notice, Some((to.clone(), session)), None)
    }

    /// Shows `notice` as the notice of the session that started at
    /// `session`, in place of the one before it. With `to`, the answers go
    /// there (tagged with `session`) while this process lives. Returns as
    /// [`Notifier::send`] does.
    pub fn send_about(
        &mut self,
        session: DateTime<Utc>,
        notice: &Notice,
        to: Option<&Sender<Wake>>,
    ) -> bool {
        let answers = to.map(|to| (to.clone(), session));
        self.dispatch(notice, answers, Some(session))
    }

    /// What the last notice sent with buttons becomes when this process no
    /// longer listens to them (the same notice, naming the commands): what
    /// [`Notifier::release`] puts back in its place.
    pub fn set_fallback(&mut self, fallback: &Notice) {
        let Some(seq) = self.last else { return };
        let mut fallback = self.styled(fallback);
        // Put back, not given again: no second alarm.
        fallback.sound = None;
        let mut inner = self.shared.lock();
        if inner.in_flight.contains_key(&seq) {
            inner.fallback_pending.insert(seq, fallback);
            return;
        }
        let id = inner.shown.get(&seq).copied().flatten();
        if let (Some(id), Some(owner)) = (id, inner.owner.clone()) {
            if inner.answers.contains_key(&id) {
                inner.fallback.insert(id, (owner, fallback));
            }
        }
    }

    /// Takes the notices the state says are on screen: each session's
    /// notice, unless this process has shown a newer one.
    pub fn know(&mut self, on_screen: &[OnScreen]) {
        let mut inner = self.shared.lock();
        for n in on_screen {
            let slot = inner.slots.entry(n.session).or_default();
            if slot.latest.is_none() {
                slot.shown = Some(n.clone());
            }
        }
    }

    /// The sessions with a notice (shown here, or known from the state).
    pub fn sessions(&self) -> Vec<DateTime<Utc>> {
        self.shared.lock().slots.keys().copied().collect()
    }

    /// Each session's notice as it is now, for the state; a notice about
    /// one still on its way is waited for (within [`SHOW_TIMEOUT`]). Those
    /// with buttons name this process as their listener.
    pub fn on_screen(&self) -> Vec<OnScreen> {
        let inner = self
            .shared
            .wait_while(Instant::now() + SHOW_TIMEOUT, Inner::slot_in_flight);
        inner.on_screen()
    }

    /// [`Notifier::on_screen`] without waiting: `None` while a notice about
    /// a session is on its way.
    pub fn on_screen_if_settled(&self) -> Option<Vec<OnScreen>> {
        let inner = self.shared.lock();
        (!inner.slot_in_flight()).then(|| inner.on_screen())
    }

    /// Closes the notice of the session that started at `session` (the
    /// pack is off, or the session is gone): it no longer tells the truth.
    /// A notice still on its way is waited for first.
    pub fn close(&mut self, session: DateTime<Utc>) {
        let (mut inner, Some(shown)) = self.take(session) else {
            return;
        };
        inner.fallback.remove(&shown.id);
        let bus = match &inner.bus {
            Some(Ok(bus)) if !inner.closed.contains(&shown.id) => bus.clone(),
            _ => return,
        };
        drop(inner);
        // Addressed to the server that showed it: one started since is
        // never asked to close a notice of its own.
        let _ = bus.close(&shown.server, shown.id);
    }

    /// Forgets the notice of the session that started at `session`,
    /// leaving it up (the last word about a session that is over).
    pub fn forget(&mut self, session: DateTime<Utc>) {
        drop(self.take(session));
    }

    /// Takes the notice of the session that started at `session` out of
    /// this notifier's keeping, once its last one is shown (it replaces the
    /// one before): no more answers are taken from it.
    fn take(&self, session: DateTime<Utc>) -> (MutexGuard<'_, Inner>, Option<OnScreen>) {
        let mut inner = self.settled(session);
        let shown = inner.slots.remove(&session).and_then(|s| s.shown);
        if let Some(n) = &shown {
            inner.answers.remove(&n.id);
        }
        (inner, shown)
    }

    /// The lock, once the bus is connected and the last notice about
    /// `session` has been shown (or [`SHOW_TIMEOUT`] has passed).
    fn settled(&self, session: DateTime<Utc>) -> MutexGuard<'_, Inner> {
        self.shared.wait_while(Instant::now() + SHOW_TIMEOUT, |i| {
            (i.desktop && i.bus.is_none())
                || i.slots
                    .get(&session)
                    .and_then(|s| s.latest)
                    .is_some_and(|q| i.in_flight.contains_key(&q))
        })
    }

    /// Before this process ends: each notice whose buttons it listens to is
    /// put back without them, naming the commands, where `mine` says no
    /// other process has shown something newer in its place. Waits for the
    /// server within [`SHOW_TIMEOUT`] for each.
    pub fn release(&mut self, mine: impl Fn(u32) -> bool) {
        drop(self.settle(Instant::now() + SHOW_TIMEOUT));
        let (bus, owner, notices) = {
            let mut inner = self.shared.lock();
            let notices: Vec<(u32, String, Notice)> = inner
                .fallback
                .drain()
                .map(|(id, (server, n))| (id, server, n))
                .collect();
            for (id, _, _) in &notices {
                inner.answers.remove(id);
            }
            let bus = match &inner.bus {
                Some(Ok(bus)) if !inner.gone => Some(bus.clone()),
                _ => None,
            };
            (bus, inner.owner.clone(), notices)
        };
        let Some(bus) = bus else { return };
        for (id, server, notice) in notices {
            if owner.as_deref() != Some(server.as_str()) || !mine(id) {
                continue;
            }
            if let Ok(posted) = bus.post(&notice, id) {
                let _ = posted.answer(SHOW_TIMEOUT);
            }
        }
    }

    /// The configured urgency and timeout apply to every notice but a
    /// critical one (an ice stop), which stays critical and up until
    /// dismissed whatever the settings say.
    ///
    /// Only a notice with a sound (a safety stop) makes one: the configured
    /// sound instead of the alarm, or none with `sound = "none"`.
    fn styled(&self, notice: &Notice) -> Notice {
        let mut notice = notice.clone();
        if notice.urgency != Urgency::Critical {
            notice.urgency = self.style.urgency;
            notice.expire = Some(self.style.timeout);
        }
        // The program plays the alarm itself: the server is not asked to
        // play another over it.
        if self.alarm.as_ref().is_some_and(Alarm::plays_stops) {
            notice.sound = None;
        }
        if notice.sound.is_some() {
            match self.style.sound.as_deref() {
                Some(name) if name.eq_ignore_ascii_case("none") => notice.sound = None,
                Some(name) => notice.sound = Some(name.to_owned()),
                None => {}
            }
        }
        notice
    }

    fn dispatch(
        &mut self,
        notice: &Notice,
        answers: Answers,
        about: Option<DateTime<Utc>>,
    ) -> bool {
        let notice = self.styled(notice);
        let (seq, idle, bus, replaces) = {
            let mut inner = self.shared.lock();
            if !inner.desktop {
                drop(inner);
                self.last = None;
                terminal(&notice);
                return false;
            }
            let seq = inner.next;
            inner.next += 1;
            let idle = inner.in_flight.is_empty();
            let bus = match &inner.bus {
                Some(Ok(bus)) => Some(bus.clone()),
                _ => None,
            };
            inner.in_flight.insert(seq, notice.clone());
            if let Some(session) = about {
                inner.about.insert(seq, session);
                inner.slots.entry(session).or_default().latest = Some(seq);
            }
            let replaces = inner.replaces(seq);
            (seq, idle, bus, replaces)
        };
        self.last = Some(seq);
        // Connected: the call is written to the bus here and now; only its
        // answer is read on another thread.
        let job = match bus {
            Some(bus) => match bus.post(&notice, replaces) {
                Ok(posted) => Job::Answer(seq, Box::new(posted), answers),
                Err(why) => {
                    settle(&self.shared, seq, Err(why), None);
                    return false;
                }
            },
            None => Job::Deliver(seq, notice, answers),
        };
        // The worker when it is free; otherwise a thread of its own, so a
        // notice never waits behind a hung one.
        let job = match (&self.worker, idle) {
            (Some(worker), true) => match worker.send(job) {
                Ok(()) => return true,
                Err(mpsc::SendError(job)) => job,
            },
            _ => job,
        };
        let shared = Arc::clone(&self.shared);
        let spawned = std::thread::Builder::new()
            .name("notify".into())
            .spawn(move || run(&shared, job));
        if let Err(e) = spawned {
            settle(
                &self.shared,
                seq,
                Err(format!("cannot start a thread: {e}")),
                None,
            );
            return false;
        }
        true
    }

    /// The last notice sent, for [`Notifier::on_desktop`]; `None` if it
    /// went straight to the terminal.
    pub fn last_sent(&self) -> Option<u64> {
        self.last
    }

    /// Whether notice `sent` (from [`Notifier::last_sent`]) is up on the
    /// desktop: the server accepted it (its answer is waited for, up to
    /// [`SHOW_TIMEOUT`]; past that it goes to the terminal), has not gone,
    /// and nobody closed it. Sending does not wait for the server, so
    /// only this says whether a notice reached the desktop.
    pub fn on_desktop(&self, sent: Option<u64>) -> bool {
        let Some(seq) = sent else {
            return false;
        };
        let inner = self.settle(Instant::now() + SHOW_TIMEOUT);
        match inner.shown.get(&seq) {
            Some(Some(id)) => !inner.gone && !inner.closed.contains(id),
            _ => false,
        }
    }

    /// Writes every notice still undelivered at `until` to the terminal.
    fn settle(&self, until: Instant) -> MutexGuard<'_, Inner> {
        let mut inner = self.shared.wait_while(until, |i| !i.in_flight.is_empty());
        let mut late: Vec<_> = inner.in_flight.drain().collect();
        late.sort_by_key(|(seq, _)| *seq);
        if !late.is_empty() {
            // A hung server would hold every later notice too.
            inner.desktop = false;
            inner.warn(&format!(
                "the notification server did not answer within {}s",
                SHOW_TIMEOUT.as_secs()
            ));
        }
        for (seq, notice) in late {
            inner.shown.insert(seq, None);
            // No buttons on a terminal: the words that name the commands.
            terminal(&inner.fallback_pending.remove(&seq).unwrap_or(notice));
        }
        inner
    }
}

impl Drop for Notifier {
    /// No notice is lost when the command ends: one still on its way gets
    /// up to [`SHOW_TIMEOUT`], then goes to the terminal.
    fn drop(&mut self) {
        drop(self.settle(Instant::now() + SHOW_TIMEOUT));
        // An alarm cut off by the end of the process would not be heard
        // (a `tick` ends at once).
        if let Some(alarm) = &self.alarm {
            alarm.wait(ALARM_WAIT);
        }
    }
}

/// Does `job`, then settles its notice.
fn run(shared: &Shared, job: Job) {
    let (seq, result, answers) = match job {
        Job::Answer(seq, posted, answers) => (seq, posted.answer(SHOW_TIMEOUT), answers),
        Job::Deliver(seq, notice, answers) => {
            let started = Instant::now();
            let bus = {
                let inner = shared.wait_while(started + SHOW_TIMEOUT, |i| i.bus.is_none());
                match &inner.bus {
                    Some(Ok(bus)) => Ok(bus.clone()),
                    Some(Err(e)) => Err(e.clone()),
                    None => Err(format!(
                        "the session bus did not answer within {}s",
                        SHOW_TIMEOUT.as_secs()
                    )),
                }
            };
            let replaces = shared.lock().replaces(seq);
            let result = bus
                .and_then(|bus| bus.post(&notice, replaces))
                .and_then(|posted| posted.answer(SHOW_TIMEOUT));
            (seq, result, answers)
        }
    };
    settle(shared, seq, result, answers);
}

/// Records how notice `seq` went: shown (listening for its answers), or
/// written to the terminal instead, unless the end of the process already
/// did that.
fn settle(shared: &Shared, seq: u64, result: Result<(u32, String), String>, answers: Answers) {
    let mut inner = shared.lock();
    let mut stale = None;
    match result {
        Ok((id, server)) => {
            inner.in_flight.remove(&seq);
            inner.shown.insert(seq, Some(id));
            inner.closed.remove(&id);
            if let Some(answers) = answers {
                inner.answers.insert(id, answers);
            }
            if let Some(fallback) = inner.fallback_pending.remove(&seq) {
                if inner.answers.contains_key(&id) {
                    inner.fallback.insert(id, (server.clone(), fallback));
                }
            }
            inner.owner = Some(server.clone());
            if let Some(session) = inner.about.remove(&seq) {
                let slot = inner.slots.entry(session).or_default();
                let newer = slot.latest.is_some_and(|q| q > seq);
                let taken = slot.shown.as_ref().is_some_and(|n| n.id == id);
                if !newer {
                    slot.shown = Some(OnScreen {
                        session,
                        server: server.clone(),
                        id,
                        listener: None,
                    });
                } else if !taken {
                    // A newer notice about the session went out before this
                    // one was shown, so did not replace it: this one is
                    // out of date.
                    inner.answers.remove(&id);
                    inner.fallback.remove(&id);
                    if let Some(Ok(bus)) = &inner.bus {
                        stale = Some((bus.clone(), server, id));
                    }
                }
            }
        }
        Err(mut why) => {
            if why == NO_ANSWER {
                // A hung server would hold every later notice too.
                inner.desktop = false;
                why = format!(
                    "the notification server did not answer within {}s",
                    SHOW_TIMEOUT.as_secs()
                );
            }
            inner.about.remove(&seq);
            let fallback = inner.fallback_pending.remove(&seq);
            if let Some(notice) = inner.in_flight.remove(&seq) {
                inner.shown.insert(seq, None);
                inner.warn(&why);
                // No buttons on a terminal: the words that name the commands.
                terminal(&fallback.unwrap_or(notice));
            }
        }
    }
    drop(inner);
    shared.changed.notify_all();
    if let Some((bus, server, id)) = stale {
        let _ = bus.close(&server, id);
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
