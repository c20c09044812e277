//! The wall clock, and waiting for a wall-clock deadline.
//!
//! Every deadline is an absolute instant. Waiting re-reads the wall clock at
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
        mut tick: impl FnMut(DateTime<Utc>) -> bool,
    ) -> Waited {
        loop {
            let now = self.now();
            let Ok(left) = (deadline - now).to_std() else {
                return Waited::Reached;
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
    fn shifted_clock_reads_the_given_time() {
        let at = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let d = Clock::shifted_to(at).now() - at;
        assert!(d >= TimeDelta::zero() && d < TimeDelta::seconds(5), "{d}");
    }
}
