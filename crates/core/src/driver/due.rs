//! What is due next, and firing it: the driver's clock side.

use chrono::{DateTime, TimeZone, Utc};

use super::{Alerts, Driver, Due};
use crate::duration::{after, since};
use crate::event::{late_by, Event};
use crate::limits::{REPEATS, REPEAT_EVERY};
use crate::phase::Phase;
use crate::prompt::{Answer, Prompt};
use crate::readiness::Readiness;
use crate::session::{Off, OffBy, Outcome, Session};

impl Driver {
    /// The earliest thing due, and when.
    pub(super) fn next_due<Tz: TimeZone>(&self, tz: &Tz) -> Option<(DateTime<Utc>, Due)> {
        let mut best: Option<(DateTime<Utc>, Due)> = None;
        let mut consider = |t: Option<DateTime<Utc>>, due: Due| {
            if let Some(t) = t {
                if best.is_none_or(|b| (t, due) < b) {
                    best = Some((t, due));
                }
            }
        };
        if let Some(s) = self.course.open_session() {
            match self.stops_given() {
                0 => consider(Some(s.end), Due::Stop),
                given if given <= REPEATS => {
                    consider(after(s.end, REPEAT_EVERY * u32::from(given)), Due::Repeat)
                }
                _ => {}
            }
        }
        consider(self.course.next_prompt(tz), Due::Prompt);
        if !self.course.injury_known() {
            return best;
        }
        let ends = self.course.ends_at();
        if !self.given.review && self.course.review_at() < ends {
            consider(Some(self.course.review_at()), Due::Review);
        }
        if !self.given.end {
            consider(Some(ends), Due::End);
        }
        best
    }

    /// The stop (or repeat number `repeat`) of session `s`, due at `due`,
    /// worked out as of `due`.
    pub(super) fn stop_event(
        &self,
        s: &Session,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
        repeat: u8,
    ) -> Event {
        let late = late_by(due, now);
        // On time, as of `due` (so it equals what `upcoming` showed); late,
        // as of now: the rest counts from when the pack comes off.
        let as_of = if late.is_some() { now } else { due };
        let rest_until = self.course.readiness(as_of).earliest(as_of);
        if repeat == 0 {
            Event::Stop {
                session: s.id,
                phase: s.phase,
                due,
                late,
                rest_until,
            }
        } else {
            Event::Repeat {
                session: s.id,
                phase: s.phase,
                due,
                late,
                ended: s.end,
                repeat,
                of: REPEATS,
                rest_until,
            }
        }
    }

    /// Works out one thing due at `due_at`, at `now`.
    pub(super) fn fire<Tz: TimeZone>(
        &mut self,
        due: Due,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
        tz: &Tz,
    ) {
        match due {
            Due::Stop | Due::Repeat => {
                let Some(s) = self.course.open_session().copied() else {
                    return;
                };
                // Repeats whose time went by while nobody was there are
                // not replayed: one announcement, of the latest.
                let periods = since(s.end, now).as_secs() / REPEAT_EVERY.as_secs();
                let passed = u8::try_from(periods.min(u64::from(REPEATS))).unwrap_or(REPEATS);
                let repeat = match due {
                    Due::Stop => 0,
                    _ => passed.max(1),
                };
                let given = passed.max(repeat) + 1;
                self.alerts = Some(Alerts {
                    session: s.id,
                    given,
                });
                if let Some(open) = self.course.open_session_mut() {
                    if open.outcome == Outcome::Running {
                        open.outcome = Outcome::Completed;
                    }
                    if given > REPEATS {
                        // The stop and its repeats ran out unanswered.
                        let last =
                            after(open.end, REPEAT_EVERY * u32::from(REPEATS)).unwrap_or(open.end);
                        open.off = Some(Off::new(last, OffBy::NoAnswer));
                        self.alerts = None;
                    }
                }
                // Worded from the record as it now is (after the last
                // repeat the rest counts from it, not from now).
                let event = self.stop_event(&s, due_at, now, repeat);
                self.outbox.push_back(event);
            }
            Due::Prompt => {
                self.course.answer_open_prompt(Answer::Missed);
                self.course.pass_prompt(due_at);
                // Superseded while nobody was there, or come due before
                // quiet hours that hold now: not given (the next prompt
                // comes when they end).
                if self.course.next_prompt(tz).is_some_and(|t| t <= now)
                    || self.course.quiet_at(now, tz)
                {
                    return;
                }
                if self.away {
                    // Held: not given, not recorded; a newer one
                    // replaces it.
                    self.held = Some(due_at);
                    return;
                }
                self.held = None;
                self.give_prompt(due_at, now);
            }
            Due::Review => {
                self.given.review = true;
                // After the end of the course its notice says the same.
                if !self.course.is_over(now) {
                    self.outbox.push_back(Event::Review {
                        phase: self.course.phase_at(due_at),
                        due: due_at,
                        late: late_by(due_at, now),
                        after: since(self.course.injured_at(), self.course.review_at()),
                        trend: self.course.pain_trend(due_at),
                    });
                }
            }
            Due::End => {
                self.given.end = true;
                self.course.answer_open_prompt(Answer::Missed);
                self.outbox.push_back(Event::CourseEnd {
                    phase: self.course.phase_at(due_at),
                    due: due_at,
                    late: late_by(due_at, now),
                    by_person: self.course.ended_at().is_some(),
                    trend: self.course.pain_trend(due_at),
                });
            }
        }
    }

    /// Gives the prompt due at `due_at` (with the phase change before the
    /// first heat prompt), at `now`, and records it as open.
    pub(super) fn give_prompt(&mut self, due_at: DateTime<Utc>, now: DateTime<Utc>) {
        let phase = self.course.phase_at(due_at);
        let late = late_by(due_at, now);
        let protocol = *self.course.protocol();
        if phase == Phase::Heat && !self.given.phase_change {
            self.given.phase_change = true;
            let heat = protocol.dose(Phase::Heat);
            self.outbox.push_back(Event::PhaseChange {
                phase,
                due: due_at,
                late,
                acute_window: protocol.acute_window(),
                on: heat.on,
                rest: heat.rest,
            });
        }
        self.course.push_prompt(Prompt::new(phase, due_at));
        self.outbox.push_back(Event::Prompt {
            phase,
            due: due_at,
            late,
            length: protocol.dose(phase).on,
            skip_if_red: self.course.skip_if_red(phase, due_at),
        });
    }

    /// The person is back at `at`: the held prompt is given once if it is
    /// still before the next prompt, outside quiet hours, and no rest is
    /// owed; otherwise dropped, unrecorded.
    pub(super) fn back<Tz: TimeZone>(&mut self, at: DateTime<Utc>, tz: &Tz) {
        self.away = false;
        let Some(due) = self.held.take() else {
            return;
        };
        let before_next = self.course.next_prompt(tz).is_some_and(|n| at < n);
        let quiet = self
            .course
            .quiet_hours()
            .is_some_and(|q| q.contains(at, tz));
        let ready = matches!(self.course.readiness(at), Readiness::Ready);
        if before_next && !quiet && ready && !self.course.is_over(at) {
            let now = self.now.map_or(at, |n| n.max(at));
            self.give_prompt(due, now);
        }
    }

    /// Records the held prompt as given (open), for an input that answers
    /// it as it would the open prompt (a start, a skip, a snooze).
    pub(super) fn record_held(&mut self) {
        if let Some(due) = self.held.take() {
            self.course.answer_open_prompt(Answer::Missed);
            self.course
                .push_prompt(Prompt::new(self.course.phase_at(due), due));
        }
    }
}
