//! The raw command line (clap). Nothing here has side effects; `main`
//! turns these into validated values before anything happens.

use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use therapy_timer::QuietHours;

/// `snooze`'s default, the library's, as clap shows it.
static SNOOZE_DEFAULT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::help::minutes(therapy_timer::limits::SNOOZE_DEFAULT));

/// `start --linger`'s default: long enough for every repeat of the stop
/// (the library's `STOP_LINGER`).
static LINGER_DEFAULT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::help::minutes(therapy_timer::limits::STOP_LINGER));

/// The text after `--help`, in parts the man page reuses as its own
/// sections, so the red flags and exit codes are written once.
#[derive(Debug)]
pub struct HelpSection {
    /// The man page's section heading.
    pub man: &'static str,
    /// The heading line in `--help`, if the body does not carry its own.
    pub help: Option<&'static str>,
    /// The text, wrapped for a terminal (made when shown: some of it is
    /// the library's words).
    pub body: fn() -> String,
}

/// The parts of the text after `--help`, in order.
pub const HELP_SECTIONS: [HelpSection; 6] = [
    HelpSection {
        man: "PROTOCOL",
        help: Some("PROTOCOL (from care articles on back spasms):"),
        body: || {
            "  Ice 10 minutes on, over a towel, never on bare skin; at least an hour off.
  Ice for the first 24-48 hours; after that, heat 15-20 minutes at a time,
  with at least as long between sessions. therapy-timer refuses doses beyond
  these limits and sessions before the rest is over."
                .to_owned()
        },
    },
    HelpSection {
        man: "SEE A CLINICIAN",
        help: None,
        body: crate::help::see_a_clinician,
    },
    HelpSection {
        man: "BEFORE YOU START",
        help: None,
        body: crate::help::contraindications,
    },
    HelpSection {
        man: "EXIT STATUS",
        help: Some("EXIT CODES:"),
        body: || {
            "  0    success
  1    runtime failure (state file, file system)
  2    invalid input (a flag, a TIME, a dose beyond a safety limit), or one
       the course refuses (nothing to stop or snooze, the course is over)
  75   refused: the rest after the last session is not over; try later
  130  a session ended early by Ctrl-C (SIGINT); 143 by SIGTERM; 129 SIGHUP"
                .to_owned()
        },
    },
    HelpSection {
        man: "TIME",
        help: None,
        body: || {
            "\
TIME is one of: now; RFC 3339 (2026-03-01T08:00:00Z); a duration ago
(3h ago, 1day 2h ago); local HH:MM (today) or YYYY-MM-DD HH:MM."
                .to_owned()
        },
    },
    HelpSection {
        man: "FILES",
        help: None,
        body: || {
            "\
State lives in $XDG_STATE_HOME/therapy-timer/ (else ~/.local/state/therapy-timer/)."
                .to_owned()
        },
    },
];

