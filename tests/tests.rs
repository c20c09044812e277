//! Integration tests: the real `therapy-timer` binary in a hermetic
//! environment (its own state and config directories, a fixed time zone, no
//! session bus unless a test provides one).

mod util;

// The examples and contraindications that the clap definition (compiled
// into cli_tree) refers to as `crate::help`.
#[allow(dead_code, unreachable_pub)]
#[path = "../crates/cli/help.rs"]
mod help;

mod alarm;
mod away;
mod bad_inputs;
mod cli_tree;
mod completions;
mod config;
mod course;
mod desktop;
mod faults;
mod hooks;
mod ics;
mod man;
mod packaging;
mod plan;
mod readme;
mod safety_words;
mod scheduling;
mod schema;
mod skin;
mod start;
mod state;
mod statusbar;
mod time_forms;
mod unattended;
