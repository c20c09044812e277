//! One module per command; `run` turns the raw arguments into validated
//! values and dispatches.

mod answer;
/// The JSON Schema of each JSON output, by the name of its file in
/// `docs/schema/` (checked by `crate::schema`'s test).
#[cfg(test)]
pub(crate) fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    use crate::schema::of;
    vec![
        ("plan", of::<Vec<therapy_timer::PlannedSession>>()),
        ("next", of::<next::Next>()),
        ("tick", of::<drive::Fired<'static>>()),
        ("status", of::<status::Status>()),
        ("waybar", of::<status::Waybar>()),
        ("log", of::<Vec<log::LogEntry<'static>>>()),
        ("report", of::<crate::report::json::Report>()),
    ]
}

mod completions;
mod config;
mod doctor;
mod drive;
mod injury;
mod log;
mod man;
mod next;
mod pain;
mod plan;
mod schedule;
mod skin;
mod start;
mod status;
mod tick;
mod watch;

use chrono::{DateTime, Local, TimeDelta, Utc};
use therapy_timer::{Course, Driver, Protocol, QuietHours};

use crate::notifier::Notifier;
use crate::settings::{Settings, Source};

use crate::args::{Cli, Command, Planning, QuietSetting, When};
use crate::clock::Clock;
use crate::error::refusal;
use crate::error::CliError;
use crate::state::{State, Store};
use crate::text;
use crate::time_arg::parse_time;

/// Runs the command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Injury(a) => injury::run(&Ctx::new(&a.when)?, &a),
        Command::Start(a) => start::run(&Ctx::new(&a.when)?, &a),
        Command::Stop(a) => answer::stop(&Ctx::new(&a.when)?),
        Command::Skip(a) => answer::skip(&Ctx::new(&a.when)?),
        Command::Snooze(a) => answer::snooze(&Ctx::new(&a.when)?, a.duration),
        Command::End(a) => answer::end(&Ctx::new(&a.when)?),
        Command::Undo(a) => log::undo(&Ctx::new(&a.when)?),
        Command::Pain(a) => pain::run(&Ctx::new(&a.when)?, &a),
        Command::Skin(a) => skin::run(&Ctx::new(&a.when)?, &a),
        Command::Report(a) => pain::report(&Ctx::new(&a.when)?, &a),
        Command::Plan(a) => plan::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Next(a) => next::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Status(a) => {
            let shown = Ctx::new(&a.planning.when).and_then(|ctx| status::run(&ctx, &a));
            status::or_bar_failure(shown, &a)
        }
        Command::Log(a) => log::run(&a),
        Command::Watch(a) => watch::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Tick(a) => tick::run(&Ctx::new(&a.planning.when)?, &a),
        Command::Schedule(a) => schedule::run(&a),
        Command::Doctor(a) => doctor::run(&a),
        // Checking a file must not depend on the config file in use.
        Command::Config(a) => match &a.check {
            Some(file) => config::check(file),
            None => {
                // The config is this command's job: a broken file fails it.
                let (_, problem) = Settings::load_or_builtin();
                if let Some(e) = problem {
                    return Err(e);
                }
                config::run(&Ctx::new(&a.planning.when)?, &a)
            }
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
#[derive(Debug, Clone)]
pub struct Ctx {
    clock: Clock,
    store: Store,
    settings: Settings,
    /// The `--at` time, as given (with its fraction of a second).
    at: Option<DateTime<Utc>>,
    /// Why the config file is not in use (the built-in settings are), if
    /// it cannot be read or parsed.
    config_problem: Option<String>,
}

/// Said wherever a broken config file is reported.
pub(super) const CONFIG_FALLBACK: &str =
    "the built-in protocol and settings are in use until it is fixed \
    (check a fix with `therapy-timer config --check FILE`)";

/// Said whenever a command needs an injury time and none is known.
pub(super) const NO_INJURY: &str =
    "no injury time is recorded; record it with `therapy-timer injury TIME` \
    (e.g. `therapy-timer injury \"3h ago\"`), or pass --injured-at TIME";

impl Ctx {
    fn new(when: &When) -> Result<Ctx, CliError> {
        let mut store = Store::locate()?;
        let mut given = None;
        let clock = match &when.at {
            Some(at) => {
                let real = Utc::now();
                let at = parse_time(at, real, &Local)
                    .map_err(|e| CliError::Usage(format!("--at: {e}")))?;
                // A time ahead of the real clock written into the log would
                // be taken as done by every later run: a session "done" in
                // the future blocks the real ones, a reminder "announced" in
                // 9999 never comes. So --at looks ahead (plan, status) but
                // never writes ahead; the minute of grace is for a clock
                // read a moment ago.
                if at > real + TimeDelta::minutes(1) {
                    store.refuse_writes(format!(
                        "--at {} is after the system clock, and this command would write \
                         it into the log; use --at only with a past time here (plan, next \
                         and status take any time)",
                        text::full(at)
                    ));
                }
                given = Some(at);
                Clock::shifted_to(at)
            }
            None => Clock::system(),
        };
        let (settings, problem) = Settings::load_or_builtin();
        let config_problem = problem.map(|e| {
            let problem = format!("{e}; {CONFIG_FALLBACK}");
            errln!("therapy-timer: warning: {problem}");
            problem
        });
        Ok(Ctx {
            clock,
            store,
            settings,
            at: given,
            config_problem,
        })
    }

    /// This context on another clock: for what follows an input given at
    /// `--at` (a session started then runs on real time).
    fn on_clock(&self, clock: Clock) -> Ctx {
        Ctx {
            clock,
            ..self.clone()
        }
    }

    /// The time the command acts at, to the nanosecond: the `--at` time as
    /// given, else the clock now. (A session keeps its sub-second start, so
    /// a 2 s session lasts 2 s.)
    fn precise_now(&self) -> DateTime<Utc> {
        self.at.unwrap_or_else(|| whole_millis(self.clock.now()))
    }

    /// The time now, to the millisecond (what a person or a script reads
    /// back needs no nanoseconds; a session keeps its sub-second start, and
    /// a tick just after its end must not read a time before it); with
    /// `--at`, the time given as given, run on in whole seconds.
    fn now(&self) -> DateTime<Utc> {
        match self.at {
            Some(at) => {
                let ran = (self.clock.now() - at).num_seconds();
                at.checked_add_signed(TimeDelta::seconds(ran)).unwrap_or(at)
            }
            None => whole_millis(self.clock.now()),
        }
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
            .with_alarm(crate::alarm::Alarm::new(&self.settings.alarm))
            .with_hooks(crate::hooks::Hooks::new(self.settings.hook.clone()))
    }

    /// The recorded driver with the settings in use (protocol, quiet
    /// hours) applied from now on, or `None` before anything is recorded.
    fn driver(&self, state: &State, planning: Option<&Planning>) -> Option<Driver> {
        let mut driver = state.driver.clone()?;
        driver.set_protocol(self.protocol());
        driver.set_quiet_hours(match planning {
            Some(p) => self.quiet_hours(p),
            None => self.settings.quiet_hours.0,
        });
        Some(driver)
    }

    /// A TIME given as the injury time (`flag` names it in errors).
    fn injury_time(&self, flag: &str, input: &str) -> Result<DateTime<Utc>, CliError> {
        let at = self.time(flag, input)?;
        Course::check_injury_time(at, self.now())
            .map_err(|e| CliError::Usage(format!("{flag}: {}", refusal(&e, self.now()))))?;
        Ok(at)
    }

    /// The course a planning command answers from, as recorded (never
    /// changed by looking at it): with `--injured-at`, the recorded log
    /// under that injury time, for this call only.
    fn course(&self, planning: &Planning, state: &State) -> Result<Course, CliError> {
        let flag = planning
            .injured_at
            .as_deref()
            .map(|s| self.injury_time("--injured-at", s))
            .transpose()?;
        let recorded = self
            .driver(state, Some(planning))
            .map(|d| d.course().clone());
        let course = match (recorded, flag) {
            (Some(c), None) if c.injury_known() => c,
            (Some(c), Some(t)) => c.with_injured_at(t).map_err(|e| {
                CliError::Usage(format!("--injured-at: {}", refusal(&e, self.now())))
            })?,
            (None, Some(t)) => {
                Course::new(t, self.protocol())?.with_quiet_hours(self.quiet_hours(planning))
            }
            _ => return Err(CliError::Usage(NO_INJURY.into())),
        };
        Ok(course)
    }
}

/// `t` to the millisecond.
fn whole_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

/// Prints `value` as pretty JSON on stdout.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
    outln!("{text}");
    Ok(())
}

/// Writes `bytes` to stdout and flushes; a closed pipe (`therapy-timer man
/// | head`) ends the output, as everywhere.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    crate::output::write_bytes(bytes);
    Ok(())
}
