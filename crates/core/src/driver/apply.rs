//! Applying an input to the record: the driver's input side.

use alloc::string::String;
use core::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use super::{check_injury, Applied, Driver, Given};
use crate::course::Course;
use crate::duration::{after, since};
use crate::error::Error;
use crate::event::{ClinicianReason, Event};
use crate::limits::SESSION_MIN;
use crate::pain::PainScore;
use crate::phase::Phase;
use crate::prompt::{Answer, Prompt};
use crate::readiness::Readiness;
use crate::session::{Off, OffBy, Outcome, Session};
use crate::skin::Skin;
use crate::skin_check::SkinCheck;

impl Driver {
    /// Takes back the events not yet polled that the input settled: a
    /// prompt it answered (a start, a skip, a snooze), the stop and repeats
    /// of a session it said is off (a device that reports its own stop gets
    /// no stop event for it).
    pub(super) fn withdraw_settled(&mut self) {
        let course = &self.course;
        self.outbox.retain(|e| match e {
            Event::Prompt { due, .. } => course.open_prompt().is_some_and(|p| p.due == *due),
            // Said to be off (or gone: undone, removed). A dismissal was
            // only seen: its stop stays.
            Event::Stop { session, .. } | Event::Repeat { session, .. } => {
                course.session(*session).is_some_and(|s| {
                    !s.off
                        .is_some_and(|o| matches!(o.by, OffBy::Stopped | OffBy::Confirmed))
                })
            }
            _ => true,
        });
    }

    pub(super) fn start(
        &mut self,
        at: DateTime<Utc>,
        phase: Option<Phase>,
        length: Option<Duration>,
        force: bool,
    ) -> Result<Applied, Error> {
        // Numb or blistered skin: no cold or heat, forced or not (the rest
        // may be forced; sensation cannot).
        if let Some(check) = self.course.skin_pause(at) {
            return Err(Error::SkinPaused {
                skin: check.skin,
                since: check.at,
            });
        }
        // A start dated a moment before a session another process began
        // (it read its clock first, then waited for the lock): that
        // session is running, not overlapped by this one.
        if let Some(open) = self.course.open_session().filter(|s| at < s.start) {
            return Err(Error::AlreadyRunning {
                phase: open.phase,
                ends: open.end,
            });
        }
        let forced = match self.course.readiness(at) {
            Readiness::Ready => false,
            Readiness::BeforeInjury { until } => {
                return Err(Error::BeforeInjury {
                    at,
                    injured_at: until,
                })
            }
            Readiness::Running { phase, ends, .. } => {
                return Err(Error::AlreadyRunning { phase, ends })
            }
            // The last session was never said to be off; starting another
            // says it is, and the rest counts from now.
            Readiness::Overdue { phase, until, .. } if !force => {
                return Err(Error::NotRested {
                    after: phase,
                    until,
                })
            }
            Readiness::Resting { after, until } if !force => {
                return Err(Error::NotRested { after, until })
            }
            _ => true,
        };
        let phase = phase.unwrap_or_else(|| self.course.phase_at(at));
        let length = self.course.protocol().session_length(phase, length)?;
        let mut session = Session::running(phase, at, length)?;
        if forced {
            session = session.forced_start();
        }
        let id = self.course.record(session)?;
        self.record_held();
        self.course.answer_open_prompt(Answer::Started { at });
        self.alerts = None;
        Ok(Applied::Started {
            session: id,
            forced,
        })
    }

