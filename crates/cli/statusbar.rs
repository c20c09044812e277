//! What a status bar shows (`status --format waybar|plain`): a class, a
//! short text and a percentage, computed from the course at `now`. Pure: no
//! clock, no files, no local time zone, so the unit tests drive it directly.

use chrono::{DateTime, TimeDelta, Utc};
use therapy_timer::{Course, Phase, Readiness};

use crate::text::{between, span};

/// waybar's class when status could not be worked out (the tooltip says
/// why); the bar's text is then `!`.
pub const ERROR_CLASS: &str = "error";

/// The bar's class: a CSS class in waybar, and what the text is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An ice session is running, or ice is the phase to start now.
    Ice,
    /// A heat session is running, or heat is the phase to start now.
    Heat,
    /// Resting after a session (or nothing to do yet).
    Rest,
    /// A session's planned end has passed and nobody confirmed the stop.
    Overdue,
}

impl Class {
    /// The name waybar's style sheet matches (`#custom-therapy.overdue`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Ice => "ice",
            Class::Heat => "heat",
            Class::Rest => "rest",
            Class::Overdue => "overdue",
        }
    }
}

impl From<Phase> for Class {
    fn from(phase: Phase) -> Class {
        match phase {
            Phase::Ice => Class::Ice,
            Phase::Heat => Class::Heat,
        }
    }
}

/// One look at the course, as a status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// What the text is about.
    pub class: Class,
    /// waybar's text: `ice 6m 12s`, `rest 43m`, `ice now`, `ice off! 3m over`.
    pub text: String,
    /// The one line for polybar or i3blocks: the same, but an overdue
    /// session shouts (`ICE OFF NOW (3m over)`), as there is no colour.
    pub plain: String,
    /// Progress of the session, or share of the rest elapsed; 100 when a
    /// session may start or one is overdue.
    pub percentage: u8,
}

/// The bar's view at `now`. `as_read` is the course with the log as read
/// (see [`Course::overdue`]); `injury_known` says whether its injury time was
/// recorded or given, rather than guessed from the first session.
pub fn view(as_read: &Course, injury_known: bool, now: DateTime<Utc>) -> View {
    if let Some(s) = as_read.overdue(now) {
        let over = between(s.end, now);
        let name = s.phase.as_str();
        return View {
            class: Class::Overdue,
            text: format!("{name} off! {over} over"),
            plain: format!("{} OFF NOW ({over} over)", name.to_uppercase()),
            percentage: 100,
        };
    }
    let course = as_read;
    if let Some(c) = course
        .skin_pause(now)
        .filter(|_| course.open_session().is_none())
    {
        // No cold or heat until a normal skin check: the bar says why.
        return View {
            class: Class::Rest,
            text: format!("skin {}: paused", c.skin),
            plain: format!("SKIN {}: NO COLD OR HEAT", c.skin.as_str().to_uppercase()),
            percentage: 0,
        };
    }
    let (class, text, percentage) = match course.readiness(now) {
        Readiness::Running { phase, ends, .. } => {
            let progress = course
                .sessions()
                .iter()
                .find(|s| s.start <= now && now < s.end)
                .map_or(0, |s| share(now - s.start, s.end - s.start));
            (
                Class::from(phase),
                format!(
                    "{phase} {}",
                    span((ends - now).to_std().unwrap_or_default())
                ),
                progress,
            )
        }
        Readiness::Resting { until, .. } => {
            // The rest began when the session it is owed for ended.
            let elapsed = course
                .rest_until()
                .map_or(0, |(_, owed)| share(now - owed.end, until - owed.end));
            (
                Class::Rest,
                format!("rest {}", between(now, until)),
                elapsed,
            )
        }
        Readiness::Ready if injury_known => {
            let phase = course.phase_at(now);
            (Class::from(phase), format!("{phase} now"), 100)
        }
        // Without an injury time the phase is a guess, so the bar names no
        // therapy; the rest (if any) is over, hence 100.
        Readiness::Ready => (Class::Rest, "ready".to_owned(), 100),
        // Asked about a time before the injury: nothing to do until then.
        Readiness::BeforeInjury { until } => {
            (Class::Rest, format!("rest {}", between(now, until)), 0)
        }
        _ => (Class::Rest, "ready".to_owned(), 100),
    };
    View {
        class,
        plain: text.clone(),
        text,
        percentage,
    }
}

/// `part` of `whole` in whole percent (rounded down), within 0..=100.
fn share(part: TimeDelta, whole: TimeDelta) -> u8 {
    let (part, whole) = (part.num_milliseconds(), whole.num_milliseconds());
    if whole <= 0 {
        return 100;
    }
    u8::try_from((part.clamp(0, whole) * 100) / whole).unwrap_or(100)
}

