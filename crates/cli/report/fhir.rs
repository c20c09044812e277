//! FHIR R4 (4.0.1): one `Bundle` of type `collection` that a clinic's
//! system can read: an `Observation` per pain score and a `Procedure` per
//! session.
//!
//! No identity is invented. R4 makes `Procedure.subject` required (1..1),
//! so the bundle has one `Patient` for the resources to point at, and it
//! holds nothing but what the person passed (`--patient-name`): with no
//! name it is an empty `Patient`, which R4 allows.
//!
//! Codes:
//! - Pain: LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating
//!   [Score] - Reported" (issue 20).
//! - Ice: SNOMED CT 26782000 "Cryotherapy" (issue 20; the same code and
//!   display are in the HL7 Australia Procedure example, `au-procedure`).
//! - Heat: no SNOMED CT code. A search of public FHIR value sets and
//!   implementation guides for a heat-therapy procedure concept found none
//!   that could be confirmed (candidates seen were mislabelled or
//!   unsourced), so the heat `Procedure` carries the words only
//!   (`code.text`), which R4 allows; a clinic's system can map them.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use therapy_timer::{Outcome, Phase, Session};

use super::csv::time;
use super::summary::{ended, Ended, UNCONFIRMED_MEANS};
use super::Numbered;

/// LOINC's system and the pain score's code and display.
const LOINC: &str = "http://loinc.org";
const PAIN_CODE: &str = "72514-3";
const PAIN_DISPLAY: &str = "Pain severity - 0-10 verbal numeric rating [Score] - Reported";
const SNOMED: &str = "http://snomed.info/sct";
const CRYOTHERAPY: &str = "26782000";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

/// The bundle for `courses`, made at `now`; `patient_name` is the only
/// thing the `Patient` says, when given.
pub fn bundle(courses: &[Numbered<'_>], now: DateTime<Utc>, patient_name: Option<&str>) -> Value {
    let patient_url = format!("urn:uuid:{}", uuid(courses, patient_name));
    let mut patient = json!({ "resourceType": "Patient" });
    if let Some(name) = patient_name.map(str::trim).filter(|n| !n.is_empty()) {
        patient["name"] = json!([{ "text": name }]);
    }
    let subject = json!({ "reference": patient_url });
    let mut entries = vec![json!({ "fullUrl": patient_url, "resource": patient })];
    for (n, course) in courses {
        for p in course.pain_scores() {
            let mut o = json!({
                "resourceType": "Observation",
                "id": format!("pain-{n}-{}", p.id),
                "status": "final",
                "category": [{ "coding": [{
                    "system": CATEGORY, "code": "survey", "display": "Survey"
                }] }],
                "code": {
                    "coding": [{ "system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY }],
                    "text": "Pain 0-10",
                },
                "subject": subject,
                "effectiveDateTime": time(p.at),
                "valueInteger": p.score,
            });
            if let Some(note) = p.note.as_deref().filter(|n| !n.trim().is_empty()) {
                o["note"] = json!([{ "text": note }]);
            }
            entries.push(json!({ "resource": o }));
        }
        for s in course.sessions() {
            entries.push(json!({ "resource": procedure(*n, s, now, &subject) }));
        }
        // A skin check: `code.text` only. No LOINC or SNOMED CT code for
        // "skin check after cold or heat" could be confirmed from a
        // source, so none is claimed; the finding is words too.
        for k in course.skin_checks() {
            let mut o = json!({
                "resourceType": "Observation",
                "id": format!("skin-{n}-{}", k.id),
                "status": "final",
                "category": [{ "coding": [{
                    "system": CATEGORY, "code": "exam", "display": "Exam"
                }] }],
                "code": { "text": "Skin check after cold or heat therapy" },
                "subject": subject,
                "effectiveDateTime": time(k.at),
                "valueCodeableConcept": { "text": k.skin.as_str() },
            });
            if let Some(note) = k.note.as_deref().filter(|n| !n.trim().is_empty()) {
                o["note"] = json!([{ "text": note }]);
            }
            entries.push(json!({ "resource": o }));
        }
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": time(now),
        "entry": entries,
    })
}

fn procedure(n: usize, s: &Session, now: DateTime<Utc>, subject: &Value) -> Value {
    let how = ended(s, now);
    let status = match how {
        Ended::Running => "in-progress",
        Ended::CutShort => "stopped",
        _ if s.outcome == Outcome::CutShort => "stopped",
        _ => "completed",
    };
    let code = match s.phase {
        Phase::Ice => json!({
            "coding": [{ "system": SNOMED, "code": CRYOTHERAPY, "display": "Cryotherapy" }],
            "text": "Ice (cold pack)",
        }),
        Phase::Heat => json!({ "text": "Heat therapy (heating pad)" }),
    };
    let period = if how == Ended::Running {
        json!({ "start": time(s.start) })
    } else {
        json!({ "start": time(s.start), "end": time(s.end) })
    };
    let mut p = json!({
        "resourceType": "Procedure",
        "id": format!("session-{n}-{}", s.id),
        "status": status,
        "code": code,
        "subject": subject,
        "performedPeriod": period,
    });
    let mut notes = Vec::new();
    if how == Ended::Unconfirmed {
        notes.push(json!({ "text": UNCONFIRMED_MEANS }));
    }
    if s.forced {
        notes.push(json!({ "text": "Started before the rest after the last session was over, on purpose." }));
    }
    if s.is_logged() {
        notes.push(json!({ "text": "Logged after the fact, not timed." }));
    }
    if !notes.is_empty() {
        p["note"] = Value::Array(notes);
    }
    p
}

/// A UUID for the bundle's `Patient`, the same for the same courses and
/// name (so two exports of one course agree), version 8 (custom) of RFC
/// 9562: FNV-1a over the injury times and the name, twice with different
/// seeds for 128 bits. It identifies the entry in this bundle, not a
/// person.
fn uuid(courses: &[Numbered<'_>], name: Option<&str>) -> String {
    let mut key = String::new();
    for (n, c) in courses {
        let _ = write!(key, "{n}:{};", c.injured_at().timestamp());
    }
    key.push_str(name.unwrap_or(""));
    let fnv = |seed: u64| {
        key.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4));
    let a = (a & !0xf000) | 0x8000; // version 8
    let b = (b & !(0xc << 60)) | (0x8 << 60); // variant 10
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}
