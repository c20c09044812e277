//! The `therapy-timer` command: a thin layer over the `therapy-timer`
//! library that parses, reads the clock, waits, persists and notifies.

mod args;
mod bus;
mod clock;
mod commands;
mod error;
mod ics;
mod notifier;
mod settings;
mod state;
mod statusbar;
mod text;
mod time_arg;

use clap::Parser;

use crate::args::Cli;
use crate::error::{CliError, EXIT_OK};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A status bar polling `status --format waybar|plain` with a flag
            // clap refuses would go blank: show the error in the bar instead.
            let args: Vec<String> = std::env::args().collect();
            match commands::bar_format(&args).filter(|_| e.use_stderr()) {
                Some(format) => {
                    let first = e.to_string();
                    let message = first.lines().next().unwrap_or_default();
                    let message = message.strip_prefix("error: ").unwrap_or(message);
                    let code = match commands::bar_usage_error(format, message.to_owned()) {
                        Ok(()) => EXIT_OK,
                        Err(e) => e.code(),
                    };
                    std::process::exit(code);
                }
                None => e.exit(),
            }
        }
    };
    let code = match commands::run(cli) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            if !matches!(e, CliError::Signal(_)) {
                eprintln!("therapy-timer: error: {e}");
            }
            e.code()
        }
    };
    std::process::exit(code);
}
