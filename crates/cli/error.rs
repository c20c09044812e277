//! The CLI's errors and the exit code each maps to, in one place.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::text::{a_session, between, clock, full};

/// Success.
pub const EXIT_OK: i32 = 0;
/// A runtime failure: the state file, the file system.
pub const EXIT_FAILURE: i32 = 1;
/// Invalid input (clap's convention).
pub const EXIT_USAGE: i32 = 2;
/// Refused because the rest is not over; try again later (sysexits'
/// EX_TEMPFAIL).
pub const EXIT_TRY_LATER: i32 = 75;

/// What went wrong, and so which exit code the process ends with.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: a flag, a TIME, a duration beyond a limit. Exit 2.
    Usage(String),
    /// The protocol says not now. Exit 75.
    TryLater(String),
    /// Something failed at run time. Exit 1.
    Failure(String),
    /// A signal ended the run; the message was already printed. Exit 128+N.
    Signal(i32),
}

impl CliError {
    /// The exit code of this error, as documented in `--help` and the README.
    pub fn code(&self) -> i32 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::TryLater(_) => EXIT_TRY_LATER,
            CliError::Failure(_) => EXIT_FAILURE,
            CliError::Signal(n) => 128 + n,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::TryLater(m) | CliError::Failure(m) => f.write_str(m),
            CliError::Signal(n) => write!(f, "ended by signal {n}"),
        }
    }
}

impl CliError {
    /// A library error worded as `message`, with the exit code of its
    /// kind: the one place that maps the library's kinds to exit codes.
    pub fn of_kind(kind: therapy_timer::ErrorKind, message: String) -> CliError {
        use therapy_timer::ErrorKind as K;
        match kind {
            // Not now: the rest, a session on. Exit 75.
            K::NotNow => CliError::TryLater(message),
            // Data the library cannot read: a runtime failure. Exit 1.
            K::Data => CliError::Failure(message),
            // Bad input, or input that does not fit the record. Exit 2.
            _ => CliError::Usage(message),
        }
    }
}

impl From<therapy_timer::Error> for CliError {
    /// A library error in the library's words.
    fn from(e: therapy_timer::Error) -> CliError {
        CliError::of_kind(e.kind(), e.to_string())
    }
}

/// The most of a bad value an error message quotes.
const QUOTE_AT_MOST: usize = 40;

/// `value` quoted for an error message: its first 40 characters, and `…`
/// when there is more, so a 100 KB argument does not flood the terminal.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTE_AT_MOST) {
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
        None => format!("{value:?}"),
    }
}

