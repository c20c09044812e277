//! The protocol: how long each session lasts, how long to rest after it,
//! when ice gives way to heat, and when to see a clinician.

use core::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::duration::after;
use crate::error::{Error, Setting};
use crate::limits::{
    ACUTE_WINDOW_MAX, ACUTE_WINDOW_MIN, COURSE_DEFAULT, COURSE_MAX, COURSE_MIN, EVERY_MAX,
    HEAT_EVERY, HEAT_MAX_ON, ICE_EVERY, ICE_MAX_ON, ICE_MIN_REST, REST_MAX, REVIEW_MAX,
};
use crate::phase::Phase;

const MINUTE: u64 = 60;

/// One phase's dose: the session length ("on") and the rest after it.
///
/// A `Dose` on its own is just two durations; it is checked against the
/// safety limits when it becomes part of a [`Protocol`]. In serde it reads
/// `{"on": "10m", "rest": "1h"}`; inside a protocol either half may be left
/// out and is then the phase's default.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use therapy_timer::Dose;
///
/// let dose = Dose::new(Duration::from_secs(8 * 60), Duration::from_secs(90 * 60));
/// assert_eq!(serde_json::to_string(&dose)?, r#"{"on":"8m","rest":"1h 30m"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Dose {
    /// How long one session lasts.
    #[serde(with = "crate::duration::serde_human")]
    pub on: Duration,
    /// The least time between the end of a session and the start of the next.
    #[serde(with = "crate::duration::serde_human")]
    pub rest: Duration,
}

impl Dose {
    /// A dose of `on` followed by `rest`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Dose;
    ///
    /// let dose = Dose::new(Duration::from_secs(600), Duration::from_secs(3600));
    /// assert_eq!(dose.on, Duration::from_secs(600));
    /// ```
    #[must_use]
    pub const fn new(on: Duration, rest: Duration) -> Dose {
        Dose { on, rest }
    }

    /// The default dose of a phase: ice 10 min on, 60 min rest; heat 15 min
    /// on, 15 min rest.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Dose, Phase};
    ///
    /// assert_eq!(Dose::default_for(Phase::Heat).on, Duration::from_secs(15 * 60));
    /// ```
    #[must_use]
    pub const fn default_for(phase: Phase) -> Dose {
        match phase {
            Phase::Ice => Dose::new(ICE_MAX_ON, ICE_MIN_REST),
            Phase::Heat => Dose::new(
                Duration::from_secs(15 * MINUTE),
                Duration::from_secs(15 * MINUTE),
            ),
        }
    }

    /// Checks this dose against the safety limits of `phase`.
    fn check(self, phase: Phase) -> Result<Dose, Error> {
        let (on_setting, rest_setting, limit) = match phase {
            Phase::Ice => (Setting::IceOn, Setting::IceRest, ICE_MAX_ON),
            Phase::Heat => (Setting::HeatOn, Setting::HeatRest, HEAT_MAX_ON),
        };
        if self.on.is_zero() {
            return Err(Error::ZeroDuration {
                setting: on_setting,
            });
        }
        if self.on < crate::limits::SESSION_MIN {
            return Err(Error::SessionTooShort { length: self.on });
        }
        if self.rest.is_zero() {
            return Err(Error::ZeroDuration {
                setting: rest_setting,
            });
        }
        if self.on > limit {
            return Err(Error::SessionTooLong {
                phase,
                length: self.on,
                limit,
            });
        }
        let minimum = match phase {
            Phase::Ice => ICE_MIN_REST,
            Phase::Heat => self.on,
        };
        if self.rest < minimum {
            return Err(Error::RestTooShort {
                phase,
                rest: self.rest,
                minimum,
            });
        }
        if self.rest > REST_MAX {
            return Err(Error::RestTooLong {
                phase,
                rest: self.rest,
            });
        }
        Ok(self)
    }
}

/// A checked therapy protocol.
///
/// Every `Protocol` that exists satisfies the safety limits in
/// [`limits`](crate::limits): the fields are private and every way to make
/// one ([`Protocol::new`], the `with_*` methods, serde) checks them and
/// returns an [`Error`] rather than clamping.
///
/// The default is the care articles' protocol: ice 10 min on, 60 min rest,
/// a prompt every 1 h 10 min; heat 15 min on, 15 min rest, a prompt every
/// 3 h; ice for the first 48 h; a clinician review reminder at 72 h; the
/// course ends after 7 days.
///
/// In serde every key is optional and takes the default, half a dose
/// included: `{"ice": {"on": "8m"}}` is ice 8 minutes on with the default
/// hour of rest.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use therapy_timer::{Dose, Phase, Protocol};
///
/// let min = |m: u64| Duration::from_secs(m * 60);
/// let gentle = Protocol::default().with_dose(Phase::Ice, Dose::new(min(8), min(60)))?;
/// assert_eq!(gentle.dose(Phase::Ice).on, min(8));
///
/// let err = Protocol::default()
///     .with_dose(Phase::Ice, Dose::new(min(10), min(30)))
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "a rest of 30m after ice is shorter than the 1h safety minimum; rest at least 1h"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawProtocol", into = "RawProtocol")]
pub struct Protocol {
    ice: Dose,
    heat: Dose,
    ice_every: Option<Duration>,
    heat_every: Option<Duration>,
    acute_window: Duration,
    review_after: Duration,
    course_length: Duration,
}

