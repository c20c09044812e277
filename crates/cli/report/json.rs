//! The JSON: the same entries as the CSV, and the summaries the page
//! shows, for other programs.

use std::fmt::Display;

use chrono::{DateTime, TimeZone, Utc};
use schemars::JsonSchema;
use serde::Serialize;
use therapy_timer::{Entry, PainTrend, Phase};

use super::csv::{minutes, off_by, outcome, time};
use super::summary::{self, change, confirmed, days, ended, totals, verdict, Tone, PAIN_WINDOW};
use super::Numbered;

/// The format of this JSON, for programs that read it.
/// 2: `days` are course days (24 hours from the injury, as `status`
/// counts them), not calendar days; sessions say `ended`, `confirmed`,
/// `pain_before`, `pain_after`.
pub const REPORT_FORMAT: u32 = 2;

/// `report --json`: every course asked for, with its entries and the
/// summaries the page shows. Its JSON Schema is `docs/schema/report.json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Report {
    /// [`REPORT_FORMAT`].
    format: u32,
    /// When the report was made (RFC 3339, UTC).
    generated_at: String,
    /// The courses, oldest first.
    courses: Vec<CourseReport>,
}

/// One course of the report.
#[derive(Debug, Serialize, JsonSchema)]
struct CourseReport {
    /// Its number in the log (1 is the first course).
    course: usize,
    injured_at: String,
    /// Whether the injury time was given (else the course began at its
    /// first session).
    injury_known: bool,
    heat_from: String,
    review_at: String,
    ends_at: String,
    /// When the person ended it, if they did.
    ended_at: Option<String>,
    /// Whether it is over at `generated_at`.
    over: bool,
    protocol: ProtocolReport,
    trend: Option<TrendReport>,
    verdict: Verdict,
    totals: TotalsReport,
    pain_change: PainChange,
    days: Vec<DayReport>,
    entries: Vec<EntryReport>,
}

/// A dose, in whole minutes.
#[derive(Debug, Serialize, JsonSchema)]
struct DoseReport {
    on_minutes: u64,
    rest_minutes: u64,
    every_minutes: u64,
}

/// The protocol the course ran on.
#[derive(Debug, Serialize, JsonSchema)]
struct ProtocolReport {
    ice: DoseReport,
    heat: DoseReport,
    acute_window_hours: u64,
    review_after_hours: u64,
    course_days: u64,
}

/// The pain trend of the course's scores.
#[derive(Debug, Serialize, JsonSchema)]
struct TrendReport {
    first: u8,
    first_at: String,
    latest: u8,
    latest_at: String,
    highest: u8,
    count: u32,
    /// `latest - first`.
    change: i8,
    no_better: bool,
    severe: bool,
}

/// The headline a clinician reads first.
#[derive(Debug, Serialize, JsonSchema)]
struct Verdict {
    see_clinician: bool,
    text: String,
}

/// Counts over the course.
#[derive(Debug, Serialize, JsonSchema)]
struct TotalsReport {
    ice: u32,
    heat: u32,
    cut_short: u32,
    forced: u32,
    logged: u32,
    over_limit: u32,
    unconfirmed: u32,
    prompts_answered: u32,
    prompts_skipped: u32,
    prompts_missed: u32,
    pain_scores: usize,
}

/// The mean change of pain after a session, by phase (an estimate: the
/// scores nearest each session within `window_minutes`).
#[derive(Debug, Serialize, JsonSchema)]
struct PainChange {
    estimate: bool,
    window_minutes: i64,
    ice: Option<ChangeReport>,
    heat: Option<ChangeReport>,
}

/// A mean change and how many sessions it is over.
#[derive(Debug, Serialize, JsonSchema)]
struct ChangeReport {
    mean: f64,
    sessions: u32,
}

/// One course day (24 hours from the injury).
#[derive(Debug, Serialize, JsonSchema)]
struct DayReport {
    /// The local date the day starts on.
    date: String,
    starts_at: String,
    day: i64,
    ice: u32,
    heat: u32,
    cut_short: u32,
    forced: u32,
    unconfirmed: u32,
    high_pain_minutes: i64,
    prompts_answered: u32,
    prompts_missed: u32,
    pain: Vec<u8>,
}

/// One entry of the log.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum EntryReport {
    /// A session.
    Session {
        id: u32,
        phase: String,
        start: String,
        end: String,
        minutes: f64,
        outcome: &'static str,
        forced: bool,
        off_by: Option<&'static str>,
        off_at: Option<String>,
        logged: bool,
        over_limit: bool,
        ended: &'static str,
        confirmed: bool,
        pain_before: Option<u8>,
        pain_after: Option<u8>,
        /// The last skin check after it, before the next session.
        skin: Option<&'static str>,
    },
    /// A pain score.
    Pain {
        id: u32,
        at: String,
        score: u8,
        note: Option<String>,
        /// The session it was given for, if any, and whether `before` or
        /// `after` it.
        session: Option<u32>,
        when: Option<&'static str>,
    },
    /// A skin check.
    Skin {
        id: u32,
        at: String,
        skin: &'static str,
        note: Option<String>,
    },
    /// An entry of a kind this version does not report in detail.
    Other { id: u32, at: String },
}

