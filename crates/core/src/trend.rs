//! The pain trend of a course: what the review and end notices judge.

use alloc::format;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::limits::{PAIN_MAX, SEVERE_PAIN};
use crate::pain::PainScore;

/// The trend of a course's pain scores: the first, the latest, the
/// highest, and how many there were.
///
/// It carries the two rules of the pain-score issue:
///
/// - **No better** ([`is_no_better`](PainTrend::is_no_better)): the latest
///   score is not lower than the first. The review at 72 h and the end of
///   the course then say plainly to see a clinician. It needs two scores:
///   with one there is nothing to compare, so it is false.
/// - **Severe** ([`is_severe`](PainTrend::is_severe)): the *latest* score
///   is [`SEVERE_PAIN`] (8) or more. The latest, not any: a notice says
///   what is true now, and an 8 on the first day that fell to 3 does not
///   make "see a clinician now" true on day 7 (each 8 was announced when it
///   was recorded, with [`EventKind::SeeClinician`](crate::EventKind::SeeClinician)).
///   The highest is kept for the record ([`PainTrend::highest`]).
///
/// With no scores there is no trend ([`PainTrend::of`] is `None`): the
/// notices say what they said before scores existed.
///
/// It rides on [`Event::trend`](crate::Event::trend) for the review, the
/// course end and a severe score, so a notice has what it needs.
///
/// # Examples
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use therapy_timer::{PainScore, PainTrend};
///
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// let scores = [
///     PainScore::new(t, 6, None)?,
///     PainScore::new(t + TimeDelta::days(3), 6, None)?,
/// ];
/// let trend = PainTrend::of(&scores).unwrap();
/// assert_eq!((trend.first, trend.latest, trend.change()), (6, 6, 0));
/// assert!(trend.is_no_better());
/// assert!(trend.advises_clinician());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "RawPainTrend")]
#[non_exhaustive]
pub struct PainTrend {
    /// The first score, by time.
    pub first: u8,
    /// When it was given.
    pub first_at: DateTime<Utc>,
    /// The latest score, by time.
    pub latest: u8,
    /// When it was given.
    pub latest_at: DateTime<Utc>,
    /// The highest score.
    pub highest: u8,
    /// How many scores there were (at least 1).
    pub count: u32,
}

impl PainTrend {
    /// The trend of `scores`, taken in the order given (a course keeps
    /// them in time order: [`Course::pain_scores`](crate::Course::pain_scores));
    /// `None` for no scores.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{PainScore, PainTrend};
    ///
    /// assert_eq!(PainTrend::of(&[]), None);
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let one = PainTrend::of(&[PainScore::new(t, 9, None)?]).unwrap();
    /// // One score: nothing to compare, but severe all the same.
    /// assert!(!one.is_no_better());
    /// assert!(one.is_severe());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(scores: &[PainScore]) -> Option<PainTrend> {
        let (first, latest) = (scores.first()?, scores.last()?);
        Some(PainTrend {
            first: first.score,
            first_at: first.at,
            latest: latest.score,
            latest_at: latest.at,
            highest: scores.iter().map(|s| s.score).max().unwrap_or(latest.score),
            count: u32::try_from(scores.len()).unwrap_or(u32::MAX),
        })
    }

    /// The latest score minus the first: negative is better.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{PainScore, PainTrend};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let scores = [PainScore::new(t, 7, None)?, PainScore::new(t + TimeDelta::days(6), 3, None)?];
    /// assert_eq!(PainTrend::of(&scores).unwrap().change(), -4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn change(&self) -> i8 {
        // Both are checked to be 0..=10, so the difference fits.
        i8::try_from(i16::from(self.latest) - i16::from(self.first)).unwrap_or(0)
    }

    /// Over how many whole days the scores were given, at least 1: the "no
    /// better after N days" of a notice.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{PainScore, PainTrend};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let at = |h| PainScore::new(t + TimeDelta::hours(h), 5, None);
    /// assert_eq!(PainTrend::of(&[at(0)?, at(71)?]).unwrap().whole_days(), 2);
    /// assert_eq!(PainTrend::of(&[at(0)?, at(72)?]).unwrap().whole_days(), 3);
    /// assert_eq!(PainTrend::of(&[at(0)?, at(5)?]).unwrap().whole_days(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn whole_days(&self) -> u32 {
        let days = (self.latest_at - self.first_at).num_days().max(1);
        u32::try_from(days).unwrap_or(u32::MAX)
    }

    /// Whether the pain is no better: at least two scores, and the latest
    /// not lower than the first. The review and end notices then say to
    /// see a clinician.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{PainScore, PainTrend};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let later = t + TimeDelta::days(3);
    /// let worse = [PainScore::new(t, 4, None)?, PainScore::new(later, 5, None)?];
    /// let better = [PainScore::new(t, 4, None)?, PainScore::new(later, 3, None)?];
    /// assert!(PainTrend::of(&worse).unwrap().is_no_better());
    /// assert!(!PainTrend::of(&better).unwrap().is_no_better());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_no_better(&self) -> bool {
        self.count >= 2 && self.latest >= self.first
    }

    /// Whether the latest score is [`SEVERE_PAIN`] (8) or more.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{PainScore, PainTrend};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let eased = [PainScore::new(t, 9, None)?, PainScore::new(t + TimeDelta::days(2), 4, None)?];
    /// let trend = PainTrend::of(&eased).unwrap();
    /// assert!(!trend.is_severe());
    /// assert_eq!(trend.highest, 9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_severe(&self) -> bool {
        self.latest >= SEVERE_PAIN
    }

    /// Whether the trend on its own says to see a clinician: no better, or
    /// severe now. (The red flags and the days passed say so too; a notice
    /// keeps them whatever this says.)
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use therapy_timer::{PainScore, PainTrend};
    ///
    /// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// let better = [PainScore::new(t, 7, None)?, PainScore::new(t + TimeDelta::days(3), 4, None)?];
    /// assert!(!PainTrend::of(&better).unwrap().advises_clinician());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn advises_clinician(&self) -> bool {
        self.is_no_better() || self.is_severe()
    }
}

