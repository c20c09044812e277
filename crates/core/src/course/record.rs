//! The record: sessions and pain scores, the log's entries, and their ids.

use alloc::vec::Vec;

use chrono::{DateTime, Utc};

use super::{in_range, Course};
use crate::entry::{Entry, Removed};
use crate::error::Error;
use crate::pain::PainScore;
use crate::session::{Off, OffBy, Outcome, Session};
use crate::trend::PainTrend;

impl Course {
    /// The entry recorded last, a session or a pain score: the one with
    /// the highest id (ids are given in the order entries are recorded,
    /// whatever their times). It is what an "undo" takes back, with
    /// [`Course::remove`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Entry, PainScore, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let later = t + TimeDelta::hours(3);
    /// course.record(Session::logged(Phase::Ice, later, later + TimeDelta::minutes(10))?)?;
    /// // Recorded second, though it happened first:
    /// let id = course.record(Session::logged(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.last_recorded().map(|e| e.id()), Some(id));
    /// let pain = course.record_pain(PainScore::new(t, 5, None)?)?;
    /// assert!(matches!(course.last_recorded(), Some(Entry::Pain(p)) if p.id == pain));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn last_recorded(&self) -> Option<Entry<'_>> {
        let session = self.sessions.iter().map(Entry::Session);
        let pain = self.pain.iter().map(Entry::Pain);
        let skin = self.skin.iter().map(Entry::Skin);
        session.chain(pain).chain(skin).max_by_key(Entry::id)
    }

    /// The sessions recorded, ordered by start.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// course.record(Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.sessions().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// The session with id `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let id = course.record(Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.session(id).map(|s| s.start), Some(injured));
    /// assert!(course.session(id + 1).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn session(&self, id: u32) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// The pain scores recorded, ordered by time (equal times in the order
    /// recorded).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_pain(PainScore::new(t + TimeDelta::hours(5), 4, None)?)?;
    /// course.record_pain(PainScore::new(t + TimeDelta::hours(1), 7, None)?)?;
    /// let scores: Vec<u8> = course.pain_scores().iter().map(|p| p.score).collect();
    /// assert_eq!(scores, [7, 4]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_scores(&self) -> &[PainScore] {
        &self.pain
    }

    /// The pain before and after session `session`, as given for it
    /// ([`Input::SessionPain`](crate::Input::SessionPain)): the last score
    /// of each. `(None, None)` when none was given for it.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Driver, Input, PainWhen, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut d = Driver::new(Course::new(t, Protocol::default())?);
    /// let id = d.handle_input(Input::Start { at: t, phase: None, length: None, force: false }, &Utc)?
    ///     .session().unwrap();
    /// d.handle_input(Input::SessionPain { at: t, session: id, when: PainWhen::Before, score: 6, note: None }, &Utc)?;
    /// let off = t + TimeDelta::minutes(10);
    /// d.handle_input(Input::ConfirmOff { at: off }, &Utc)?;
    /// d.handle_input(Input::SessionPain { at: off, session: id, when: PainWhen::After, score: 4, note: None }, &Utc)?;
    /// let (before, after) = d.course().pain_around(id);
    /// assert_eq!((before.map(|p| p.score), after.map(|p| p.score)), (Some(6), Some(4)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_around(&self, session: u32) -> (Option<&PainScore>, Option<&PainScore>) {
        let of = |when| {
            self.pain.iter().rev().find(|p| {
                p.relation
                    .is_some_and(|r| r.session == session && r.when == when)
            })
        };
        (
            of(crate::pain::PainWhen::Before),
            of(crate::pain::PainWhen::After),
        )
    }

    /// The pain score with id `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let id = course.record_pain(PainScore::new(t, 4, None)?)?;
    /// assert_eq!(course.pain_score(id).map(|p| p.score), Some(4));
    /// assert!(course.pain_score(id + 1).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_score(&self, id: u32) -> Option<&PainScore> {
        self.pain.iter().find(|p| p.id == id)
    }

    /// Every entry of the log, sessions and pain scores, in time order (a
    /// session at its start; a session before a score at the same time).
    /// O(n) for all of them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_pain(PainScore::new(t + TimeDelta::hours(2), 4, None)?)?;
    /// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// let ids: Vec<u32> = course.entries().map(|e| e.id()).collect();
    /// assert_eq!(ids, [2, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> + '_ {
        let mut sessions = self.sessions.iter().peekable();
        let mut pain = self.pain.iter().peekable();
        let mut skin = self.skin.iter().peekable();
        core::iter::from_fn(move || {
            // The earliest; at equal times a session, then a score, then a
            // skin check.
            let s = sessions.peek().map(|s| (s.start, 0));
            let p = pain.peek().map(|p| (p.at, 1));
            let c = skin.peek().map(|c| (c.at, 2));
            match [s, p, c].into_iter().flatten().min()?.1 {
                0 => sessions.next().map(Entry::Session),
                1 => pain.next().map(Entry::Pain),
                _ => skin.next().map(Entry::Skin),
            }
        })
    }

    /// The trend of the pain scores given at or before `at` (see
    /// [`PainTrend`]); `None` if there are none. The driver puts it on the
    /// review and course-end events.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, PainScore, Protocol};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// assert_eq!(course.pain_trend(t), None);
    /// course.record_pain(PainScore::new(t, 6, None)?)?;
    /// course.record_pain(PainScore::new(t + TimeDelta::days(3), 6, None)?)?;
    /// assert!(course.pain_trend(t + TimeDelta::days(3)).unwrap().is_no_better());
    /// assert_eq!(course.pain_trend(t).unwrap().count, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pain_trend(&self, at: DateTime<Utc>) -> Option<PainTrend> {
        let upto = self.pain.partition_point(|p| p.at <= at);
        PainTrend::of(&self.pain[..upto])
    }

    /// Adds a session to the history and returns its id.
    ///
    /// History is fact, so this does not enforce the rest (a forced session
    /// is recorded like any other); it refuses only what cannot have
    /// happened: a session that ends before it starts, one that breaks the
    /// limits of its kind (see [`Session`]), one that overlaps another, or
    /// one before the injury. A session still open before the new one (its
    /// stop never confirmed) is taken as off when the new one starts.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let first = Session::completed(Phase::Ice, injured, injured + TimeDelta::minutes(10))?;
    /// assert_eq!(course.record(first)?, 1);
    /// let overlapping = Session::completed(Phase::Ice, injured + TimeDelta::minutes(5), injured + TimeDelta::minutes(15))?;
    /// assert!(matches!(course.record(overlapping).unwrap_err(), Error::SessionOverlaps { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&mut self, mut session: Session) -> Result<u32, Error> {
        session.check()?;
        in_range(session.start)?;
        if !self.injury_known && session.start < self.injured_at {
            self.injured_at = session.start;
        }
        if session.start < self.injured_at {
            return Err(Error::BeforeInjury {
                at: session.start,
                injured_at: self.injured_at,
            });
        }
        let at = self.sessions.partition_point(|s| s.start < session.start);
        if let Some(before) = at.checked_sub(1).and_then(|i| self.sessions.get(i)) {
            if before.end > session.start {
                return Err(Error::SessionOverlaps {
                    start: session.start,
                    previous_end: before.end,
                });
            }
        }
        if let Some(next) = self.sessions.get(at) {
            if session.end > next.start {
                return Err(Error::SessionOverlaps {
                    start: next.start,
                    previous_end: session.end,
                });
            }
        }
        if let Some(before) = at.checked_sub(1).and_then(|i| self.sessions.get_mut(i)) {
            if before.is_open() {
                if before.outcome == Outcome::Running {
                    before.outcome = Outcome::Completed;
                }
                before.off = Some(Off::new(session.start, OffBy::Confirmed));
            }
        }
        session.id = self.take_id();
        self.sessions.insert(at, session);
        Ok(session.id)
    }

    /// Adds a pain score to the log and returns its id (from the same
    /// numbering as sessions). Scores may be given for any time from the
    /// injury on, after the course's end too (how it hurts later is worth
    /// keeping); one given for an earlier time is filed in time order.
    ///
    /// # Errors
    ///
    /// [`Error::PainOutOfRange`], [`Error::PainNoteTooLong`] (the fields
    /// are public, so they are checked again); [`Error::BeforeInjury`];
    /// [`Error::TimeOutOfRange`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, PainScore, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.record_pain(PainScore::new(injured, 7, None)?)?, 1);
    /// let before = PainScore::new(injured - TimeDelta::hours(1), 7, None)?;
    /// assert!(matches!(course.record_pain(before).unwrap_err(), Error::BeforeInjury { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_pain(&mut self, mut pain: PainScore) -> Result<u32, Error> {
        pain.check()?;
        in_range(pain.at)?;
        if !self.injury_known && pain.at < self.injured_at {
            self.injured_at = pain.at;
        }
        if pain.at < self.injured_at {
            return Err(Error::BeforeInjury {
                at: pain.at,
                injured_at: self.injured_at,
            });
        }
        pain.id = self.take_id();
        let id = pain.id;
        let at = self.pain.partition_point(|p| p.at <= pain.at);
        self.pain.insert(at, pain);
        Ok(id)
    }

    /// The next id, for an entry being recorded.
    pub(super) fn take_id(&mut self) -> u32 {
        // Something new is recorded: a removal is no longer the last change.
        self.removed = None;
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Removes the entry with id `id` from the log (a wrong entry, or an
    /// undo of [`Course::last_recorded`]), a session or a pain score, and
    /// returns it. A session that may still be on cannot be removed: stop
    /// it first.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchSession`] if no entry has the id;
    /// [`Error::SessionRunning`] for a session that may still be on.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, PainScore, Phase, Protocol, Removed, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let id = course.record(Session::logged(Phase::Ice, injured, injured + TimeDelta::minutes(10))?)?;
    /// let pain = course.record_pain(PainScore::new(injured, 6, None)?)?;
    /// assert!(matches!(course.remove(id)?, Removed::Session(s) if s.id == id));
    /// assert_eq!(course.remove(id).unwrap_err(), Error::NoSuchSession { id });
    /// assert_eq!(course.remove(pain)?.id(), pain);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, id: u32) -> Result<Removed, Error> {
        if let Some(i) = self.sessions.iter().position(|s| s.id == id) {
            if self.sessions[i].is_open() {
                return Err(Error::SessionRunning { id });
            }
            // Its scores stay, on their own: an id can be given again.
            for p in &mut self.pain {
                if p.relation.is_some_and(|r| r.session == id) {
                    p.relation = None;
                }
            }
            let removed = Removed::Session(self.sessions.remove(i));
            self.removed = Some(removed.clone());
            return Ok(removed);
        }
        if let Some(i) = self.pain.iter().position(|p| p.id == id) {
            let removed = Removed::Pain(self.pain.remove(i));
            self.removed = Some(removed.clone());
            return Ok(removed);
        }
        let i = self
            .skin
            .iter()
            .position(|c| c.id == id)
            .ok_or(Error::NoSuchSession { id })?;
        let removed = Removed::Skin(self.skin.remove(i));
        self.removed = Some(removed.clone());
        Ok(removed)
    }

    /// The entry [`Course::remove`] removed last, if nothing was recorded
    /// since: what an undo puts back.
    #[must_use]
    pub fn removed(&self) -> Option<&Removed> {
        self.removed.as_ref()
    }

    /// Puts back the entry [`Course::removed`] names, with its id, where
    /// it was; returns the id, or `None` when there is none to put back.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let id = course.record(Session::logged(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// course.remove(id)?;
    /// assert_eq!(course.restore_removed(), Some(id));
    /// assert_eq!(course.sessions()[0].id, id);
    /// assert_eq!(course.restore_removed(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore_removed(&mut self) -> Option<u32> {
        match self.removed.take()? {
            Removed::Session(s) => {
                let at = self.sessions.partition_point(|x| x.start <= s.start);
                self.sessions.insert(at, s);
                Some(s.id)
            }
            Removed::Pain(p) => {
                let id = p.id;
                let at = self.pain.partition_point(|x| x.at <= p.at);
                self.pain.insert(at, p);
                Some(id)
            }
            Removed::Skin(c) => {
                let id = c.id;
                let at = self.skin.partition_point(|x| x.at <= c.at);
                self.skin.insert(at, c);
                Some(id)
            }
        }
    }

    /// The session that may still be on: running, or past its end with
    /// nobody having said the pack is off. Only the last session can be.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// assert_eq!(course.open_session().map(|s| s.start), Some(t));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn open_session(&self) -> Option<&Session> {
        self.sessions.last().filter(|s| s.is_open())
    }

    /// The session whose stop is overdue at `now`: its planned end has
    /// passed and nobody has said the pack is off, so it may still be on.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record(Session::running(Phase::Ice, t, Duration::from_secs(600))?)?;
    /// assert_eq!(course.overdue(t + TimeDelta::minutes(5)), None);
    /// assert_eq!(course.overdue(t + TimeDelta::minutes(13)).map(|s| s.start), Some(t));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn overdue(&self, now: DateTime<Utc>) -> Option<&Session> {
        self.open_session().filter(|s| s.is_overdue(now))
    }

    /// Gives every entry a new id, 1 up, in time order.
    pub(super) fn renumber(&mut self) {
        let order: Vec<(u8, usize)> = {
            let mut seen = [0usize; 3];
            self.entries()
                .map(|e| {
                    let kind = match e {
                        Entry::Session(_) => 0,
                        Entry::Pain(_) => 1,
                        Entry::Skin(_) => 2,
                    };
                    seen[kind] += 1;
                    (kind as u8, seen[kind] - 1)
                })
                .collect()
        };
        self.next_id = 1;
        for (kind, i) in order {
            let id = self.take_id();
            match kind {
                0 => self.sessions[i].id = id,
                1 => self.pain[i].id = id,
                _ => self.skin[i].id = id,
            }
        }
    }

    /// The open session, to stop or confirm.
    pub(crate) fn open_session_mut(&mut self) -> Option<&mut Session> {
        self.sessions.last_mut().filter(|s| s.is_open())
    }

    /// The last session, to correct how it ended.
    pub(crate) fn last_session_mut(&mut self) -> Option<&mut Session> {
        self.sessions.last_mut()
    }

    /// Removes the last session (one stopped within a second of its start:
    /// it did not happen).
    pub(crate) fn drop_last_session(&mut self) {
        if let Some(s) = self.sessions.pop() {
            // Its id is free again, as it is for a course read back from
            // JSON (which numbers on from the highest id).
            if self.next_id == s.id.saturating_add(1) {
                self.next_id = s.id;
            }
        }
    }
}
