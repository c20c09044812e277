//! What the page, the chart and the JSON say about a course: its days, the
//! pain trend in words, the times on the local clock.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use therapy_timer::{Answer, Course, OffBy, Outcome, PainTrend, Phase, Session};

/// One day of a course, counted as [`course_day`] counts it: day 1 is the
/// first 24 hours from the injury.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// Day 1 starts at the injury.
    pub number: i64,
    /// When it starts.
    pub start: DateTime<Utc>,
    pub ice: u32,
    pub heat: u32,
    pub cut_short: u32,
    pub forced: u32,
    /// Sessions whose stop nobody confirmed ([`Ended::Unconfirmed`]).
    pub unconfirmed: u32,
    /// Prompts started, skipped or snoozed.
    pub answered: u32,
    pub missed: u32,
    /// The scores given that day, in time order.
    pub pain: Vec<u8>,
    /// The estimated time in high pain ([`high_pain_by_day`]).
    pub high_pain: TimeDelta,
}

impl Day {
    fn new(course: &Course, number: i64) -> Day {
        Day {
            number,
            start: course.injured_at() + TimeDelta::hours(24 * (number - 1)),
            ice: 0,
            heat: 0,
            cut_short: 0,
            forced: 0,
            unconfirmed: 0,
            answered: 0,
            missed: 0,
            pain: Vec::new(),
            high_pain: TimeDelta::zero(),
        }
    }
}

