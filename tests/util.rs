//! Running the binary hermetically, and reporting failures with the whole
//! command, its status, stdout and stderr.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_therapy-timer");

/// A private home for one test: state and config directories of its own.
pub struct Env {
    dir: TempDir,
    tz: &'static str,
}

impl Env {
    /// A new environment in UTC.
    pub fn new() -> Env {
        Env::in_zone("UTC")
    }

    /// A new environment whose local time zone is `tz` (an IANA name).
    pub fn in_zone(tz: &'static str) -> Env {
        let dir = tempfile::Builder::new()
            .prefix("therapy-timer-test")
            .tempdir()
            .expect("a temporary directory");
        Env { dir, tz }
    }

    /// The temporary directory everything lives in.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Where the state file is.
    pub fn state_file(&self) -> PathBuf {
        self.root().join("state/therapy-timer/state.json")
    }

    /// The command, with the tool's own variables and the desktop removed.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.program(BIN, args)
    }

    /// Another program (a wrapper such as `dbus-run-session`) in the same
    /// hermetic environment.
    pub fn program<I, S>(&self, program: impl AsRef<OsStr>, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = Command::new(program);
        c.args(args)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("RUST_BACKTRACE")
            // No sound server but one a test starts (see [`Pulse`]).
            .env_remove("PULSE_SERVER")
            .env_remove("PULSE_RUNTIME_PATH")
            .env_remove("PULSE_COOKIE")
            .env("HOME", self.root())
            .env("XDG_STATE_HOME", self.root().join("state"))
            .env("XDG_CONFIG_HOME", self.root().join("config"))
            // No system bus either (a developer's logind whose screen is
            // locked would hold the prompts); a test that mocks logind
            // sets its own.
            .env(
                "DBUS_SYSTEM_BUS_ADDRESS",
                format!("unix:path={}", self.root().join("no-system-bus").display()),
            )
            // No bus at the fallback paths either.
            .env("XDG_RUNTIME_DIR", self.root().join("runtime"))
            .env("TZ", self.tz);
        c
    }

    /// Runs the command and returns its output.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run(self.cmd(args))
    }
}

/// A finished run.
pub struct Run {
    pub what: String,
    pub out: Output,
}

/// Runs `cmd` to the end.
pub fn run(mut cmd: Command) -> Run {
    let what = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    Run { what, out }
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    pub fn code(&self) -> Option<i32> {
        self.out.status.code()
    }

    /// Everything about the run, for a failure message.
    pub fn report(&self) -> String {
        format!(
            "command: {}\nstatus: {}\n--- stdout\n{}--- stderr\n{}---",
            self.what,
            self.out.status,
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit code, and returns self for more checks.
    #[track_caller]
    pub fn code_is(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            Some(code),
            "wrong exit code\n{}",
            self.report()
        );
        self
    }

    /// Asserts success.
    #[track_caller]
    pub fn ok(&self) -> &Run {
        self.code_is(0)
    }

    /// Asserts that stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr().contains(text),
            "stderr lacks {text:?}\n{}",
            self.report()
        );
        self
    }

    /// Asserts that stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(
            self.stdout().contains(text),
            "stdout lacks {text:?}\n{}",
            self.report()
        );
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.report()))
    }

    /// Asserts that nothing panicked.
    #[track_caller]
    pub fn no_panic(&self) -> &Run {
        assert!(
            !self.stderr().contains("panicked"),
            "the binary panicked\n{}",
            self.report()
        );
        assert_ne!(
            self.code(),
            Some(101),
            "exit 101 is a panic\n{}",
            self.report()
        );
        self
    }
}

/// Whether the desktop tests must run (CI sets this) rather than skip.
pub fn desktop_required() -> bool {
    std::env::var_os("THERAPY_TIMER_REQUIRE_DESKTOP").is_some_and(|v| v == "1")
}

/// The programs a desktop test needs that are missing here.
pub fn missing_programs(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            !std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).any(|d| d.join(n).is_file()))
                .unwrap_or(false)
        })
        .map(|n| (*n).to_owned())
        .collect()
}

