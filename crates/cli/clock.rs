//! The wall clock, the elapsed-time clock, and waiting for a deadline on
//! both.
//!
//! Every deadline is an absolute instant on the wall clock; a session's stop
//! also has one on the elapsed-time clock ([`Elapsed`]: `CLOCK_BOOTTIME` on
//! Linux, which counts suspend and is not moved by clock changes), and comes
//! at the earlier of the two, so that a clock stepped back cannot hold it
//! back. Waiting re-reads the wall clock at
//! least twice a second instead of sleeping for the whole remainder, because
//! on Linux a sleep runs on the monotonic clock, which stops while the
//! machine is suspended and ignores changes to the wall clock: one long sleep
//! would fire late by the length of the suspend. A signal wakes the wait at
//! once through a channel.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// The longest single sleep: how late a deadline may fire after a resume or
/// a clock jump (measured by benches/notify_gap.sh: at 1 s the stop came
/// 946 ms after a jump, too near the 1 s the issue allows; two wake-ups a
/// second cost nothing measurable).
const RECHECK: Duration = Duration::from_millis(500);

/// A reading of the elapsed-time clock: `CLOCK_BOOTTIME` on Linux (it runs
/// on through a suspend and no change to the wall clock moves it), the
/// monotonic clock elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Elapsed(Duration);

impl Elapsed {
    /// The elapsed-time clock now.
    pub fn now() -> Elapsed {
        Elapsed(elapsed_now())
    }

    /// How long since `self` (zero if the clock read `self` later, which it
    /// does not).
    pub fn since(self) -> Duration {
        Elapsed::now().0.saturating_sub(self.0)
    }

    /// The reading `d` after this one.
    pub fn after(self, d: Duration) -> Elapsed {
        Elapsed(self.0.saturating_add(d))
    }

    /// How long from now until this reading (zero once it has passed).
    pub fn left(self) -> Duration {
        self.0.saturating_sub(elapsed_now())
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn elapsed_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given, which
    // lives on this stack frame for the whole call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) };
    if rc != 0 {
        // Not expected on any kernel since 2.6.39; the monotonic clock is
        // the next best (it misses only a suspend).
        return monotonic_now();
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn elapsed_now() -> Duration {
    monotonic_now()
}

/// The monotonic clock, as a duration since the first time it was read.
fn monotonic_now() -> Duration {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed()
}

/// A wall-clock time and the elapsed-time clock, read together: from it,
/// a later wall-clock time has its elapsed-time reading, and the
/// elapsed-time clock says what the wall clock would read now had nobody
/// changed it.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    wall: DateTime<Utc>,
    at: Elapsed,
}

impl Timeline {
    /// `clock` and the elapsed-time clock, now.
    pub fn now(clock: &Clock) -> Timeline {
        Timeline {
            wall: clock.now(),
            at: Elapsed::now(),
        }
    }

    /// The given wall-clock time, taken to be now on the elapsed-time clock.
    pub fn anchored(wall: DateTime<Utc>) -> Timeline {
        Timeline {
            wall,
            at: Elapsed::now(),
        }
    }

    /// The elapsed-time reading at which `t` comes, counted from the
    /// anchor (the anchor's own reading for a `t` before it).
    pub fn when(&self, t: DateTime<Utc>) -> Elapsed {
        self.at.after((t - self.wall).to_std().unwrap_or_default())
    }

    /// The wall-clock time now, as the elapsed-time clock counts it from
    /// the anchor.
    pub fn now_by_elapsed(&self) -> DateTime<Utc> {
        TimeDelta::from_std(self.at.since())
            .ok()
            .and_then(|d| self.wall.checked_add_signed(d))
            .unwrap_or(self.wall)
    }
}

/// What can wake a waiting command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// SIGINT, SIGTERM or SIGHUP, by number.
    Signal(i32),
    /// The desktop notification being waited on was closed or answered.
    NotificationDone,
    /// The person chose an action on the notice of the session that
    /// started at the given time.
    Action {
        /// The action's key.
        key: String,
        /// The start of the session the notice was about.
        session: DateTime<Utc>,
    },
}

/// How a wait ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waited {
    /// The deadline was reached.
    Reached,
    /// A signal arrived first.
    Signal(i32),
    /// The person answered a notice first.
    Action {
        /// The action's key.
        key: String,
        /// The start of the session the notice was about.
        session: DateTime<Utc>,
    },
    /// The `tick` callback asked to stop waiting (the state changed).
    Interrupted,
}

