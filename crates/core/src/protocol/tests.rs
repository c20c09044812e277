//! Unit tests of the protocol and its limits.

use std::time::Duration;

use super::{Dose, Protocol, MINUTE};
use crate::error::Error;
use crate::phase::Phase;

fn min(m: u64) -> Duration {
    Duration::from_secs(m * MINUTE)
}
fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 60 * MINUTE)
}

#[test]
fn default_is_the_articles_protocol() {
    let p = Protocol::default();
    assert_eq!(p.dose(Phase::Ice), Dose::new(min(10), min(60)));
    assert_eq!(p.dose(Phase::Heat), Dose::new(min(15), min(15)));
    assert_eq!(p.acute_window(), hours(48));
    assert_eq!(p.review_after(), hours(72));
    // The default must itself pass the checks.
    assert_eq!(
        Protocol::new(
            p.dose(Phase::Ice),
            p.dose(Phase::Heat),
            p.acute_window(),
            p.review_after()
        ),
        Ok(p)
    );
}

#[test]
fn limits_are_inclusive_and_shorter_is_allowed() {
    let p = Protocol::default();
    assert!(p.with_dose(Phase::Ice, Dose::new(min(10), min(60))).is_ok());
    assert!(p.with_dose(Phase::Ice, Dose::new(min(1), hours(3))).is_ok());
    assert!(p
        .with_dose(Phase::Heat, Dose::new(min(20), min(20)))
        .is_ok());
    assert!(p.with_acute_window(hours(24)).is_ok());
    assert!(p.with_review_after(hours(1)).is_ok());
}

#[test]
fn each_limit_has_its_own_message() {
    let p = Protocol::default();
    let cases: Vec<(Result<Protocol, Error>, &str)> = vec![
        (
            p.with_dose(Phase::Ice, Dose::new(min(30), min(60))),
            "an ice session of 30m is longer than the 10m safety limit; use at most 10m",
        ),
        (
            p.with_dose(Phase::Ice, Dose::new(min(10), Duration::from_secs(3599))),
            "a rest of 59m 59s after ice is shorter than the 1h safety minimum; rest at least 1h",
        ),
        (
            p.with_dose(Phase::Heat, Dose::new(min(21), min(30))),
            "a heat session of 21m is longer than the 20m safety limit; use at most 20m",
        ),
        (
            p.with_dose(Phase::Heat, Dose::new(min(20), min(15))),
            "a rest of 15m after heat is shorter than the 20m heat session; \
             rest at least as long as the session (20m)",
        ),
        (
            p.with_dose(Phase::Heat, Dose::new(Duration::ZERO, min(15))),
            "the heat session length must be longer than zero",
        ),
        (
            p.with_dose(Phase::Ice, Dose::new(min(5), Duration::ZERO)),
            "the rest after ice must be longer than zero",
        ),
        (
            p.with_dose(Phase::Ice, Dose::new(min(5), hours(24 * 8))),
            "a rest of 8 days after ice is longer than the 7 days the planner accepts; \
             use at most 7 days",
        ),
        (
            p.with_acute_window(hours(72)),
            "an acute window of 72h is outside the 24h to 48h range; \
             use a value from 24h to 48h",
        ),
        (
            p.with_acute_window(hours(12)),
            "an acute window of 12h is outside the 24h to 48h range; \
             use a value from 24h to 48h",
        ),
        (
            p.with_review_after(hours(96)),
            "a clinician review 96h after the injury is later than the 72h limit; \
             use at most 72h",
        ),
        (
            p.with_review_after(Duration::ZERO),
            "the clinician review point must be longer than zero",
        ),
    ];
    for (result, message) in cases {
        assert_eq!(result.unwrap_err().to_string(), message);
    }
}

#[test]
fn session_length_allows_shorter_and_refuses_longer() {
    let p = Protocol::default();
    assert_eq!(p.session_length(Phase::Heat, None), Ok(min(15)));
    assert_eq!(
        p.session_length(Phase::Heat, Some(Duration::from_secs(2))),
        Ok(Duration::from_secs(2))
    );
    assert_eq!(
        p.session_length(Phase::Ice, Some(min(11))),
        Err(Error::SessionTooLong {
            phase: Phase::Ice,
            length: min(11),
            limit: min(10)
        })
    );
    assert_eq!(
        p.session_length(Phase::Ice, Some(Duration::ZERO)),
        Err(Error::SessionTooShort {
            length: Duration::ZERO
        })
    );
}

#[test]
fn serde_round_trip_in_humantime_form() {
    let p = Protocol::default();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(
        json,
        r#"{"ice":{"on":"10m","rest":"1h"},"heat":{"on":"15m","rest":"15m"},"acute_window":"48h","review_after":"72h","course_length":"7days"}"#
    );
    assert_eq!(serde_json::from_str::<Protocol>(&json).unwrap(), p);
}

#[test]
fn serde_fills_defaults_and_checks_limits() {
    let p: Protocol = serde_json::from_str(r#"{"heat":{"on":"20m","rest":"25m"}}"#).unwrap();
    assert_eq!(p.dose(Phase::Heat), Dose::new(min(20), min(25)));
    assert_eq!(p.dose(Phase::Ice), Dose::default_for(Phase::Ice));

    let err = serde_json::from_str::<Protocol>(r#"{"ice":{"on":"30m","rest":"1h"}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("an ice session of 30m is longer than the 10m safety limit"),
        "{err}"
    );

    let err = serde_json::from_str::<Protocol>(r#"{"ice":{"on":"ten","rest":"1h"}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid duration \"ten\""), "{err}");
    let long = format!(r#"{{"ice":{{"on":"{}"}}}}"#, "x".repeat(1000));
    let err = serde_json::from_str::<Protocol>(&long)
        .unwrap_err()
        .to_string();
    assert!(err.len() < 300, "{err}");

    // Half a dose takes the other half from the default, then is checked.
    let p: Protocol = serde_json::from_str(r#"{"ice":{"on":"8m"}}"#).unwrap();
    assert_eq!(p.dose(Phase::Ice), Dose::new(min(8), min(60)));
    let err = serde_json::from_str::<Protocol>(r#"{"heat":{"on":"20m"}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("a rest of 15m after heat is shorter"), "{err}");

    let err = serde_json::from_str::<Protocol>(r#"{"icee":{}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `icee`"), "{err}");
}

#[test]
fn rest_after_is_at_least_the_session() {
    let p = Protocol::default();
    assert_eq!(p.rest_after(Phase::Heat, min(5)), min(15));
    assert_eq!(p.rest_after(Phase::Heat, min(40)), min(40));
}
