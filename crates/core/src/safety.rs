//! The safety words, once: what every app shows about when to see a
//! clinician, who should ask one first, and how to apply cold and heat.
//!
//! They are data an app renders (a notice, `--help`, a man page, a
//! report): phrases in plain English, without a heading or a bullet, so an
//! app lays them out its own way. An app shows the red flags **all six,
//! always**, wherever it shows any.
//!
//! Sources: the care articles on back spasms (Cleveland Clinic, Healthline,
//! Medical News Today, WebMD), the University of Missouri Health Care
//! ("Prevent Burns From a Heating Pad"), the FDA's heating-pad notice, the
//! University of Utah Burn Center, and ClinicalGate's "Cryotherapy"
//! contraindications.
//!
//! # Examples
//!
//! ```
//! use therapy_timer::{safety, Phase};
//!
//! assert_eq!(safety::RED_FLAGS.len(), 6);
//! let sentence = format!("Go at once for {}.", safety::in_one_sentence(&safety::RED_FLAGS));
//! assert!(sentence.contains("unexplained weight loss, spasms after a fall"));
//! assert!(safety::care(Phase::Heat).contains("fall asleep"));
//! ```

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use crate::phase::Phase;

/// The six red flags: each needs a clinician at once, whatever the day of
/// the course.
///
/// # Examples
///
/// ```
/// assert_eq!(therapy_timer::safety::RED_FLAGS[1], "loss of bladder or bowel control");
/// ```
pub const RED_FLAGS: [&str; 6] = [
    "numbness, tingling or weakness in the legs",
    "loss of bladder or bowel control",
    "a high fever",
    "unexplained weight loss",
    "spasms after a fall or accident (especially with osteoporosis)",
    "severe pain that does not improve",
];

/// Who should ask a clinician before using cold or heat (shown when a
/// course starts, in `--help` and the README).
///
/// # Examples
///
/// ```
/// assert!(therapy_timer::safety::ASK_FIRST.iter().any(|c| c.contains("Raynaud's")));
/// ```
pub const ASK_FIRST: [&str; 4] = [
    "reduced skin sensation, or areas that feel numb or tingly",
    "diabetes or neuropathy (nerve damage)",
    "circulation problems",
    "Raynaud's phenomenon or cold urticaria (before using cold)",
];

/// What nobody should do, shown with [`ASK_FIRST`].
///
/// # Examples
///
/// ```
/// assert!(therapy_timer::safety::NEVER[1].starts_with("never sleep on a heating pad"));
/// ```
pub const NEVER: [&str; 2] = [
    "never put cold or heat over broken skin",
    "never sleep on a heating pad; use one with a timer that turns it off",
];

/// Spasms that last this long should be seen by a clinician: what the
/// review ([`Event::Review`](crate::Event::Review)) says, before the red
/// flags.
///
/// # Examples
///
/// ```
/// assert!(therapy_timer::safety::SEE_ONE_IF_IT_LASTS.contains("a few days"));
/// ```
pub const SEE_ONE_IF_IT_LASTS: &str = "Back spasms that last beyond a few days despite rest, ice, \
    heat and over-the-counter medicine should be seen by a clinician.";

/// How to apply `phase` safely, one sentence: a towel for ice; never on
/// bare or numb skin; never fall asleep on heat.
///
/// # Examples
///
/// ```
/// use therapy_timer::{safety, Phase};
///
/// assert!(safety::care(Phase::Ice).contains("towel"));
/// assert!(safety::care(Phase::Ice).contains("numb"));
/// ```
#[must_use]
pub const fn care(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "Put a towel between the pack and your skin; never ice bare or numb skin.",
        Phase::Heat => "Not on bare or numb skin, and do not fall asleep on it.",
    }
}

/// `items` joined as a sentence's list: "a, b, or c".
///
/// # Examples
///
/// ```
/// use therapy_timer::safety::in_one_sentence;
///
/// assert_eq!(in_one_sentence(&["a", "b", "c"]), "a, b, or c");
/// assert_eq!(in_one_sentence(&["a"]), "a");
/// ```
#[must_use]
pub fn in_one_sentence(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

/// What to do after a skin check that found `skin`, one or two sentences
/// (the rules: [`Skin`](crate::Skin)). A blistered skin's words say to see
/// a clinician; show [`RED_FLAGS`] with them.
///
/// # Examples
///
/// ```
/// use therapy_timer::{safety, Skin};
///
/// assert!(safety::after_skin_check(Skin::Numb).contains("skin normal"));
/// assert!(safety::after_skin_check(Skin::Blistered).contains("clinician"));
/// ```
#[must_use]
pub const fn after_skin_check(skin: crate::skin::Skin) -> &'static str {
    use crate::skin::Skin;
    match skin {
        Skin::Normal => "Skin normal: cold and heat as planned.",
        Skin::Red => {
            "Red skin is a normal reaction to cold. After heat: if it is still red at \
            the next heat session, skip that session."
        }
        Skin::Numb => {
            "Numb skin: no cold or heat until the feeling is back; reminders and \
            start wait. When it feels normal again: therapy-timer skin normal"
        }
        Skin::Blistered => {
            "Blistered skin: see a clinician, and no cold or heat meanwhile; \
            reminders and start wait. When a clinician says it has healed: therapy-timer skin \
            normal"
        }
    }
}

/// What a heat prompt after a heat session that left the skin red says
/// ([`Event::Prompt`](crate::Event::Prompt)'s `skip_if_red`).
///
/// # Examples
///
/// ```
/// assert!(therapy_timer::safety::SKIP_IF_STILL_RED.contains("skip"));
/// ```
pub const SKIP_IF_STILL_RED: &str =
    "The skin was red after the last heat session: if it is still red, skip this one.";

/// Why pain of [`SEVERE_PAIN`](crate::limits::SEVERE_PAIN) or more is worth
/// a clinician's look at once, whatever day of the course: said with the
/// [`RED_FLAGS`] by the notice of a
/// [`ClinicianReason::SeverePain`](crate::ClinicianReason::SeverePain).
///
/// # Examples
///
/// ```
/// assert!(therapy_timer::safety::SEVERE_PAIN_SEE_CLINICIAN.contains("clinician"));
/// ```
pub const SEVERE_PAIN_SEE_CLINICIAN: &str =
    "Pain this strong is worth a clinician's look, whatever day of the course it is.";
