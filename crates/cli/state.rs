//! The persisted driver: the library's [`Driver`] (the course, the earlier
//! courses, and which notices were given), in one versioned JSON file under
//! the XDG state directory.
//!
//! Every change is a read-modify-write under an exclusive lock on a separate
//! lock file, and every write is atomic: a temporary file in the same
//! directory, fsync, rename over the old file, fsync of the directory. A
//! file this version cannot read is never overwritten or removed.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use therapy_timer::Driver;

use crate::error::CliError;

/// The format version this build writes; it reads this one and the first.
pub const FORMAT: u32 = 2;
const FILE: &str = "state.json";
const LOCK: &str = "state.lock";

/// What the state file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Format version; a newer one is refused rather than misread.
    pub format: u32,
    /// The driver, once a course is recorded (an injury time, or a first
    /// session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<Driver>,
    /// Fields this version does not know (written by a newer one), kept as
    /// they are so that a write by this version does not drop them.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A look at the state file that changes with every write (each write
/// renames a new file over the old one), to notice another process's
/// change without reading the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    #[cfg(unix)]
    inode: u64,
}

/// Where the state lives, and the operations on it.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    /// Set when the command's clock (`--at`) is ahead of the system clock:
    /// the reason every write is refused.
    no_writes: Option<String>,
}

