//! What the command says to people: times on their clock, durations as they
//! say them, and the wording of each notice.

mod words;
pub use words::*;

use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use therapy_timer::{Phase, Urgency};

use crate::notifier::Notice;

/// `15:32` on the same local day as `now`, `Mon 15:32` within a week,
/// `Mon 02 Mar 15:32` beyond.
pub fn clock(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let (lt, ln) = (t.with_timezone(&Local), now.with_timezone(&Local));
    let days = (lt.date_naive() - ln.date_naive()).num_days();
    if days == 0 {
        lt.format("%H:%M").to_string()
    } else if (0..7).contains(&days) {
        lt.format("%a %H:%M").to_string()
    } else {
        lt.format("%a %d %b %H:%M").to_string()
    }
}

/// A full local date and time, with the offset: `Sun 01 Mar 2026 08:00 +01:00`.
pub fn full(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%a %d %b %Y %H:%M %:z")
        .to_string()
}

/// How to apply `phase` safely: said when a session starts, in the notice
/// and in the calendar (the library's words).
pub fn care(phase: Phase) -> &'static str {
    therapy_timer::safety::care(phase)
}

/// The words for taking `phase` off, in the stop notice and the calendar.
pub fn take_off(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "Take the ice off now",
        Phase::Heat => "Take the heat off now",
    }
}

/// The freedesktop sound theme's alarm, for a safety stop unless the
/// config names another (or `"none"`).
pub const ALARM_SOUND: &str = "alarm-clock-elapsed";

/// "an ice session", "a heat session".
pub fn a_session(phase: Phase) -> String {
    with_article(&format!("{phase} session"))
}

/// The time from `from` to `to`, or zero if `to` is earlier.
pub fn since(from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
    (to - from).to_std().unwrap_or_default()
}

/// `Ice` or `Heat`, to start a sentence.
pub fn capital(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "Ice",
        Phase::Heat => "Heat",
    }
}

/// The notice at the start of a session.
pub fn start_notice(
    phase: Phase,
    length: Duration,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Notice {
    Notice {
        summary: format!("{} on for {}", capital(phase), span(length)),
        body: format!("{} It comes off at {}.", care(phase), clock(end, now)),
        urgency: Urgency::Normal,
        expire: Some(Duration::from_secs(15)),
        actions: Vec::new(),
        sound: None,
    }
}

/// The prompt's snooze button, for the library's default snooze.
static SNOOZE_LABEL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "Snooze {} min",
        therapy_timer::limits::SNOOZE_DEFAULT.as_secs() / 60
    )
});

/// How a prompt can be answered where it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answering {
    /// With the notice's buttons (a loop that listens: `watch`).
    Buttons,
    /// With commands (`tick` cannot wait for an answer).
    Commands,
}

/// The notice that a session is due: what to do, and how to be told when
/// to stop. A prompt is not a session: nothing is logged until it starts.
pub fn prompt_notice(phase: Phase, length: Duration, answering: Answering) -> Notice {
    let what = match phase {
        Phase::Ice => "Put the ice on over a towel",
        Phase::Heat => "Put the heat on (not on bare skin)",
    };
    let (body, actions, expire) = match answering {
        Answering::Buttons => (
            format!(
                "{what}, then press Start (or run `therapy-timer start`) so you are told \
                 when to take it off. Snooze or Skip if you cannot now."
            ),
            vec![
                ("start", "Start now"),
                ("snooze", SNOOZE_LABEL.as_str()),
                ("skip", "Skip"),
            ],
            // Up until answered or dismissed.
            None,
        ),
        Answering::Commands => (
            format!(
                "{what}, then run `therapy-timer start` so you are told when to take it \
                 off (`therapy-timer snooze` or `skip` if you cannot now)."
            ),
            Vec::new(),
            Some(Duration::from_secs(60)),
        ),
    };
    Notice {
        summary: format!("Time for {}: {}", phase, span(length)),
        body,
        urgency: Urgency::Normal,
        expire,
        actions,
        sound: None,
    }
}

