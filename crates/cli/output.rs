//! Writing to stdout and stderr when the reader may be gone.
//!
//! `outln!` panics when stdout is a closed pipe (`plan --for 30d | head
//! -1`). Here a closed pipe is a normal end: the output stops, the command
//! goes on with what matters (a running session still gets its stop notice
//! and its log entry) and exits 0. Any other write error (a full disk under
//! a redirect) is remembered and turns the exit into a failure.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Stdout's reader has gone.
static CLOSED: AtomicBool = AtomicBool::new(false);
/// The first write error other than a closed pipe.
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Writes `args` (and a newline if `newline`) to stdout.
pub fn write(args: fmt::Arguments<'_>, newline: bool) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    if let Err(e) = written {
        note(&e);
    }
}

/// Writes `bytes` to stdout and flushes.
pub fn write_bytes(bytes: &[u8]) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        note(&e);
    }
}

/// Writes a line to stderr; a closed stderr is ignored (there is nobody
/// left to tell).
pub fn error_line(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// Whether stdout's reader has gone, so a long listing can stop early.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// Flushes stdout; returns the first write error that was not a closed
/// pipe, for the exit code.
pub fn finish() -> Option<String> {
    if !closed() {
        if let Err(e) = std::io::stdout().lock().flush() {
            note(&e);
        }
    }
    FAILED.lock().ok().and_then(|f| f.clone())
}

fn note(e: &std::io::Error) {
    if e.kind() == ErrorKind::BrokenPipe {
        CLOSED.store(true, Ordering::Relaxed);
    } else if let Ok(mut f) = FAILED.lock() {
        f.get_or_insert_with(|| format!("cannot write to stdout: {e}"));
    }
}

/// `outln!` that treats a closed pipe as the end of the output.
macro_rules! outln {
    () => {
        $crate::output::write(format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::output::write(format_args!($($arg)*), true)
    };
}

/// `print!` that treats a closed pipe as the end of the output.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write(format_args!($($arg)*), false)
    };
}

/// `errln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::error_line(format_args!($($arg)*))
    };
}
