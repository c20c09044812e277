//! The `therapy-timer` command: a thin layer over the `therapy-timer`
//! library that parses, reads the clock, waits, persists and notifies.

// First, so that every module can use its macros.
#[macro_use]
mod output;

mod alarm;
mod args;
mod bus;
#[cfg(all(unix, not(target_os = "macos")))]
mod bus_notify;
#[cfg(not(all(unix, not(target_os = "macos"))))]
#[path = "portable_notify.rs"]
mod bus_notify;
mod clock;
mod commands;
mod desktop_state;
mod error;
mod help;
mod hooks;
mod ics;
mod notifier;
mod report;
mod schema;
mod settings;
mod state;
mod statusbar;
mod text;
mod time_arg;

use clap::Parser;

use crate::args::Cli;
use crate::error::{CliError, EXIT_FAILURE, EXIT_OK};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // A status bar polling `status --format waybar|plain` with a flag
            // clap refuses would go blank: show the error in the bar instead.
            let args: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            if let Some(format) = commands::bar_format(&args) {
                let first = e.to_string();
                let message = first.lines().next().unwrap_or_default();
                let message = message.strip_prefix("error: ").unwrap_or(message);
                let message = error::shorten_quoted(message, '\'');
                let code = match commands::bar_usage_error(format, message) {
                    Ok(()) => EXIT_OK,
                    Err(e) => e.code(),
                };
                std::process::exit(code);
            }
            // clap quotes a bad value whole; a 100 KB argument must not come
            // back whole.
            let message = error::shorten_quoted(e.render().to_string().trim_end(), '\'');
            errln!("{}", error::shorten_quoted(&message, '"'));
            std::process::exit(e.exit_code());
        }
        Err(e) => {
            // --help and --version: to stdout, where a closed pipe is fine.
            out!("{}", e.render());
            std::process::exit(output::finish().map_or(EXIT_OK, |_| EXIT_FAILURE));
        }
    };
    let mut code = match commands::run(cli) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            if !matches!(e, CliError::Signal(_)) {
                let message = e.to_string();
                let message = error::shorten_quoted(&message, '"');
                errln!(
                    "therapy-timer: error: {}",
                    error::shorten_quoted(&message, '`')
                );
            }
            e.code()
        }
    };
    if let Some(e) = output::finish() {
        errln!("therapy-timer: error: {e}");
        if code == EXIT_OK {
            code = EXIT_FAILURE;
        }
    }
    std::process::exit(code);
}
