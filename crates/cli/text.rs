//! What the command says to people: times on their clock, durations as they
//! say them, and the wording of each notice.

mod words;
#[allow(unused_imports)] // Until the commands use them.
pub use words::*;

use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use therapy_timer::{Phase, Urgency};

use crate::notifier::Notice;

/// A duration rounded to whole seconds, as people write it: `6m 12s`;
/// whole days up to four in hours (`48h`), as the care articles count them.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    if (24 * 3600..=96 * 3600).contains(&s) && s.is_multiple_of(3600) {
        return format!("{}h", s / 3600);
    }
    humantime::format_duration(Duration::from_secs(s)).to_string()
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
        actions: Vec::new(),
    }
}

/// The notice of a planned session that is due (from `tick` or `watch`):
/// it is counted as started now unless the person answers otherwise.
pub fn due_notice(
    phase: Phase,
    length: Duration,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    actions: bool,
) -> Notice {
    let mut n = start_notice(phase, length, end, now);
    n.summary = match phase {
        Phase::Ice => format!("Time for ice: {}", span(length)),
        Phase::Heat => format!("Time for heat: {}", span(length)),
    };
    if actions {
        n.body
            .push_str(" Counted as started now; Snooze or Skip if you cannot.");
        n.actions = vec![
            ("start", "Start now"),
            ("snooze", "Snooze 10 min"),
            ("skip", "Skip"),
        ];
        // Up until answered or dismissed.
        n.expire = None;
    }
    n
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
    stop_with(summary, urgency, next_from, now)
}

/// The stop notice when it comes late (the machine was asleep or off):
/// `due` is when the session should have ended.
pub fn overdue_stop_notice(
    phase: Phase,
    urgency: Urgency,
    due: DateTime<Utc>,
    next_from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Notice {
    let what = take_off(phase);
    let summary = format!(
        "{what}: it was due at {} ({} ago)",
        clock(due, now),
        between(due, now)
    );
    stop_with(summary, urgency, next_from, now)
}

fn stop_with(
    summary: String,
    urgency: Urgency,
    next_from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Notice {
    let body = if next_from <= now {
        "The rest is already over: the next session may start now.".to_owned()
    } else {
        format!(
            "Rest until {} ({}); the next session may start then.",
            clock(next_from, now),
            between(now, next_from)
        )
    };
    Notice {
        summary,
        body,
        urgency,
        // Critical notices stay until dismissed; the rest for a minute.
        expire: (urgency != Urgency::Critical).then_some(Duration::from_secs(60)),
        actions: Vec::new(),
    }
}

/// The first line of the status bar's tooltip when a session's planned end
/// has passed and nobody confirmed the stop.
pub fn overdue_line(
    phase: Phase,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let what = take_off(phase);
    format!(
        "{what}: the {phase} session from {} was due to end at {} ({} ago) and no stop was \
         confirmed.",
        clock(start, now),
        clock(end, now),
        between(end, now)
    )
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
        body: REVIEW.into(),
        urgency: Urgency::Normal,
        expire: None,
        actions: Vec::new(),
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

    use super::{between, span, wrap};

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
        assert!(wrap(super::REVIEW, 60)
            .lines()
            .all(|l| l.chars().count() <= 60));
    }
}
