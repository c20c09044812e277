//! Integration tests: the real `therapy-timer` binary in a hermetic
//! environment (its own state and config directories, a fixed time zone, no
//! session bus unless a test provides one).

mod util;

mod completions;
mod desktop;
mod ics;
mod plan;
mod start;
mod state;
mod time_forms;
