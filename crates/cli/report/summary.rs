//! What the page, the chart and the JSON say about a course: its days, the
//! pain trend in words, the times on the local clock.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use therapy_timer::{Answer, Course, Outcome, PainTrend, Phase};

/// One local calendar day of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// Day 1 is the day of the injury.
    pub number: i64,
    pub ice: u32,
    pub heat: u32,
    pub cut_short: u32,
    pub forced: u32,
    /// Prompts started, skipped or snoozed.
    pub answered: u32,
    pub missed: u32,
    /// The scores given that day, in time order.
    pub pain: Vec<u8>,
}

impl Day {
    fn new(date: NaiveDate, first: NaiveDate) -> Day {
        Day {
            date,
            number: (date - first).num_days() + 1,
            ice: 0,
            heat: 0,
            cut_short: 0,
            forced: 0,
            answered: 0,
            missed: 0,
            pain: Vec::new(),
        }
    }
}

/// The course's days on the clock of `tz`: every day from the injury to
/// the end (or to `now`, while it runs), and any later day with an entry.
pub fn days<Tz: TimeZone>(course: &Course, now: DateTime<Utc>, tz: &Tz) -> Vec<Day> {
    let date = |t: DateTime<Utc>| t.with_timezone(tz).date_naive();
    let first = date(course.injured_at());
    let last = date(course.ends_at().min(now).max(course.injured_at()));
    let mut days: BTreeMap<NaiveDate, Day> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| (d, Day::new(d, first)))
        .collect();
    for s in course.sessions() {
        let d = on(&mut days, date(s.start), first);
        match s.phase {
            Phase::Ice => d.ice += 1,
            Phase::Heat => d.heat += 1,
        }
        d.cut_short += u32::from(s.outcome == Outcome::CutShort);
        d.forced += u32::from(s.forced);
    }
    for p in course.prompts() {
        let d = on(&mut days, date(p.due), first);
        if p.is_answered() {
            d.answered += 1;
        } else if p.answer == Answer::Missed {
            d.missed += 1;
        }
    }
    for p in course.pain_scores() {
        on(&mut days, date(p.at), first).pain.push(p.score);
    }
    days.into_values().collect()
}

/// The day `date`, added if it is not there yet.
fn on(days: &mut BTreeMap<NaiveDate, Day>, date: NaiveDate, first: NaiveDate) -> &mut Day {
    days.entry(date).or_insert_with(|| Day::new(date, first))
}

/// How the trend reads: good news, plain facts, or see a clinician.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Better,
    Plain,
    SeeClinician,
}

/// The pain trend in words: a headline and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub tone: Tone,
    pub headline: String,
    pub detail: String,
}

/// The trend of all the course's scores, as the library judges it
/// ([`PainTrend`]), worded for a person reading the page.
pub fn verdict<Tz>(course: &Course, tz: &Tz) -> Verdict
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let Some(trend) = PainTrend::of(course.pain_scores()) else {
        return Verdict {
            tone: Tone::Plain,
            headline: "No pain scores were recorded.".into(),
            detail: String::new(),
        };
    };
    let when = |t: DateTime<Utc>| day_time(t, tz);
    let after = elapsed(course.injured_at(), trend.latest_at);
    let facts = if trend.count == 1 {
        format!(
            "One score: {}/10 on {}.",
            trend.latest,
            when(trend.latest_at)
        )
    } else {
        format!(
            "Pain {}/10 on {}, {}/10 on {} ({} scores, highest {}/10).",
            trend.first,
            when(trend.first_at),
            trend.latest,
            when(trend.latest_at),
            trend.count,
            trend.highest
        )
    };
    let severe = if trend.is_severe() {
        format!(" The latest score, {}/10, is severe.", trend.latest)
    } else {
        String::new()
    };
    if trend.is_no_better() {
        Verdict {
            tone: Tone::SeeClinician,
            headline: format!("No better after {after}: see a clinician."),
            detail: format!("{facts}{severe}"),
        }
    } else if trend.is_severe() {
        Verdict {
            tone: Tone::SeeClinician,
            headline: format!("Severe pain ({}/10): see a clinician.", trend.latest),
            detail: facts,
        }
    } else if trend.count >= 2 {
        let change = -i32::from(trend.change());
        Verdict {
            tone: Tone::Better,
            headline: format!(
                "Pain fell from {} to {} of 10 ({change} point{}) in {after}.",
                trend.first,
                trend.latest,
                if change == 1 { "" } else { "s" }
            ),
            detail: facts,
        }
    } else {
        Verdict {
            tone: Tone::Plain,
            headline: "One pain score: no trend yet.".into(),
            detail: facts,
        }
    }
}

