//! The CLI's errors and the exit code each maps to, in one place.

use std::fmt;

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

impl From<therapy_timer::Error> for CliError {
    /// Errors from the library are about input (a limit, a phase name).
    fn from(e: therapy_timer::Error) -> CliError {
        CliError::Usage(e.to_string())
    }
}
