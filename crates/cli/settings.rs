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
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use therapy_timer::{Protocol, QuietHours, Urgency};

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
}

/// What the file may hold; anything else is an error naming it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    quiet_hours: Option<String>,
    protocol: Option<toml::Table>,
    notifications: Option<Notifications>,
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
            Some(p) => match std::fs::read(p) {
                Ok(bytes) => Some(utf8(p, bytes)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(CliError::Failure(format!(
                        "cannot read the config file {}: {e}",
                        p.display()
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

    fn defaults() -> Settings {
        Settings {
            path: None,
            protocol: Protocol::default(),
            protocol_sources: [Source::Default; 4],
            quiet_hours: (Some(QuietHours::default()), Source::Default),
            notices: NoticeStyle::default(),
            notice_sources: [Source::Default; 3],
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
            bad(match line {
                Some(n) => format!("line {n}: {message}"),
                None => message.to_owned(),
            })
        })?;
        let mut s = Settings::defaults();
        if let Some(table) = file.protocol {
            let keys = ["ice", "heat", "acute_window", "review_after"];
            for (i, key) in keys.iter().enumerate() {
                if table.contains_key(*key) {
                    s.protocol_sources[i] = Source::File;
                }
            }
            // The library checks every limit, with its own message.
            s.protocol = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| bad(format!("[protocol]: {}", e.message())))?;
        }
        if let Some(q) = file.quiet_hours {
            let hours = if q.trim().eq_ignore_ascii_case("off") {
                None
            } else {
                Some(
                    q.parse()
                        .map_err(|e: therapy_timer::Error| bad(format!("quiet_hours: {e}")))?,
                )
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
            "the config file /c/config.toml is not valid: [protocol]: an ice session of 30m is \
             longer than the 10m safety limit; use at most 10m"
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
