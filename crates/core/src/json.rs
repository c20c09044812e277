//! Reading and writing JSON with typed errors.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Error;

/// Reads `json` into the raw form `R`, then checks it into `T`: a broken
/// rule is the typed error of the check, anything else [`Error::Data`].
/// `expected` names what is read ("driver", "course"): when the JSON is
/// plainly something else (a course given to the driver's reader), the
/// error says so instead of serde's "unknown field".
pub(crate) fn read<R, T>(json: &str, expected: &str) -> Result<T, Error>
where
    R: DeserializeOwned,
    T: TryFrom<R, Error = Error>,
{
    let raw: R = serde_json::from_str(json).map_err(|e| {
        let message = match what_it_is(json) {
            Some(found) if found != expected => format!(
                "this is {} {found}, not {} {expected}; read it with {}::from_json",
                article(found),
                article(expected),
                capitalized(found)
            ),
            _ => short(&e.to_string()),
        };
        Error::Data { message }
    })?;
    T::try_from(raw)
}

/// What a JSON object written by this crate is, by its keys: a driver has
/// a course, a course an injury time. `None` for anything else.
fn what_it_is(json: &str) -> Option<&'static str> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let object = value.as_object()?;
    if object.contains_key("course") && object.contains_key("format") {
        Some("driver")
    } else if object.contains_key("injured_at") && object.contains_key("protocol") {
        Some("course")
    } else {
        None
    }
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn capitalized(noun: &str) -> String {
    let mut chars = noun.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Writes `value` as JSON. Serializing these types cannot fail (no maps
/// with non-string keys, no custom serializers that fail).
pub(crate) fn write<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// serde's message, cut to a length a person reads (it can quote a whole
/// bad value).
fn short(message: &str) -> String {
    const MAX: usize = 240;
    if message.chars().count() <= MAX {
        message.to_owned()
    } else {
        let mut cut: String = message.chars().take(MAX).collect();
        cut.push('…');
        cut
    }
}
