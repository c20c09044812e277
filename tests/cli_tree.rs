//! The command line's own clap definition, compiled into the tests, so the
//! completion and man page tests walk the real command tree: a subcommand
//! or option added later is checked without touching the tests.

#[allow(dead_code, unreachable_pub)]
#[path = "../crates/cli/args.rs"]
mod args;

use clap::{Arg, ArgAction, Command, CommandFactory};

/// The whole command tree.
pub fn command() -> Command {
    let mut c = args::Cli::command();
    c.build();
    c
}

/// The subcommands a person types (not clap's generated `help`).
pub fn subcommands(c: &Command) -> Vec<&Command> {
    c.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect()
}

/// The long options of `c`, with their dashes, `--help` included.
pub fn long_options(c: &Command) -> Vec<String> {
    c.get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(Arg::get_long)
        .map(|l| format!("--{l}"))
        .collect()
}

/// The values an argument accepts, when it names them.
pub fn values(a: &Arg) -> Vec<String> {
    a.get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect()
}

/// Whether `a` takes a value after it.
pub fn takes_value(a: &Arg) -> bool {
    matches!(a.get_action(), ArgAction::Set | ArgAction::Append)
}

/// What completing a line must offer: `(the words typed before the one
/// being completed, what it starts with, candidates that must be among the
/// offered ones)`.
pub type Case = (Vec<String>, String, Vec<String>);

/// Every case the tree implies: the subcommand names; for each subcommand
/// its long options after `--`, the values of each option that names them,
/// and the values of a positional argument that names them.
pub fn completion_cases() -> Vec<Case> {
    let root = command();
    let name = root.get_name().to_owned();
    let mut cases = vec![(
        vec![name.clone()],
        String::new(),
        subcommands(&root)
            .iter()
            .map(|s| s.get_name().to_owned())
            .collect(),
    )];
    for sub in subcommands(&root) {
        let before = vec![name.clone(), sub.get_name().to_owned()];
        cases.push((before.clone(), "--".into(), long_options(sub)));
        for a in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let vals = values(a);
            if vals.is_empty() || !takes_value(a) {
                continue;
            }
            match a.get_long() {
                Some(long) => {
                    let mut words = before.clone();
                    words.push(format!("--{long}"));
                    cases.push((words, String::new(), vals));
                }
                None if a.is_positional() => cases.push((before.clone(), String::new(), vals)),
                None => {}
            }
        }
    }
    cases
}
