//! Integration tests: the real `therapy-timer` binary in a hermetic
//! environment (its own state and config directories, a fixed time zone, no
//! session bus unless a test provides one).

mod util;

mod bad_inputs;
mod cli_tree;
mod completions;
mod config;
mod desktop;
mod faults;
mod ics;
mod man;
mod packaging;
mod plan;
mod scheduling;
mod start;
mod state;
mod statusbar;
mod time_forms;
mod unattended;
