//! Prompts and the cadence: when the next one comes.

use chrono::{DateTime, TimeZone, Utc};

use super::plan::Plan;
use super::Course;
use crate::duration::after;
use crate::prompt::{Answer, Prompt};

impl Course {
    /// The prompts given (and those answered ahead of time), ordered by
    /// when they were due.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default())?.prompts().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn prompts(&self) -> &[Prompt] {
        &self.prompts
    }

    /// The prompt announced and not answered yet, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(Course::new(injured, Protocol::default())?.open_prompt().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn open_prompt(&self) -> Option<&Prompt> {
        self.prompts.last().filter(|p| p.answer == Answer::Open)
    }

    /// When the next prompt is due, from what was done so far, on the clock
    /// of `tz`; `None` once the course is over. It may be in the past (a
    /// prompt due and not given yet).
    ///
    /// The rules: from the injury on; one cadence
    /// ([`Protocol::every`](crate::Protocol::every)) after the last prompt or session start,
    /// whichever is later (a snoozed prompt comes back at the end of the
    /// snooze); never before the rest is over; never in quiet hours; never
    /// while the skin is numb or blistered ([`Course::skin_pause`]); never
    /// at or after the end of the course.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.next_prompt(&Utc), Some(injured));
    /// let t = injured + TimeDelta::minutes(30);
    /// course.record(Session::completed(Phase::Ice, t, t + TimeDelta::minutes(10))?)?;
    /// assert_eq!(course.next_prompt(&Utc), Some(t + TimeDelta::minutes(70)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn next_prompt<Tz: TimeZone>(&self, tz: &Tz) -> Option<DateTime<Utc>> {
        // A course the person ended prompts no more, even when a stop
        // reported afterwards with an earlier time moves the rest back to
        // before the end (a prompt would then come after the end's notice,
        // out of order: found by the property test).
        if !self.injury_known || self.ended_at.is_some() {
            return None;
        }
        let mut t = self.injured_at;
        if let Some(slot) = self.prompted {
            let resume = match self.prompts.last() {
                Some(p) if p.due == slot => match p.answer {
                    Answer::Snoozed { until, .. } => Some(until),
                    _ => None,
                },
                _ => None,
            };
            t = t.max(resume.or_else(|| self.after_cadence(slot))?);
        }
        if let Some(s) = self.sessions.last() {
            t = t.max(self.after_cadence(s.start)?);
        }
        if let Some((rest, _)) = self.rest_until() {
            t = t.max(rest);
        }
        // Never in quiet hours, and no prompt while the skin is numb or
        // blistered: from the normal check that ends the pause, if one is
        // recorded (then out of quiet hours again).
        loop {
            if let Some(q) = self.quiet_hours {
                t = q.next_open(t, tz)?;
            }
            if self.skin_pause(t).is_none() {
                break;
            }
            t = t.max(self.skin_pause_over(t)?);
        }
        (t < self.ends_at()).then_some(t)
    }

    /// Whether quiet hours hold a prompt back at `now`: a prompt whose time
    /// passed in or before quiet hours (nobody ticked since) is not given
    /// during them; the next comes when they end.
    pub(crate) fn quiet_at<Tz: TimeZone>(&self, now: DateTime<Utc>, tz: &Tz) -> bool {
        self.quiet_hours.is_some_and(|q| q.contains(now, tz))
    }

    /// `t` plus the cadence of the phase at `t`.
    pub(crate) fn after_cadence(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        after(t, self.protocol.every(self.phase_at(t)))
    }

    /// The planned sessions from `from` on, lazily, on the clock of `tz`:
    /// what the prompts would be if each were answered on time. It is a
    /// look-ahead (a printed plan, a calendar file), built from the rules
    /// of [`Course::next_prompt`]; to run a course, use a
    /// [`Driver`](crate::Driver), which follows what is really done. The
    /// plan ends with the course.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// let day: Vec<_> = course
    ///     .plan(injured, &Utc)
    ///     .take_while(|s| s.start < injured + TimeDelta::hours(24))
    ///     .collect();
    /// assert_eq!(day.len(), 21); // every 70 minutes
    /// assert!(day.iter().all(|s| s.phase == Phase::Ice));
    /// // 42 ice sessions in 48 hours, then heat every 3 hours; the plan
    /// // ends with the course, after 7 days.
    /// assert_eq!(course.plan(injured, &Utc).count(), 42 + 40);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn plan<Tz: TimeZone>(&self, from: DateTime<Utc>, tz: &Tz) -> Plan<'_, Tz> {
        let first = self.next_prompt(tz).and_then(|t| {
            let t = t.max(from);
            let t = match self.quiet_hours {
                Some(q) => q.next_open(t, tz)?,
                None => t,
            };
            (t < self.ends_at()).then_some(t)
        });
        Plan::new(self, tz.clone(), first)
    }

    /// Marks the open prompt as answered with `answer`.
    pub(crate) fn answer_open_prompt(&mut self, answer: Answer) -> bool {
        match self.prompts.last_mut() {
            Some(p) if p.answer == Answer::Open => {
                p.answer = answer;
                true
            }
            _ => false,
        }
    }

    /// Records a prompt given (or answered ahead) at `due`, and moves the
    /// prompt cursor there.
    pub(crate) fn push_prompt(&mut self, prompt: Prompt) {
        self.prompted = Some(prompt.due);
        self.prompts.push(prompt);
    }

    /// Moves the prompt cursor to `due` without recording a prompt (one
    /// that went by while nobody was there to give it).
    pub(crate) fn pass_prompt(&mut self, due: DateTime<Utc>) {
        self.prompted = Some(due);
    }

    /// Forgets the prompts dated after `t` and moves the prompt cursor back
    /// to the last one left: decisions made on a clock that was ahead.
    pub(crate) fn forget_prompts_after(&mut self, t: DateTime<Utc>) {
        self.prompts.retain(|p| p.due <= t);
        if self.prompted.is_some_and(|c| c > t) {
            self.prompted = self.prompts.last().map(|p| p.due);
        }
    }

    /// Gives the prompt that a start at `at` answered its earlier answer
    /// back (open): the session did not happen.
    pub(crate) fn unanswer_start(&mut self, at: DateTime<Utc>) {
        if let Some(p) = self.prompts.last_mut() {
            if p.answer == (Answer::Started { at }) {
                p.answer = Answer::Open;
            }
        }
    }
}
