//! What the command says to people: times on their clock, durations as they
//! say them, and the wording of each notice.

use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use therapy_timer::{Phase, Urgency};

use crate::notifier::Notice;

/// A duration rounded to whole seconds, as people write it: `6m 12s`.
pub fn span(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// The time between two instants, rounded up to the minute when longer than
/// one (`43m`, `1h 5m`), as seconds otherwise.
pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let d = (to - from).to_std().unwrap_or_default();
    if d <= Duration::from_secs(60) {
        return span(d);
    }
    let minutes = d.as_secs().div_ceil(60);
    span(Duration::from_secs(minutes * 60))
}

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
/// and in the calendar.
pub fn care(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "Put a towel between the pack and your skin; never ice bare skin.",
        Phase::Heat => "Not on bare skin, and do not fall asleep on it.",
    }
}

/// The words for taking `phase` off, in the stop notice and the calendar.
pub fn take_off(phase: Phase) -> &'static str {
    match phase {
        Phase::Ice => "Take the ice off now",
        Phase::Heat => "Take the heat off now",
    }
}

/// The notice at the start of a session.
pub fn start_notice(
    phase: Phase,
    length: Duration,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Notice {
    let summary = match phase {
        Phase::Ice => format!("Ice on for {}", span(length)),
        Phase::Heat => format!("Heat on for {}", span(length)),
    };
    Notice {
        summary,
        body: format!("{} It comes off at {}.", care(phase), clock(end, now)),
        urgency: Urgency::Normal,
        expire: Some(Duration::from_secs(15)),
    }
}

/// The notice at the end of a session: `early` is how long it ran when it
/// was ended before its time.
pub fn stop_notice(
    phase: Phase,
    urgency: Urgency,
    early: Option<Duration>,
    next_from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Notice {
    let what = take_off(phase);
    let summary = match early {
        Some(ran) => format!("{what}: ended early after {}", span(ran)),
        None => what.to_owned(),
    };
    Notice {
        summary,
        body: format!(
            "Rest until {} ({}); the next session may start then.",
            clock(next_from, now),
            between(now, next_from)
        ),
        urgency,
        // Critical notices stay until dismissed; the rest for a minute.
        expire: (urgency != Urgency::Critical).then_some(Duration::from_secs(60)),
    }
}

/// The one-time reminder that spasms lasting this long need a clinician.
pub fn review_notice() -> Notice {
    Notice {
        summary: "Spasms for a few days? See a clinician".into(),
        body: REVIEW.into(),
        urgency: Urgency::Normal,
        expire: None,
    }
}

/// The reminder's text, for the notice, `status` and the terminal.
pub const REVIEW: &str = "Back spasms that last beyond a few days despite rest, ice, heat and \
    over-the-counter medicine should be seen by a clinician. Go at once for numbness, tingling or \
    weakness in the legs, loss of bladder or bowel control, high fever, or severe pain that does \
    not improve.";

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{TimeDelta, TimeZone, Utc};

    use super::{between, span};

    #[test]
    fn spans_read_like_people_write() {
        assert_eq!(span(Duration::from_millis(372_400)), "6m 12s");
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        assert_eq!(between(t, t + TimeDelta::seconds(42 * 60 + 1)), "43m");
        assert_eq!(between(t, t + TimeDelta::seconds(30)), "30s");
        assert_eq!(between(t, t - TimeDelta::seconds(30)), "0s");
    }
}
