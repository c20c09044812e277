//! The config file, `$XDG_CONFIG_HOME/therapy-timer/config.toml`, merged
//! with the defaults and the flags, remembering where each value came from.
//!
//! ```toml
//! quiet_hours = "22:00-07:00"      # or "off"
//!
//! [protocol]                       # checked by the same safety limits as everywhere
//! acute_window = "48h"
//! review_after = "72h"
//! ice = { on = "10m", rest = "1h" }
//! heat = { on = "15m", rest = "15m" }
//!
//! [notifications]
//! urgency = "normal"               # low | normal | critical; an ice-off notice is always critical
//! timeout = "15s"                  # how long a start notice stays up
//! sound = "message-new-instant"    # a freedesktop sound name, or leave out
//!
//! [alarm]                          # played by the program at each stop and repeat
//! sound = "alarm-clock-elapsed"    # a freedesktop theme name, a file (.oga, .ogg), or "none"
//! volume = 100                     # 0-100
//! prompt = "none"                  # the sound of a reminder to start: a name, a file, or "none"
//!
//! [hooks]
//! event = "curl -s -d @- ntfy.sh/my-topic"  # run for every event, the event as JSON on stdin
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use therapy_timer::{Dose, Phase, Protocol, QuietHours, Setting, Urgency};
use toml::Spanned;

use crate::error::CliError;

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Built in.
    Default,
    /// The config file.
    File,
    /// A command-line flag.
    Flag,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Default => "default",
            Source::File => "config file",
            Source::Flag => "flag",
        })
    }
}

/// How notices look, beyond what the protocol decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeStyle {
    /// The urgency of notices other than an ice stop (always critical).
    pub urgency: Urgency,
    /// How long a start notice stays up.
    pub timeout: Duration,
    /// A freedesktop sound name to play, if any.
    pub sound: Option<String>,
}

impl Default for NoticeStyle {
    fn default() -> NoticeStyle {
        NoticeStyle {
            urgency: Urgency::Normal,
            timeout: Duration::from_secs(15),
            sound: None,
        }
    }
}

/// The settings in force, each with its source.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file's path, and whether it exists.
    pub path: Option<(PathBuf, bool)>,
    /// The protocol, and for each part whether the file set it.
    pub protocol: Protocol,
    /// Sources of: ice dose, heat dose, acute window, review point.
    pub protocol_sources: [Source; 4],
    /// Quiet hours from the file or the default (the flag is applied per
    /// command).
    pub quiet_hours: (Option<QuietHours>, Source),
    /// Notification style and the sources of urgency, timeout, sound.
    pub notices: NoticeStyle,
    /// Sources of urgency, timeout and sound.
    pub notice_sources: [Source; 3],
    /// The alarm the program plays itself.
    pub alarm: AlarmSettings,
    /// The command run for every event, if any.
    pub hook: Option<String>,
}

/// `[alarm]`: what the program plays itself, through the sound server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmSettings {
    /// The sound of a stop and its repeats: a freedesktop theme name or a
    /// file; `None` for no sound (`sound = "none"`).
    pub stop: Option<String>,
    /// The sound of a prompt; `None` (the default) for none.
    pub prompt: Option<String>,
    /// 0-100.
    pub volume: u8,
}

impl Default for AlarmSettings {
    fn default() -> AlarmSettings {
        AlarmSettings {
            stop: Some(crate::text::ALARM_SOUND.to_owned()),
            prompt: None,
            volume: 100,
        }
    }
}

/// Said after an error in the quiet hours' value that is not a string.
const QUIET_HOURS_HINT: &str =
    "; write the range as a string, in quotes: quiet_hours = \"22:00-07:00\" (or \"off\")";

/// What the file may hold; anything else is an error naming it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Any TOML value, so that one not a string (`22:00` is a TOML time)
    /// is told how to write it rather than "invalid type: map".
    quiet_hours: Option<Spanned<toml::Value>>,
    protocol: Option<ProtocolFile>,
    notifications: Option<Notifications>,
    alarm: Option<AlarmFile>,
    hooks: Option<HooksFile>,
}

/// `[alarm]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlarmFile {
    sound: Option<String>,
    prompt: Option<String>,
    volume: Option<i64>,
}

/// `[hooks]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HooksFile {
    event: Option<String>,
}

