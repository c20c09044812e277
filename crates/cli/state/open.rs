//! Opening the store's files so that nothing else is opened in their place:
//! the last component is never followed if it is a symbolic link (a link
//! named `state.lock` would otherwise have another file truncated or
//! written), opening never blocks (a FIFO opens at once instead of waiting
//! for a writer), and only a regular file is read, never more than
//! [`MAX_BYTES`] of it (`/dev/zero` would otherwise be read for ever).

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The most a file of the store (or the config file) may hold: far more
/// than ten years of courses, far less than the memory of any machine.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be opened or read.
#[derive(Debug)]
pub enum OpenError {
    /// There is no file.
    Missing,
    /// A symbolic link where a file of the store belongs.
    Link,
    /// Something other than a regular file: what it is.
    NotAFile(&'static str),
    /// Larger than [`MAX_BYTES`].
    TooLarge(u64),
    /// Any other failure of the system call.
    Io(std::io::Error),
}

impl OpenError {
    /// What is wrong with `path`, and the fix: for a message that also
    /// says what was (not) done.
    pub fn describe(&self, path: &Path) -> String {
        let p = path.display();
        match self {
            OpenError::Missing => format!("{p} does not exist"),
            OpenError::Link => format!(
                "{p} is a symbolic link, which therapy-timer does not follow in its state \
                 directory; replace it with the file itself (or remove it)"
            ),
            OpenError::NotAFile(what) => {
                format!("{p} is {what}, not a regular file; remove it (or move it aside)")
            }
            OpenError::TooLarge(len) => format!(
                "{p} holds {len} bytes, more than the {} MiB a therapy-timer file can be; \
                 it is not one, move it aside",
                MAX_BYTES / (1024 * 1024)
            ),
            OpenError::Io(e) => format!("cannot open {p}: {e}"),
        }
    }
}

impl From<std::io::Error> for OpenError {
    fn from(e: std::io::Error) -> OpenError {
        #[cfg(unix)]
        match e.raw_os_error() {
            // O_NOFOLLOW on a symbolic link.
            Some(libc::ELOOP) => return OpenError::Link,
            Some(libc::EISDIR) => return OpenError::NotAFile("a directory"),
            // A FIFO with no reader, opened for writing without blocking.
            Some(libc::ENXIO) => return OpenError::NotAFile("a FIFO or a device"),
            _ => {}
        }
        if e.kind() == ErrorKind::NotFound {
            return OpenError::Missing;
        }
        OpenError::Io(e)
    }
}

/// Opens `path` with `options`, adding "do not follow a link here" when
/// `follow` is false and always "do not block", then checks that it is a
/// regular file.
pub fn open(path: &Path, options: &mut OpenOptions, follow: bool) -> Result<File, OpenError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC | nofollow);
    }
    #[cfg(not(unix))]
    let _ = follow;
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(OpenError::NotAFile(kind(&meta)));
    }
    Ok(file)
}

/// Reads the whole regular file at `path`, at most [`MAX_BYTES`].
pub fn read(path: &Path, follow: bool) -> Result<Vec<u8>, OpenError> {
    let file = open(path, OpenOptions::new().read(true), follow)?;
    let len = file.metadata()?.len();
    if len > MAX_BYTES {
        return Err(OpenError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // The length can grow while it is read; never past the limit.
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(OpenError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::{read, OpenError, MAX_BYTES};

    #[test]
    fn only_regular_files_are_read_and_links_are_followed_only_when_asked() {
        let dir = tempfile::tempdir().expect("a directory");
        let file = dir.path().join("f");
        std::fs::write(&file, "text").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert_eq!(read(&file, false).expect("a file"), b"text");
        assert!(matches!(read(&link, false), Err(OpenError::Link)));
        assert_eq!(read(&link, true).expect("followed"), b"text");
        assert!(matches!(
            read(dir.path(), false),
            Err(OpenError::NotAFile("a directory"))
        ));
        assert!(matches!(
            read(std::path::Path::new("/dev/zero"), true),
            Err(OpenError::NotAFile("a device"))
        ));
        assert!(matches!(
            read(&dir.path().join("none"), false),
            Err(OpenError::Missing)
        ));
        let big = dir.path().join("big");
        std::fs::File::create(&big)
            .and_then(|f| f.set_len(MAX_BYTES + 1))
            .expect("a sparse file");
        assert!(matches!(read(&big, false), Err(OpenError::TooLarge(_))));
    }
}
