//! Skin checks in the record, and the pause a numb or blistered skin puts
//! on cold and heat (the rules: [`Skin`]).

use chrono::{DateTime, Utc};

use super::{in_range, Course};
use crate::error::Error;
use crate::phase::Phase;
use crate::skin::Skin;
use crate::skin_check::SkinCheck;

impl Course {
    /// Adds a skin check to the log and returns its id (from the same
    /// numbering as sessions and pain scores). A check given for an
    /// earlier time is filed in time order.
    ///
    /// # Errors
    ///
    /// [`Error::SkinNoteTooLong`] (the fields are public, so they are
    /// checked again); [`Error::BeforeInjury`]; [`Error::TimeOutOfRange`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Error, Protocol, Skin, SkinCheck};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// assert_eq!(course.record_skin(SkinCheck::new(injured, Skin::Red, None)?)?, 1);
    /// let before = SkinCheck::new(injured - TimeDelta::hours(1), Skin::Red, None)?;
    /// assert!(matches!(course.record_skin(before).unwrap_err(), Error::BeforeInjury { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_skin(&mut self, mut check: SkinCheck) -> Result<u32, Error> {
        check.check()?;
        in_range(check.at)?;
        if !self.injury_known && check.at < self.injured_at {
            self.injured_at = check.at;
        }
        if check.at < self.injured_at {
            return Err(Error::BeforeInjury {
                at: check.at,
                injured_at: self.injured_at,
            });
        }
        check.id = self.take_id();
        let id = check.id;
        let at = self.skin.partition_point(|c| c.at <= check.at);
        self.skin.insert(at, check);
        Ok(id)
    }

    /// The skin checks recorded, ordered by time.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, Skin, SkinCheck};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_skin(SkinCheck::new(t, Skin::Normal, None)?)?;
    /// assert_eq!(course.skin_checks()[0].skin, Skin::Normal);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn skin_checks(&self) -> &[SkinCheck] {
        &self.skin
    }

    /// The skin check with id `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, Skin, SkinCheck};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// let id = course.record_skin(SkinCheck::new(t, Skin::Red, None)?)?;
    /// assert_eq!(course.skin_check(id).map(|c| c.skin), Some(Skin::Red));
    /// assert!(course.skin_check(id + 1).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn skin_check(&self, id: u32) -> Option<&SkinCheck> {
        self.skin.iter().find(|c| c.id == id)
    }

    /// The last skin check at or before `at`, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, Skin, SkinCheck};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_skin(SkinCheck::new(t + TimeDelta::hours(1), Skin::Red, None)?)?;
    /// assert_eq!(course.last_skin_check(t), None);
    /// assert_eq!(course.last_skin_check(t + TimeDelta::hours(2)).map(|c| c.skin), Some(Skin::Red));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn last_skin_check(&self, at: DateTime<Utc>) -> Option<&SkinCheck> {
        let upto = self.skin.partition_point(|c| c.at <= at);
        upto.checked_sub(1).and_then(|i| self.skin.get(i))
    }

    /// The check that pauses cold and heat at `at`: the last check at or
    /// before `at`, when it found the skin numb or blistered. While it
    /// does, no session is prompted and a start is refused with
    /// [`Error::SkinPaused`]; a [`Skin::Normal`] check ends it (a red one
    /// does not: sensation is what must come back).
    ///
    /// From `../shared/protocol.md`: never cold or heat on an area that
    /// feels numb (cold is contraindicated with reduced skin sensation;
    /// heating pads never on an area that feels numb or tingly); blistered
    /// skin needs a clinician, and no cold or heat meanwhile.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Protocol, Skin, SkinCheck};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(t, Protocol::default())?;
    /// course.record_skin(SkinCheck::new(t, Skin::Numb, None)?)?;
    /// course.record_skin(SkinCheck::new(t + TimeDelta::minutes(20), Skin::Red, None)?)?;
    /// assert_eq!(course.skin_pause(t + TimeDelta::minutes(30)).map(|c| c.skin), Some(Skin::Numb));
    /// course.record_skin(SkinCheck::new(t + TimeDelta::minutes(40), Skin::Normal, None)?)?;
    /// assert_eq!(course.skin_pause(t + TimeDelta::minutes(45)), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn skin_pause(&self, at: DateTime<Utc>) -> Option<&SkinCheck> {
        let upto = self.skin.partition_point(|c| c.at <= at);
        let checks = &self.skin[..upto];
        // A red check says nothing about sensation: the pause holds until
        // a normal one.
        let last = checks.iter().rev().find(|c| c.skin != Skin::Red)?;
        if !last.skin.pauses() {
            return None;
        }
        // The first check of the pause: a numb check, later a blistered one,
        // pauses from the first; the worst found is what it says.
        let from = checks
            .iter()
            .rposition(|c| c.skin == Skin::Normal)
            .map_or(0, |i| i + 1);
        checks[from..]
            .iter()
            .filter(|c| c.skin.pauses())
            .max_by_key(|c| (c.skin, core::cmp::Reverse(c.at)))
    }

    /// When the skin pause in force at `at` ends: the first normal check
    /// after it, if one is recorded (a check dated ahead); `None` if it
    /// holds.
    pub(crate) fn skin_pause_over(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let from = self.skin.partition_point(|c| c.at <= at);
        self.skin[from..]
            .iter()
            .find(|c| c.skin == Skin::Normal)
            .map(|c| c.at)
    }

    /// Whether a heat prompt at `at` should say to skip the session if the
    /// skin is still red: the last check by then found it red, after a heat
    /// session (`../shared/protocol.md`: "Red after heat that is still red
    /// at the next session: skip that session").
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Course, Phase, Protocol, Session, Skin, SkinCheck};
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// let mut course = Course::new(injured, Protocol::default())?;
    /// let t = injured + TimeDelta::days(3);
    /// course.record(Session::completed(Phase::Heat, t, t + TimeDelta::minutes(15))?)?;
    /// course.record_skin(SkinCheck::new(t + TimeDelta::minutes(16), Skin::Red, None)?)?;
    /// assert!(course.skip_if_red(Phase::Heat, t + TimeDelta::hours(3)));
    /// assert!(!course.skip_if_red(Phase::Ice, t + TimeDelta::hours(3)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn skip_if_red(&self, phase: Phase, at: DateTime<Utc>) -> bool {
        if phase != Phase::Heat {
            return false;
        }
        let Some(check) = self.last_skin_check(at).filter(|c| c.skin == Skin::Red) else {
            return false;
        };
        let before = self.sessions.partition_point(|s| s.start <= check.at);
        before
            .checked_sub(1)
            .and_then(|i| self.sessions.get(i))
            .is_some_and(|s| s.phase == Phase::Heat)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use crate::course::Course;
    use crate::protocol::Protocol;
    use crate::skin::Skin;
    use crate::skin_check::SkinCheck;

    #[test]
    fn a_blistered_check_during_a_numb_pause_is_what_the_pause_says() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let mut course = Course::new(t, Protocol::default()).unwrap();
        let check = |m, skin| SkinCheck::new(t + TimeDelta::minutes(m), skin, None).unwrap();
        course.record_skin(check(10, Skin::Numb)).unwrap();
        course.record_skin(check(20, Skin::Blistered)).unwrap();
        course.record_skin(check(30, Skin::Numb)).unwrap();
        let pause = course.skin_pause(t + TimeDelta::minutes(40)).unwrap();
        assert_eq!(
            (pause.skin, pause.at),
            (Skin::Blistered, t + TimeDelta::minutes(20))
        );
        assert_eq!(course.skin_pause(t + TimeDelta::minutes(5)), None);
        course.record_skin(check(50, Skin::Normal)).unwrap();
        assert_eq!(
            course.skin_pause_over(t + TimeDelta::minutes(40)),
            Some(t + TimeDelta::minutes(50))
        );
        assert_eq!(course.skin_pause(t + TimeDelta::minutes(50)), None);
        // Undo the normal check: paused again.
        let last = course.last_recorded().unwrap().id();
        course.remove(last).unwrap();
        assert!(course.skin_pause(t + TimeDelta::minutes(60)).is_some());
    }
}
