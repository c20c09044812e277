//! Reading and writing JSON with typed errors.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Error;

/// Reads `json` into the raw form `R`, then checks it into `T`: a broken
/// rule is the typed error of the check, anything else [`Error::Data`].
pub(crate) fn read<R, T>(json: &str) -> Result<T, Error>
where
    R: DeserializeOwned,
    T: TryFrom<R, Error = Error>,
{
    let raw: R = serde_json::from_str(json).map_err(|e| Error::Data {
        message: short(&e.to_string()),
    })?;
    T::try_from(raw)
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