/// The course's days: every day from the injury to the end (or to `now`,
/// while it runs), and any later day with an entry.
pub fn days(course: &Course, now: DateTime<Utc>) -> Vec<Day> {
    let last = course_day(course, course.ends_at().min(now).max(course.injured_at()))
        .min(course_days(course))
        .max(1);
    let mut days: BTreeMap<i64, Day> = (1..=last).map(|n| (n, Day::new(course, n))).collect();
    let day = |days: &mut BTreeMap<i64, Day>, t| {
        let n = course_day(course, t).max(1);
        days.entry(n).or_insert_with(|| Day::new(course, n));
        n
    };
    for s in course.sessions() {
        let n = day(&mut days, s.start);
        if let Some(d) = days.get_mut(&n) {
            match s.phase {
                Phase::Ice => d.ice += 1,
                Phase::Heat => d.heat += 1,
            }
            d.cut_short += u32::from(s.outcome == Outcome::CutShort);
            d.forced += u32::from(s.forced);
            d.unconfirmed += u32::from(ended(s, now) == Ended::Unconfirmed);
        }
    }
    for p in course.prompts() {
        let n = day(&mut days, p.due);
        if let Some(d) = days.get_mut(&n) {
            if p.is_answered() {
                d.answered += 1;
            } else if p.answer == Answer::Missed {
                d.missed += 1;
            }
        }
    }
    for p in course.pain_scores() {
        let n = day(&mut days, p.at);
        if let Some(d) = days.get_mut(&n) {
            d.pain.push(p.score);
        }
    }
    for (i, t) in high_pain_by_day(course, now).into_iter().enumerate() {
        let n = i64::try_from(i).unwrap_or(0) + 1;
        if let Some(d) = days.get_mut(&n) {
            d.high_pain = t;
        }
    }
    days.into_values().collect()
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
    // A trend is read over a day at least: two scores five hours apart
    // say how the afternoon went, not whether the course helps.
    let span = trend.latest_at - trend.first_at;
    let over = elapsed(trend.first_at, trend.latest_at);
    if trend.count >= 2 && span < TimeDelta::days(1) {
        let moved = match trend.change() {
            c if c < 0 => format!("fell from {} to {}", trend.first, trend.latest),
            0 => format!("stayed at {}", trend.first),
            _ => format!("rose from {} to {}", trend.first, trend.latest),
        };
        return Verdict {
            tone: if trend.is_severe() {
                Tone::SeeClinician
            } else {
                Tone::Plain
            },
            headline: if trend.is_severe() {
                format!("Severe pain ({}/10): see a clinician.", trend.latest)
            } else {
                "Scores over less than a day: no trend yet.".to_owned()
            },
            detail: format!("Pain {moved} of 10 in {over}. {facts}"),
        };
    }
    if trend.is_no_better() {
        let headline = if trend.change() > 0 {
            format!(
                "Worse after {over} ({} to {} of 10): see a clinician.",
                trend.first, trend.latest
            )
        } else {
            format!("No better after {over}: see a clinician.")
        };
        Verdict {
            tone: Tone::SeeClinician,
            headline,
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
                "Pain fell from {} to {} of 10 ({change} point{}) in {over}.",
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

/// The time from `from` to `to`, as the articles count it: hours up to
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
    /// Sessions whose stop nobody confirmed ([`Ended::Unconfirmed`]).
    pub unconfirmed: u32,
    pub answered: u32,
    pub skipped: u32,
    pub missed: u32,
}

/// The course's totals at `now`.
pub fn totals(course: &Course, now: DateTime<Utc>) -> Totals {
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
        t.unconfirmed += u32::from(ended(s, now) == Ended::Unconfirmed);
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

/// The course day of `t` as the library counts it ([`Course::day`]: day
/// 1 is the first 24 hours from the injury); 0 before the injury.
pub fn course_day(course: &Course, t: DateTime<Utc>) -> i64 {
    course.day(t).map_or(0, i64::from)
}

/// How many days the course has, as the library counts them
/// ([`Course::days`]), at least 1.
pub fn course_days(course: &Course) -> i64 {
    i64::from(course.days()).max(1)
}

/// High pain, for the time-in-high-pain card: 7 to 10 on the 0-10 scale,
/// the band clinicians and patients ask about (PMC7956922, cited in issue
/// 20). A report figure, not a protocol rule: the library's
/// [`SEVERE_PAIN`](therapy_timer::limits::SEVERE_PAIN) (8) is what says
/// "see a clinician".
pub const HIGH_PAIN: u8 = 7;

/// How long one score stands for, at most, when the time in high pain is
/// estimated: until the next score, the end of the course or now, and
/// never more than this (a score in the evening says little about the
/// next afternoon).
pub const SCORE_HOLDS: TimeDelta = TimeDelta::hours(12);

/// How far from a session a score may be and still count as the pain
/// before (before its start) or after it (after its end). An estimate
/// until the library relates scores to sessions: 30 minutes is half the
/// shortest gap between two ice sessions (60 minutes' rest), so with ice
/// no score is both the "after" of one session and the "before" of the
/// next; with heat (15 minutes' rest by default) a score can be, and is
/// then used as the "after" only.
pub const PAIN_WINDOW: TimeDelta = TimeDelta::minutes(30);

/// How a session ended, as the per-session table says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Still on, not yet due off.
    Running,
    /// Ran its length, and someone said the pack was off.
    Completed,
    /// Stopped before its end.
    CutShort,
    /// Logged after the fact.
    Logged,
    /// The stop and its repeats went unanswered, or the notice was only
    /// dismissed, or it is past its end with no answer yet: nobody said
    /// the pack came off.
    Unconfirmed,
}

impl Ended {
    /// The words in the table (the table's caption says what the last
    /// means: the pack may have stayed on, [`UNCONFIRMED_MEANS`]).
    pub fn words(self) -> &'static str {
        match self {
            Ended::Running => "running",
            Ended::Completed => "completed",
            Ended::CutShort => "cut short",
            Ended::Logged => "logged after",
            Ended::Unconfirmed => "stop never confirmed",
        }
    }

    /// The name in the CSV and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Ended::Running => "running",
            Ended::Completed => "completed",
            Ended::CutShort => "cut_short",
            Ended::Logged => "logged",
            Ended::Unconfirmed => "unconfirmed",
        }
    }
}

/// What "stop never confirmed" means, for the page.
pub const UNCONFIRMED_MEANS: &str =
    "Stop never confirmed: nobody said the pack was off (the stop and its repeats unanswered \
     or dismissed): the pack may have stayed on.";

/// How `s` ended, at `now`.
pub fn ended(s: &Session, now: DateTime<Utc>) -> Ended {
    match s.off.map(|o| o.by) {
        Some(OffBy::NoAnswer | OffBy::Dismissed) => Ended::Unconfirmed,
        Some(OffBy::Logged) => Ended::Logged,
        _ if s.is_logged() => Ended::Logged,
        None if s.end <= now => Ended::Unconfirmed,
        None => Ended::Running,
        _ if s.outcome == Outcome::CutShort => Ended::CutShort,
        _ => Ended::Completed,
    }
}

/// Whether someone said the pack came off (stopped, confirmed, or logged).
pub fn confirmed(s: &Session) -> bool {
    matches!(
        s.off.map(|o| o.by),
        Some(OffBy::Stopped | OffBy::Confirmed | OffBy::Logged)
    )
}

