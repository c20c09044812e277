//! `therapy-timer completions`.

use clap::CommandFactory;

use super::write_stdout;
use crate::args::Cli;
use crate::error::CliError;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    // clap_complete panics when its writer fails, so it writes to memory and
    // only the copy to stdout (which a closed pipe can fail) is fallible.
    write_stdout(&completion_script(shell))
}

/// The name the completions are for: the installed command.
const BIN: &str = "therapy-timer";

/// The completion script for `shell`, derived from the clap definition, so
/// new subcommands and options are covered without touching this file.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
    match shell {
        clap_complete::Shell::Bash => fix_bash_hyphen(&mut script),
        clap_complete::Shell::Fish => script.extend(fish_positionals(&Cli::command())),
        _ => {}
    }
    script
}

/// clap_complete's fish script (4.6.11) offers nothing for a positional
/// argument, so `therapy-timer schedule <TAB>` listed files. These lines
/// offer the values of each subcommand's positionals that name theirs.
fn fish_positionals(cli: &clap::Command) -> Vec<u8> {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut lines = String::new();
    for sub in cli.get_subcommands() {
        for arg in sub.get_positionals() {
            for value in arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
            {
                let help = value
                    .get_help()
                    .map(|h| format!(" -d {}", quote(&h.to_string())))
                    .unwrap_or_default();
                lines.push_str(&format!(
                    "complete -c {BIN} -n \"__fish_{}_using_subcommand {}\" -f -a {}{help}\n",
                    BIN.replace('-', "_"),
                    sub.get_name(),
                    quote(value.get_name()),
                ));
            }
        }
    }
    lines.into_bytes()
}

/// clap_complete's bash script (up to 4.6.11 at least) never completes
/// anything after a subcommand when the command name has a hyphen: its
/// word loop arrives at `therapy__timer__subcmd__start`, but its case arms
/// are spelled `therapy__subcmd__timer__subcmd__start`
/// (clap-rs/clap#6421, #6529). Respell the arms the way the loop does; once
/// clap_complete is fixed this finds nothing to replace.
fn fix_bash_hyphen(script: &mut Vec<u8>) {
    const SEP: &str = "__subcmd__";
    let good = format!("{}{SEP}", BIN.replace('-', "__"));
    let bad = format!("{}{SEP}", BIN.replace('-', SEP));
    if let Ok(text) = std::str::from_utf8(script) {
        *script = text.replace(&bad, &good).into_bytes();
    }
}
