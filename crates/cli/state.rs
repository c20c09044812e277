//! The persisted driver: the library's [`Driver`] (the course and which
//! notices were given), in one versioned JSON file under the XDG state
//! directory, and each earlier course in a file of its own beside it
//! (`courses/000001.json`, ...), so that a step reads and writes only the
//! current course however many years of history there are.
//!
//! Reading takes no lock: every write is atomic (a temporary file in the
//! same directory, fsync, rename over the old file, fsync of the
//! directory), so a read sees one whole version, and works on a read-only
//! file system and while a writer holds the lock. Every change is a
//! read-modify-write under an exclusive lock on a separate lock file, waited
//! on for at most [`lock::WAIT_AT_MOST`]. No file of the store is followed
//! if it is a symbolic link, or read if it is not a regular file (see
//! [`open`]). A file this version cannot read is never overwritten or
//! removed, and a state file its owner made read-only is never written.

mod check;
mod lock;
mod open;

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use therapy_timer::{Course, Driver};

use crate::error::CliError;
use crate::notifier::OnScreen;
pub use open::{read as read_regular, OpenError};

/// The format version this build writes; it reads this one and the first.
pub const FORMAT: u32 = 2;
const FILE: &str = "state.json";
const LOCK: &str = "state.lock";
/// The directory of the earlier courses, one file each, numbered from 1.
const COURSES: &str = "courses";
/// The state file's count of the earlier courses in [`COURSES`]: files
/// numbered above it are left by a write that did not finish, and unread.
const PAST_KEY: &str = "past_courses";
/// The state file's list of the notices on screen.
const NOTICES_KEY: &str = "notices";
/// At most this many notices are kept (one a session, and a session at a
/// time): a longer list is not this program's.
const MAX_NOTICES: usize = 8;

/// What the state file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Format version; a newer one is refused rather than misread.
    pub format: u32,
    /// The driver, once a course is recorded (an injury time, or a first
    /// session). Its earlier courses are there only after
    /// [`Store::read_all`] (or in a file written before they were kept
    /// apart).
    pub driver: Option<Driver>,
    /// How many earlier courses are kept apart, in [`COURSES`].
    archived: u32,
    /// The notices on the desktop, one a session at most: what the next
    /// notice about a session replaces, and what is closed when the pack is
    /// off. A display cache, not a record: a value this version cannot read
    /// is taken as none.
    pub notices: Vec<OnScreen>,
    /// Fields this version does not know (written by a newer one), kept
    /// byte for byte so that a write by this version changes none of them.
    extra: Extra,
}

/// Unknown top-level fields, in their order, as their exact JSON text.
#[derive(Debug, Clone, Default)]
struct Extra(Vec<(String, Box<RawValue>)>);

impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| a == b && x.get() == y.get())
    }
}

impl Extra {
    /// The text of the field `key`, if there is one.
    #[cfg(test)]
    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("format", &self.format)?;
        if let Some(d) = &self.driver {
            map.serialize_entry("driver", d)?;
        }
        if self.archived > 0 {
            map.serialize_entry(PAST_KEY, &self.archived)?;
        }
        if !self.notices.is_empty() {
            map.serialize_entry(NOTICES_KEY, &self.notices)?;
        }
        for (k, v) in &self.extra.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The top-level fields of a state file as read: each key once (a
/// repeated key is an error, not "the last one wins"), each value as its
/// exact text, parsed later by whoever knows it.
struct Fields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut out: Vec<(String, Box<RawValue>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!(
                            "the key \"{}\" appears twice",
                            key.escape_debug()
                        )));
                    }
                    let value: Box<RawValue> = map.next_value()?;
                    out.push((key, value));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(Each)
    }
}

