//! `therapy-timer schedule cron|systemd [--write]`: run `tick` every minute
//! from the scheduler the user already has.

use std::path::{Path, PathBuf};

use crate::args::{ScheduleArgs, Scheduler};
use crate::error::CliError;

/// The unit names, also looked for by `doctor`.
pub const SERVICE: &str = "therapy-timer-tick.service";
/// See [`SERVICE`].
pub const TIMER: &str = "therapy-timer-tick.timer";
/// The unit of `schedule systemd --watch`.
pub const WATCH: &str = "therapy-timer-watch.service";

/// Variables `tick` should see as the user's shell does: where the state
/// and config are, and the time zone for quiet hours.
const PASS_ON: [&str; 3] = ["XDG_STATE_HOME", "XDG_CONFIG_HOME", "TZ"];

pub fn run(args: &ScheduleArgs) -> Result<(), CliError> {
    let exe = std::env::current_exe()
        .map_err(|e| CliError::Failure(format!("cannot find this program's path: {e}")))?;
    let env: Vec<(&str, String)> = PASS_ON
        .iter()
        .filter_map(|k| {
            std::env::var(k)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| (*k, v))
        })
        .collect();
    match args.scheduler {
        Scheduler::Cron => {
            if args.watch {
                return Err(CliError::Usage(
                    "--watch is for systemd; cron starts programs, it does not keep them running"
                        .into(),
                ));
            }
            if args.write {
                return Err(CliError::Usage(
                    "--write is for systemd; for cron, add the printed line with `crontab -e`"
                        .into(),
                ));
            }
            out!("{}", cron_line(&exe, &env));
            Ok(())
        }
        Scheduler::Systemd if args.watch => {
            let service = watch_unit(&exe, &env);
            if !args.write {
                outln!("# {WATCH}\n{service}");
                outln!(
                    "# Install with: therapy-timer schedule systemd --watch --write, then\n\
                     # systemctl --user daemon-reload && systemctl --user enable --now {WATCH}"
                );
                return Ok(());
            }
            let dir = unit_dir()?;
            write_unit(&dir.join(WATCH), &service, args.force)?;
            outln!("Wrote {}.", dir.join(WATCH).display());
            outln!(
                "Now run: systemctl --user daemon-reload && systemctl --user enable --now {WATCH}"
            );
            Ok(())
        }
        Scheduler::Systemd => {
            let (service, timer) = units(&exe, &env);
            if !args.write {
                outln!("# {SERVICE}\n{service}\n# {TIMER}\n{timer}");
                outln!(
                    "# Install with: therapy-timer schedule systemd --write, then\n\
                     # systemctl --user daemon-reload && systemctl --user enable --now {TIMER}"
                );
                return Ok(());
            }
            let dir = unit_dir()?;
            write_unit(&dir.join(SERVICE), &service, args.force)?;
            write_unit(&dir.join(TIMER), &timer, args.force)?;
            outln!(
                "Wrote {} and {}.",
                dir.join(SERVICE).display(),
                dir.join(TIMER).display()
            );
            outln!(
                "Now run: systemctl --user daemon-reload && systemctl --user enable --now {TIMER}"
            );
            Ok(())
        }
    }
}

/// The crontab line (with a comment), for `crontab -e`.
pub fn cron_line(exe: &Path, env: &[(&str, String)]) -> String {
    let vars: String = env
        .iter()
        .map(|(k, v)| format!("{k}={} ", sh_quote(v)))
        .collect();
    format!(
        "# therapy-timer: fire due ice and heat notices every minute (add with crontab -e).\n\
         # tick finds the session bus itself; cron skips runs while the machine\n\
         # sleeps, and the next tick fires what matters then.\n\
         * * * * * {vars}{} tick >/dev/null\n",
        sh_quote(&exe.display().to_string())
    )
}