/// Shortens every span between two `quote` characters in `message` to its
/// first 40 characters. For messages written by others (clap's, which
/// quote the bad value whole as '…').
pub fn shorten_quoted(message: &str, quote: char) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(quote) {
        let (before, after) = rest.split_at(open + quote.len_utf8());
        out.push_str(before);
        let Some(close) = after.find(quote) else {
            rest = after;
            break;
        };
        let inner = &after[..close];
        match inner.char_indices().nth(QUOTE_AT_MOST) {
            Some((cut, _)) => {
                out.push_str(&inner[..cut]);
                out.push('…');
            }
            None => out.push_str(inner),
        }
        out.push(quote);
        rest = &after[close + quote.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A library refusal in the person's words, with local times (the
/// library's own messages carry UTC times, for logs and programs).
pub fn refusal(e: &therapy_timer::Error, now: DateTime<Utc>) -> String {
    use therapy_timer::{Error as E, Phase};
    match *e {
        E::NotRested { after, until } => format!(
            "the rest after {after} is not over: the next session may start at {} (in {}). \
             The rest protects your skin{}; wait, or pass --force to start anyway (it is logged)",
            clock(until, now),
            between(now, until),
            if after == Phase::Ice {
                " from frostbite"
            } else {
                ""
            }
        ),
        E::AlreadyRunning { phase, ends } if ends > now => format!(
            "{} is already running until {}; one session at a time \
             (`therapy-timer stop` ends it)",
            a_session(phase),
            clock(ends, now)
        ),
        E::AlreadyRunning { phase, ends } => format!(
            "the {phase} session that ended at {} was never confirmed off; if the pack is off, \
             say so with `therapy-timer stop`, or pass --force",
            clock(ends, now)
        ),
        E::SkinPaused { skin, since } => format!(
            "not now: the skin was recorded {skin} at {}. {}",
            clock(since, now),
            therapy_timer::safety::after_skin_check(skin)
        ),
        E::BeforeInjury { at, injured_at } => format!(
            "{} is before the recorded injury ({}); check the time, or correct the injury \
             time with `therapy-timer injury TIME`",
            full(at),
            full(injured_at)
        ),
        E::InjuryAfterSession { injured_at, first } => format!(
            "the injury time {} is after the session at {} in the log; give an earlier time, \
             or remove that session first (`therapy-timer log` shows the ids)",
            full(injured_at),
            full(first)
        ),
        E::InjuryInFuture { injured_at, .. } => format!(
            "the injury time {} is in the future; give the time it happened (e.g. \"2h ago\")",
            full(injured_at)
        ),
        E::InjuryTooOld { injured_at } => format!(
            "the injury time {} is more than a year ago; this tool times the days after an \
             injury, so give the time it happened (e.g. \"2h ago\")",
            full(injured_at)
        ),
        E::NothingToStop => "no session is running, so there is nothing to stop; \
             `therapy-timer status` shows where the course stands"
            .into(),
        E::NoPrompt => "the course is over, so there is no session to skip or snooze; \
             a new injury starts a new course: `therapy-timer injury TIME`"
            .into(),
        E::CourseEnded { at } => format!(
            "the course ended at {}; a new injury starts a new course: \
             `therapy-timer injury TIME`",
            full(at)
        ),
        E::SessionRunning { id } => format!(
            "session {id} may still be on, so it cannot be removed; stop it first with \
             `therapy-timer stop`"
        ),
        E::NoSuchSession { id } => format!(
            "there is no entry {id} in this course's log; `therapy-timer log` shows the ids"
        ),
        E::SnoozeInThePast { until } => format!(
            "cannot snooze until {}, which is not after now; give a length such as 10m",
            full(until)
        ),
        E::NothingToSnooze { until, next } => format!(
            "nothing to snooze: no session is due now, and the next is due at {} (in {}), \
             after {} anyway; snooze when it is due, or `therapy-timer skip` it",
            clock(next, now),
            between(now, next),
            clock(until, now)
        ),
        E::SnoozePastEnd { until, ends } => format!(
            "cannot snooze until {}: the course ends at {}, and no reminder comes after \
             it; snooze for less, or end the course: `therapy-timer end`",
            full(until),
            full(ends)
        ),
        _ => e.to_string(),
    }
}

/// A library refusal as the CLI's error, worded from its values, with the
/// exit code of its kind.
pub fn refused(e: &therapy_timer::Error, now: DateTime<Utc>) -> CliError {
    CliError::of_kind(e.kind(), refusal(e, now))
}

#[cfg(test)]
mod tests {
    use super::{quote, shorten_quoted};

    #[test]
    fn long_values_are_cut_to_forty_characters() {
        let long = "x".repeat(100_000);
        assert_eq!(quote("3h ago"), "\"3h ago\"");
        assert_eq!(quote(&long), format!("\"{}\"…", "x".repeat(40)));
        let m = shorten_quoted(&format!("invalid value '{long}' for '--at <TIME>'"), '\'');
        assert_eq!(
            m,
            format!("invalid value '{}…' for '--at <TIME>'", "x".repeat(40))
        );
        assert_eq!(shorten_quoted("no quote", '\''), "no quote");
        assert_eq!(shorten_quoted("one ' only", '\''), "one ' only");
    }
}
