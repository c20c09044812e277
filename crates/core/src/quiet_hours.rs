//! Daily quiet hours: a local wall-clock span in which no session is planned
//! to start.

use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use chrono::{DateTime, LocalResult, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Daily quiet hours, in local wall-clock time, e.g. `22:00-07:00`.
///
/// A span whose start is after its end crosses midnight. The span includes
/// its start and excludes its end. Because the times are local, quiet hours
/// follow the clock on the days it jumps: with quiet hours ending at 02:30 on
/// a night when the clock jumps from 02:00 to 03:00, they end at the jump.
///
/// Quiet hours only move planned *starts*; a session that began before quiet
/// hours runs to its end, and an ice stop is announced whatever the hour.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use therapy_timer::QuietHours;
///
/// let night: QuietHours = "22:00-07:00".parse()?;
/// assert_eq!(night.to_string(), "22:00-07:00");
/// let at = |h, m| Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap();
/// assert!(night.contains(at(23, 30), &Utc));
/// assert!(!night.contains(at(7, 0), &Utc));
/// assert_eq!(night.end_after(at(23, 30), &Utc), Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QuietHours {
    start: NaiveTime,
    end: NaiveTime,
}

impl QuietHours {
    /// Quiet hours from `start` to `end`, local time. They must differ.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveTime;
    /// use therapy_timer::QuietHours;
    ///
    /// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// assert!(QuietHours::new(t(22), t(7)).is_ok());
    /// assert_eq!(
    ///     QuietHours::new(t(7), t(7)).unwrap_err().to_string(),
    ///     "quiet hours 07:00-07:00 start and end at the same time; use two different times, or \"off\""
    /// );
    /// ```
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<QuietHours, Error> {
        if start == end {
            return Err(Error::EmptyQuietHours { at: start });
        }
        Ok(QuietHours { start, end })
    }

    /// When quiet hours begin, local time.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::QuietHours;
    ///
    /// assert_eq!(QuietHours::default().start().to_string(), "22:00:00");
    /// ```
    pub const fn start(&self) -> NaiveTime {
        self.start
    }

    /// When quiet hours end, local time.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::QuietHours;
    ///
    /// assert_eq!(QuietHours::default().end().to_string(), "07:00:00");
    /// ```
    pub const fn end(&self) -> NaiveTime {
        self.end
    }

    fn contains_time(&self, t: NaiveTime) -> bool {
        if self.start < self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// Whether the instant `at` falls in quiet hours on the clock of `tz`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone, Utc};
    /// use therapy_timer::QuietHours;
    ///
    /// let night = QuietHours::default(); // 22:00-07:00
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 21, 30, 0).unwrap();
    /// assert!(!night.contains(at, &Utc));
    /// // 21:30 UTC is 22:30 one hour east.
    /// assert!(night.contains(at, &FixedOffset::east_opt(3600).unwrap()));
    /// ```
    #[must_use]
    pub fn contains<Tz: TimeZone>(&self, at: DateTime<Utc>, tz: &Tz) -> bool {
        local(at, tz).is_some_and(|l| self.contains_time(l.time()))
    }

    /// The first instant at or after `at` outside quiet hours on the clock
    /// of `tz`; `None` when there is none in chrono's range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{DateTime, FixedOffset, TimeZone, Utc};
    /// use therapy_timer::QuietHours;
    ///
    /// let night = QuietHours::default();
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 23, 0, 0).unwrap();
    /// assert_eq!(night.next_open(at, &Utc), Some(Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap()));
    /// // At the edge of the calendar: no answer, no panic.
    /// let east = FixedOffset::east_opt(5 * 3600).unwrap();
    /// let _ = night.next_open(DateTime::<Utc>::MAX_UTC, &east);
    /// ```
    #[must_use]
    pub fn next_open<Tz: TimeZone>(&self, at: DateTime<Utc>, tz: &Tz) -> Option<DateTime<Utc>> {
        // Two moves always suffice (a second only when a clock change puts
        // the end back inside quiet hours); the bound keeps a surprise from
        // looping.
        let mut t = at;
        for _ in 0..4 {
            local(t, tz)?;
            if !self.contains(t, tz) {
                return Some(t);
            }
            let end = self.end_after(t, tz);
            if end <= t {
                return None;
            }
            t = end;
        }
        None
    }

    /// The first instant at or after `at` at which quiet hours end on the
    /// clock of `tz`.
    ///
    /// Where the local end time is skipped by a clock change, it is the
    /// instant of the change; where it occurs twice, the first occurrence at
    /// or after `at`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use therapy_timer::QuietHours;
    ///
    /// let night = QuietHours::default();
    /// let at = Utc.with_ymd_and_hms(2026, 3, 2, 3, 0, 0).unwrap();
    /// assert_eq!(night.end_after(at, &Utc), Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap());
    /// ```
    #[must_use]
    pub fn end_after<Tz: TimeZone>(&self, at: DateTime<Utc>, tz: &Tz) -> DateTime<Utc> {
        let Some(day) = local(at, tz).map(|l| l.date()) else {
            return at;
        };
        // The end on the day before, the day itself and the two after covers
        // every offset a zone can have, and a day whose only open time a
        // clock change skips (there the "end" is still quiet, so it does
        // not count); take the earliest at or after `at`.
        let next = day.succ_opt();
        [
            day.pred_opt(),
            Some(day),
            next,
            next.and_then(|d| d.succ_opt()),
        ]
        .into_iter()
        .flatten()
        .flat_map(|d| resolve_local(tz, d.and_time(self.end)))
        .filter(|t| *t >= at && !self.contains(*t, tz))
        .min()
        .unwrap_or(at)
    }
}

