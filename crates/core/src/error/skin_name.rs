//! Reading a skin check's name: `FromStr` for [`Skin`]. Here, beside the
//! error it gives ([`Error::UnknownSkin`]), so that `skin` needs nothing
//! from `error` while `error` names skins: no import cycle.

use alloc::borrow::ToOwned;
use core::str::FromStr;

use super::Error;
use crate::skin::Skin;

impl FromStr for Skin {
    type Err = Error;

    fn from_str(s: &str) -> Result<Skin, Error> {
        Skin::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::UnknownSkin {
                given: s.to_owned(),
            })
    }
}