/// Returns false (and says so loudly) when a desktop test cannot run here;
/// panics instead when THERAPY_TIMER_REQUIRE_DESKTOP=1.
pub fn desktop_or_skip(test: &str, needs: &[&str]) -> bool {
    let missing = missing_programs(needs);
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "{test}: SKIPPED: missing {} (Debian: apt-get install xvfb dunst dbus dbus-x11 faketime systemd python3-croniter python3-dbus python3-gi)",
        missing.join(", ")
    );
    if desktop_required() {
        panic!("{msg}; THERAPY_TIMER_REQUIRE_DESKTOP=1 makes this a failure");
    }
    eprintln!("\n*** {msg} ***\n");
    false
}

/// Like [`desktop_or_skip`], for tests that need other programs: the skip
/// names the Debian packages that provide them.
pub fn tools_or_skip(test: &str, needs: &[&str], debian: &str) -> bool {
    let missing = missing_programs(needs);
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "{test}: SKIPPED: missing {} (Debian: apt-get install {debian})",
        missing.join(", ")
    );
    if desktop_required() {
        panic!("{msg}; THERAPY_TIMER_REQUIRE_DESKTOP=1 makes this a failure");
    }
    eprintln!("\n*** {msg} ***\n");
    false
}

/// `s` quoted for sh, bash, zsh and fish alike (single quotes; fish also
/// reads a backslash in them, so only words without one are accepted).
pub fn shell_quote(s: &str) -> String {
    assert!(!s.contains('\\'), "cannot quote {s:?} for every shell");
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A PulseAudio server of a test's own: a null sink named `tt` and a
/// native-protocol socket, no config, no D-Bus. Killed when dropped.
pub struct Pulse {
    child: std::process::Child,
    dir: PathBuf,
}

/// The programs a sound test needs, and their Debian packages.
pub const SOUND_TOOLS: [&str; 3] = ["pulseaudio", "parecord", "sox"];
pub const SOUND_PACKAGES: &str = "pulseaudio pulseaudio-utils sox sound-theme-freedesktop";

impl Pulse {
    /// Starts the server under `env`'s root; `None` (said loudly) when the
    /// programs are missing and the desktop is not required.
    pub fn start(env: &Env, test: &str) -> Option<Pulse> {
        if !tools_or_skip(test, &SOUND_TOOLS, SOUND_PACKAGES) {
            return None;
        }
        let dir = env.root().join("pulse");
        std::fs::create_dir_all(dir.join("runtime")).expect("pulse dir");
        let socket = dir.join("native");
        let log = std::fs::File::create(dir.join("pulse.log")).expect("pulse log");
        let child = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "--disable-shm=yes",
                "--log-target=stderr",
                "--load=module-null-sink sink_name=tt",
            ])
            .arg(format!(
                "--load=module-native-protocol-unix socket={} auth-anonymous=1",
                socket.display()
            ))
            .env("HOME", &dir)
            .env("XDG_RUNTIME_DIR", dir.join("runtime"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn pulseaudio");
        let pulse = Pulse { child, dir };
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !socket.exists() {
            assert!(
                std::time::Instant::now() < until,
                "pulseaudio did not start: {}",
                std::fs::read_to_string(pulse.dir.join("pulse.log")).unwrap_or_default()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Some(pulse)
    }

    /// The `PULSE_SERVER` value that reaches it.
    pub fn server(&self) -> String {
        format!("unix:{}", self.dir.join("native").display())
    }

    /// `cmd`, told where the server is.
    pub fn with(&self, mut cmd: Command) -> Command {
        cmd.env("PULSE_SERVER", self.server());
        cmd
    }

    /// Records the sink's monitor while `during` runs, and returns what
    /// `during` returned and the recording's RMS amplitude (sox `stat`).
    pub fn record<T>(&self, name: &str, during: impl FnOnce() -> T) -> (T, f64) {
        let raw = self.dir.join(format!("{name}.raw"));
        let mut rec = Command::new("parecord")
            .args([
                "--raw",
                "--format=s16le",
                "--rate=44100",
                "--channels=1",
                "--latency-msec=20",
                "-d",
                "tt.monitor",
            ])
            .arg(&raw)
            .env("PULSE_SERVER", self.server())
            .env("HOME", &self.dir)
            .spawn()
            .expect("spawn parecord");
        // parecord writes once it is connected and recording.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::metadata(&raw).map_or(0, |m| m.len()) == 0 {
            assert!(std::time::Instant::now() < until, "parecord did not record");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let result = during();
        // The tail of the sound through the sink's latency.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let _ = rec.kill();
        let _ = rec.wait();
        (result, rms(&raw))
    }
}

/// The RMS amplitude of a raw s16le mono 44.1 kHz file, by sox.
pub fn rms(raw: &Path) -> f64 {
    let out = Command::new("sox")
        .args([
            "-t", "raw", "-r", "44100", "-e", "signed", "-b", "16", "-c", "1",
        ])
        .arg(raw)
        .args(["-n", "stat"])
        .output()
        .expect("run sox");
    let text = String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find(|l| l.starts_with("RMS     amplitude:"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("sox stat gave no RMS:\n{text}"))
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Env {
    /// Writes the config file.
    pub fn config(&self, text: &str) {
        let dir = self.root().join("config/therapy-timer");
        std::fs::create_dir_all(&dir).expect("config dir");
        std::fs::write(dir.join("config.toml"), text).expect("config file");
    }

    /// Starts a 10-minute ice session at `when` and kills the `start`
    /// process with SIGKILL once the session is in the log: only `tick`
    /// can give its stop. The process runs under libfaketime with its wall
    /// clock stopped at `when` (not `--at when`: a session started at a
    /// past time is timed from it, so its stop would come at once; and a
    /// stopped clock gives a start in whole seconds).
    pub fn start_and_kill(&self, when: &str) {
        // Sessions already in the log: wait for one more, not for any.
        let logged = || {
            self.run(["log", "--json"])
                .json()
                .as_array()
                .map_or(0, Vec::len)
        };
        let before = logged();
        let lib = libfaketime().unwrap_or_else(|| {
            panic!(
                "libfaketime.so.1 not found: this test needs it to start a session at {when} \
                 (apt-get install faketime)"
            )
        });
        let at = chrono::DateTime::parse_from_rfc3339(when)
            .unwrap_or_else(|e| panic!("start_and_kill: {when:?} is not RFC 3339: {e}"))
            .with_timezone(&chrono::Utc);
        let mut child = self
            .cmd(["start", "--phase", "ice", "--linger", "0s"])
            .env("LD_PRELOAD", lib)
            .env("FAKETIME", at.format("%Y-%m-%d %H:%M:%S").to_string())
            .env("TZ", "UTC")
            .env("DONT_FAKE_MONOTONIC", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn start");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if logged() > before {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "start never logged its session"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
    }
}

/// libfaketime's library, if it is installed.
pub fn libfaketime() -> Option<PathBuf> {
    let roots = ["/usr/lib", "/usr/lib64"];
    for root in roots {
        let direct = Path::new(root).join("faketime/libfaketime.so.1");
        if direct.is_file() {
            return Some(direct);
        }
        for entry in std::fs::read_dir(root).ok()?.flatten() {
            let p = entry.path().join("faketime/libfaketime.so.1");
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs `script` (bash) beside a real dunst in a private D-Bus session
/// (tests/desktop/run-in-desktop.sh), with `BIN` set to the binary and
/// `OUT` to the harness's folder (notify.log, history.json), told where
/// `pulse` is if given.
pub fn in_desktop(env: &Env, pulse: Option<&Pulse>, script: &str, vars: &[(&str, &str)]) -> Run {
    let out = env.root().join("desktop");
    std::fs::create_dir_all(&out).expect("desktop folder");
    std::fs::create_dir_all(env.root().join("runtime")).expect("runtime folder");
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/run-in-desktop.sh");
    let mut cmd = env.program(
        "dbus-run-session",
        [
            "--".as_ref(),
            "bash".as_ref(),
            harness.as_os_str(),
            out.as_os_str(),
            "bash".as_ref(),
            "-c".as_ref(),
            OsStr::new(script),
        ],
    );
    if let Some(p) = pulse {
        cmd = p.with(cmd);
    }
    cmd.env("BIN", BIN).env("OUT", &out);
    cmd.envs(vars.iter().copied());
    run(cmd)
}

/// One Notify call to the notification server, as `dbus-monitor` saw it
/// (calls.log of tests/desktop/run-in-desktop.sh), with the server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notified {
    /// When the call was on the bus (seconds since the epoch).
    pub time: String,
    /// The notice it replaces (0: a new one).
    pub replaces: u32,
    pub summary: String,
    pub body: String,
    /// The action keys and labels, in pairs.
    pub actions: Vec<String>,
    /// The urgency hint (0 low, 1 normal, 2 critical).
    pub urgency: Option<u8>,
    /// The id the server gave it, if it answered.
    pub id: Option<u32>,
}

/// What calls.log shows, in order: each Notify with its id, each
/// CloseNotification (its id) and each NotificationClosed signal (id,
/// reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Notify(Notified),
    Close(u32),
    Closed(u32, u32),
}

/// The calls in `out`/calls.log.
pub fn calls(out: &Path) -> Vec<Call> {
    let text = std::fs::read_to_string(out.join("calls.log")).unwrap_or_default();
    // Each message: a header line, then its arguments indented.
    let mut messages: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with(' ') {
            if let Some((_, args)) = messages.last_mut() {
                args.push(line.to_owned());
            }
        } else {
            messages.push((line.to_owned(), Vec::new()));
        }
    }
    let field = |header: &str, key: &str| -> Option<String> {
        header
            .split([' ', ';'])
            .find_map(|w| w.strip_prefix(&format!("{key}=")))
            .map(str::to_owned)
    };
    let string = |l: &str| -> Option<String> {
        let s = l.trim_start().strip_prefix("string \"")?;
        Some(s.strip_suffix('"').unwrap_or(s).to_owned())
    };
    let uint = |l: &str| -> Option<u32> { l.trim().strip_prefix("uint32 ")?.parse().ok() };
    // Answers, by (destination, reply serial).
    let mut answers = std::collections::HashMap::new();
    for (header, args) in &messages {
        if header.starts_with("method return") {
            if let (Some(to), Some(serial)) =
                (field(header, "destination"), field(header, "reply_serial"))
            {
                if let Some(id) = args.first().and_then(|a| uint(a)) {
                    answers.insert((to, serial), id);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (header, args) in &messages {
        let member = field(header, "member").unwrap_or_default();
        if header.starts_with("method call") && member == "Notify" {
            let top: Vec<&String> = args
                .iter()
                .filter(|a| a.starts_with("   ") && !a.starts_with("    "))
                .collect();
            if top.first().and_then(|a| string(a)).as_deref() != Some("therapy-timer") {
                continue;
            }
            // The first array holds the actions, one level in.
            let mut actions = Vec::new();
            let mut in_actions = false;
            let mut arrays = 0;
            let mut urgency = None;
            for (i, a) in args.iter().enumerate() {
                if a.trim() == "array [" && a.starts_with("   ") && !a.starts_with("    ") {
                    arrays += 1;
                    in_actions = arrays == 1;
                    continue;
                }
                if a.trim() == "]" {
                    in_actions = false;
                }
                if in_actions {
                    if let Some(s) = string(a) {
                        actions.push(s);
                    }
                }
                if string(a).as_deref() == Some("urgency") {
                    urgency = args
                        .get(i + 1)
                        .and_then(|v| v.split_whitespace().last()?.parse().ok());
                }
            }
            let id = field(header, "sender")
                .zip(field(header, "serial"))
                .and_then(|k| answers.get(&k).copied());
            out.push(Call::Notify(Notified {
                time: field(header, "time").unwrap_or_default(),
                replaces: top.get(1).and_then(|a| uint(a)).unwrap_or_default(),
                summary: top.get(3).and_then(|a| string(a)).unwrap_or_default(),
                body: top.get(4).and_then(|a| string(a)).unwrap_or_default(),
                actions,
                urgency,
                id,
            }));
        } else if header.starts_with("method call") && member == "CloseNotification" {
            if let Some(id) = args.first().and_then(|a| uint(a)) {
                out.push(Call::Close(id));
            }
        } else if header.starts_with("signal") && member == "NotificationClosed" {
            let ids: Vec<u32> = args.iter().filter_map(|a| uint(a)).collect();
            if let [id, reason] = ids[..] {
                out.push(Call::Closed(id, reason));
            }
        }
    }
    out
}

/// The Notify calls alone, from [`calls`].
pub fn notified(out: &Path) -> Vec<Notified> {
    calls(out)
        .into_iter()
        .filter_map(|c| match c {
            Call::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}
