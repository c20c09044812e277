//! The writers' lock: taken within a limit, and when another process holds
//! it, that process named as the kernel sees it (not whoever wrote last).

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a held lock is waited on before saying so.
pub const WAIT_QUIETLY: Duration = Duration::from_secs(1);

/// How long a writer waits for the lock at most: a writer stopped with
/// Ctrl-Z holds it for as long as it is stopped.
pub const WAIT_AT_MOST: Duration = Duration::from_secs(10);

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Still held by another process after [`WAIT_AT_MOST`]: its pid and
    /// name, when the kernel says.
    Held(Option<(u32, String)>),
    /// The system call failed.
    Io(std::io::Error),
}

/// Takes an exclusive lock on `lock` (the file at `path`), saying after
/// [`WAIT_QUIETLY`] who holds it, and giving up after [`WAIT_AT_MOST`].
pub fn exclusive(lock: &File, path: &Path) -> Result<(), LockError> {
    let started = Instant::now();
    let mut said = false;
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
        let waited = started.elapsed();
        if waited >= WAIT_AT_MOST {
            return Err(LockError::Held(holder(lock)));
        }
        if waited >= WAIT_QUIETLY && !said {
            said = true;
            errln!(
                "therapy-timer: waiting for {} (it holds {}); giving up after {} s",
                who(holder(lock).as_ref()),
                path.display(),
                WAIT_AT_MOST.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The holder, in words: "another therapy-timer, pid 42" or "pid 42
/// (flock)".
pub fn who(holder: Option<&(u32, String)>) -> String {
    match holder {
        Some((pid, name)) if name == "therapy-timer" || name.starts_with("therapy-tim") => {
            format!("another therapy-timer, pid {pid}")
        }
        Some((pid, name)) if !name.is_empty() => format!("another process, pid {pid} ({name})"),
        Some((pid, _)) => format!("another process, pid {pid}"),
        None => "another process".to_owned(),
    }
}

/// The process holding a lock on `lock`, from the kernel's table of locks
/// (`/proc/locks`, matched by device and inode), with its name.
#[cfg(target_os = "linux")]
fn holder(lock: &File) -> Option<(u32, String)> {
    use std::os::unix::fs::MetadataExt;
    let meta = lock.metadata().ok()?;
    let dev = meta.dev();
    // glibc's major() and minor(), as /proc/locks prints them (hex).
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    let want = format!("{major:02x}:{minor:02x}:{}", meta.ino());
    let me = std::process::id();
    let table = std::fs::read_to_string("/proc/locks").ok()?;
    let pid = table
        .lines()
        // "1: FLOCK  ADVISORY  WRITE 4242 00:2f:1234 0 EOF"; a waiter's line
        // has "->" after the number.
        .filter(|l| !l.contains("->"))
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let pid = fields.get(4)?.parse::<u32>().ok()?;
            (fields.get(5) == Some(&want.as_str()) && pid != me).then_some(pid)
        })
        .next()?;
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|n| n.trim().to_owned())
        .unwrap_or_default();
    Some((pid, name))
}

#[cfg(not(target_os = "linux"))]
fn holder(_lock: &File) -> Option<(u32, String)> {
    None
}

#[cfg(test)]
mod tests {
    use super::who;

    #[test]
    fn the_holder_is_named_as_the_kernel_says() {
        assert_eq!(
            who(Some(&(42, "therapy-timer".into()))),
            "another therapy-timer, pid 42"
        );
        assert_eq!(
            who(Some(&(7, "flock".into()))),
            "another process, pid 7 (flock)"
        );
        assert_eq!(who(None), "another process");
    }
}
