//! The course in time: its phases, the review, its end, and "day N".

use chrono::{DateTime, Utc};

use super::{in_range, Course};
use crate::duration::after;
use crate::error::Error;
use crate::phase::Phase;

impl Course {
    /// When the course ends (or ended): [`Protocol::course_length`](crate::Protocol::course_length) after
    /// the injury, or when the person ended it, whichever is first.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.ends_at(), injured + TimeDelta::days(7));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ends_at(&self) -> DateTime<Utc> {
        // In range: `new` checked the injury's horizon.
        let scheduled =
            after(self.injured_at, self.protocol.course_length()).unwrap_or(self.injured_at);
        self.ended_at.map_or(scheduled, |e| e.min(scheduled))
    }

    /// When the person ended the course, if they did.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.ended_at(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }

    /// Whether the course is over at `at`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert!(!course.is_over(injured + TimeDelta::days(6)));
    /// assert!(course.is_over(injured + TimeDelta::days(7)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_over(&self, at: DateTime<Utc>) -> bool {
        at >= self.ends_at()
    }

    /// Which day of the course `at` is: day 1 is the first 24 hours from
    /// the injury, day 2 the next, and so on (24-hour days of real time,
    /// not calendar dates); `None` before the injury.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.day(injured), Some(1));
    /// assert_eq!(course.day(injured + TimeDelta::hours(23)), Some(1));
    /// assert_eq!(course.day(injured + TimeDelta::hours(24)), Some(2));
    /// assert_eq!(course.day(injured - TimeDelta::hours(1)), None);
    /// assert_eq!(course.days(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn day(&self, at: DateTime<Utc>) -> Option<u32> {
        if at < self.injured_at {
            return None;
        }
        let days = (at - self.injured_at).num_days();
        u32::try_from(days).ok().and_then(|d| d.checked_add(1))
    }

    /// How many days the course lasts as planned: the last day
    /// [`Course::day`] gives before its planned end.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(Course::new(injured, Protocol::default())?.days(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn days(&self) -> u32 {
        let secs = self.protocol.course_length().as_secs();
        u32::try_from(secs.div_ceil(24 * 3600)).unwrap_or(u32::MAX)
    }

    /// The phase at `at`: ice before the end of the acute window, heat from
    /// then on.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.phase_at(injured + TimeDelta::hours(50)), Phase::Heat);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn phase_at(&self, at: DateTime<Utc>) -> Phase {
        self.protocol.phase_at(self.injured_at, at)
    }

    /// When the heat phase begins (the end of the acute window).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.heat_from(), injured + TimeDelta::hours(48));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn heat_from(&self) -> DateTime<Utc> {
        self.protocol
            .heat_from(self.injured_at)
            .unwrap_or(self.injured_at)
    }

    /// When the clinician reminder is due.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.review_at(), injured + TimeDelta::hours(72));
    /// assert!(course.review_due(injured + TimeDelta::hours(72)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn review_at(&self) -> DateTime<Utc> {
        self.protocol
            .review_at(self.injured_at)
            .unwrap_or(self.injured_at)
    }

    /// Whether, at `at`, spasms have lasted long enough that a clinician
    /// should see them.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert!(!Course::new(injured, Protocol::default())?.review_due(injured));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn review_due(&self, at: DateTime<Utc>) -> bool {
        at >= self.review_at()
    }

    /// Gives the course its injury time (a correction, or the first one
    /// of a course made without it). Prompts due before it are dropped.
    pub(crate) fn correct_injury(&mut self, injured_at: DateTime<Utc>) -> Result<(), Error> {
        in_range(injured_at)?;
        let first = self.entries().next().map(|e| e.at());
        if let Some(first) = first.filter(|f| *f < injured_at) {
            return Err(Error::InjuryAfterSession { injured_at, first });
        }
        self.injured_at = injured_at;
        self.injury_known = true;
        self.prompts.retain(|p| p.due >= injured_at);
        if self.prompted.is_some_and(|t| t < injured_at) {
            self.prompted = self.prompts.last().map(|p| p.due);
        }
        Ok(())
    }

    /// Ends the course at `at`.
    pub(crate) fn end(&mut self, at: DateTime<Utc>) {
        self.ended_at = Some(self.ended_at.map_or(at, |e| e.min(at)));
    }
}
