//! Integration tests: the real `therapy-timer` binary in a hermetic
//! environment (its own state and config directories, a fixed time zone, no
//! session bus unless a test provides one).

mod util;

mod bad_inputs;
mod completions;
mod desktop;
mod faults;
mod ics;
mod plan;
mod scheduling;
mod start;
mod state;
mod statusbar;
mod time_forms;
mod unattended;