/// The clock the commands read: the system's, or shifted by `--at`.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: TimeDelta,
}

impl Clock {
    /// The system's wall clock.
    pub fn system() -> Clock {
        Clock {
            offset: TimeDelta::zero(),
        }
    }

    /// A clock that reads `at` now and runs on from there at real speed.
    pub fn shifted_to(at: DateTime<Utc>) -> Clock {
        Clock {
            offset: at - Utc::now(),
        }
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    /// Waits until `deadline` on this clock, calling `tick` with the time at
    /// each wake-up (about twice a second). Returns early on a signal, an
    /// answer, or when `tick` returns true.
    pub fn wait_until(
        &self,
        deadline: DateTime<Utc>,
        wake: &Receiver<Wake>,
        tick: impl FnMut(DateTime<Utc>) -> bool,
    ) -> Waited {
        self.wait_until_either(deadline, None, wake, tick)
    }

    /// As [`Clock::wait_until`], but reached at the earlier of `deadline`
    /// on this clock and `elapsed` on the elapsed-time clock: a wall clock
    /// stepped back cannot hold the wait back.
    pub fn wait_until_either(
        &self,
        deadline: DateTime<Utc>,
        elapsed: Option<Elapsed>,
        wake: &Receiver<Wake>,
        mut tick: impl FnMut(DateTime<Utc>) -> bool,
    ) -> Waited {
        loop {
            let now = self.now();
            let Ok(wall_left) = (deadline - now).to_std() else {
                return Waited::Reached;
            };
            let left = match elapsed {
                Some(e) => wall_left.min(e.left()),
                None => wall_left,
            };
            if left.is_zero() {
                return Waited::Reached;
            }
            if tick(now) {
                return Waited::Interrupted;
            }
            match wake.recv_timeout(left.min(RECHECK)) {
                Ok(Wake::Signal(n)) => return Waited::Signal(n),
                Ok(Wake::Action { key, session }) => return Waited::Action { key, session },
                Ok(Wake::NotificationDone) | Err(RecvTimeoutError::Timeout) => {}
                // No sender left: nothing can wake us early any more.
                Err(RecvTimeoutError::Disconnected) => std::thread::sleep(left.min(RECHECK)),
            }
        }
    }
}

/// Starts a thread that turns SIGINT, SIGTERM and SIGHUP into [`Wake`]
/// messages, so that a wait ends at once and the session is logged as cut
/// short instead of the process dying mid-write.
pub fn forward_signals(to: Sender<Wake>) -> Result<(), String> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| format!("cannot listen for Ctrl-C: {e}"))?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for n in signals.forever() {
                if to.send(Wake::Signal(n)).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| format!("cannot start the signal thread: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use chrono::TimeDelta;

    use super::{Clock, Waited, Wake};

    #[test]
    fn a_past_deadline_returns_at_once() {
        let clock = Clock::system();
        let (_tx, rx) = channel();
        let mut ticks = 0;
        let r = clock.wait_until(clock.now() - TimeDelta::seconds(1), &rx, |_| {
            ticks += 1;
            false
        });
        assert_eq!((r, ticks), (Waited::Reached, 0));
    }

    #[test]
    fn a_signal_ends_the_wait() {
        let clock = Clock::system();
        let (tx, rx) = channel();
        tx.send(Wake::Signal(15)).unwrap();
        let r = clock.wait_until(clock.now() + TimeDelta::hours(1), &rx, |_| false);
        assert_eq!(r, Waited::Signal(15));
    }

    #[test]
    fn the_elapsed_deadline_ends_a_wait_the_wall_clock_would_hold() {
        let clock = Clock::system();
        let (_tx, rx) = channel();
        let by = super::Elapsed::now().after(std::time::Duration::from_millis(20));
        let r =
            clock.wait_until_either(clock.now() + TimeDelta::hours(1), Some(by), &rx, |_| false);
        assert_eq!(r, Waited::Reached);
        assert_eq!(by.left(), std::time::Duration::ZERO);
    }

    #[test]
    fn shifted_clock_reads_the_given_time() {
        let at = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let d = Clock::shifted_to(at).now() - at;
        assert!(d >= TimeDelta::zero() && d < TimeDelta::seconds(5), "{d}");
    }
}