/// `[protocol]`: every key optional, each kept with where it is in the
/// file, so a broken limit can name its line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolFile {
    ice: Option<Spanned<DoseFile>>,
    heat: Option<Spanned<DoseFile>>,
    acute_window: Option<Spanned<String>>,
    review_after: Option<Spanned<String>>,
    course_length: Option<Spanned<String>>,
}

/// `ice = { on = "8m" }`: either half may be left out; the default fills it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoseFile {
    on: Option<Spanned<String>>,
    rest: Option<Spanned<String>>,
    every: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Notifications {
    urgency: Option<Urgency>,
    timeout: Option<String>,
    sound: Option<String>,
}

impl Settings {
    /// The config file's path: `$XDG_CONFIG_HOME/therapy-timer/config.toml`,
    /// else `~/.config/therapy-timer/config.toml`.
    pub fn path() -> Option<PathBuf> {
        let from_env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        from_env("XDG_CONFIG_HOME")
            .or_else(|| from_env("HOME").map(|h| h.join(".config")))
            .map(|d| d.join("therapy-timer").join("config.toml"))
    }

    /// Loads the config file, if there is one, over the defaults.
    pub fn load() -> Result<Settings, CliError> {
        let path = Settings::path();
        let text = match &path {
            // A link is followed (configs are often linked from a dotfiles
            // repository), but only a regular file is read, without
            // blocking (a FIFO) and within a limit (`/dev/zero`).
            Some(p) => match crate::state::read_regular(p, true) {
                Ok(bytes) => Some(utf8(p, bytes)?),
                Err(crate::state::OpenError::Missing) => None,
                Err(crate::state::OpenError::Io(e)) => {
                    return Err(CliError::Failure(format!(
                        "cannot read the config file {}: {e}",
                        p.display()
                    )))
                }
                Err(e) => {
                    return Err(CliError::Failure(format!(
                        "the config file {}; nothing was changed",
                        e.describe(p)
                    )))
                }
            },
            None => None,
        };
        let exists = text.is_some();
        let mut settings = match (&path, text) {
            (Some(p), Some(t)) => Settings::parse(p, &t)?,
            _ => Settings::defaults(),
        };
        settings.path = path.map(|p| (p, exists));
        Ok(settings)
    }

    /// Loads the config file as [`Settings::load`] does; a file that cannot
    /// be read or parsed gives the built-in settings instead, with the
    /// error beside them: no fault in an unrelated file may silence a stop.
    pub fn load_or_builtin() -> (Settings, Option<CliError>) {
        match Settings::load() {
            Ok(s) => (s, None),
            Err(e) => {
                let mut s = Settings::defaults();
                s.path = Settings::path().map(|p| (p, true));
                (s, Some(e))
            }
        }
    }

    fn defaults() -> Settings {
        Settings {
            path: None,
            protocol: Protocol::default(),
            protocol_sources: [Source::Default; 4],
            quiet_hours: (Some(QuietHours::default()), Source::Default),
            notices: NoticeStyle::default(),
            notice_sources: [Source::Default; 3],
            alarm: AlarmSettings::default(),
            hook: None,
        }
    }