/// The service and the timer that runs it every minute. `Persistent=true`
/// runs a missed activation at once after a resume or a boot.
pub fn units(exe: &Path, env: &[(&str, String)]) -> (String, String) {
    let environment = environment(env);
    let service = format!(
        "[Unit]\n\
         Description=therapy-timer: fire due ice and heat notices\n\n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart=\"{}\" tick\n\
         {environment}",
        exe.display()
    );
    let timer = format!(
        "[Unit]\n\
         Description=therapy-timer: run tick every minute\n\n\
         [Timer]\n\
         OnCalendar=*-*-* *:*:00\n\
         AccuracySec=1s\n\
         Persistent=true\n\
         Unit={SERVICE}\n\n\
         [Install]\n\
         WantedBy=timers.target\n"
    );
    (service, timer)
}

/// A user service that follows the plan with `watch`, started with the
/// graphical session so that notifications reach it.
pub fn watch_unit(exe: &Path, env: &[(&str, String)]) -> String {
    format!(
        "[Unit]\n\
         Description=therapy-timer: follow the ice and heat plan\n\
         PartOf=graphical-session.target\n\
         After=graphical-session.target\n\n\
         [Service]\n\
         ExecStart=\"{}\" watch\n\
         Restart=on-failure\n\
         # Every failure is retried, exit 2 too: a broken config file or an\n\
         # injury not yet recorded is fixed while the service waits, and a\n\
         # service that gave up would give no stop.\n\
         RestartSec=10\n\
         {}\n\
         [Install]\n\
         WantedBy=graphical-session.target\n",
        exe.display(),
        environment(env)
    )
}

/// `Environment=` lines for the variables passed on.
fn environment(env: &[(&str, String)]) -> String {
    env.iter()
        .map(|(k, v)| {
            format!(
                "Environment=\"{k}={}\"\n",
                v.replace('\\', "\\\\").replace('"', "\\\"")
            )
        })
        .collect()
}

/// The user unit directory: `$XDG_CONFIG_HOME/systemd/user`, else
/// `~/.config/systemd/user`.
pub fn unit_dir() -> Result<PathBuf, CliError> {
    let abs = |k: &str| {
        std::env::var_os(k)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    abs("XDG_CONFIG_HOME")
        .or_else(|| abs("HOME").map(|h| h.join(".config")))
        .map(|c| c.join("systemd/user"))
        .ok_or_else(|| {
            CliError::Failure(
                "cannot find the user unit directory: set XDG_CONFIG_HOME or HOME".into(),
            )
        })
}

/// Writes a unit atomically; a different unit already there is kept unless
/// `force`.
fn write_unit(path: &Path, text: &str, force: bool) -> Result<(), CliError> {
    let io = |what: &str, e: std::io::Error| {
        CliError::Failure(format!("cannot {what} {}: {e}", path.display()))
    };
    match std::fs::read_to_string(path) {
        Ok(old) if old == text => return Ok(()),
        Ok(_) if !force => {
            return Err(CliError::Failure(format!(
                "{} exists and differs from what would be written; it was left as it is. \
                 Compare with `therapy-timer schedule systemd`, then pass --force to replace it",
                path.display()
            )))
        }
        _ => {}
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io("create the folder of", e))?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| io("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io("write", e)
    })
}

/// Single-quotes `s` for sh when it has anything but safe characters.
fn sh_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@%,".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{cron_line, sh_quote, units};

    #[test]
    fn quoting() {
        assert_eq!(sh_quote("/usr/bin/therapy-timer"), "/usr/bin/therapy-timer");
        assert_eq!(sh_quote("/home/a b/it's"), r"'/home/a b/it'\''s'");
    }

    #[test]
    fn cron_line_passes_on_the_environment() {
        let line = cron_line(Path::new("/bin/tt"), &[("TZ", "Europe/Berlin".into())]);
        assert!(
            line.ends_with("* * * * * TZ=Europe/Berlin /bin/tt tick >/dev/null\n"),
            "{line}"
        );
    }

    #[test]
    fn timer_is_persistent_every_minute() {
        let (service, timer) = units(Path::new("/bin/tt"), &[]);
        assert!(service.contains("ExecStart=\"/bin/tt\" tick\n"));
        assert!(timer.contains("OnCalendar=*-*-* *:*:00\n") && timer.contains("Persistent=true\n"));
    }
}
