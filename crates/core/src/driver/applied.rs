//! What an input did: [`Driver::handle_input`](crate::Driver::handle_input)'s answer.

use crate::entry::Removed;

/// What [`Driver::handle_input`](crate::Driver::handle_input) did, with the
/// id of what it made, so the caller never searches for it.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::{Applied, Course, Driver, Input, Protocol};
///
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
/// let mut driver = Driver::new(Course::new(t, Protocol::default())?);
/// let applied = driver.handle_input(Input::Start { at: t, phase: None, length: None, force: false }, &Utc)?;
/// assert_eq!(applied, Applied::Started { session: 1, forced: false });
/// assert_eq!(driver.course().session(applied.session().unwrap()).unwrap().start, t);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Applied {
    /// [`Input::Start`](crate::Input::Start): a session is running.
    Started {
        /// Its id.
        session: u32,
        /// Whether it started before the rest was over.
        forced: bool,
    },
    /// [`Input::Log`](crate::Input::Log): a session done without the
    /// timer is in the history.
    Logged {
        /// Its id.
        session: u32,
        /// Whether it overlaps the rest owed after an earlier session (it is
        /// recorded as forced).
        forced: bool,
    },
    /// [`Input::Pain`](crate::Input::Pain): a score is in the log.
    Scored {
        /// Its id.
        entry: u32,
    },
    /// [`Input::Skin`](crate::Input::Skin): a skin check is in the log.
    Checked {
        /// Its id.
        entry: u32,
    },
    /// [`Input::Stop`](crate::Input::Stop) or
    /// [`Input::ConfirmOff`](crate::Input::ConfirmOff): the session is off.
    Stopped {
        /// The session's id.
        session: u32,
        /// Whether it was cut short (stopped before its end; an
        /// [`Event::StoppedEarly`](crate::Event::StoppedEarly) says so).
        early: bool,
    },
    /// A stop within [`SESSION_MIN`](crate::limits::SESSION_MIN) of the
    /// start: the session did not happen and is gone from the log; the
    /// prompt it answered is open again.
    Undone {
        /// The id it had.
        session: u32,
    },
    /// [`Input::Remove`](crate::Input::Remove), or an
    /// [`Input::Undo`](crate::Input::Undo) that removed: what was removed.
    Removed(Removed),
    /// [`Input::Undo`](crate::Input::Undo) put back a removed entry.
    Restored {
        /// Its id (the one it had).
        entry: u32,
    },
    /// Anything else (a skip, a snooze, a dismissal, the course ended, an
    /// injury time): nothing new to point at.
    Done,
}

impl Applied {
    /// The session it made or stopped, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Applied;
    ///
    /// assert_eq!(Applied::Logged { session: 3, forced: true }.session(), Some(3));
    /// assert_eq!(Applied::Done.session(), None);
    /// ```
    #[must_use]
    pub fn session(&self) -> Option<u32> {
        match *self {
            Applied::Started { session, .. }
            | Applied::Logged { session, .. }
            | Applied::Stopped { session, .. }
            | Applied::Undone { session } => Some(session),
            _ => None,
        }
    }

    /// The log entry it made (a session's or a pain score's id), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Applied;
    ///
    /// assert_eq!(Applied::Scored { entry: 4 }.entry(), Some(4));
    /// assert_eq!(Applied::Started { session: 2, forced: false }.entry(), Some(2));
    /// assert_eq!(Applied::Done.entry(), None);
    /// ```
    #[must_use]
    pub fn entry(&self) -> Option<u32> {
        match *self {
            Applied::Started { session, .. } | Applied::Logged { session, .. } => Some(session),
            Applied::Scored { entry } | Applied::Checked { entry } => Some(entry),
            _ => None,
        }
    }
}
