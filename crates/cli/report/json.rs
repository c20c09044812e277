//! The JSON: the same entries as the CSV, and the summaries the page
//! shows, for other programs.

use std::fmt::Display;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use therapy_timer::{Entry, PainTrend, Phase};

use super::csv::{minutes, off_by, outcome, time};
use super::summary::{self, change, confirmed, days, ended, totals, verdict, Tone, PAIN_WINDOW};
use super::Numbered;

/// The format of this JSON, for programs that read it.
/// 2: `days` are course days (24 hours from the injury, as `status`
/// counts them), not calendar days; sessions say `ended`, `confirmed`,
/// `pain_before`, `pain_after`.
pub const REPORT_FORMAT: u32 = 2;

/// The whole report.
pub fn value<Tz>(courses: &[Numbered<'_>], now: DateTime<Utc>, tz: &Tz) -> Value
where
    Tz: TimeZone,
    Tz::Offset: Display,
{
    let courses: Vec<Value> = courses
        .iter()
        .map(|(n, c)| {
            let p = c.protocol();
            let dose = |phase: Phase| {
                json!({
                    "on_minutes": p.dose(phase).on.as_secs() / 60,
                    "rest_minutes": p.dose(phase).rest.as_secs() / 60,
                    "every_minutes": p.every(phase).as_secs() / 60,
                })
            };
            let t = totals(c, now);
            let around = summary::around(c);
            let skin = summary::skin_after(c);
            let index: std::collections::HashMap<u32, usize> = c.sessions().iter().enumerate().map(|(i, s)| (s.id, i)).collect();
            let v = verdict(c, tz);
            let entries: Vec<Value> = c
                .entries()
                .map(|e| match e {
                    Entry::Session(s) => json!({
                        "kind": "session",
                        "id": s.id,
                        "phase": s.phase.to_string(),
                        "start": time(s.start),
                        "end": time(s.end),
                        "minutes": minutes(s).parse::<f64>().unwrap_or_default(),
                        "outcome": outcome(s.outcome),
                        "forced": s.forced,
                        "off_by": s.off.map(|o| off_by(o.by)),
                        "off_at": s.off.map(|o| time(o.at)),
                        "logged": s.is_logged(),
                        "over_limit": s.over_limit(),
                        "ended": ended(s, now).name(),
                        "confirmed": confirmed(s),
                        "pain_before": index.get(&s.id).and_then(|i| around[*i].before),
                        "pain_after": index.get(&s.id).and_then(|i| around[*i].after),
                        "skin": index.get(&s.id).and_then(|i| skin[*i]).map(|k| k.as_str()),
                    }),
                    Entry::Pain(p) => json!({
                        "kind": "pain",
                        "id": p.id,
                        "at": time(p.at),
                        "score": p.score,
                        "note": p.note.as_deref().map(super::note_text),
                        "session": p.relation.map(|r| r.session),
                        "when": p.relation.map(|r| match r.when {
                            therapy_timer::PainWhen::Before => "before",
                            _ => "after",
                        }),
                    }),
                    Entry::Skin(k) => json!({
                        "kind": "skin",
                        "id": k.id,
                        "at": time(k.at),
                        "skin": k.skin.as_str(),
                        "note": k.note.as_deref().map(super::note_text),
                    }),
                    other => json!({ "kind": "other", "id": other.id(), "at": time(other.at()) }),
                })
                .collect();
            let days: Vec<Value> = days(c, now)
                .into_iter()
                .map(|d| {
                    json!({
                        "date": d.start.with_timezone(tz).date_naive().to_string(),
                        "starts_at": time(d.start),
                        "day": d.number,
                        "ice": d.ice,
                        "heat": d.heat,
                        "cut_short": d.cut_short,
                        "forced": d.forced,
                        "unconfirmed": d.unconfirmed,
                        "high_pain_minutes": d.high_pain.num_minutes(),
                        "prompts_answered": d.answered,
                        "prompts_missed": d.missed,
                        "pain": d.pain,
                    })
                })
                .collect();
            json!({
                "course": n,
                "injured_at": time(c.injured_at()),
                "injury_known": c.injury_known(),
                "heat_from": time(c.heat_from()),
                "review_at": time(c.review_at()),
                "ends_at": time(c.ends_at()),
                "ended_at": c.ended_at().map(time),
                "over": c.is_over(now),
                "protocol": {
                    "ice": dose(Phase::Ice),
                    "heat": dose(Phase::Heat),
                    "acute_window_hours": p.acute_window().as_secs() / 3600,
                    "review_after_hours": p.review_after().as_secs() / 3600,
                    "course_days": p.course_length().as_secs() / 86_400,
                },
                "trend": PainTrend::of(c.pain_scores()).map(trend),
                "verdict": {
                    "see_clinician": v.tone == Tone::SeeClinician,
                    "text": if v.detail.is_empty() { v.headline } else { format!("{} {}", v.headline, v.detail) },
                },
                "totals": {
                    "ice": t.ice,
                    "heat": t.heat,
                    "cut_short": t.cut_short,
                    "forced": t.forced,
                    "logged": t.logged,
                    "over_limit": t.over_limit,
                    "unconfirmed": t.unconfirmed,
                    "prompts_answered": t.answered,
                    "prompts_skipped": t.skipped,
                    "prompts_missed": t.missed,
                    "pain_scores": c.pain_scores().len(),
                },
                "pain_change": {
                    "estimate": true,
                    "window_minutes": PAIN_WINDOW.num_minutes(),
                    "ice": change(c, Phase::Ice).map(|x| json!({"mean": x.mean, "sessions": x.sessions})),
                    "heat": change(c, Phase::Heat).map(|x| json!({"mean": x.mean, "sessions": x.sessions})),
                },
                "days": days,
                "entries": entries,
            })
        })
        .collect();
    json!({
        "format": REPORT_FORMAT,
        "generated_at": time(now),
        "courses": courses,
    })
}

fn trend(t: PainTrend) -> Value {
    json!({
        "first": t.first,
        "first_at": time(t.first_at),
        "latest": t.latest,
        "latest_at": time(t.latest_at),
        "highest": t.highest,
        "count": t.count,
        "change": t.change(),
        "no_better": t.is_no_better(),
        "severe": t.is_severe(),
    })
}