/// Which stop a stop notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// At the session's end.
    OnTime,
    /// After the session's end (the machine was asleep or off): when it
    /// was due.
    Late {
        /// When the session was due to end.
        due: DateTime<Utc>,
    },
    /// Before the session's end, after `ran`.
    Early {
        /// How long the session ran.
        ran: Duration,
    },
    /// Repeat `n` of `of`, the pack not yet said to be off.
    Repeat {
        /// Which repeat.
        n: u8,
        /// How many there are at most.
        of: u8,
        /// When the session was due to end.
        due: DateTime<Utc>,
    },
}

/// The pain scores the stop notice offers as buttons: the key is
/// `pain:N`.
pub const PAIN_BUTTONS: [(&str, &str); 4] = [
    ("pain:2", "Pain 2"),
    ("pain:4", "Pain 4"),
    ("pain:6", "Pain 6"),
    ("pain:8", "Pain 8"),
];

/// The skin answers the stop notice offers as buttons, before the pain
/// scores: the key is `skin:ANSWER`.
pub const SKIN_BUTTONS: [(&str, &str); 4] = [
    ("skin:normal", "Skin normal"),
    ("skin:red", "Skin red"),
    ("skin:numb", "Skin numb"),
    ("skin:blistered", "Blistered"),
];

/// The answer of a skin button's key.
pub fn skin_button(key: &str) -> Option<therapy_timer::Skin> {
    key.strip_prefix("skin:")?.parse().ok()
}

/// The score of a pain button's key.
pub fn pain_button(key: &str) -> Option<u8> {
    key.strip_prefix("pain:")?.parse().ok()
}

/// The notice to take the pack off: critical, with the alarm sound, up
/// until dismissed. `next_from` is when the next session may start;
/// `button` offers "It's off" where the loop listens for it.
pub fn stop_notice(
    phase: Phase,
    stop: Stop,
    next_from: DateTime<Utc>,
    now: DateTime<Utc>,
    button: bool,
) -> Notice {
    let what = take_off(phase);
    // Clock times only: a stop notice stays up until it is answered, and
    // "(5m ago)" or "(1h)" would stop being true a minute later.
    let summary = match stop {
        Stop::OnTime => what.to_owned(),
        Stop::Early { ran } => format!("{what}: ended early after {}", span(ran)),
        Stop::Late { due } => format!("{what}: it was due at {}", clock(due, now)),
        Stop::Repeat { n, of, due } => format!(
            "{what} (reminder {n} of {of}): it was due at {}",
            clock(due, now)
        ),
    };
    let mut body = if next_from <= now {
        "The rest is already over: the next session may start now.".to_owned()
    } else {
        format!(
            "Rest until {}; the next session may start then.",
            clock(next_from, now)
        )
    };
    let mut actions = Vec::new();
    if !matches!(stop, Stop::Early { .. }) {
        if button {
            actions.push(("off", "It's off"));
        } else {
            body.push_str(" When it is off, run `therapy-timer stop` to stop the reminders.");
        }
    }
    if !matches!(stop, Stop::Repeat { .. }) {
        // The skin first (numb or blistered pauses the next session), then
        // the pain.
        if button {
            body.push_str(" How is the skin: normal, red, numb or blistered?");
            body.push_str(" How is the pain now (0-10)?");
            actions.extend(SKIN_BUTTONS);
            actions.extend(PAIN_BUTTONS);
        } else {
            body.push_str(
                " How is the skin? `therapy-timer skin normal|red|numb|blistered` records it.",
            );
            body.push_str(" How is the pain now (0-10)? `therapy-timer pain N` records it.");
        }
    }
    Notice {
        summary,
        body,
        urgency: Urgency::Critical,
        // Up until dismissed.
        expire: None,
        actions,
        sound: Some(ALARM_SOUND.to_owned()),
    }
}

