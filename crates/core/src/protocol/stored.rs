//! The protocol in JSON and TOML: every key optional, every limit checked.

use core::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Dose, Protocol};
use crate::duration::serde_human_opt;
use crate::error::Error;
use crate::limits::{ACUTE_WINDOW_MAX, COURSE_DEFAULT, REVIEW_MAX};
use crate::phase::Phase;

/// A dose as serde reads it inside a protocol: either half may be missing.
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDose {
    #[serde(
        default,
        with = "serde_human_opt",
        skip_serializing_if = "Option::is_none"
    )]
    on: Option<Duration>,
    #[serde(
        default,
        with = "serde_human_opt",
        skip_serializing_if = "Option::is_none"
    )]
    rest: Option<Duration>,
    #[serde(
        default,
        with = "serde_human_opt",
        skip_serializing_if = "Option::is_none"
    )]
    every: Option<Duration>,
}

/// What serde reads before the limits are checked; a missing key takes the
/// default, so a config file may set only what it changes.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProtocol {
    #[serde(default)]
    ice: RawDose,
    #[serde(default)]
    heat: RawDose,
    #[serde(
        default,
        with = "serde_human_opt",
        skip_serializing_if = "Option::is_none"
    )]
    acute_window: Option<Duration>,
    #[serde(
        default,
        with = "serde_human_opt",
        skip_serializing_if = "Option::is_none"
    )]
    review_after: Option<Duration>,
    #[serde(
        default,
        with = "serde_human_opt",
        skip_serializing_if = "Option::is_none"
    )]
    course_length: Option<Duration>,
}

impl TryFrom<RawProtocol> for Protocol {
    type Error = Error;

    fn try_from(raw: RawProtocol) -> Result<Protocol, Error> {
        let dose = |phase: Phase, raw: RawDose| {
            let default = Dose::default_for(phase);
            Dose::new(
                raw.on.unwrap_or(default.on),
                raw.rest.unwrap_or(default.rest),
            )
        };
        Protocol::new(
            dose(Phase::Ice, raw.ice),
            dose(Phase::Heat, raw.heat),
            raw.acute_window.unwrap_or(ACUTE_WINDOW_MAX),
            raw.review_after.unwrap_or(REVIEW_MAX),
        )?
        .with_every(Phase::Ice, raw.ice.every)?
        .with_every(Phase::Heat, raw.heat.every)?
        .with_course_length(raw.course_length.unwrap_or(COURSE_DEFAULT))
    }
}

impl From<Protocol> for RawProtocol {
    fn from(p: Protocol) -> RawProtocol {
        let dose = |d: Dose, every: Option<Duration>| RawDose {
            on: Some(d.on),
            rest: Some(d.rest),
            every,
        };
        RawProtocol {
            ice: dose(p.ice, p.ice_every),
            heat: dose(p.heat, p.heat_every),
            acute_window: Some(p.acute_window),
            review_after: Some(p.review_after),
            course_length: Some(p.course_length),
        }
    }
}