    /// Parses the text of the file at `path` (named in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Settings, CliError> {
        let bad = |what: String| {
            CliError::Usage(format!(
                "the config file {} is not valid: {what}",
                path.display()
            ))
        };
        // The line and toml's message, not its echo of the line: a line can
        // be 100 KB long.
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|r| {
                let upto = &text.as_bytes()[..r.start.min(text.len())];
                upto.iter().filter(|b| **b == b'\n').count() + 1
            });
            let message = e.message().trim_end();
            // A range without quotes (`quiet_hours = 22:00-07:00`) is not
            // TOML at all: say how to write it.
            let unquoted_quiet = line
                .and_then(|n| text.lines().nth(n - 1))
                .is_some_and(|l| l.trim_start().starts_with("quiet_hours"));
            let hint = if unquoted_quiet { QUIET_HOURS_HINT } else { "" };
            bad(match line {
                Some(n) => format!("line {n}: {message}{hint}"),
                None => format!("{message}{hint}"),
            })
        })?;
        let mut s = Settings::defaults();
        if let Some(table) = file.protocol {
            let (protocol, sources) = protocol(&table, text, &bad)?;
            s.protocol = protocol;
            s.protocol_sources = sources;
        }
        if let Some(value) = file.quiet_hours {
            let q = match value.get_ref() {
                toml::Value::String(q) => q,
                other => {
                    let kind = match other {
                        toml::Value::Datetime(d) if d.date.is_none() => "time",
                        _ => other.type_str(),
                    };
                    // As written (toml would write 22:00 as 22:00:00).
                    let shown = text
                        .get(value.span())
                        .map_or(other.to_string(), str::to_owned);
                    return Err(bad(format!(
                        "line {}: quiet_hours = {} is a TOML {kind}, not a \
                         string{QUIET_HOURS_HINT}",
                        line_of(text, value.span().start),
                        shown.chars().take(40).collect::<String>(),
                    )));
                }
            };
            let line = line_of(text, value.span().start);
            let hours = if q.trim().eq_ignore_ascii_case("off") {
                None
            } else {
                Some(q.parse().map_err(|e: therapy_timer::Error| {
                    bad(format!("line {line}: quiet_hours: {e}"))
                })?)
            };
            s.quiet_hours = (hours, Source::File);
        }
        if let Some(n) = file.notifications {
            if let Some(u) = n.urgency {
                s.notices.urgency = u;
                s.notice_sources[0] = Source::File;
            }
            if let Some(t) = n.timeout {
                s.notices.timeout = humantime::parse_duration(&t).map_err(|e| {
                    bad(format!(
                        "[notifications] timeout {}: {e}; write e.g. \"15s\"",
                        crate::error::quote(&t)
                    ))
                })?;
                s.notice_sources[1] = Source::File;
            }
            if let Some(sound) = n.sound {
                s.notices.sound = Some(sound);
                s.notice_sources[2] = Source::File;
            }
        }
        if let Some(a) = file.alarm {
            let sound = |key: &str, v: String| -> Result<Option<String>, CliError> {
                let v = v.trim().to_owned();
                if v.is_empty() {
                    return Err(bad(format!(
                        "[alarm] {key} is empty; write a sound name such as \"{}\", a \
                         file's path, or \"none\"",
                        crate::text::ALARM_SOUND
                    )));
                }
                Ok((!v.eq_ignore_ascii_case("none")).then_some(v))
            };
            if let Some(v) = a.sound {
                s.alarm.stop = sound("sound", v)?;
            }
            if let Some(v) = a.prompt {
                s.alarm.prompt = sound("prompt", v)?;
            }
            if let Some(v) = a.volume {
                s.alarm.volume = u8::try_from(v).ok().filter(|v| *v <= 100).ok_or_else(|| {
                    bad(format!(
                        "[alarm] volume = {v} is out of range; write a number from 0 to 100"
                    ))
                })?;
            }
        }
        if let Some(h) = file.hooks {
            s.hook = h.event.filter(|c| !c.trim().is_empty());
        }
        Ok(s)
    }
}

/// The config file's text, or an error naming the first line that is not
/// UTF-8 (an invalid config is a usage error, exit 2).
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, CliError> {
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..good].iter().filter(|b| **b == b'\n').count() + 1;
        CliError::Usage(format!(
            "the config file {} is not valid: line {line} is not UTF-8 text; save the \
             file as UTF-8",
            path.display()
        ))
    })
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

/// A duration from the file: `key` names it in the error, with its line.
fn duration(
    value: &Spanned<String>,
    key: &str,
    text: &str,
    bad: &dyn Fn(String) -> CliError,
) -> Result<Duration, CliError> {
    humantime::parse_duration(value.get_ref()).map_err(|e| {
        bad(format!(
            "line {}: [protocol] {key} = {:?}: {e}; write it like \"10m\", \"1h\" or \"1h 30m\"",
            line_of(text, value.span().start),
            value.get_ref()
        ))
    })
}