impl Default for Protocol {
    fn default() -> Protocol {
        Protocol {
            ice: Dose::default_for(Phase::Ice),
            heat: Dose::default_for(Phase::Heat),
            ice_every: None,
            heat_every: None,
            acute_window: ACUTE_WINDOW_MAX,
            review_after: REVIEW_MAX,
            course_length: COURSE_DEFAULT,
        }
    }
}

impl Protocol {
    /// A protocol with the given doses, checked against the safety limits;
    /// the cadence and the course length are the defaults.
    ///
    /// `acute_window` is how long after the injury ice is the phase (24 h to
    /// 48 h); `review_after` is when the tool reminds that spasms lasting
    /// this long need a clinician (above zero, at most 72 h).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Dose, Protocol};
    ///
    /// let min = |m: u64| Duration::from_secs(m * 60);
    /// let p = Protocol::new(
    ///     Dose::new(min(10), min(60)),
    ///     Dose::new(min(20), min(20)),
    ///     min(24 * 60),
    ///     min(72 * 60),
    /// )?;
    /// assert_eq!(p.acute_window(), min(24 * 60));
    ///
    /// let err = Protocol::new(
    ///     Dose::new(min(10), min(60)),
    ///     Dose::new(min(20), min(10)),
    ///     min(48 * 60),
    ///     min(72 * 60),
    /// )
    /// .unwrap_err();
    /// assert!(err.to_string().starts_with("a rest of 10m after heat is shorter"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        ice: Dose,
        heat: Dose,
        acute_window: Duration,
        review_after: Duration,
    ) -> Result<Protocol, Error> {
        Ok(Protocol {
            ice: ice.check(Phase::Ice)?,
            heat: heat.check(Phase::Heat)?,
            ice_every: None,
            heat_every: None,
            acute_window: check_acute_window(acute_window)?,
            review_after: check_review(review_after)?,
            course_length: COURSE_DEFAULT,
        })
    }

    /// This protocol with another dose for `phase`. An explicit cadence for
    /// the phase must still be at least the new session plus its rest.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Dose, Phase, Protocol};
    ///
    /// let min = |m: u64| Duration::from_secs(m * 60);
    /// let p = Protocol::default().with_dose(Phase::Heat, Dose::new(min(20), min(30)))?;
    /// assert_eq!(p.dose(Phase::Heat).rest, min(30));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_dose(self, phase: Phase, dose: Dose) -> Result<Protocol, Error> {
        let dose = dose.check(phase)?;
        let p = match phase {
            Phase::Ice => Protocol { ice: dose, ..self },
            Phase::Heat => Protocol { heat: dose, ..self },
        };
        p.check_every(phase)?;
        Ok(p)
    }

    /// This protocol with another cadence for `phase`: the time from one
    /// prompt's (or session's) start to the next prompt. It may not be less
    /// than the session plus its rest, nor more than 7 days. `None` is the
    /// default: 1 h 10 min for ice, 3 h for heat, or the session plus its
    /// rest if that is longer.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// let h = |h: u64| Duration::from_secs(h * 3600);
    /// let p = Protocol::default().with_every(Phase::Heat, Some(h(4)))?;
    /// assert_eq!(p.every(Phase::Heat), h(4));
    /// assert_eq!(
    ///     Protocol::default().with_every(Phase::Ice, Some(h(1))).unwrap_err().to_string(),
    ///     "a prompt every 1h for ice is less than the session and its rest (1h 10m); \
    ///      use at least 1h 10m"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_every(self, phase: Phase, every: Option<Duration>) -> Result<Protocol, Error> {
        let p = match phase {
            Phase::Ice => Protocol {
                ice_every: every,
                ..self
            },
            Phase::Heat => Protocol {
                heat_every: every,
                ..self
            },
        };
        p.check_every(phase)?;
        Ok(p)
    }

    /// This protocol with another acute window (24 h to 48 h).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Protocol;
    ///
    /// let day = Duration::from_secs(24 * 3600);
    /// assert_eq!(Protocol::default().with_acute_window(day)?.acute_window(), day);
    /// assert!(Protocol::default().with_acute_window(day * 3).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_acute_window(self, acute_window: Duration) -> Result<Protocol, Error> {
        Ok(Protocol {
            acute_window: check_acute_window(acute_window)?,
            ..self
        })
    }

    /// This protocol with another clinician review point (above zero, at
    /// most 72 h after the injury).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Protocol;
    ///
    /// let two_days = Duration::from_secs(48 * 3600);
    /// assert_eq!(Protocol::default().with_review_after(two_days)?.review_after(), two_days);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_review_after(self, review_after: Duration) -> Result<Protocol, Error> {
        Ok(Protocol {
            review_after: check_review(review_after)?,
            ..self
        })
    }

    /// This protocol with another course length (1 to 30 days after the
    /// injury). After it, no more prompts.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Protocol;
    ///
    /// let days = |d: u64| Duration::from_secs(d * 24 * 3600);
    /// assert_eq!(Protocol::default().with_course_length(days(10))?.course_length(), days(10));
    /// assert_eq!(
    ///     Protocol::default().with_course_length(days(60)).unwrap_err().to_string(),
    ///     "a course of 60 days is outside the 24h to 30 days range; use a value from 24h to 30 days"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_course_length(self, course_length: Duration) -> Result<Protocol, Error> {
        if !(COURSE_MIN..=COURSE_MAX).contains(&course_length) {
            return Err(Error::CourseLengthOutOfRange {
                length: course_length,
            });
        }
        Ok(Protocol {
            course_length,
            ..self
        })
    }

    fn check_every(&self, phase: Phase) -> Result<(), Error> {
        let explicit = match phase {
            Phase::Ice => self.ice_every,
            Phase::Heat => self.heat_every,
        };
        let Some(every) = explicit else {
            return Ok(());
        };
        let dose = self.dose(phase);
        let floor = dose.on + dose.rest;
        if every < floor {
            return Err(Error::EveryTooShort {
                phase,
                every,
                minimum: floor,
            });
        }
        if every > EVERY_MAX {
            return Err(Error::EveryTooLong { phase, every });
        }
        Ok(())
    }

    /// The dose of `phase`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// assert_eq!(Protocol::default().dose(Phase::Ice).rest, Duration::from_secs(3600));
    /// ```
    #[must_use]
    pub const fn dose(&self, phase: Phase) -> Dose {
        match phase {
            Phase::Ice => self.ice,
            Phase::Heat => self.heat,
        }
    }

    /// The cadence of `phase`: from one prompt's (or session's) start to the
    /// next prompt.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// assert_eq!(Protocol::default().every(Phase::Ice), Duration::from_secs(70 * 60));
    /// assert_eq!(Protocol::default().every(Phase::Heat), Duration::from_secs(3 * 3600));
    /// ```
    #[must_use]
    pub fn every(&self, phase: Phase) -> Duration {
        let dose = self.dose(phase);
        let (explicit, default) = match phase {
            Phase::Ice => (self.ice_every, ICE_EVERY),
            Phase::Heat => (self.heat_every, HEAT_EVERY),
        };
        explicit.unwrap_or_else(|| default.max(dose.on + dose.rest))
    }

    /// How long after the injury ice is the phase.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Protocol;
    ///
    /// assert_eq!(Protocol::default().acute_window(), Duration::from_secs(48 * 3600));
    /// ```
    #[must_use]
    pub const fn acute_window(&self) -> Duration {
        self.acute_window
    }

    /// How long after the injury the clinician reminder is due.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Protocol;
    ///
    /// assert_eq!(Protocol::default().review_after(), Duration::from_secs(72 * 3600));
    /// ```
    #[must_use]
    pub const fn review_after(&self) -> Duration {
        self.review_after
    }

    /// How long after the injury the course ends.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::Protocol;
    ///
    /// assert_eq!(Protocol::default().course_length(), Duration::from_secs(7 * 24 * 3600));
    /// ```
    #[must_use]
    pub const fn course_length(&self) -> Duration {
        self.course_length
    }

    /// The length of one session of `phase`: the protocol's own when
    /// `requested` is `None`, else `requested` if it is at least a second and
    /// no longer than the protocol's (shorter sessions are always allowed,
    /// "per patient tolerance"; longer ones are refused).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// let p = Protocol::default();
    /// let min = |m: u64| Duration::from_secs(m * 60);
    /// assert_eq!(p.session_length(Phase::Ice, None)?, min(10));
    /// assert_eq!(p.session_length(Phase::Ice, Some(min(6)))?, min(6));
    /// assert_eq!(
    ///     p.session_length(Phase::Heat, Some(min(18))).unwrap_err().to_string(),
    ///     "a heat session of 18m is longer than this protocol's 15m heat session; \
    ///      use at most 15m, or change the protocol"
    /// );
    /// assert!(p.session_length(Phase::Ice, Some(Duration::from_nanos(1))).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn session_length(
        &self,
        phase: Phase,
        requested: Option<Duration>,
    ) -> Result<Duration, Error> {
        let own = self.dose(phase).on;
        let Some(length) = requested else {
            return Ok(own);
        };
        check_timed_length(phase, length)?;
        if length > own {
            return Err(Error::LongerThanProtocol {
                phase,
                length,
                protocol: own,
            });
        }
        Ok(length)
    }

    /// The rest owed after a session of `phase` that lasted `length`.
    ///
    /// It is the dose's rest, or the session's own length if that is longer
    /// (a recorded session can be longer than the dose, e.g. one logged by
    /// hand): after heat, the articles ask for "at least that amount of time
    /// in between sessions".
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// let p = Protocol::default();
    /// let min = |m: u64| Duration::from_secs(m * 60);
    /// assert_eq!(p.rest_after(Phase::Ice, min(4)), min(60));
    /// assert_eq!(p.rest_after(Phase::Heat, min(25)), min(25));
    /// ```
    #[must_use]
    pub fn rest_after(&self, phase: Phase, length: Duration) -> Duration {
        self.dose(phase).rest.max(length)
    }

    /// The end of the acute window for an injury at `injured_at`: ice
    /// before it, heat from it on. `None` past the end of chrono's range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::Protocol;
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(
    ///     Protocol::default().heat_from(injured),
    ///     Some(Utc.with_ymd_and_hms(2026, 3, 3, 8, 0, 0).unwrap())
    /// );
    /// ```
    #[must_use]
    pub fn heat_from(&self, injured_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        after(injured_at, self.acute_window)
    }

    /// The phase at `at` for an injury at `injured_at`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{Phase, Protocol};
    ///
    /// let p = Protocol::default();
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(p.phase_at(injured, injured + TimeDelta::hours(47)), Phase::Ice);
    /// assert_eq!(p.phase_at(injured, injured + TimeDelta::hours(48)), Phase::Heat);
    /// ```
    #[must_use]
    pub fn phase_at(&self, injured_at: DateTime<Utc>, at: DateTime<Utc>) -> Phase {
        match self.heat_from(injured_at) {
            Some(heat) if at >= heat => Phase::Heat,
            _ => Phase::Ice,
        }
    }

    /// When the clinician reminder is due for an injury at `injured_at`;
    /// `None` past the end of chrono's range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::Protocol;
    ///
    /// let injured = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    /// assert_eq!(
    ///     Protocol::default().review_at(injured),
    ///     Some(Utc.with_ymd_and_hms(2026, 3, 4, 8, 0, 0).unwrap())
    /// );
    /// ```
    #[must_use]
    pub fn review_at(&self, injured_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        after(injured_at, self.review_after)
    }
}