/// How long a lock held by another process is waited on before saying so.
const WAIT_QUIETLY: Duration = Duration::from_secs(1);

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
            no_writes: None,
        })
    }

    /// Refuses every later write with `why` (a usage error): the command
    /// runs at a time the state must not record.
    pub fn refuse_writes(&mut self, why: String) {
        self.no_writes = Some(why);
    }

    /// The state file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// The state file's stamp now (`None` while there is no file).
    pub fn stamp(&self) -> Option<Stamp> {
        let m = fs::metadata(self.path()).ok()?;
        Some(Stamp {
            modified: m.modified().ok(),
            len: m.len(),
            #[cfg(unix)]
            inode: std::os::unix::fs::MetadataExt::ino(&m),
        })
    }

    /// Reads the state under a shared lock (an empty state if there is no
    /// file yet). A file that exists but cannot be read is an error, never
    /// "no state".
    pub fn read(&self) -> Result<State, CliError> {
        let path = self.path();
        match fs::metadata(&path) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(State::empty()),
            Err(e) => return Err(self.unreadable(&path, e)),
        }
        let lock = self.open_lock()?;
        self.acquire(&lock, false)?;
        self.load()
    }

    /// Reads, changes and writes the state under an exclusive lock, so two
    /// runs at once never lose an entry. Nothing is written if `change`
    /// fails.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut State) -> Result<T, CliError>,
    ) -> Result<T, CliError> {
        if let Some(why) = &self.no_writes {
            return Err(CliError::Usage(why.clone()));
        }
        self.create_dir()?;
        let mut lock = self.open_lock()?;
        self.acquire(&lock, true)?;
        // Who holds the lock, for anyone who has to wait on it. Only a
        // hint: a full disk must not stop the update.
        let _ = lock
            .set_len(0)
            .and_then(|()| lock.write_all(format!("{}\n", std::process::id()).as_bytes()));
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

    /// Takes the lock, saying after [`WAIT_QUIETLY`] who it is waiting
    /// for, so that a command held up by another never just hangs.
    fn acquire(&self, lock: &File, exclusive: bool) -> Result<(), CliError> {
        let path = self.dir.join(LOCK);
        let started = Instant::now();
        loop {
            let tried = if exclusive {
                lock.try_lock()
            } else {
                lock.try_lock_shared()
            };
            match tried {
                Ok(()) => return Ok(()),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(self.io("lock", &path, e)),
            }
            if started.elapsed() >= WAIT_QUIETLY {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let holder = fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok())
            .map_or_else(String::new, |pid| format!(", pid {pid}"));
        errln!(
            "therapy-timer: waiting for another therapy-timer{holder} (it holds {})",
            path.display()
        );
        let locked = if exclusive {
            lock.lock()
        } else {
            lock.lock_shared()
        };
        locked.map_err(|e| self.io("lock", &path, e))
    }

    fn load(&self) -> Result<State, CliError> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(State::empty()),
            Err(e) => return Err(self.unreadable(&path, e)),
        };
        parse(&path, &bytes)
    }

    fn write(&self, state: &State) -> Result<(), CliError> {
        let path = self.path();
        // Under the exclusive lock no other write is under way, so any
        // temporary file here was left by a writer that was killed.
        self.remove_stale_temps();
        let mut text = serde_json::to_string_pretty(state)
            .map_err(|e| CliError::Failure(format!("cannot write the state: {e}")))?;
        text.push('\n');
        // Never write what the next read would refuse.
        if let Err(e) = parse(&path, text.as_bytes()) {
            return Err(CliError::Usage(format!("{e}; nothing was written")));
        }
        let result = (|| {
            let (tmp, mut f) = self.create_temp()?;
            let written = (|| {
                f.write_all(text.as_bytes())?;
                f.sync_all()?;
                fs::rename(&tmp, &path)
            })();
            if let Err(e) = written {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
            // Make the rename itself durable.
            File::open(&self.dir)?.sync_all()
        })();
        result.map_err(|e| self.io("write", &path, e))
    }

    /// A new temporary file beside the state file, with a name unique to
    /// this write (not just this process: a PID is reused, in a PID
    /// namespace or after a kill).
    fn create_temp(&self) -> std::io::Result<(PathBuf, File)> {
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut last = None;
        for _ in 0..16 {
            let n = WRITES.fetch_add(1, Ordering::Relaxed);
            let tmp = self
                .dir
                .join(format!(".{FILE}.{}-{nanos}-{n}.tmp", std::process::id()));
            match private_options().write(true).create_new(true).open(&tmp) {
                Ok(f) => return Ok((tmp, f)),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
    }

    fn remove_stale_temps(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let prefix = format!(".{FILE}.");
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
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
        if e.kind() == ErrorKind::PermissionDenied {
            return self.unreadable(path, e);
        }
        CliError::Failure(format!(
            "cannot {what} {}: {e}; check that the directory is writable and has free \
             space, or set XDG_STATE_HOME to one that is",
            path.display()
        ))
    }

    /// A state that exists but cannot be read: never taken for "no state".
    fn unreadable(&self, path: &Path, e: std::io::Error) -> CliError {
        CliError::Failure(format!(
            "cannot access {}: {e}; nothing was changed. Give your user access \
             (chmod u+rwx {}), or set XDG_STATE_HOME to a directory you own",
            path.display(),
            self.dir.display()
        ))
    }
}

impl State {
    /// The state before anything is recorded.
    pub fn empty() -> State {
        State {
            format: FORMAT,
            driver: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// Parses the bytes of the state file at `path` (named in errors). Pure, so
/// the parser can be fuzzed. The first format (an injury time and a list
/// of sessions) is read and converted; it is written in this format at the
/// next change.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<State, CliError> {
    let aside = |why: String| {
        CliError::Failure(format!(
            "the state file {p} {why}; left as it is. Fix it, or rename it to start a \
             new course",
            p = path.display()
        ))
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        aside(format!(
            "is not UTF-8 text (a bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| aside(format!("is not valid JSON ({e})")))?;
    let serde_json::Value::Object(mut fields) = value else {
        return Err(aside(
            "has no format version (it is not a JSON object)".into(),
        ));
    };
    let driver = match fields.get("format").and_then(serde_json::Value::as_u64) {
        Some(1) => from_first_format(&mut fields).map_err(aside)?,
        Some(v) if v == u64::from(FORMAT) => match fields.remove("driver") {
            None | Some(serde_json::Value::Null) => None,
            // The library reads its own part, so a broken rule comes back
            // as its typed error, worded by it.
            Some(d) => Some(Driver::from_json(&d.to_string()).map_err(|e| {
                aside(format!(
                    "has a log this version cannot use ({})",
                    e.problem()
                ))
            })?),
        },
        Some(v) => {
            return Err(CliError::Failure(format!(
                "the state file {} has format version {v}, which this therapy-timer \
                 (format {FORMAT}) cannot read; it was left as it is. Use the \
                 therapy-timer that wrote it, or move the file aside to start a new course",
                path.display()
            )))
        }
        None => return Err(aside("has no format version".into())),
    };
    fields.remove("format");
    Ok(State {
        format: FORMAT,
        driver,
        extra: fields,
    })
}

/// The first format: `injured_at`, `sessions`, `review_announced_at` and
/// `not_before` at the top level. Its fields are taken out of `fields`; what
/// is left is kept as unknown fields. A log without an injury time becomes
/// a course without one, counted from its first session.
fn from_first_format(
    fields: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<Option<Driver>, String> {
    let injured = fields.remove("injured_at");
    let sessions = fields.remove("sessions");
    // Times, or null; anything else is not this format.
    let time = |v: Option<serde_json::Value>, key: &str| -> Result<bool, String> {
        match v {
            None | Some(serde_json::Value::Null) => Ok(false),
            Some(serde_json::Value::String(t))
                if chrono::DateTime::parse_from_rfc3339(&t).is_ok() =>
            {
                Ok(true)
            }
            Some(_) => Err(format!(
                "is not a therapy-timer state ({key} is not a time)"
            )),
        }
    };
    let reviewed = time(fields.remove("review_announced_at"), "review_announced_at")?;
    // A snooze from before an upgrade has long run out (as the library
    // reads its own first format).
    time(fields.remove("not_before"), "not_before")?;
    let sessions = match sessions {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(list)) => list,
        Some(_) => return Err("is not a therapy-timer state (sessions is not a list)".into()),
    };
    let (injured_at, known) = match injured {
        Some(t) if !t.is_null() => (t, true),
        _ => match sessions
            .iter()
            .filter_map(|s| s.get("start").and_then(serde_json::Value::as_str))
            .min_by_key(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        {
            Some(first) => (serde_json::Value::from(first), false),
            None if sessions.is_empty() => return Ok(None),
            None => return Err("is not a therapy-timer state (a session has no start)".into()),
        },
    };
    let driver = serde_json::json!({
        "format": 1,
        "course": {
            "format": 1,
            "injured_at": injured_at,
            "sessions": sessions,
            "injury_known": known,
        },
        "given": { "review": reviewed },
    });
    Driver::from_json(&driver.to_string())
        .map(Some)
        .map_err(|e| format!("is not a therapy-timer state ({})", e.problem()))
}

/// Options that create files readable by their owner only: the log is
/// health information.
fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

#[cfg(test)]
mod fuzz {
    use std::path::Path;

    use proptest::prelude::*;

    use super::{parse, State};

    fn path() -> &'static Path {
        Path::new("/s/state.json")
    }

    /// A state file's text: well-formed ones with a few sessions and fields
    /// this version does not know, and near misses.
    fn state_text() -> impl Strategy<Value = String> {
        let session = (0u8..2, 0i64..2_000_000, 1i64..1200, 0u8..3);
        (
            proptest::option::of(0i64..1_000_000),
            proptest::collection::vec(session, 0..5),
            proptest::collection::btree_map("x_[a-z]{1,6}", "\\PC{0,8}", 0..3),
            0u8..4,
        )
            .prop_map(|(injured, sessions, extra, format)| {
                let base = 1_772_352_000; // 2026-03-01T08:00:00Z
                let mut t = base;
                let mut list = Vec::new();
                for (phase, gap, len, outcome) in sessions {
                    t += gap;
                    let start = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
                    let end = chrono::DateTime::from_timestamp(t + len, 0).unwrap_or_default();
                    t += len;
                    let phase = ["ice", "heat"][usize::from(phase)];
                    let outcome = ["running", "completed", "cut_short"][usize::from(outcome)];
                    list.push(serde_json::json!({
                        "phase": phase,
                        "start": start.to_rfc3339(),
                        "end": end.to_rfc3339(),
                        "outcome": outcome,
                    }));
                }
                let format = [1, 1, 0, 2][usize::from(format)];
                let mut v = serde_json::json!({ "format": format, "sessions": list });
                if let Some(i) = injured {
                    v["injured_at"] = chrono::DateTime::from_timestamp(base - i, 0)
                        .unwrap_or_default()
                        .to_rfc3339()
                        .into();
                }
                for (k, x) in extra {
                    v[k] = x.into();
                }
                v.to_string()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any bytes: a state or an error, never a panic.
        #[test]
        fn any_bytes_are_a_state_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            let _ = parse(path(), &bytes);
        }

    }

    /// Any text shaped like a state: no panic, and what is accepted is the
    /// same after it is written and read again, unknown fields too. Most
    /// generated states are accepted (checked, so the test cannot pass by
    /// refusing everything).
    #[test]
    fn accepted_states_round_trip() {
        let accepted = std::cell::Cell::new(0u32);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(512));
        let result = runner.run(&prop_oneof![4 => state_text(), 1 => "\\PC{0,80}"], |text| {
            if let Ok(state) = parse(path(), text.as_bytes()) {
                accepted.set(accepted.get() + 1);
                let written = serde_json::to_string_pretty(&state).expect("a state serializes");
                let again: State =
                    parse(path(), written.as_bytes()).expect("what was written reads back");
                prop_assert_eq!(&again, &state);
                let original: serde_json::Value = serde_json::from_str(&text).expect("it was JSON");
                for (k, v) in original
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| k.starts_with("x_"))
                {
                    prop_assert_eq!(state.extra.get(k), Some(v));
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        assert!(
            accepted.get() >= 100,
            "only {} of 512 accepted",
            accepted.get()
        );
    }
}
