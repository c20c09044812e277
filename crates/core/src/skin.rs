//! Skin checks: how the skin looked and felt after cold or heat, and the
//! pause a numb or blistered skin puts on both.
//!
//! The rules, from `../shared/protocol.md` ("Skin checks"):
//!
//! - **Numb**: no cold or heat until sensation is back. Cold is
//!   contraindicated with reduced skin sensation, and the feeling under ice
//!   goes cold, burning, aching, then numb ("The Use of Ice in Patient
//!   Management", 2012; Verywell Health, "Frostbite with an ice pack");
//!   heat is never for an area that feels numb (University of Missouri
//!   Health Care; FDA, heating pads). No session is prompted or started
//!   until a [`Skin::Normal`] check is recorded.
//! - **Blistered**: see a clinician (a heating pad's second-degree burn;
//!   the skin necrosis the Breg Polar Care instructions warn of), and no
//!   cold or heat meanwhile: the same pause, and at once a critical
//!   [`Event::SeeClinician`](crate::Event::SeeClinician) with
//!   [`ClinicianReason::Blistered`](crate::ClinicianReason::Blistered).
//! - **Red** is recorded: a normal reaction to cold. After heat, a skin
//!   still red at the next heat session means skipping that session: the
//!   next heat prompt says so ([`Event::Prompt`](crate::Event::Prompt)'s
//!   `skip_if_red`).
//!
//! A check is a [`SkinCheck`](crate::SkinCheck) (`skin_check.rs`); reading
//! a name (`FromStr`) is beside its error, in `error/skin_name.rs`, so that
//! this module needs nothing from `error` (no import cycle).

use core::fmt;

use serde::{Deserialize, Serialize};

/// What a skin check found.
///
/// In JSON and on the command line: `"normal"`, `"red"`, `"numb"`,
/// `"blistered"`.
///
/// # Examples
///
/// ```
/// use therapy_timer::Skin;
///
/// assert_eq!("numb".parse::<Skin>()?, Skin::Numb);
/// assert!(Skin::Blistered.pauses());
/// assert!(!Skin::Red.pauses());
/// assert_eq!(Skin::Red.to_string(), "red");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Skin {
    /// Looks and feels as usual: sensation is there.
    Normal,
    /// Red: a normal reaction to cold; after heat, skip the next heat
    /// session if it is still red.
    Red,
    /// Numb: no cold or heat until sensation is back.
    Numb,
    /// Blistered: see a clinician; no cold or heat meanwhile.
    Blistered,
}

impl Skin {
    /// Every answer, in the order a notice offers them.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(therapy_timer::Skin::ALL.len(), 4);
    /// ```
    pub const ALL: [Skin; 4] = [Skin::Normal, Skin::Red, Skin::Numb, Skin::Blistered];

    /// Whether a check that found this pauses cold and heat (numb,
    /// blistered) until a normal check is recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// use therapy_timer::Skin;
    ///
    /// assert!(Skin::Numb.pauses());
    /// assert!(!Skin::Normal.pauses());
    /// ```
    #[must_use]
    pub const fn pauses(self) -> bool {
        matches!(self, Skin::Numb | Skin::Blistered)
    }

    /// Its name, as in JSON and on the command line.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(therapy_timer::Skin::Blistered.as_str(), "blistered");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Skin::Normal => "normal",
            Skin::Red => "red",
            Skin::Numb => "numb",
            Skin::Blistered => "blistered",
        }
    }
}

impl fmt::Display for Skin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
