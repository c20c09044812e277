//! One module per command; `run` turns the raw arguments into validated
//! values and dispatches.

mod completions;
mod config;
mod doctor;
mod injury;
mod log;
mod man;
mod next;
mod plan;
mod schedule;
mod start;
mod status;
mod tick;
mod watch;

use chrono::{DateTime, Local, Utc};
use therapy_timer::{Course, Protocol, QuietHours};

use crate::notifier::Notifier;
use crate::settings::{Settings, Source};

use crate::args::{Cli, Command, Planning, QuietSetting, When};
use crate::clock::Clock;
use crate::error::CliError;
use crate::state::{settle_stale, State, Store};
use crate::time_arg::parse_time;

/// Runs the command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Injury(a) => injury::run(&Ctx::new(&a.when)?, a.time.as_deref()),
        Command::Start(a) => start::run(&Ctx::new(&a.when)?, &a),
        Command::Plan(a) => plan::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Next(a) => next::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Status(a) => {
            let shown = Ctx::new(&a.planning.when).and_then(|ctx| status::run(&ctx, &a));
            status::or_bar_failure(shown, &a)
        }
        Command::Log(a) => log::run(&Ctx::new(&a.when)?, a.json),
        Command::Watch(a) => watch::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Tick(a) => tick::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Schedule(a) => schedule::run(&a),
        Command::Doctor(a) => doctor::run(&a),
        // Checking a file must not depend on the config file in use.
        Command::Config(a) => match &a.check {
            Some(file) => config::check(file),
            None => config::run(&Ctx::new(&a.planning.when)?, &a),
        },
        Command::Completions(a) => completions::completions(a.shell),
        Command::Man(a) => man::run(&a),
    }
}

/// The bar format of a `status --format waybar|plain` command line, found
/// in the raw arguments: for when clap refuses them, so the bar still
/// shows why (see [`status::or_bar_failure`]).
pub fn bar_format(args: &[String]) -> Option<crate::args::StatusFormat> {
    use crate::args::StatusFormat;
    // --json asks for JSON, whatever --format says (as in or_bar_failure).
    if args.get(1).map(String::as_str) != Some("status") || args.iter().any(|a| a == "--json") {
        return None;
    }
    let value = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--format") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        })?;
    match value {
        "waybar" => Some(StatusFormat::Waybar),
        "plain" => Some(StatusFormat::Plain),
        _ => None,
    }
}

/// Shows a command-line error in the status bar's format (exit 0).
pub fn bar_usage_error(format: crate::args::StatusFormat, message: String) -> Result<(), CliError> {
    status::bar_failure(format, CliError::Usage(message))
}

/// What every command needs: the clock (shifted by `--at`) and the store.
#[derive(Debug)]
pub struct Ctx {
    clock: Clock,
    store: Store,
    settings: Settings,
}

/// Said whenever a command needs an injury time and none is known.
pub(super) const NO_INJURY: &str =
    "no injury time is recorded; record it with `therapy-timer injury TIME` \
    (e.g. `therapy-timer injury \"3h ago\"`), or pass --injured-at TIME";

impl Ctx {
    fn new(when: &When) -> Result<Ctx, CliError> {
        let clock = match &when.at {
            Some(at) => Clock::shifted_to(
                parse_time(at, Utc::now(), &Local)
                    .map_err(|e| CliError::Usage(format!("--at: {e}")))?,
            ),
            None => Clock::system(),
        };
        Ok(Ctx {
            clock,
            store: Store::locate()?,
            settings: Settings::load()?,
        })
    }

    /// The time now (the `--at` time, if given), in whole seconds: what a
    /// person or a script reads back needs no nanoseconds.
    fn now(&self) -> DateTime<Utc> {
        whole_seconds(self.clock.now())
    }

    /// Parses a TIME argument; `flag` names it in the error.
    fn time(&self, flag: &str, input: &str) -> Result<DateTime<Utc>, CliError> {
        parse_time(input, self.now(), &Local).map_err(|e| CliError::Usage(format!("{flag}: {e}")))
    }

    /// The protocol in use: the config file's, else the default.
    fn protocol(&self) -> Protocol {
        self.settings.protocol
    }

    /// The quiet hours in use and where they came from: the flag's, else the
    /// config file's, else the default.
    fn quiet_hours_from(&self, planning: &Planning) -> (Option<QuietHours>, Source) {
        match planning.quiet_hours {
            Some(QuietSetting(q)) => (q, Source::Flag),
            None => self.settings.quiet_hours,
        }
    }

    /// The quiet hours in use.
    fn quiet_hours(&self, planning: &Planning) -> Option<QuietHours> {
        self.quiet_hours_from(planning).0
    }

    /// A notifier with the configured style.
    fn notifier(&self) -> Notifier {
        Notifier::new(true, self.settings.notices.clone())
    }

    /// The injury time: `--injured-at`, else the recorded one.
    fn injured_at(
        &self,
        flag: Option<&str>,
        state: &State,
    ) -> Result<Option<DateTime<Utc>>, CliError> {
        match flag {
            Some(s) => self.time("--injured-at", s).map(Some),
            None => Ok(state.injured_at),
        }
    }

    /// The course a planning command answers from, as seen at `now`.
    fn course(&self, planning: &Planning, state: &State) -> Result<Course, CliError> {
        let injured = self
            .injured_at(planning.injured_at.as_deref(), state)?
            .ok_or_else(|| CliError::Usage(NO_INJURY.into()))?;
        let mut course = state
            .course(Some(injured), self.protocol(), self.now())?
            .with_quiet_hours(self.quiet_hours(planning));
        settle_stale(&mut course, self.now());
        Ok(course)
    }
}

/// `t` without its fraction of a second.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// Prints `value` as pretty JSON on stdout.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// Writes `bytes` to stdout and flushes. Unlike `print!`, a closed pipe
/// (`therapy-timer man | head`) is an error, not a panic.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;

    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Failure(format!("cannot write to stdout: {e}")))
}