/// `[protocol]` over the defaults: a dose's missing half comes from the
/// default dose of its phase, then the library checks every limit; a
/// broken one is reported at the line of the value that breaks it (or of
/// its dose, when that value was filled in).
fn protocol(
    file: &ProtocolFile,
    text: &str,
    bad: &dyn Fn(String) -> CliError,
) -> Result<(Protocol, [Source; 4]), CliError> {
    let from = |set: bool| if set { Source::File } else { Source::Default };
    let dose = |phase: Phase, d: &Option<Spanned<DoseFile>>| -> Result<Dose, CliError> {
        let default = Dose::default_for(phase);
        let Some(d) = d else { return Ok(default) };
        let d = d.get_ref();
        Ok(Dose::new(
            match &d.on {
                Some(v) => duration(v, &format!("{phase}.on"), text, bad)?,
                None => default.on,
            },
            match &d.rest {
                Some(v) => duration(v, &format!("{phase}.rest"), text, bad)?,
                None => default.rest,
            },
        ))
    };
    let defaults = Protocol::default();
    let ice = dose(Phase::Ice, &file.ice)?;
    let heat = dose(Phase::Heat, &file.heat)?;
    let window = match &file.acute_window {
        Some(v) => duration(v, "acute_window", text, bad)?,
        None => defaults.acute_window(),
    };
    let review = match &file.review_after {
        Some(v) => duration(v, "review_after", text, bad)?,
        None => defaults.review_after(),
    };
    let sources = [
        from(file.ice.is_some()),
        from(file.heat.is_some()),
        from(file.acute_window.is_some()),
        from(file.review_after.is_some()),
    ];
    let every = |phase: Phase, d: &Option<Spanned<DoseFile>>| -> Result<_, CliError> {
        match d.as_ref().and_then(|d| d.get_ref().every.as_ref()) {
            Some(v) => Ok(Some(duration(v, &format!("{phase}.every"), text, bad)?)),
            None => Ok(None),
        }
    };
    let ice_every = every(Phase::Ice, &file.ice)?;
    let heat_every = every(Phase::Heat, &file.heat)?;
    let length = match &file.course_length {
        Some(v) => duration(v, "course_length", text, bad)?,
        None => defaults.course_length(),
    };
    let protocol = Protocol::new(ice, heat, window, review)
        .and_then(|p| p.with_every(Phase::Ice, ice_every))
        .and_then(|p| p.with_every(Phase::Heat, heat_every))
        .and_then(|p| p.with_course_length(length));
    let protocol = protocol.map_err(|e| {
        let (key, line) = where_broken(file, &e, text);
        let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
        let key = if key.is_empty() {
            key
        } else {
            format!(" {key}")
        };
        bad(format!("{at}[protocol]{key}: {e}"))
    })?;
    Ok((protocol, sources))
}