/// A trend as read (from a driver's outbox), before it is checked.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawPainTrend {
    first: u8,
    first_at: DateTime<Utc>,
    latest: u8,
    latest_at: DateTime<Utc>,
    highest: u8,
    count: u32,
}

impl TryFrom<RawPainTrend> for PainTrend {
    type Error = Error;

    fn try_from(raw: RawPainTrend) -> Result<PainTrend, Error> {
        for score in [raw.first, raw.latest, raw.highest] {
            if score > PAIN_MAX {
                return Err(Error::PainOutOfRange { score });
            }
        }
        let consistent = raw.count >= 1
            && raw.first_at <= raw.latest_at
            && raw.highest >= raw.first.max(raw.latest)
            && (raw.count >= 2 || (raw.first == raw.latest && raw.first_at == raw.latest_at));
        if !consistent {
            return Err(Error::Data {
                message: format!(
                    "a pain trend from {} ({}) to {} ({}), highest {}, of {} scores does not \
                     add up; the saved data is damaged, so start from a good copy",
                    raw.first,
                    raw.first_at.to_rfc3339(),
                    raw.latest,
                    raw.latest_at.to_rfc3339(),
                    raw.highest,
                    raw.count
                ),
            });
        }
        Ok(PainTrend {
            first: raw.first,
            first_at: raw.first_at,
            latest: raw.latest,
            latest_at: raw.latest_at,
            highest: raw.highest,
            count: raw.count,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::PainTrend;
    use crate::pain::PainScore;

    #[test]
    fn no_better_needs_two_scores_and_compares_the_latest_with_the_first() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let s = |d: i64, score: u8| PainScore::new(t + TimeDelta::days(d), score, None).unwrap();
        // Up and down in between: only the ends count.
        let trend = PainTrend::of(&[s(0, 6), s(1, 9), s(2, 2), s(3, 6)]).unwrap();
        assert!(trend.is_no_better());
        assert!(!trend.is_severe());
        assert_eq!((trend.highest, trend.count, trend.change()), (9, 4, 0));
        let trend = PainTrend::of(&[s(0, 6), s(3, 5)]).unwrap();
        assert!(!trend.is_no_better());
        assert!(!trend.advises_clinician());
        let trend = PainTrend::of(&[s(0, 3), s(3, 8)]).unwrap();
        assert!(trend.is_no_better() && trend.is_severe());
        assert_eq!(trend.change(), 5);
    }

    #[test]
    fn serde_round_trip_and_a_broken_trend_is_refused() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let trend = PainTrend::of(&[
            PainScore::new(t, 7, None).unwrap(),
            PainScore::new(t + TimeDelta::days(3), 7, None).unwrap(),
        ])
        .unwrap();
        let json = serde_json::to_string(&trend).unwrap();
        assert_eq!(serde_json::from_str::<PainTrend>(&json).unwrap(), trend);
        let broken = json.replace(r#""highest":7"#, r#""highest":3"#);
        assert!(serde_json::from_str::<PainTrend>(&broken).is_err());
        let out_of_range = json.replace(r#""latest":7"#, r#""latest":11"#);
        let err = serde_json::from_str::<PainTrend>(&out_of_range).unwrap_err();
        assert!(err.to_string().contains("pain score of 11"), "{err}");
    }
}
