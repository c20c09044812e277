//! The first version's timetable queries, kept only until the CLI runs on
//! the [`Driver`](crate::Driver) (the next release removes them). They are
//! hidden from the docs and deprecated: a timetable does not know what the
//! person did, which is why the driver exists.

#![allow(missing_docs)]

use chrono::{DateTime, TimeZone, Utc};

use crate::course::Course;
use crate::duration::after;
use crate::error::Error;
use crate::event::{Event, EventKind};
use crate::prompt::{Answer, Prompt};
use crate::session::{Off, OffBy, Outcome, Session};

impl Course {
    #[doc(hidden)]
    #[deprecated(note = "use Driver: a prompt is not a session")]
    pub fn due<Tz: TimeZone>(&self, now: DateTime<Utc>, tz: &Tz) -> Vec<Event> {
        let mut due: Vec<Event> = self
            .sessions()
            .iter()
            .filter(|s| s.outcome == Outcome::Running && s.off.is_none() && s.end <= now)
            .map(|s| Event::new(EventKind::Stop, s.phase, s.end, s.end))
            .collect();
        if let Some(next) = self.plan(now, tz).next().filter(|s| s.start <= now) {
            due.push(Event::new(
                EventKind::Prompt,
                next.phase,
                next.start,
                next.start,
            ));
        }
        if self.review_due(now) {
            let at = self.review_at();
            due.push(Event::new(EventKind::Review, self.phase_at(at), at, at));
        }
        due
    }

    #[doc(hidden)]
    #[deprecated(note = "use Driver::poll_timeout")]
    pub fn events<Tz: TimeZone>(&self, from: DateTime<Utc>, tz: &Tz) -> Vec<Event> {
        let mut events: Vec<Event> = self
            .sessions()
            .iter()
            .filter(|s| s.outcome == Outcome::Running && s.off.is_none() && s.end >= from)
            .map(|s| Event::new(EventKind::Stop, s.phase, s.end, s.end))
            .collect();
        if let Some(p) = self.plan(from, tz).next() {
            events.push(Event::new(EventKind::Prompt, p.phase, p.start, p.start));
            events.push(Event::new(EventKind::Stop, p.phase, p.end, p.end));
        }
        let review = self.review_at();
        if review >= from {
            events.push(Event::new(
                EventKind::Review,
                self.phase_at(review),
                review,
                review,
            ));
        }
        events.sort_by_key(|e| e.due);
        events
    }

    #[doc(hidden)]
    #[deprecated(note = "use Input::Stop")]
    pub fn finish(
        &mut self,
        started_at: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<Session, Error> {
        let s = self
            .open_session_mut()
            .filter(|s| s.start == started_at && s.outcome == Outcome::Running)
            .ok_or(Error::NoRunningSession { started_at })?;
        if at > s.start
            && at < s.end
            && crate::duration::since(s.start, at) < crate::limits::SESSION_MIN
        {
            // Stopped within a second: it did not happen.
            let mut gone = *s;
            gone.end = at;
            gone.outcome = Outcome::CutShort;
            self.drop_last_session();
            return Ok(gone);
        }
        if at >= s.end {
            s.outcome = Outcome::Completed;
            s.off = Some(Off::new(s.end, OffBy::Stopped));
        } else if at > s.start {
            s.end = at;
            s.outcome = Outcome::CutShort;
            s.off = Some(Off::new(at, OffBy::Stopped));
        } else {
            return Err(Error::SessionEndsBeforeStart {
                start: s.start,
                end: at,
            });
        }
        Ok(*s)
    }

    #[doc(hidden)]
    #[deprecated(note = "use Input::Stop")]
    pub fn cancel(&mut self, started_at: DateTime<Utc>) -> Result<Session, Error> {
        match self.open_session() {
            Some(s) if s.start == started_at && s.outcome == Outcome::Running => {
                let s = *s;
                self.drop_last_session();
                Ok(s)
            }
            _ => Err(Error::NoRunningSession { started_at }),
        }
    }

    #[doc(hidden)]
    #[deprecated(note = "use Input::Skip")]
    #[allow(deprecated)]
    pub fn skip(&mut self, started_at: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
        let skipped = self.cancel(started_at)?;
        let rest = self.protocol().rest_after(skipped.phase, skipped.length());
        let next = after(skipped.end, rest).ok_or(Error::TimeOutOfRange { at: skipped.end })?;
        let next = self.not_before().map_or(next, |t| t.max(next));
        let course = std::mem::replace(self, self.clone()).with_not_before(Some(next));
        *self = course;
        Ok(next)
    }

    #[doc(hidden)]
    #[deprecated(note = "use Input::Snooze")]
    #[must_use]
    pub fn with_not_before(mut self, not_before: Option<DateTime<Utc>>) -> Course {
        if let Some(t) = not_before {
            let mut p = Prompt::new(self.phase_at(t), t);
            p.answer = Answer::Snoozed { at: t, until: t };
            self.push_prompt(p);
        }
        self
    }

    #[doc(hidden)]
    #[deprecated(note = "prompts carry their snooze")]
    #[must_use]
    pub fn not_before(&self) -> Option<DateTime<Utc>> {
        match self.prompts().last()?.answer {
            Answer::Snoozed { until, .. } => Some(until),
            _ => None,
        }
    }
}