/// The text after `--help`: the protocol, the red flags, the exit codes.
fn after_help() -> String {
    HELP_SECTIONS
        .iter()
        .map(|s| match s.help {
            Some(heading) => format!("{heading}\n{}", (s.body)()),
            None => (s.body)(),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Times ice and heat therapy for back spasms, with desktop notifications.
#[derive(Debug, Parser)]
#[command(name = "therapy-timer", version, after_help = after_help())]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record when the injury happened (this starts a course), or show it.
    #[command(after_help = crate::help::examples("injury").unwrap_or_default())]
    Injury(InjuryArgs),
    /// Run one session now: notify, count down, notify when to stop, log it.
    #[command(after_help = crate::help::examples("start").unwrap_or_default())]
    Start(StartArgs),
    /// End the running session now (cut short), or, after its end, say the
    /// pack is off (this ends the stop's reminders).
    #[command(after_help = crate::help::examples("stop").unwrap_or_default())]
    Stop(WhenArgs),
    /// Skip the session that is due (or the next one).
    #[command(after_help = crate::help::examples("skip").unwrap_or_default())]
    Skip(WhenArgs),
    /// Put the session that is due (or the next one) off for a while.
    #[command(after_help = crate::help::examples("snooze").unwrap_or_default())]
    Snooze(SnoozeArgs),
    /// End the course (better, or going to a clinician): no more reminders.
    #[command(after_help = crate::help::examples("end").unwrap_or_default())]
    End(WhenArgs),
    /// Take back the last thing recorded (a session started or logged).
    #[command(after_help = crate::help::examples("undo").unwrap_or_default())]
    Undo(WhenArgs),
    /// Record how bad the pain is now, 0 (none) to 10 (the worst).
    #[command(after_help = crate::help::examples("pain").unwrap_or_default())]
    Pain(PainArgs),
    /// Record how the skin is after cold or heat: normal, red, numb or
    /// blistered (numb or blistered: no cold or heat until `skin normal`).
    #[command(after_help = crate::help::examples("skin").unwrap_or_default())]
    Skin(SkinArgs),
    /// Write a report of the course for a clinician: a page, a spreadsheet
    /// or JSON.
    #[command(after_help = crate::help::examples("report").unwrap_or_default())]
    Report(ReportArgs),
    /// Show the planned sessions.
    #[command(after_help = crate::help::examples("plan").unwrap_or_default())]
    Plan(PlanArgs),
    /// Show the next event: a session start, a stop, or the clinician reminder.
    #[command(after_help = crate::help::examples("next").unwrap_or_default())]
    Next(NextArgs),
    /// Show where the course stands and whether a session may start now.
    #[command(after_help = crate::help::examples("status").unwrap_or_default())]
    Status(StatusArgs),
    /// Show the sessions done; add one done without the timer, or remove a
    /// wrong one.
    #[command(after_help = crate::help::examples("log").unwrap_or_default())]
    Log(LogArgs),
    /// Follow the plan in the foreground: announce each start and stop.
    #[command(after_help = crate::help::examples("watch").unwrap_or_default())]
    Watch(WatchArgs),
    /// Fire the events that are due now, once (run it every minute from cron
    /// or a systemd timer).
    #[command(after_help = crate::help::examples("tick").unwrap_or_default())]
    Tick(TickArgs),
    /// Print (or install) a crontab line or systemd user units that run `tick`.
    #[command(after_help = crate::help::examples("schedule").unwrap_or_default())]
    Schedule(ScheduleArgs),
    /// Check that notifications, state, time zone and scheduler work.
    #[command(after_help = crate::help::examples("doctor").unwrap_or_default())]
    Doctor(DoctorArgs),
    /// Print the effective settings and where each came from.
    #[command(after_help = crate::help::examples("config").unwrap_or_default())]
    Config(ConfigArgs),
    /// Print a shell completion script.
    #[command(after_help = crate::help::examples("completions").unwrap_or_default())]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write every page into a folder.
    #[command(after_help = crate::help::examples("man").unwrap_or_default())]
    Man(ManArgs),
}

/// `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Stop following at this time (default: never).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    #[command(flatten)]
    pub planning: Planning,
}

/// `tick`.
#[derive(Debug, Args)]
pub struct TickArgs {
    /// Print what was fired as JSON lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub planning: Planning,
}

/// The scheduler `schedule` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheduler {
    /// A crontab line.
    Cron,
    /// A systemd user service and timer.
    Systemd,
}

/// `schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Which scheduler.
    #[arg(value_enum)]
    pub scheduler: Scheduler,
    /// Install the systemd units into the user unit directory.
    #[arg(long)]
    pub write: bool,
    /// With --write, replace units that exist and differ.
    #[arg(long)]
    pub force: bool,
    /// systemd only: a user service that runs `watch` all the time instead
    /// of a timer that runs `tick`. Its notices stay up on desktops that drop
    /// a notice when its sender exits (GNOME 46+), and offer Start now /
    /// Snooze / Skip.
    #[arg(long)]
    pub watch: bool,
}

/// `doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the checks as JSON.
    #[arg(long)]
    pub json: bool,
    /// Test the whole alert path for real: a critical test notice with an
    /// "I see it" button, the alarm, the hook with a `test` event; waits up
    /// to 60 s for the answer and says how each part went. Exits 0 only if
    /// the notice was answered or the alarm was played.
    #[arg(long)]
    pub alert: bool,
}

/// `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Check this config file (every key, every safety limit) without using
    /// it, print what it would set, and exit 2 if it is not valid.
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub check: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub planning: Planning,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write therapy-timer.1 and one page per subcommand
    /// (therapy-timer-start.1, ...) into DIR instead of printing the main page.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<std::path::PathBuf>,
}

/// The output forms of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// Sentences for people (the default).
    Text,
    /// One JSON object (the same as --json).
    Json,
    /// waybar's custom-module JSON: text, tooltip, class, percentage.
    Waybar,
    /// One short line, for polybar or i3blocks.
    Plain,
}

/// `injury [TIME]`.
#[derive(Debug, Args)]
pub struct InjuryArgs {
    /// When the injury happened (see TIME below). Without it, show the one
    /// recorded. While a course runs, this corrects its injury time; after
    /// it ended (or with --new), it starts a new course.
    pub time: Option<String>,
    /// A new injury: start a new course even though one is running (the
    /// earlier one stays in the log).
    #[arg(long, requires = "time")]
    pub new: bool,
    #[command(flatten)]
    pub when: When,
}