/// The wall-clock time of `at` in `tz`, or `None` where it falls outside
/// chrono's range (`with_timezone` would panic there).
fn local<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> Option<NaiveDateTime> {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc().checked_add_offset(offset)
}

/// Every UTC instant at which the clock of `tz` reads `local`, or, when a
/// clock change skips `local`, the instant of that change.
fn resolve_local<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Vec<DateTime<Utc>> {
    resolve(tz, local).unwrap_or_default()
}

fn resolve<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Option<Vec<DateTime<Utc>>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(vec![t.with_timezone(&Utc)]),
        LocalResult::Ambiguous(a, b) => Some(vec![a.with_timezone(&Utc), b.with_timezone(&Utc)]),
        LocalResult::None => {
            // In a gap: the first local minute that exists is where the clock
            // landed after jumping. Gaps in the time zone database are at most
            // a few hours; a day bounds the search.
            let mut probe = local;
            for _ in 0..(24 * 60) {
                probe = probe.checked_add_signed(TimeDelta::minutes(1))?;
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return Some(vec![gap_start(tz, t.with_timezone(&Utc))]);
                }
            }
            None
        }
    }
}

/// Walks back from `after`, an instant just after a forward clock jump, to
/// the instant of the jump (the local minute search above can overshoot when
/// a zone's offset is not a whole number of minutes).
fn gap_start<Tz: TimeZone>(tz: &Tz, after: DateTime<Utc>) -> DateTime<Utc> {
    let offset_of = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    let new_offset = offset_of(after);
    let Some(mut low) = after.checked_sub_signed(TimeDelta::minutes(1)) else {
        return after;
    };
    let mut high = after;
    if offset_of(low) == new_offset {
        return after;
    }
    while high - low > TimeDelta::seconds(1) {
        let mid = low + (high - low) / 2;
        if offset_of(mid) == new_offset {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

impl Default for QuietHours {
    /// 22:00-07:00.
    fn default() -> QuietHours {
        QuietHours {
            start: NaiveTime::from_hms_opt(22, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

impl FromStr for QuietHours {
    type Err = Error;

    /// Parses `HH:MM-HH:MM`, e.g. `22:00-07:00`.
    fn from_str(s: &str) -> Result<QuietHours, Error> {
        let invalid = || Error::InvalidQuietHours {
            input: s.to_owned(),
        };
        let (a, b) = s.trim().split_once('-').ok_or_else(invalid)?;
        let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| invalid());
        QuietHours::new(parse(a)?, parse(b)?)
    }
}

impl TryFrom<String> for QuietHours {
    type Error = Error;
    fn try_from(s: String) -> Result<QuietHours, Error> {
        s.parse()
    }
}

impl From<QuietHours> for String {
    fn from(q: QuietHours) -> String {
        q.to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use chrono_tz::{America::New_York, Australia::Lord_Howe, Europe::London};

    use super::QuietHours;
    use crate::error::Error;

    #[test]
    fn parses_and_rejects() {
        let q: QuietHours = "23:30-06:15".parse().unwrap();
        assert_eq!(q.to_string(), "23:30-06:15");
        assert_eq!(
            "22-07".parse::<QuietHours>(),
            Err(Error::InvalidQuietHours {
                input: "22-07".into()
            })
        );
        assert_eq!(
            "25:00-07:00".parse::<QuietHours>().unwrap_err().to_string(),
            "invalid quiet hours \"25:00-07:00\"; write them as HH:MM-HH:MM (e.g. 22:00-07:00), or \"off\""
        );
        assert!("10:00-10:00".parse::<QuietHours>().is_err());
    }

    #[test]
    fn daytime_span_does_not_cross_midnight() {
        let q: QuietHours = "13:00-15:00".parse().unwrap();
        let at = |h| Utc.with_ymd_and_hms(2026, 5, 5, h, 0, 0).unwrap();
        assert!(!q.contains(at(12), &Utc));
        assert!(q.contains(at(13), &Utc));
        assert!(!q.contains(at(15), &Utc));
        assert_eq!(q.end_after(at(14), &Utc), at(15));
    }

    #[test]
    fn follows_the_local_clock_across_spring_forward() {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        let q: QuietHours = "22:00-02:30".parse().unwrap();
        let late = New_York.with_ymd_and_hms(2026, 3, 8, 1, 0, 0).unwrap();
        let end = q.end_after(late.with_timezone(&Utc), &New_York);
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap());
        assert!(!q.contains(end, &New_York));
    }

    #[test]
    fn ends_at_seven_local_on_both_sides_of_fall_back() {
        // London, 2026-10-25: 02:00 BST falls back to 01:00 GMT.
        let q = QuietHours::default();
        let before = London.with_ymd_and_hms(2026, 10, 24, 23, 0, 0).unwrap();
        let end = q.end_after(before.with_timezone(&Utc), &London);
        // 07:00 GMT on the 25th, which is 07:00 UTC: a 9-hour night.
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 10, 25, 7, 0, 0).unwrap());
    }

    #[test]
    fn end_in_the_repeated_hour_is_the_next_occurrence() {
        // Quiet hours end at 01:30, which New York sees twice on 2026-11-01.
        let q: QuietHours = "23:00-01:30".parse().unwrap();
        let first = New_York
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(2026, 11, 1)
                    .unwrap()
                    .and_hms_opt(1, 30, 0)
                    .unwrap(),
            )
            .earliest()
            .unwrap()
            .with_timezone(&Utc);
        // After the first 01:30 the clock falls back into quiet hours again.
        let in_second_pass = first + chrono::TimeDelta::minutes(40);
        assert!(q.contains(in_second_pass, &New_York));
        assert_eq!(
            q.end_after(in_second_pass, &New_York),
            first + chrono::TimeDelta::hours(1)
        );
    }

    #[test]
    fn half_hour_dst_zone() {
        // Lord Howe moves its clock by 30 minutes: 2026-10-04 02:00 -> 02:30.
        let q: QuietHours = "23:00-02:15".parse().unwrap();
        let at = Lord_Howe.with_ymd_and_hms(2026, 10, 4, 1, 0, 0).unwrap();
        let end = q.end_after(at.with_timezone(&Utc), &Lord_Howe);
        assert_eq!(
            end.with_timezone(&Lord_Howe).format("%H:%M").to_string(),
            "02:30"
        );
        assert!(!q.contains(end, &Lord_Howe));
    }

    #[test]
    fn open_time_skipped_by_spring_forward_moves_to_the_next_day() {
        // Found by the plan property test: quiet 02:20-02:00 leaves only
        // 02:00-02:20 open, which New York skips on 2091-03-11.
        let q: QuietHours = "02:20-02:00".parse().unwrap();
        let at = Utc.with_ymd_and_hms(2091, 3, 11, 7, 0, 0).unwrap();
        assert!(q.contains(at, &New_York));
        let end = q.end_after(at, &New_York);
        assert!(!q.contains(end, &New_York));
        assert_eq!(
            end.with_timezone(&New_York)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            "2091-03-12 02:00"
        );
    }

    #[test]
    fn serde_as_a_string() {
        let q = QuietHours::default();
        assert_eq!(serde_json::to_string(&q).unwrap(), "\"22:00-07:00\"");
        assert_eq!(
            serde_json::from_str::<QuietHours>("\"22:00-07:00\"").unwrap(),
            q
        );
        assert!(serde_json::from_str::<QuietHours>("\"7am-9pm\"").is_err());
    }
}