/// `s` with the characters Pango markup gives meaning to escaped: waybar
/// reads a custom module's text and tooltip as markup.
pub fn pango_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use therapy_timer::{Course, Phase, Protocol, Session};

    use super::{pango_escape, share, view, Class, View};

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, m, s).unwrap()
    }

    fn course() -> Course {
        Course::new(at(8, 0, 0), Protocol::default()).unwrap()
    }

    fn running(phase: Phase, start: DateTime<Utc>, minutes: u64) -> Session {
        Session::running(phase, start, Duration::from_secs(minutes * 60)).unwrap()
    }

    fn bar(class: Class, text: &str, percentage: u8) -> View {
        View {
            class,
            text: text.into(),
            plain: text.into(),
            percentage,
        }
    }

    #[test]
    fn ready_in_the_acute_window_is_ice_now() {
        assert_eq!(
            view(&course(), true, at(9, 0, 0)),
            bar(Class::Ice, "ice now", 100)
        );
    }

    #[test]
    fn ready_after_the_acute_window_is_heat_now() {
        let now = at(8, 0, 0) + TimeDelta::hours(49);
        assert_eq!(
            view(&course(), true, now),
            bar(Class::Heat, "heat now", 100)
        );
    }

    #[test]
    fn ready_without_an_injury_names_no_therapy() {
        assert_eq!(
            view(&course(), false, at(9, 0, 0)),
            bar(Class::Rest, "ready", 100)
        );
    }

    #[test]
    fn a_running_session_shows_time_left_and_progress() {
        let mut c = course();
        c.record(running(Phase::Ice, at(9, 0, 0), 10)).unwrap();
        // 3m 48s of 10m done: 38%.
        assert_eq!(
            view(&c, true, at(9, 3, 48)),
            bar(Class::Ice, "ice 6m 12s", 38)
        );
        assert_eq!(view(&c, true, at(9, 0, 0)), bar(Class::Ice, "ice 10m", 0));
        // A running session is shown by its own phase, even off-protocol.
        let mut c = course();
        c.record(running(Phase::Heat, at(9, 0, 0), 15)).unwrap();
        assert_eq!(
            view(&c, false, at(9, 14, 59)),
            bar(Class::Heat, "heat 1s", 99)
        );
    }

    #[test]
    fn resting_shows_time_left_and_share_of_the_rest_elapsed() {
        let mut c = course();
        c.record(Session::completed(Phase::Ice, at(9, 0, 0), at(9, 10, 0)).unwrap())
            .unwrap();
        // The hour's rest runs 09:10-10:10; at 09:27 17 of 60 minutes are gone.
        assert_eq!(
            view(&c, true, at(9, 27, 0)),
            bar(Class::Rest, "rest 43m", 28)
        );
        assert_eq!(
            view(&c, true, at(10, 10, 0)),
            bar(Class::Ice, "ice now", 100)
        );
    }

    #[test]
    fn a_running_session_past_its_end_is_overdue() {
        let mut c = course();
        c.record(running(Phase::Ice, at(9, 0, 0), 10)).unwrap();
        let v = view(&c, true, at(9, 12, 30));
        assert_eq!(
            v,
            View {
                class: Class::Overdue,
                text: "ice off! 3m over".into(),
                plain: "ICE OFF NOW (3m over)".into(),
                percentage: 100,
            }
        );
        // Exactly at the planned end the stop is due: overdue, "0s over".
        assert_eq!(view(&c, true, at(9, 10, 0)).text, "ice off! 0s over");
        assert_eq!(c.overdue(at(9, 9, 59)), None);
    }

    #[test]
    fn an_unconfirmed_session_is_not_overdue_once_a_later_one_began() {
        let mut c = course();
        c.record(running(Phase::Ice, at(9, 0, 0), 10)).unwrap();
        c.record(Session::completed(Phase::Ice, at(10, 10, 0), at(10, 20, 0)).unwrap())
            .unwrap();
        assert_eq!(c.overdue(at(10, 30, 0)), None);
        assert_eq!(view(&c, true, at(10, 30, 0)).class, Class::Rest);
        // Starting the later one said the earlier pack was off.
        assert_eq!(
            c.sessions()[0].off.map(|o| (o.at, o.by)),
            Some((at(10, 10, 0), therapy_timer::OffBy::Confirmed))
        );
    }

    #[test]
    fn before_the_injury_is_rest_at_zero() {
        assert_eq!(
            view(&course(), true, at(7, 0, 0)),
            bar(Class::Rest, "rest 1h", 0)
        );
    }

    #[test]
    fn shares_stay_within_0_to_100() {
        let s = TimeDelta::seconds;
        assert_eq!(share(s(-5), s(60)), 0);
        assert_eq!(share(s(30), s(60)), 50);
        assert_eq!(share(s(90), s(60)), 100);
        assert_eq!(share(s(1), s(0)), 100);
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(pango_escape("a < b & c > d"), "a &lt; b &amp; c &gt; d");
    }
}
