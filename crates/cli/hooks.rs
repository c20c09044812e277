//! `[hooks] event = "COMMAND"`: a command run for every event the program
//! gives, with the event as one JSON object on stdin (the object `tick
//! --json` prints) and `THERAPY_TIMER_EVENT=<kind>` in its environment. A
//! push to a phone, a smart plug switched off at heat-off.
//!
//! The hooks run one after the other, in the order of the events, on a
//! thread of their own: never between a deadline and its notice, nor
//! before the state is written. Each runs at most [`HOOK_LIMIT`], then is
//! killed (with whatever it started); a failure is a warning. The events
//! come from the driver under the state lock, so each reaches the hook once
//! however many processes run.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one hook may run.
pub const HOOK_LIMIT: Duration = Duration::from_secs(10);

/// How one hook ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// It exited 0.
    Ok,
    /// It failed, or was killed, and why.
    Failed(String),
}

/// Runs the configured hook for each event handed to it.
#[derive(Debug, Default)]
pub struct Hooks {
    command: Option<String>,
    worker: Option<(Sender<Job>, JoinHandle<()>)>,
}

#[derive(Debug)]
struct Job {
    kind: String,
    json: String,
    done: Option<Sender<Ran>>,
}

impl Hooks {
    /// Hooks running `command` (none: nothing runs).
    pub fn new(command: Option<String>) -> Hooks {
        Hooks {
            command,
            worker: None,
        }
    }

    /// Queues the hook for `event` (a JSON object with its kind in
    /// `"event"`), without waiting for it. `done`, if given, hears how it
    /// ran.
    pub fn fire(&mut self, event: &serde_json::Value, done: Option<Sender<Ran>>) {
        let Some(command) = &self.command else {
            return;
        };
        let kind = event["event"].as_str().unwrap_or("event").to_owned();
        let json = event.to_string();
        if self.worker.is_none() {
            let (tx, jobs) = mpsc::channel::<Job>();
            let command = command.clone();
            let spawned = std::thread::Builder::new()
                .name("hooks".into())
                .spawn(move || {
                    for job in jobs {
                        let ran = run(&command, &job.kind, &job.json);
                        if let Ran::Failed(why) = &ran {
                            errln!(
                                "therapy-timer: warning: the hook for the {} event failed \
                                 ({why}); the timer goes on",
                                job.kind
                            );
                        }
                        if let Some(done) = job.done {
                            let _ = done.send(ran);
                        }
                    }
                });
            match spawned {
                Ok(handle) => self.worker = Some((tx, handle)),
                Err(e) => {
                    errln!("therapy-timer: warning: the hook cannot run (no thread: {e})");
                    return;
                }
            }
        }
        if let Some((tx, _)) = &self.worker {
            let _ = tx.send(Job { kind, json, done });
        }
    }

    /// Waits for the hooks still queued or running (each at most
    /// [`HOOK_LIMIT`]).
    pub fn finish(&mut self) {
        if let Some((tx, handle)) = self.worker.take() {
            drop(tx);
            let _ = handle.join();
        }
    }
}

impl Drop for Hooks {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Runs `command` by `sh -c` for one event, at most [`HOOK_LIMIT`].
fn run(command: &str, kind: &str, json: &str) -> Ran {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .env("THERAPY_TIMER_EVENT", kind)
        .stdin(Stdio::piped())
        // Its output is not ours: `tick --json` prints only events.
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        // Its own process group, so that the limit ends what it started too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Ran::Failed(format!("cannot run `sh -c`: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is no failure.
        let _ = writeln!(stdin, "{json}");
    }
    let until = Instant::now() + HOOK_LIMIT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ran::Ok,
            Ok(Some(status)) => return Ran::Failed(format!("it exited with {status}")),
            Ok(None) if Instant::now() >= until => {
                kill(&mut child);
                return Ran::Failed(format!(
                    "still running after {}s, so it was stopped",
                    HOOK_LIMIT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Ran::Failed(e.to_string()),
        }
    }
}

/// Ends `child` and its process group.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_reads_the_event_and_its_kind() {
        let dir = std::env::temp_dir().join(format!("tt-hook-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let out = dir.join("out");
        let mut hooks = Hooks::new(Some(format!(
            "{{ printf '%s ' \"$THERAPY_TIMER_EVENT\"; cat; }} >> '{}'",
            out.display()
        )));
        let (tx, rx) = mpsc::channel();
        hooks.fire(&serde_json::json!({"event": "stop", "n": 1}), Some(tx));
        assert_eq!(rx.recv_timeout(Duration::from_secs(20)), Ok(Ran::Ok));
        hooks.finish();
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        assert_eq!(text, "stop {\"event\":\"stop\",\"n\":1}\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failing_hook_is_reported() {
        let mut hooks = Hooks::new(Some("exit 3".into()));
        let (tx, rx) = mpsc::channel();
        hooks.fire(&serde_json::json!({"event": "test"}), Some(tx));
        let ran = rx.recv_timeout(Duration::from_secs(20));
        assert!(
            matches!(ran, Ok(Ran::Failed(ref w)) if w.contains("3")),
            "{ran:?}"
        );
    }
}