impl Fields {
    fn take(&mut self, key: &str) -> Option<Box<RawValue>> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }
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
        let m = fs::symlink_metadata(self.path()).ok()?;
        Some(Stamp {
            modified: m.modified().ok(),
            len: m.len(),
            #[cfg(unix)]
            inode: std::os::unix::fs::MetadataExt::ino(&m),
        })
    }

    /// Reads the state, the current course only (an empty state if there
    /// is no file yet), without a lock. A file that exists but cannot be
    /// read is an error, never "no state".
    pub fn read(&self) -> Result<State, CliError> {
        self.load()
    }

    /// Reads the state with every earlier course (for `log --all` and the
    /// report): linear in the history.
    pub fn read_all(&self) -> Result<State, CliError> {
        let mut state = self.load()?;
        let mut past = Vec::new();
        for n in 1..=state.archived {
            let path = self.course_path(n);
            let bytes = open::read(&path, false).map_err(|e| self.refused(&path, &e))?;
            let aside = |why: String| {
                CliError::Failure(format!(
                    "the earlier course {} {why}; left as it is. Fix it, or move it aside \
                     (the other courses are kept)",
                    path.display()
                ))
            };
            let text =
                std::str::from_utf8(&bytes).map_err(|_| aside("is not UTF-8 text".into()))?;
            let course = Course::from_json(text)
                .map_err(|e| aside(format!("cannot be used ({})", first_part(&e.to_string()))))?;
            check::course(&course, "course", chrono::Utc::now())
                .map_err(|e| aside(format!("has a value this program never writes ({e})")))?;
            past.push(course);
        }
        if let Some(d) = state.driver.as_mut() {
            d.restore_past_courses(past);
        }
        Ok(state)
    }

    /// Reads, changes and writes the state under an exclusive lock, so two
    /// runs at once never lose an entry. Nothing is written if `change`
    /// fails, or changes nothing. Earlier courses the change leaves in the
    /// driver (a new course started) are moved to files of their own.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut State) -> Result<T, CliError>,
    ) -> Result<T, CliError> {
        if let Some(why) = &self.no_writes {
            return Err(CliError::Usage(why.clone()));
        }
        self.create_dir(&self.dir)?;
        let lock_path = self.dir.join(LOCK);
        let lock = open::open(
            &lock_path,
            private_options().read(true).write(true).create(true),
            false,
        )
        .map_err(|e| self.refused(&lock_path, &e))?;
        lock::exclusive(&lock, &lock_path).map_err(|e| match e {
            lock::LockError::Io(e) => self.io("lock", &lock_path, e),
            lock::LockError::Held(holder) => {
                let who = lock::who(holder.as_ref());
                let fix = match &holder {
                    Some((pid, _)) => format!(
                        "if it is stopped (Ctrl-Z), resume it (fg) or end it (kill {pid}), \
                         then run this again"
                    ),
                    None => "end the process that holds it, then run this again".into(),
                };
                CliError::Failure(format!(
                    "{who} has held {} for {} s; nothing was changed. {fix}",
                    lock_path.display(),
                    lock::WAIT_AT_MOST.as_secs()
                ))
            }
        })?;
        let mut state = self.load()?;
        let before = state.clone();
        let out = change(&mut state)?;
        if state != before {
            self.check_writable()?;
            state.format = FORMAT;
            self.archive(&mut state)?;
            self.write(&state)?;
        }
        Ok(out)
        // The lock is released when `lock` is dropped.
    }

    fn load(&self) -> Result<State, CliError> {
        let path = self.path();
        let bytes = match open::read(&path, false) {
            Ok(b) => b,
            Err(OpenError::Missing) => return Ok(State::empty()),
            Err(e) => return Err(self.refused(&path, &e)),
        };
        let state = parse(&path, &bytes)?;
        if let Some(d) = &state.driver {
            check::driver(d, chrono::Utc::now()).map_err(|e| {
                CliError::Failure(format!(
                    "the state file {} has a value this program never writes ({e}); left as \
                     it is. Fix it, or rename it to start a new course",
                    path.display()
                ))
            })?;
        }
        Ok(state)
    }

    /// A state file its owner made read-only stays so: nothing is recorded.
    fn check_writable(&self) -> Result<(), CliError> {
        let path = self.path();
        #[cfg(unix)]
        if let Ok(m) = fs::symlink_metadata(&path) {
            use std::os::unix::fs::PermissionsExt;
            let mode = m.permissions().mode() & 0o7777;
            if mode & 0o200 == 0 {
                return Err(CliError::Failure(format!(
                    "the state file {p} is read-only (mode {mode:04o}), so nothing was \
                     recorded; to record again, make it writable: chmod u+w {p}",
                    p = path.display()
                )));
            }
        }
        Ok(())
    }

    /// Moves the earlier courses out of the driver into files of their own,
    /// each written whole before the state that counts it.
    fn archive(&self, state: &mut State) -> Result<(), CliError> {
        let Some(driver) = state.driver.as_mut() else {
            return Ok(());
        };
        let past = driver.take_past_courses();
        if past.is_empty() {
            return Ok(());
        }
        let dir = self.dir.join(COURSES);
        self.create_dir(&dir)?;
        // Only here (a new course is rare): a listing of this directory
        // grows with the history.
        remove_temps(&dir, "course");
        for course in past {
            let n = state.archived.checked_add(1).ok_or_else(|| {
                CliError::Failure("too many earlier courses to keep another".into())
            })?;
            let path = self.course_path(n);
            let mut text = course.to_json();
            text.push('\n');
            self.replace(&dir, &path, "course", text.as_bytes())?;
            state.archived = n;
        }
        Ok(())
    }

    fn course_path(&self, n: u32) -> PathBuf {
        self.dir.join(COURSES).join(format!("{n:06}.json"))
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
        self.replace(&self.dir, &path, FILE, text.as_bytes())
    }

    /// Writes `bytes` as the file at `path` in `dir`, atomically.
    fn replace(&self, dir: &Path, path: &Path, name: &str, bytes: &[u8]) -> Result<(), CliError> {
        let result = (|| {
            let (tmp, mut f) = create_temp(dir, name)?;
            let written = (|| {
                f.write_all(bytes)?;
                f.sync_all()?;
                fs::rename(&tmp, path)
            })();
            if let Err(e) = written {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
            // Make the rename itself durable.
            File::open(dir)?.sync_all()
        })();
        result.map_err(|e| self.io("write", path, e))
    }

    fn remove_stale_temps(&self) {
        remove_temps(&self.dir, FILE);
    }

    /// Creates `dir` (and its parents) readable by its owner only: the log
    /// is health information.
    fn create_dir(&self, dir: &Path) -> Result<(), CliError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| self.io("create", dir, e))
    }

    /// A file of the store that is not what it should be, or cannot be
    /// opened.
    fn refused(&self, path: &Path, e: &OpenError) -> CliError {
        match e {
            OpenError::Io(io) => {
                let io = std::io::Error::new(io.kind(), io.to_string());
                self.io("open", path, io)
            }
            other => CliError::Failure(format!("{}; nothing was changed", other.describe(path))),
        }
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

/// Removes the temporary files for `name` in `dir`: under the exclusive
/// lock, any there was left by a writer that was killed.
fn remove_temps(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A new temporary file in `dir` for the file `name`, with a name unique
/// to this write (not just this process: a PID is reused, in a PID
/// namespace or after a kill).
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut last = None;
    for _ in 0..16 {
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}-{nanos}-{n}.tmp", std::process::id()));
        match private_options().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

/// The finding of a library error, without its hint after "; " (which is
/// about recording, not about a file).
fn first_part(e: &str) -> String {
    e.split("; ").next().unwrap_or(e).to_owned()
}

impl State {
    /// The state before anything is recorded.
    pub fn empty() -> State {
        State {
            format: FORMAT,
            driver: None,
            archived: 0,
            notices: Vec::new(),
            extra: Extra::default(),
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
    let mut fields: Fields = serde_json::from_str(text).map_err(|e| {
        let json = serde_json::from_str::<serde_json::Value>(text).is_ok();
        if json && !text.trim_start().starts_with('{') {
            aside("has no format version (it is not a JSON object)".into())
        } else {
            aside(format!("is not valid JSON ({e})"))
        }
    })?;
    let format = fields
        .take("format")
        .and_then(|f| serde_json::from_str::<u64>(f.get()).ok());
    let mut archived = 0;
    // A cache of what is on screen: one this version cannot read is none
    // (the next notice is a new one), never a reason to refuse the log.
    let notices = fields
        .take(NOTICES_KEY)
        .and_then(|n| serde_json::from_str::<Vec<OnScreen>>(n.get()).ok())
        .filter(|n| n.len() <= MAX_NOTICES && n.iter().all(|n| n.server.len() <= 255))
        .unwrap_or_default();
    let driver = match format {
        Some(1) => from_first_format(&mut fields).map_err(aside)?,
        Some(v) if v == u64::from(FORMAT) => {
            if let Some(n) = fields.take(PAST_KEY) {
                archived = serde_json::from_str::<u32>(n.get()).map_err(|_| {
                    aside(format!("has {PAST_KEY} {}, which is not a count", n.get()))
                })?;
            }
            match fields.take("driver") {
                None => None,
                Some(d) if d.get() == "null" => None,
                // The library reads its own part, so a broken rule comes
                // back as its typed error, worded by it.
                Some(d) => Some(Driver::from_json(d.get()).map_err(|e| {
                    aside(format!(
                        "has a log this version cannot use ({})",
                        e.problem()
                    ))
                })?),
            }
        }
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
    Ok(State {
        format: FORMAT,
        driver,
        archived,
        notices,
        extra: Extra(fields.0),
    })
}

/// The first format: `injured_at`, `sessions`, `review_announced_at` and
/// `not_before` at the top level. Its fields are taken out of `fields`; what
/// is left is kept as unknown fields. A log without an injury time becomes
/// a course without one, counted from its first session.
fn from_first_format(fields: &mut Fields) -> Result<Option<Driver>, String> {
    // This format is read once, at an upgrade: as values.
    let mut take = |key: &str| -> Result<Option<serde_json::Value>, String> {
        fields
            .take(key)
            .map(|raw| {
                serde_json::from_str(raw.get()).map_err(|e| format!("is not valid JSON ({e})"))
            })
            .transpose()
    };
    let injured = take("injured_at")?;
    let sessions = take("sessions")?;
    let review = take("review_announced_at")?;
    let not_before = take("not_before")?;
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
    let reviewed = time(review, "review_announced_at")?;
    // A snooze from before an upgrade has long run out (as the library
    // reads its own first format).
    time(not_before, "not_before")?;
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
                    let kept: Option<serde_json::Value> = state
                        .extra
                        .get(k)
                        .and_then(|raw| serde_json::from_str(raw.get()).ok());
                    prop_assert_eq!(kept.as_ref(), Some(v));
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
