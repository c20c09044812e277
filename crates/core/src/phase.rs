//! The two phases of the protocol: ice, then heat.

use core::fmt;

use serde::{Deserialize, Serialize};

/// A phase of the therapy: cold first, warmth later.
///
/// Written and parsed as `ice` and `heat`, in `Display`, `FromStr` and serde
/// alike.
///
/// # Examples
///
/// ```
/// use therapy_timer::Phase;
///
/// let phase: Phase = "ice".parse()?;
/// assert_eq!(phase, Phase::Ice);
/// assert_eq!(Phase::Heat.to_string(), "heat");
/// assert!("warm".parse::<Phase>().unwrap_err().to_string().contains("ice"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Cold pack over a towel, for the first day or two after the injury.
    Ice,
    /// Heating pad, once the acute window is over.
    Heat,
}

impl Phase {
    /// Both phases, in the order the protocol uses them.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Phase;
    ///
    /// assert_eq!(Phase::ALL, [Phase::Ice, Phase::Heat]);
    /// ```
    pub const ALL: [Phase; 2] = [Phase::Ice, Phase::Heat];

    /// The lowercase name, as written in JSON and on the command line.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Phase;
    ///
    /// assert_eq!(Phase::Ice.as_str(), "ice");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Phase::Ice => "ice",
            Phase::Heat => "heat",
        }
    }
}

// `FromStr` for `Phase` is in error/phase_name.rs, beside its error.

impl fmt::Display for Phase {
    /// The name, padded to a width if one is asked for (`{:<4}` gives
    /// `"ice "`), so that columns of ice and heat line up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Phase;

    #[test]
    fn parses_and_displays_both_names() {
        for phase in Phase::ALL {
            assert_eq!(phase.to_string().parse::<Phase>(), Ok(phase));
        }
        assert_eq!(" HEAT ".parse::<Phase>(), Ok(Phase::Heat));
    }

    #[test]
    fn unknown_name_is_an_error_with_the_accepted_names() {
        let err = "cold".parse::<Phase>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown phase \"cold\"; use \"ice\" or \"heat\""
        );
    }

    #[test]
    fn serde_uses_lowercase_names() {
        assert_eq!(serde_json::to_string(&Phase::Ice).unwrap(), "\"ice\"");
        assert_eq!(
            serde_json::from_str::<Phase>("\"heat\"").unwrap(),
            Phase::Heat
        );
        assert!(serde_json::from_str::<Phase>("\"Heat\"").is_err());
    }
}
