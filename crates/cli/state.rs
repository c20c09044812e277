//! The persisted course: the injury time and the session log, in one
//! versioned JSON file under the XDG state directory.
//!
//! Every change is a read-modify-write under an exclusive lock on a separate
//! lock file, and every write is atomic: a temporary file in the same
//! directory, fsync, rename over the old file, fsync of the directory. A
//! file this version cannot read is never overwritten or removed.

// Until this command runs on the library's Driver (the next issue), it uses
// the first version's timetable queries, kept as a deprecated adapter.
#![allow(deprecated)]

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use therapy_timer::{Course, Off, OffBy, Outcome, Protocol, Session};

use crate::error::CliError;

/// The format version this build writes and reads.
pub const FORMAT: u32 = 1;
const FILE: &str = "state.json";
const LOCK: &str = "state.lock";

/// What the state file holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Format version; a newer one is refused rather than misread.
    pub format: u32,
    /// When the injury happened, once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured_at: Option<DateTime<Utc>>,
    /// The sessions done, in order.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// When the clinician reminder was announced, so it is announced once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_announced_at: Option<DateTime<Utc>>,
    /// No session is planned before this (a snooze or a skip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<DateTime<Utc>>,
}

impl State {
    /// The library's course for this state. Without a recorded injury (a
    /// session started with an explicit `--phase`), the course starts at the
    /// first session or `now`: only the rest rule is asked of it then.
    pub fn course(
        &self,
        injured_at: Option<DateTime<Utc>>,
        protocol: Protocol,
        now: DateTime<Utc>,
    ) -> Result<Course, CliError> {
        let start = injured_at
            .or(self.injured_at)
            .unwrap_or_else(|| self.sessions.first().map_or(now, |s| s.start.min(now)));
        let mut course = Course::new(start, protocol)
            .map_err(|e| CliError::Failure(format!("the injury time cannot be used: {e}")))?
            .with_not_before(self.not_before);
        for s in &self.sessions {
            // Format 1 sessions say nothing of how the pack came off: a
            // finished one was stopped at its end.
            let mut s = *s;
            if s.outcome != Outcome::Running && s.off.is_none() {
                s.off = Some(Off::new(s.end, OffBy::Stopped));
            }
            course
                .record(s)
                .map_err(|e| CliError::Failure(format!("the session log is inconsistent: {e}")))?;
        }
        Ok(course)
    }

    /// Takes the course's log and not-before time as the new state.
    pub fn absorb(&mut self, course: &Course) {
        self.sessions = course.sessions().to_vec();
        self.not_before = course.not_before();
    }
}

/// Where the state lives, and the operations on it.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The state directory: `$XDG_STATE_HOME/therapy-timer`, else
    /// `~/.local/state/therapy-timer` (on macOS `~/Library/Application
    /// Support/therapy-timer`, on Windows `%LOCALAPPDATA%\therapy-timer`).
    pub fn locate() -> Result<Store, CliError> {
        let from_env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        let base = if let Some(x) = from_env("XDG_STATE_HOME") {
            x
        } else if cfg!(windows) {
            from_env("LOCALAPPDATA").ok_or_else(|| {
                CliError::Failure("cannot find the state directory: LOCALAPPDATA is not set".into())
            })?
        } else {
            let home = from_env("HOME").ok_or_else(|| {
                CliError::Failure(
                    "cannot find the state directory: neither XDG_STATE_HOME nor HOME is set \
                     to an absolute path; set XDG_STATE_HOME"
                        .into(),
                )
            })?;
            if cfg!(target_os = "macos") {
                home.join("Library/Application Support")
            } else {
                home.join(".local/state")
            }
        };
        Ok(Store {
            dir: base.join("therapy-timer"),
        })
    }

    /// The state file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Reads the state under a shared lock (an empty state if there is no
    /// file yet).
    pub fn read(&self) -> Result<State, CliError> {
        if !self.path().exists() {
            return Ok(State {
                format: FORMAT,
                ..State::default()
            });
        }
        let lock = self.open_lock()?;
        lock.lock_shared()
            .map_err(|e| self.io("lock", &self.dir.join(LOCK), e))?;
        self.load()
    }

    /// Reads, changes and writes the state under an exclusive lock, so two
    /// runs at once never lose an entry. Nothing is written if `change`
    /// fails.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut State) -> Result<T, CliError>,
    ) -> Result<T, CliError> {
        self.create_dir()?;
        let lock = self.open_lock()?;
        lock.lock()
            .map_err(|e| self.io("lock", &self.dir.join(LOCK), e))?;
        let mut state = self.load()?;
        let before = state.clone();
        let out = change(&mut state)?;
        if state != before {
            state.format = FORMAT;
            self.write(&state)?;
        }
        Ok(out)
        // The lock is released when `lock` is dropped.
    }

    fn load(&self) -> Result<State, CliError> {
        let path = self.path();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(State {
                    format: FORMAT,
                    ..State::default()
                })
            }
            Err(e) => return Err(self.io("read", &path, e)),
        };
        let aside = |why: String| {
            CliError::Failure(format!(
                "the state file {p} {why}; it was left as it is. Fix it, or move it aside \
                 to start a new course: mv {p} {p}.bad",
                p = path.display()
            ))
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| aside(format!("is not valid JSON ({e})")))?;
        match value.get("format").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(FORMAT) => {}
            Some(v) => {
                return Err(CliError::Failure(format!(
                    "the state file {} has format version {v}, which this therapy-timer \
                     (format {FORMAT}) cannot read; it was left as it is. Use the \
                     therapy-timer that wrote it, or move the file aside to start a new course",
                    path.display()
                )))
            }
            None => return Err(aside("has no format version".into())),
        }
        let state: State = serde_json::from_value(value)
            .map_err(|e| aside(format!("is not a therapy-timer state ({e})")))?;
        // Check the log the way the library does (ordered, no overlaps).
        state
            .course(None, Protocol::default(), Utc::now())
            .map_err(|e| aside(e.to_string()))?;
        Ok(state)
    }

    fn write(&self, state: &State) -> Result<(), CliError> {
        let path = self.path();
        let tmp = self.dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut text = serde_json::to_string_pretty(state)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            text.push('\n');
            let mut f = private_options().write(true).create_new(true).open(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &path)?;
            // Make the rename itself durable.
            File::open(&self.dir)?.sync_all()
        })();
        result.map_err(|e| {
            let _ = fs::remove_file(&tmp);
            self.io("write", &path, e)
        })
    }

    fn create_dir(&self) -> Result<(), CliError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&self.dir)
            .map_err(|e| self.io("create", &self.dir, e))
    }

    fn open_lock(&self) -> Result<File, CliError> {
        let path = self.dir.join(LOCK);
        private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| self.io("open", &path, e))
    }

    fn io(&self, what: &str, path: &Path, e: std::io::Error) -> CliError {
        CliError::Failure(format!(
            "cannot {what} {}: {e}; check that the directory is writable, or set \
             XDG_STATE_HOME to one that is",
            path.display()
        ))
    }
}

/// Options that create files readable by their owner only: the log is
/// health information.
fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

/// Marks running sessions whose planned end has passed as completed: their
/// process is gone (killed, or the machine went down) and its stop was due.
pub fn settle_stale(course: &mut Course, now: DateTime<Utc>) {
    while let Some(stale) = course
        .sessions()
        .iter()
        .find(|s| s.outcome == Outcome::Running && s.end <= now)
        .copied()
    {
        if course.finish(stale.start, stale.end).is_err() {
            break;
        }
    }
}