    /// Records a session done without the timer: history, never timed.
    pub(super) fn log(&mut self, session: Session) -> Result<Applied, Error> {
        // A session still on is not history: it would be timed as if
        // started with Start, past the rest lockout.
        let unfinished = session.off.is_none() || session.outcome == Outcome::Running;
        if unfinished {
            return Err(Error::LoggedNotFinished {
                start: session.start,
                end: session.end,
            });
        }
        // Owed a rest at its start (by a session recorded before it, in
        // time, whenever that was recorded): forced, and it says so. Not
        // `readiness(start)`, which is about now: it counts the rest of
        // sessions after `start` too, so a session logged afterwards for the
        // evening before a morning's session was taken for forced.
        let protocol = self.course.protocol();
        let forced = session.forced
            || self
                .course
                .sessions()
                .iter()
                .filter(|s| s.start < session.start)
                .any(|s| {
                    let end = s.off.map_or(s.end, |o| o.at.min(s.end)).max(s.start);
                    let rest = protocol.rest_after(s.phase, since(s.start, end));
                    after(end, rest).is_none_or(|until| until > session.start)
                });
        let session = if forced {
            session.forced_start()
        } else {
            session
        };
        let id = self.course.record(session)?;
        Ok(Applied::Logged {
            session: id,
            forced,
        })
    }

    /// Records a pain score; a severe one is announced at once, dated now
    /// (never before an event already given), with the score's own time.
    pub(super) fn pain(
        &mut self,
        at: DateTime<Utc>,
        score: u8,
        note: Option<String>,
        relation: Option<crate::pain::PainRelation>,
    ) -> Result<Applied, Error> {
        let mut pain = PainScore::new(at, score, note)?;
        pain.relation = relation;
        let severe = pain.is_severe();
        let id = self.course.record_pain(pain)?;
        if severe {
            let due = self.now.map_or(at, |n| n.max(at));
            self.outbox.push_back(Event::SeeClinician {
                phase: self.course.phase_at(at),
                due,
                reason: ClinicianReason::SeverePain {
                    score,
                    scored_at: at,
                },
                trend: self.course.pain_trend(at),
            });
        }
        Ok(Applied::Scored { entry: id })
    }

    /// Records a skin check; a blistered skin is announced at once, dated
    /// now (never before an event already given), with the check's time.
    pub(super) fn skin(
        &mut self,
        at: DateTime<Utc>,
        skin: Skin,
        note: Option<String>,
    ) -> Result<Applied, Error> {
        let id = self.course.record_skin(SkinCheck::new(at, skin, note)?)?;
        if skin == Skin::Blistered {
            let due = self.now.map_or(at, |n| n.max(at));
            self.outbox.push_back(Event::SeeClinician {
                phase: self.course.phase_at(at),
                due,
                reason: ClinicianReason::Blistered { checked_at: at },
                trend: self.course.pain_trend(at),
            });
        }
        Ok(Applied::Checked { entry: id })
    }

    pub(super) fn take_off(&mut self, at: DateTime<Utc>, by: OffBy) -> Result<Applied, Error> {
        let Some(s) = self.course.open_session().copied() else {
            // After the repeats ran out, "it is off" still tells the truth:
            // when it came off, or that it was cut short.
            if let Some(last) = self.course.last_session_mut() {
                if last.off.is_some_and(|o| o.by == OffBy::NoAnswer) && by != OffBy::Dismissed {
                    let last = *last;
                    return self.off_at(last, at, by);
                }
            }
            return match by {
                OffBy::Dismissed => Ok(Applied::Done),
                _ => Err(Error::NothingToStop),
            };
        };
        if by == OffBy::Dismissed {
            // Seen, not off: recorded (the first time), and the repeats go
            // on. Before the end it means nothing.
            if at >= s.end {
                if let Some(last) = self
                    .course
                    .last_session_mut()
                    .filter(|l| l.id == s.id && l.seen.is_none())
                {
                    last.seen = Some(at);
                }
            }
            return Ok(Applied::Done);
        }
        self.off_at(s, at, by)
    }