/// Checks the length of a session that a timer will time: at least a
/// second, at most the phase's safety limit.
pub(crate) fn check_timed_length(phase: Phase, length: Duration) -> Result<(), Error> {
    if length < crate::limits::SESSION_MIN {
        return Err(Error::SessionTooShort { length });
    }
    let limit = safety_limit(phase);
    if length > limit {
        return Err(Error::SessionTooLong {
            phase,
            length,
            limit,
        });
    }
    Ok(())
}

/// The longest session of `phase` the safety limits allow.
pub(crate) const fn safety_limit(phase: Phase) -> Duration {
    match phase {
        Phase::Ice => ICE_MAX_ON,
        Phase::Heat => HEAT_MAX_ON,
    }
}

fn check_acute_window(window: Duration) -> Result<Duration, Error> {
    if (ACUTE_WINDOW_MIN..=ACUTE_WINDOW_MAX).contains(&window) {
        Ok(window)
    } else {
        Err(Error::AcuteWindowOutOfRange { window })
    }
}

fn check_review(after: Duration) -> Result<Duration, Error> {
    if after.is_zero() {
        Err(Error::ZeroDuration {
            setting: Setting::Review,
        })
    } else if after > REVIEW_MAX {
        Err(Error::ReviewTooLate { after })
    } else {
        Ok(after)
    }
}

mod stored;

pub(crate) use stored::RawProtocol;

#[cfg(test)]
mod tests;
