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
    let cli = Cli::parse();
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