/// `pain N`.
#[derive(Debug, Args)]
pub struct PainArgs {
    /// The score: 0 (no pain) to 10 (the worst imaginable).
    #[arg(value_name = "N")]
    pub score: u8,
    /// A few words with it (what makes it worse, where it is).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub when: When,
}

/// `skin normal|red|numb|blistered`.
#[derive(Debug, Args)]
pub struct SkinArgs {
    /// What the skin is like: normal, red (a normal reaction to cold),
    /// numb (no cold or heat until it feels normal) or blistered (see a
    /// clinician).
    #[arg(
        value_name = "FOUND",
        value_parser = clap::builder::PossibleValuesParser::new(
            therapy_timer::Skin::ALL.map(therapy_timer::Skin::as_str)
        )
        .try_map(|s| s.parse::<therapy_timer::Skin>())
    )]
    pub skin: therapy_timer::Skin,
    /// A few words with it (where, how it looks).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub when: When,
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// One self-contained HTML page (the default), for a browser or print.
    #[arg(long, group = "form")]
    pub html: bool,
    /// CSV, one row per session or score, for a spreadsheet.
    #[arg(long, group = "form")]
    pub csv: bool,
    /// JSON, for other programs.
    #[arg(long, group = "form")]
    pub json: bool,
    /// A FHIR R4 Bundle (JSON) for a clinic's system: a pain Observation
    /// per score (LOINC 72514-3), a Procedure per session.
    #[arg(long, group = "form")]
    pub fhir: bool,
    /// The name the FHIR Bundle's Patient carries (nothing else is said
    /// about the person; without it the Patient is empty).
    #[arg(long, value_name = "TEXT", requires = "fhir")]
    pub patient_name: Option<String>,
    /// Which course (1 is the first; `log --all` numbers them) [default:
    /// the current one].
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub course: Option<usize>,
    /// Every course.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub when: When,
}

/// A command that takes only the time.
#[derive(Debug, Args)]
pub struct WhenArgs {
    #[command(flatten)]
    pub when: When,
}

/// `snooze [DURATION]`.
#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// How long to put it off.
    #[arg(value_name = "DURATION", default_value = SNOOZE_DEFAULT.as_str(), value_parser = parse_duration)]
    pub duration: Duration,
    #[command(flatten)]
    pub when: When,
}

/// Flags every planning command takes.
#[derive(Debug, Args)]
pub struct When {
    /// Answer as if the time now were TIME.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// Flags of the commands that plan.
#[derive(Debug, Args)]
pub struct Planning {
    /// Use this injury time for this call only, instead of the recorded one
    /// (`watch` and `tick` record it when none is recorded, as `start`
    /// does, and refuse a time other than the one recorded).
    #[arg(long, value_name = "TIME")]
    pub injured_at: Option<String>,
    /// Daily local hours in which no session is planned to start, or "off"
    /// [default: the config file's, else 22:00-07:00]. Ice-off notices are
    /// given at any hour.
    #[arg(long, value_name = "HH:MM-HH:MM|off", value_parser = parse_quiet_hours)]
    pub quiet_hours: Option<QuietSetting>,
    #[command(flatten)]
    pub when: When,
}

/// The phase asked for on `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PhaseArg {
    /// Ice, whatever the course's phase.
    Ice,
    /// Heat, whatever the course's phase.
    Heat,
    /// The course's phase now: ice in the acute window, heat after it.
    Auto,
}

/// `start`.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Which therapy.
    #[arg(long, value_enum, default_value_t = PhaseArg::Auto)]
    pub phase: PhaseArg,
    /// A shorter session than the protocol's (e.g. 6m); never a longer one.
    #[arg(long, value_name = "DURATION", value_parser = parse_session_duration)]
    pub duration: Option<Duration>,
    /// Start even though the rest after the last session is not over (logged).
    #[arg(long)]
    pub force: bool,
    /// The pain now, before the session: 0 (no pain) to 10 (the worst).
    /// The stop's pain answer is the pain after it; the report compares
    /// the two.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
    pub pain: Option<u8>,
    /// After the stop notice, wait up to this long for the pack to be said
    /// off (It's off, Enter, `therapy-timer stop`) or the notice dismissed,
    /// repeating the stop meanwhile; it also keeps the
    /// notice up on desktops that drop it when its sender exits.
    #[arg(long, value_name = "DURATION", default_value = LINGER_DEFAULT.as_str(), value_parser = parse_duration)]
    pub linger: Duration,
    /// The injury time, if none is recorded yet (it is recorded with the
    /// session; a recorded one is corrected with `therapy-timer injury`).
    #[arg(long, value_name = "TIME")]
    pub injured_at: Option<String>,
    #[command(flatten)]
    pub when: When,
}