    /// Session `s` came off at `at`: cut short before its end (or undone
    /// within a second of its start), completed after it.
    pub(super) fn off_at(
        &mut self,
        s: Session,
        at: DateTime<Utc>,
        by: OffBy,
    ) -> Result<Applied, Error> {
        if at < s.start {
            return Err(Error::SessionEndsBeforeStart {
                start: s.start,
                end: at,
            });
        }
        let Some(last) = self.course.last_session_mut().filter(|l| l.id == s.id) else {
            return Err(Error::NothingToStop);
        };
        self.alerts = None;
        if at >= s.end {
            if last.outcome == Outcome::Running {
                last.outcome = Outcome::Completed;
            }
            last.off = Some(Off::new(at, by));
            return Ok(Applied::Stopped {
                session: s.id,
                early: false,
            });
        }
        if since(s.start, at) < SESSION_MIN {
            // Stopped within a second: it did not happen, and the prompt
            // it answered is open again.
            self.course.drop_last_session();
            self.course.unanswer_start(s.start);
            return Ok(Applied::Undone { session: s.id });
        }
        last.end = at;
        last.outcome = Outcome::CutShort;
        last.off = Some(Off::new(at, by));
        let rest_until = self.course.readiness(at).earliest(at);
        self.outbox.push_back(Event::StoppedEarly {
            session: s.id,
            phase: s.phase,
            due: at,
            ran: since(s.start, at),
            rest_until,
        });
        Ok(Applied::Stopped {
            session: s.id,
            early: true,
        })
    }

    pub(super) fn skip<Tz: TimeZone>(&mut self, at: DateTime<Utc>, tz: &Tz) -> Result<(), Error> {
        self.record_held();
        if self.course.answer_open_prompt(Answer::Skipped { at }) {
            return Ok(());
        }
        let next = self.course.next_prompt(tz).ok_or(Error::NoPrompt)?;
        let phase = self.course.phase_at(next);
        let mut prompt = Prompt::new(phase, next);
        prompt.answer = Answer::Skipped { at };
        self.course.push_prompt(prompt);
        Ok(())
    }

    pub(super) fn snooze<Tz: TimeZone>(
        &mut self,
        at: DateTime<Utc>,
        until: DateTime<Utc>,
        tz: &Tz,
    ) -> Result<(), Error> {
        if until <= at {
            return Err(Error::SnoozeInThePast { until });
        }
        crate::course::in_range(until)?;
        let ends = self
            .course
            .ended_at()
            .unwrap_or_else(|| self.course.ends_at());
        if self.course.injury_known() && until > ends {
            return Err(Error::SnoozePastEnd { until, ends });
        }
        self.record_held();
        if self
            .course
            .answer_open_prompt(Answer::Snoozed { at, until })
        {
            return Ok(());
        }
        let next = self.course.next_prompt(tz).ok_or(Error::NoPrompt)?;
        if until <= next {
            // The next prompt comes after that anyway: nothing to snooze,
            // and saying "snoozed" would be untrue.
            return Err(Error::NothingToSnooze { until, next });
        }
        let mut prompt = Prompt::new(self.course.phase_at(next), next);
        prompt.answer = Answer::Snoozed { at, until };
        self.course.push_prompt(prompt);
        Ok(())
    }

    pub(super) fn new_injury(
        &mut self,
        at: DateTime<Utc>,
        injured_at: DateTime<Utc>,
    ) -> Result<(), Error> {
        check_injury(at, injured_at)?;
        if let Some(s) = self.course.open_session() {
            return Err(Error::AlreadyRunning {
                phase: s.phase,
                ends: s.end,
            });
        }
        let fresh = Course::new(injured_at, *self.course.protocol())?
            .with_quiet_hours(self.course.quiet_hours());
        let mut old = core::mem::replace(&mut self.course, fresh);
        if !old.sessions().is_empty() || !old.pain_scores().is_empty() {
            if !old.is_over(at) {
                old.end(at);
            }
            old.answer_open_prompt(Answer::Missed);
            self.past.push(old);
        }
        self.alerts = None;
        self.given = Given::default();
        self.held = None;
        Ok(())
    }
}