/// The whole report.
pub fn value<Tz>(courses: &[Numbered<'_>], now: DateTime<Utc>, tz: &Tz) -> Report
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let courses = courses
        .iter()
        .map(|(n, c)| {
            let p = c.protocol();
            let dose = |phase: Phase| DoseReport {
                on_minutes: p.dose(phase).on.as_secs() / 60,
                rest_minutes: p.dose(phase).rest.as_secs() / 60,
                every_minutes: p.every(phase).as_secs() / 60,
            };
            let t = totals(c, now);
            let around = summary::around(c);
            let skin = summary::skin_after(c);
            let index: std::collections::HashMap<u32, usize> = c
                .sessions()
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id, i))
                .collect();
            let v = verdict(c, tz);
            let entries = c
                .entries()
                .map(|e| match e {
                    Entry::Session(s) => EntryReport::Session {
                        id: s.id,
                        phase: s.phase.to_string(),
                        start: time(s.start),
                        end: time(s.end),
                        minutes: minutes(s).parse::<f64>().unwrap_or_default(),
                        outcome: outcome(s.outcome),
                        forced: s.forced,
                        off_by: s.off.map(|o| off_by(o.by)),
                        off_at: s.off.map(|o| time(o.at)),
                        logged: s.is_logged(),
                        over_limit: s.over_limit(),
                        ended: ended(s, now).name(),
                        confirmed: confirmed(s),
                        pain_before: index.get(&s.id).and_then(|i| around[*i].before),
                        pain_after: index.get(&s.id).and_then(|i| around[*i].after),
                        skin: index.get(&s.id).and_then(|i| skin[*i]).map(|k| k.as_str()),
                    },
                    Entry::Pain(p) => EntryReport::Pain {
                        id: p.id,
                        at: time(p.at),
                        score: p.score,
                        note: p.note.as_deref().map(super::note_text),
                        session: p.relation.map(|r| r.session),
                        when: p.relation.map(|r| match r.when {
                            therapy_timer::PainWhen::Before => "before",
                            _ => "after",
                        }),
                    },
                    Entry::Skin(k) => EntryReport::Skin {
                        id: k.id,
                        at: time(k.at),
                        skin: k.skin.as_str(),
                        note: k.note.as_deref().map(super::note_text),
                    },
                    other => EntryReport::Other {
                        id: other.id(),
                        at: time(other.at()),
                    },
                })
                .collect();
            let days = days(c, now)
                .into_iter()
                .map(|d| DayReport {
                    date: d.start.with_timezone(tz).date_naive().to_string(),
                    starts_at: time(d.start),
                    day: d.number,
                    ice: d.ice,
                    heat: d.heat,
                    cut_short: d.cut_short,
                    forced: d.forced,
                    unconfirmed: d.unconfirmed,
                    high_pain_minutes: d.high_pain.num_minutes(),
                    prompts_answered: d.answered,
                    prompts_missed: d.missed,
                    pain: d.pain,
                })
                .collect();
            let change_of = |phase| {
                change(c, phase).map(|x| ChangeReport {
                    mean: x.mean,
                    sessions: x.sessions,
                })
            };
            CourseReport {
                course: *n,
                injured_at: time(c.injured_at()),
                injury_known: c.injury_known(),
                heat_from: time(c.heat_from()),
                review_at: time(c.review_at()),
                ends_at: time(c.ends_at()),
                ended_at: c.ended_at().map(time),
                over: c.is_over(now),
                protocol: ProtocolReport {
                    ice: dose(Phase::Ice),
                    heat: dose(Phase::Heat),
                    acute_window_hours: p.acute_window().as_secs() / 3600,
                    review_after_hours: p.review_after().as_secs() / 3600,
                    course_days: p.course_length().as_secs() / 86_400,
                },
                trend: PainTrend::of(c.pain_scores()).map(trend),
                verdict: Verdict {
                    see_clinician: v.tone == Tone::SeeClinician,
                    text: if v.detail.is_empty() {
                        v.headline
                    } else {
                        format!("{} {}", v.headline, v.detail)
                    },
                },
                totals: TotalsReport {
                    ice: t.ice,
                    heat: t.heat,
                    cut_short: t.cut_short,
                    forced: t.forced,
                    logged: t.logged,
                    over_limit: t.over_limit,
                    unconfirmed: t.unconfirmed,
                    prompts_answered: t.answered,
                    prompts_skipped: t.skipped,
                    prompts_missed: t.missed,
                    pain_scores: c.pain_scores().len(),
                },
                pain_change: PainChange {
                    estimate: true,
                    window_minutes: PAIN_WINDOW.num_minutes(),
                    ice: change_of(Phase::Ice),
                    heat: change_of(Phase::Heat),
                },
                days,
                entries,
            }
        })
        .collect();
    Report {
        format: REPORT_FORMAT,
        generated_at: time(now),
        courses,
    }
}

fn trend(t: PainTrend) -> TrendReport {
    TrendReport {
        first: t.first,
        first_at: time(t.first_at),
        latest: t.latest,
        latest_at: time(t.latest_at),
        highest: t.highest,
        count: t.count,
        change: t.change(),
        no_better: t.is_no_better(),
        severe: t.is_severe(),
    }
}