/// The pain before and after one session: the scores given for it
/// (`start --pain N`, the stop's answer: [`Course::pain_around`]); where
/// none was given, an estimate: the score nearest before its start and the
/// one nearest after its end, each within [`PAIN_WINDOW`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Around {
    pub before: Option<u8>,
    pub after: Option<u8>,
}

/// The skin after each of the course's sessions, in their order: the last
/// skin check from its start until the next session's start.
pub fn skin_after(course: &Course) -> Vec<Option<therapy_timer::Skin>> {
    let sessions = course.sessions();
    let checks = course.skin_checks();
    sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let next = sessions.get(i + 1).map(|n| n.start);
            checks
                .iter()
                .rev()
                .find(|k| k.at >= s.start && next.is_none_or(|n| k.at < n))
                .map(|k| k.skin)
        })
        .collect()
}

/// Whether score `p` may be estimated to be session `id`'s: it was given
/// for no session, or for this one.
fn of_this_or_none(p: &therapy_timer::PainScore, id: u32) -> bool {
    p.relation.is_none_or(|r| r.session == id)
}

/// [`Around`] for each of the course's sessions, in their order.
pub fn around(course: &Course) -> Vec<Around> {
    let scores = course.pain_scores();
    let sessions = course.sessions();
    // A score used as the "after" of one session is not the "before" of
    // the next.
    let afters: Vec<Option<usize>> = sessions
        .iter()
        .map(|s| {
            scores.iter().position(|p| {
                p.at >= s.end && p.at - s.end <= PAIN_WINDOW && of_this_or_none(p, s.id)
            })
        })
        .collect();
    sessions
        .iter()
        .zip(&afters)
        .map(|(s, after)| {
            let before = scores
                .iter()
                .enumerate()
                .rev()
                .find(|(_, p)| {
                    p.at <= s.start && s.start - p.at <= PAIN_WINDOW && of_this_or_none(p, s.id)
                })
                .filter(|(i, _)| !afters.contains(&Some(*i)))
                .map(|(_, p)| p.score);
            // What the library relates to the session wins over the
            // estimate.
            let (given_before, given_after) = course.pain_around(s.id);
            Around {
                before: given_before.map(|p| p.score).or(before),
                after: given_after
                    .map(|p| p.score)
                    .or(after.map(|i| scores[i].score)),
            }
        })
        .collect()
}

/// The mean change in pain (after minus before) over the sessions of one
/// phase that have both, and how many had both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub mean: f64,
    pub sessions: u32,
}

/// [`Change`] for `phase`, `None` when no session of it has both scores.
pub fn change(course: &Course, phase: Phase) -> Option<Change> {
    let pairs: Vec<i32> = course
        .sessions()
        .iter()
        .zip(around(course))
        .filter(|(s, _)| s.phase == phase)
        .filter_map(|(_, a)| Some(i32::from(a.after?) - i32::from(a.before?)))
        .collect();
    let n = u32::try_from(pairs.len()).ok().filter(|n| *n > 0)?;
    Some(Change {
        mean: f64::from(pairs.iter().sum::<i32>()) / f64::from(n),
        sessions: n,
    })
}

/// The estimated time in high pain (7-10) on each course day (index 0 is
/// day 1): each score stands until the next, the course's end or `now`,
/// at most [`SCORE_HOLDS`].
pub fn high_pain_by_day(course: &Course, now: DateTime<Utc>) -> Vec<TimeDelta> {
    let mut days = vec![TimeDelta::zero(); usize::try_from(course_days(course)).unwrap_or(1)];
    let scores = course.pain_scores();
    let stop = course.ends_at().min(now);
    for (i, p) in scores.iter().enumerate() {
        if p.score < HIGH_PAIN {
            continue;
        }
        let next = scores.get(i + 1).map_or(stop, |n| n.at.min(stop).max(p.at));
        let mut from = p.at;
        let to = next.min(p.at + SCORE_HOLDS).max(p.at);
        while from < to {
            let day = course_day(course, from);
            let day_end = course.injured_at() + TimeDelta::hours(24 * day);
            let until = to.min(day_end);
            let index = usize::try_from(day - 1).unwrap_or(0);
            if index >= days.len() {
                days.resize(index + 1, TimeDelta::zero());
            }
            days[index] += until - from;
            from = until;
        }
    }
    days
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