/// The key a protocol error is about and the line it is on, if the file
/// has it.
fn where_broken(
    file: &ProtocolFile,
    e: &therapy_timer::Error,
    text: &str,
) -> (String, Option<usize>) {
    use therapy_timer::Error as E;
    // (phase, "on" or "rest") for a dose setting; the top-level key else.
    let dose_key = |phase: Phase, on: bool| {
        let d = match phase {
            Phase::Ice => &file.ice,
            Phase::Heat => &file.heat,
        };
        let half = d.as_ref().and_then(|d| {
            let inner = d.get_ref();
            if on {
                inner.on.as_ref()
            } else {
                inner.rest.as_ref()
            }
            .map(Spanned::span)
        });
        let span = half.or_else(|| d.as_ref().map(Spanned::span));
        let key = format!("{phase}.{}", if on { "on" } else { "rest" });
        (key, span.map(|s| line_of(text, s.start)))
    };
    let top = |key: &str, v: &Option<Spanned<String>>| {
        (
            key.to_owned(),
            v.as_ref().map(|v| line_of(text, v.span().start)),
        )
    };
    match e {
        E::SessionTooLong { phase, .. } | E::LongerThanProtocol { phase, .. } => {
            dose_key(*phase, true)
        }
        E::RestTooShort { phase, .. } | E::RestTooLong { phase, .. } => dose_key(*phase, false),
        E::ZeroDuration { setting } => match setting {
            Setting::IceOn => dose_key(Phase::Ice, true),
            Setting::IceRest => dose_key(Phase::Ice, false),
            Setting::HeatOn => dose_key(Phase::Heat, true),
            Setting::HeatRest => dose_key(Phase::Heat, false),
            Setting::AcuteWindow => top("acute_window", &file.acute_window),
            Setting::Review => top("review_after", &file.review_after),
            _ => (String::new(), None),
        },
        E::EveryTooShort { phase, .. } | E::EveryTooLong { phase, .. } => {
            let d = match phase {
                Phase::Ice => &file.ice,
                Phase::Heat => &file.heat,
            };
            let every = d.as_ref().and_then(|d| d.get_ref().every.clone());
            (
                format!("{phase}.every"),
                every.map(|v| line_of(text, v.span().start)),
            )
        }
        E::CourseLengthOutOfRange { .. } => top("course_length", &file.course_length),
        E::AcuteWindowOutOfRange { .. } => top("acute_window", &file.acute_window),
        E::ReviewTooLate { .. } => top("review_after", &file.review_after),
        _ => (String::new(), None),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use therapy_timer::{Phase, Urgency};

    use super::{Settings, Source};

    fn parse(text: &str) -> Result<Settings, String> {
        Settings::parse(Path::new("/c/config.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn empty_file_is_the_defaults() {
        let s = parse("").unwrap();
        assert_eq!(s.protocol, therapy_timer::Protocol::default());
        assert_eq!(s.quiet_hours.1, Source::Default);
    }

    #[test]
    fn file_values_and_their_sources() {
        let s = parse(
            "quiet_hours = \"off\"\n[protocol]\nheat = { on = \"20m\", rest = \"20m\" }\n\
             [notifications]\nurgency = \"low\"\nsound = \"bell\"\n",
        )
        .unwrap();
        assert_eq!(s.protocol.dose(Phase::Heat).on, Duration::from_secs(1200));
        assert_eq!(
            s.protocol_sources,
            [
                Source::Default,
                Source::File,
                Source::Default,
                Source::Default
            ]
        );
        assert_eq!(s.quiet_hours, (None, Source::File));
        assert_eq!(s.notices.urgency, Urgency::Low);
        assert_eq!(s.notices.sound.as_deref(), Some("bell"));
    }

    #[test]
    fn a_limit_broken_in_the_file_is_refused_with_the_library_message() {
        let err = parse("[protocol]\nice = { on = \"30m\", rest = \"1h\" }\n").unwrap_err();
        assert_eq!(
            err,
            "the config file /c/config.toml is not valid: line 2: [protocol] ice.on: an ice \
             session of 30m is longer than the 10m safety limit; use at most 10m"
        );
    }

    #[test]
    fn half_a_dose_is_filled_from_the_default_then_checked() {
        let s = parse("[protocol]\nice = { on = \"8m\" }\nheat = { rest = \"40m\" }\n").unwrap();
        let min = |m: u64| Duration::from_secs(m * 60);
        assert_eq!(s.protocol.dose(Phase::Ice).on, min(8));
        assert_eq!(s.protocol.dose(Phase::Ice).rest, min(60));
        assert_eq!(s.protocol.dose(Phase::Heat).on, min(15));
        assert_eq!(s.protocol.dose(Phase::Heat).rest, min(40));
        assert_eq!(s.protocol_sources[..2], [Source::File, Source::File]);
        // 20m of heat needs 20m of rest; the default rest (15m) is too short,
        // and the error points at the dose whose rest was filled in.
        let err =
            parse("quiet_hours = \"off\"\n\n[protocol]\nheat = { on = \"20m\" }\n").unwrap_err();
        assert!(err.contains("line 4: [protocol] heat.rest: "), "{err}");
        assert!(parse("[protocol]\nice = {}\n").is_ok());
    }

    #[test]
    fn a_broken_limit_names_its_line() {
        let text = "[protocol]\nacute_window = \"24h\"\n\n\nice = { on = \"10m\",\n rest = \"30m\" }\nreview_after = \"96h\"\n";
        let err = parse(text).unwrap_err();
        assert!(err.contains("line 6: [protocol] ice.rest: "), "{err}");
        let err = parse("[protocol]\nreview_after = \"96h\"\n").unwrap_err();
        assert!(err.contains("line 2: [protocol] review_after: "), "{err}");
        let err = parse("[protocol]\n\nacute_window = \"12h\"\n").unwrap_err();
        assert!(err.contains("line 3: [protocol] acute_window: "), "{err}");
        let err = parse("[protocol]\nheat = { on = \"ten\" }\n").unwrap_err();
        assert!(
            err.contains("line 2: [protocol] heat.on = \"ten\": "),
            "{err}"
        );
        let err = parse("[protocol]\nice = { on = \"5m\", off = \"1h\" }\n").unwrap_err();
        assert!(
            err.contains("unknown field `off`") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn a_syntax_error_names_the_line() {
        let err = parse("quiet_hours = \"22:00-07:00\"\n[protocol\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = parse("quite_hours = \"off\"\n").unwrap_err();
        assert!(err.contains("unknown field `quite_hours`"), "{err}");
        assert!(err.contains("line 1"), "{err}");
    }

    mod fuzz {
        use std::path::Path;
        use std::time::Duration;

        use proptest::prelude::*;
        use therapy_timer::{Phase, Urgency};

        use super::super::{utf8, Settings, Source};

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            /// Any text, or any bytes: a settings value or an error, never a
            /// panic.
            #[test]
            fn any_config_text_is_parsed_or_refused(
                text in prop_oneof![
                    "\\PC{0,200}",
                    "(quiet_hours = \"[0-9:off-]{0,12}\"\n)?(\\[(protocol|notifications)\\]\n)?([a-z_]{1,12} = (\"[0-9a-z ]{0,6}\"|[0-9]{1,3}|\\{ on = \"[0-9]{1,3}[smh]\", rest = \"[0-9]{1,3}[smh]\" \\})\n){0,4}",
                ],
                bytes in proptest::collection::vec(any::<u8>(), 0..64),
            ) {
                let _ = Settings::parse(Path::new("/c/config.toml"), &text);
                if let Ok(t) = utf8(Path::new("/c/config.toml"), bytes) {
                    let _ = Settings::parse(Path::new("/c/config.toml"), &t);
                }
            }

        }

        /// A config written from values reads back as those values,
        /// whenever the safety limits accept it (most do: checked).
        #[test]
        fn accepted_configs_round_trip() {
            let accepted = std::cell::Cell::new(0u32);
            let mut runner =
                proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(512));
            let values = (
                (1u64..900, 1800u64..10_800, 1u64..1500, 1u64..3000),
                proptest::option::of((0u32..24, 0u32..60, 0u32..24, 0u32..60)),
                0usize..3,
                1u64..600,
            );
            let result = runner.run(
                &values,
                |((ice_on, ice_rest, heat_on, heat_rest), quiet, urgency, timeout)| {
                    let quiet_text = quiet.map_or_else(
                        || "off".to_owned(),
                        |(a, b, c, d)| format!("{a:02}:{b:02}-{c:02}:{d:02}"),
                    );
                    let urgency_text = ["low", "normal", "critical"][urgency];
                    let text = format!(
                        "quiet_hours = \"{quiet_text}\"\n[protocol]\n\
                         ice = {{ on = \"{ice_on}s\", rest = \"{ice_rest}s\" }}\n\
                         heat = {{ on = \"{heat_on}s\", rest = \"{heat_rest}s\" }}\n\
                         [notifications]\nurgency = \"{urgency_text}\"\ntimeout = \"{timeout}s\"\n"
                    );
                    if let Ok(s) = Settings::parse(Path::new("/c/config.toml"), &text) {
                        accepted.set(accepted.get() + 1);
                        prop_assert_eq!(
                            s.protocol.dose(Phase::Ice).on,
                            Duration::from_secs(ice_on)
                        );
                        prop_assert_eq!(
                            s.protocol.dose(Phase::Ice).rest,
                            Duration::from_secs(ice_rest)
                        );
                        prop_assert_eq!(
                            s.protocol.dose(Phase::Heat).on,
                            Duration::from_secs(heat_on)
                        );
                        prop_assert_eq!(
                            s.protocol.dose(Phase::Heat).rest,
                            Duration::from_secs(heat_rest)
                        );
                        prop_assert_eq!(
                            s.quiet_hours.0.map(|q| q.to_string()),
                            quiet.map(|_| quiet_text.clone())
                        );
                        prop_assert_eq!(s.quiet_hours.1, Source::File);
                        prop_assert_eq!(
                            s.notices.urgency,
                            [Urgency::Low, Urgency::Normal, Urgency::Critical][urgency]
                        );
                        prop_assert_eq!(s.notices.timeout, Duration::from_secs(timeout));
                    }
                    Ok(())
                },
            );
            if let Err(e) = result {
                panic!("{e}");
            }
            assert!(
                accepted.get() >= 50,
                "only {} of 512 accepted",
                accepted.get()
            );
        }
    }
}