/// The time from the injury to `t`, as the articles count it: hours up to
/// two days, then days ("3 days").
pub fn elapsed(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let hours = (to - from).num_hours().max(0);
    if hours < 48 {
        format!("{hours} hour{}", if hours == 1 { "" } else { "s" })
    } else {
        format!("{} days", hours / 24)
    }
}

/// A length as people write it: "10 min", "1 h 10 min", "48 h", "7 days".
pub fn length(d: Duration) -> String {
    let minutes = d.as_secs() / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) if h >= 96 && h % 24 == 0 => format!("{} days", h / 24),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A local time with its day: "Mon 2 Mar 09:00".
pub fn day_time<Tz>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    t.with_timezone(tz).format("%a %-d %b %H:%M").to_string()
}

/// A local time with its day and year: "Mon 2 Mar 2026 07:30".
pub fn full_time<Tz>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    t.with_timezone(tz).format("%a %-d %b %Y %H:%M").to_string()
}

/// A local date: "Mon 2 Mar".
pub fn day(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// The start of a local day as an instant; a day whose midnight a clock
/// change skips starts at its first hour that exists.
pub fn local_midnight<Tz: TimeZone>(date: NaiveDate, tz: &Tz) -> DateTime<Utc> {
    (0..24)
        .filter_map(|h| NaiveTime::from_hms_opt(h, 0, 0))
        .find_map(|t| tz.from_local_datetime(&date.and_time(t)).earliest())
        .map_or_else(
            || date.and_time(NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// Counts over a whole course, for the page's key facts and the JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub ice: u32,
    pub heat: u32,
    pub cut_short: u32,
    pub forced: u32,
    pub logged: u32,
    pub over_limit: u32,
    pub answered: u32,
    pub skipped: u32,
    pub missed: u32,
}

/// The course's totals.
pub fn totals(course: &Course) -> Totals {
    let mut t = Totals::default();
    for s in course.sessions() {
        match s.phase {
            Phase::Ice => t.ice += 1,
            Phase::Heat => t.heat += 1,
        }
        t.cut_short += u32::from(s.outcome == Outcome::CutShort);
        t.forced += u32::from(s.forced);
        t.logged += u32::from(s.is_logged());
        t.over_limit += u32::from(s.over_limit());
    }
    for p in course.prompts() {
        if p.is_answered() {
            t.answered += 1;
        } else if p.answer == Answer::Missed {
            t.missed += 1;
        }
        t.skipped += u32::from(matches!(p.answer, Answer::Skipped { .. }));
    }
    t
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{NaiveDate, TimeZone, Utc};
    use chrono_tz::America::Sao_Paulo;

    use super::{elapsed, length, local_midnight};

    #[test]
    fn lengths_and_elapsed_read_like_people_write() {
        let min = |m: u64| Duration::from_secs(m * 60);
        assert_eq!(length(min(10)), "10 min");
        assert_eq!(length(min(70)), "1 h 10 min");
        assert_eq!(length(min(48 * 60)), "48 h");
        assert_eq!(length(min(7 * 24 * 60)), "7 days");
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        assert_eq!(elapsed(t, t + chrono::TimeDelta::hours(1)), "1 hour");
        assert_eq!(elapsed(t, t + chrono::TimeDelta::hours(80)), "3 days");
    }

    #[test]
    fn a_midnight_skipped_by_a_clock_change_is_the_first_hour_that_exists() {
        // São Paulo moved its clocks at midnight (2018-11-04 00:00 -> 01:00).
        let d = NaiveDate::from_ymd_opt(2018, 11, 4).unwrap();
        let start = local_midnight(d, &Sao_Paulo);
        assert_eq!(
            start.with_timezone(&Sao_Paulo).format("%H:%M").to_string(),
            "01:00"
        );
    }
}
