//! Reading a phase's name: `FromStr` for [`Phase`]. Here, beside the
//! error it gives ([`Error::UnknownPhase`]), so that `phase` needs nothing
//! from `error` while `error` names phases: no import cycle (issue 16).

use alloc::borrow::ToOwned;
use core::str::FromStr;

use super::Error;
use crate::phase::Phase;

impl FromStr for Phase {
    type Err = Error;

    /// Parses `ice` or `heat`, ignoring ASCII case and surrounding spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("ice") {
            Ok(Phase::Ice)
        } else if t.eq_ignore_ascii_case("heat") {
            Ok(Phase::Heat)
        } else {
            Err(Error::UnknownPhase {
                input: s.to_owned(),
            })
        }
    }
}