/// The notice that the acute window is over: heat from now on.
pub fn phase_change_notice(window: Duration, heat: Duration, rest: Duration) -> Notice {
    Notice {
        summary: "Time to switch from ice to heat".into(),
        body: format!(
            "The first {} after the injury are over: from now on heat, {} at a time, \
             with at least {} between. {}",
            span(window),
            span(heat),
            span(rest),
            care(Phase::Heat)
        ),
        urgency: Urgency::Normal,
        expire: None,
        actions: Vec::new(),
        sound: None,
    }
}

/// The notice at the end of the course: no more reminders.
pub fn end_notice(ended_early: bool) -> Notice {
    Notice {
        summary: if ended_early {
            "Course ended: no more reminders".into()
        } else {
            "The course is over: no more reminders".into()
        },
        body: format!("If the spasms persist, see a clinician. {RED_FLAGS}"),
        urgency: Urgency::Normal,
        expire: None,
        actions: Vec::new(),
        sound: None,
    }
}

/// The red flags, in one sentence: said with every notice about seeing a
/// clinician. All six, from the library ([`therapy_timer::safety::RED_FLAGS`]).
pub const RED_FLAGS: RedFlags = RedFlags;

/// The red flags as a sentence (`{RED_FLAGS}` in a format string).
#[derive(Debug, Clone, Copy)]
pub struct RedFlags;

impl std::fmt::Display for RedFlags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Go at once for {}.",
            therapy_timer::safety::in_one_sentence(&therapy_timer::safety::RED_FLAGS)
        )
    }
}

/// `s` broken at spaces into lines of at most `width` characters (a longer
/// word gets a line of its own), for a tooltip that does not wrap.
pub fn wrap(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut line = 0;
    for word in s.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

/// The one-time reminder that spasms lasting this long need a clinician.
pub fn review_notice() -> Notice {
    Notice {
        summary: "Spasms for a few days? See a clinician".into(),
        body: review(),
        urgency: Urgency::Normal,
        expire: None,
        actions: Vec::new(),
        sound: None,
    }
}

/// The reminder's text, for the notice, `status` and the terminal: the
/// library's words and the red flags.
pub fn review() -> String {
    format!("{} {RED_FLAGS}", therapy_timer::safety::SEE_ONE_IF_IT_LASTS)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{TimeDelta, TimeZone, Utc};

    use super::{between, span, wrap};

    #[test]
    fn the_stop_notice_asks_for_the_skin_first_then_the_pain() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let n = super::stop_notice(
            therapy_timer::Phase::Heat,
            super::Stop::OnTime,
            t + TimeDelta::minutes(15),
            t,
            true,
        );
        let keys: Vec<&str> = n.actions.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "off",
                "skin:normal",
                "skin:red",
                "skin:numb",
                "skin:blistered",
                "pain:2",
                "pain:4",
                "pain:6",
                "pain:8"
            ]
        );
        for (key, _) in super::SKIN_BUTTONS {
            assert!(super::skin_button(key).is_some(), "{key}");
        }
        let skin = n.body.find("skin").unwrap_or(usize::MAX);
        assert!(skin < n.body.find("pain").unwrap_or(0), "{}", n.body);
    }

    #[test]
    fn spans_read_like_people_write() {
        assert_eq!(span(Duration::from_millis(372_400)), "6m 12s");
        assert_eq!(span(Duration::from_secs(48 * 3600)), "48h");
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        assert_eq!(between(t, t + TimeDelta::seconds(42 * 60 + 1)), "43m");
        assert_eq!(between(t, t + TimeDelta::seconds(30)), "30s");
        assert_eq!(between(t, t - TimeDelta::seconds(30)), "0s");
    }

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("", 10), "");
        assert!(wrap(&super::review(), 60)
            .lines()
            .all(|l| l.chars().count() <= 60));
    }
}