/// `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Plan from this time on (default: now).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// How far ahead to plan.
    #[arg(long = "for", value_name = "DURATION", default_value = "24h", value_parser = parse_duration)]
    pub span: Duration,
    /// Print a JSON array of {"phase", "start", "end"} in UTC.
    #[arg(long, conflicts_with = "ics")]
    pub json: bool,
    /// Print an iCalendar (RFC 5545) file of the plan, with alarms.
    #[arg(long)]
    pub ics: bool,
    #[command(flatten)]
    pub planning: Planning,
}

/// `next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// Print {"event", "phase", "at", "urgency"}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub planning: Planning,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print a JSON object (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// The output form.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
    #[command(flatten)]
    pub planning: Planning,
}

/// `log`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LogArgs {
    /// Add or remove an entry (without one: list the log).
    #[command(subcommand)]
    pub action: Option<LogAction>,
    /// Print a JSON array of entries, each with its course.
    #[arg(long)]
    pub json: bool,
    /// Earlier courses too, not just the current one.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub when: When,
}

/// `log add` and `log remove`.
#[derive(Debug, Subcommand)]
pub enum LogAction {
    /// Record a session done without the timer.
    #[command(after_help = crate::help::examples("log add").unwrap_or_default())]
    Add(LogAddArgs),
    /// Remove a wrong entry (its ID is in `therapy-timer log`).
    #[command(after_help = crate::help::examples("log remove").unwrap_or_default())]
    Remove(LogRemoveArgs),
}

/// `log add PHASE START`.
#[derive(Debug, Args)]
pub struct LogAddArgs {
    /// Which therapy.
    #[arg(value_enum)]
    pub phase: LoggedPhase,
    /// When it started (see TIME).
    #[arg(value_name = "START")]
    pub start: String,
    /// How long it lasted [default: the protocol's session]. A length above
    /// the safety limit is recorded as it happened, with a warning.
    #[arg(long, value_name = "DURATION", value_parser = parse_session_duration)]
    pub duration: Option<Duration>,
    #[command(flatten)]
    pub when: When,
}

/// The phase of a logged session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LoggedPhase {
    /// Ice.
    Ice,
    /// Heat.
    Heat,
}

/// `log remove ID`.
#[derive(Debug, Args)]
pub struct LogRemoveArgs {
    /// The entry's ID, from `therapy-timer log`.
    pub id: u32,
    #[command(flatten)]
    pub when: When,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s)
        .map_err(|e| format!("{e}; write a duration like 10m, 90s, 1h 30m or 24h"))
}

/// A session's length: at least a second (a nanosecond session would be
/// logged as done, and owe a rest). Zero is left to the library, whose
/// message names the phase.
fn parse_session_duration(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if !d.is_zero() && d < Duration::from_secs(1) {
        return Err("a session lasts at least 1s; write e.g. 6m".into());
    }
    Ok(d)
}

/// `--quiet-hours`: the hours, or none with `off`. (A newtype because clap
/// reads an `Option` field as "flag absent", not "parsed to nothing".)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietSetting(pub Option<QuietHours>);

fn parse_quiet_hours(s: &str) -> Result<QuietSetting, String> {
    if s.trim().eq_ignore_ascii_case("off") {
        return Ok(QuietSetting(None));
    }
    s.parse()
        .map(|q| QuietSetting(Some(q)))
        .map_err(|e: therapy_timer::Error| e.to_string())
}

#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    use super::{parse_duration, parse_quiet_hours, parse_session_duration, QuietSetting};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Durations: no panic, and what is accepted is the same after
        /// humantime writes it and it is read again.
        #[test]
        fn durations_parse_or_refuse_and_round_trip(
            s in prop_oneof!["\\PC{0,30}", "[0-9]{1,20}(ns|us|ms|s|m|h|d|days|w|M|y)?( [0-9]{1,5}(s|m|h))?"]
        ) {
            if let Ok(d) = parse_duration(&s) {
                let text = humantime::format_duration(d).to_string();
                prop_assert_eq!(parse_duration(&text), Ok(d));
            }
            if let Ok(d) = parse_session_duration(&s) {
                prop_assert!(d.is_zero() || d >= std::time::Duration::from_secs(1));
            }
        }

        /// Quiet hours: no panic; accepted hours read back from their own
        /// text.
        #[test]
        fn quiet_hours_parse_or_refuse_and_round_trip(
            s in prop_oneof!["\\PC{0,20}", "[0-9]{1,3}:[0-9]{1,3} ?[-–]? ?[0-9]{1,3}:[0-9]{1,3}", "(off|OFF| off )"]
        ) {
            if let Ok(QuietSetting(q)) = parse_quiet_hours(&s) {
                let text = q.map_or_else(|| "off".to_owned(), |q| q.to_string());
                prop_assert_eq!(parse_quiet_hours(&text), Ok(QuietSetting(q)));
            }
        }
    }
}
