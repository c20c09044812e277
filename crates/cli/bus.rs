//! Finding the session bus when the environment does not say where it is
//! (cron, a systemd timer started before the desktop).

use std::path::PathBuf;

/// Where the session bus was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The D-Bus address.
    pub address: String,
    /// Where it came from, for `doctor`.
    pub how: &'static str,
}

/// The session bus: `DBUS_SESSION_BUS_ADDRESS`, else the socket
/// `$XDG_RUNTIME_DIR/bus`, else `/run/user/<uid>/bus`.
pub fn discover() -> Option<Found> {
    if let Some(a) = std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .ok()
        .filter(|a| !a.trim().is_empty())
    {
        return Some(Found {
            address: a,
            how: "DBUS_SESSION_BUS_ADDRESS",
        });
    }
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| (PathBuf::from(d).join("bus"), "$XDG_RUNTIME_DIR/bus"));
    let per_user = uid().map(|u| {
        (
            PathBuf::from(format!("/run/user/{u}/bus")),
            "/run/user/<uid>/bus",
        )
    });
    [runtime, per_user]
        .into_iter()
        .flatten()
        .find(|(p, _)| is_socket(p))
        .map(|(p, how)| Found {
            address: format!("unix:path={}", p.display()),
            how,
        })
}

/// Makes the bus found by [`discover`] the one notifications use. Call it
/// before any thread starts (it sets an environment variable).
pub fn use_discovered() -> Option<Found> {
    let found = discover()?;
    if found.how != "DBUS_SESSION_BUS_ADDRESS" {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &found.address);
    }
    Some(found)
}

#[cfg(unix)]
fn uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's own user.
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

#[cfg(not(unix))]
fn uid() -> Option<u32> {
    None
}

#[cfg(unix)]
fn is_socket(p: &std::path::Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(p).is_ok_and(|m| m.file_type().is_socket())
}

#[cfg(not(unix))]
fn is_socket(_: &std::path::Path) -> bool {
    false
}
