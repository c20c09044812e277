//! `therapy-timer completions` and `therapy-timer man`.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_mangen::roff::{roman, Roff};
use clap_mangen::Man;

use super::write_stdout;
use crate::args::{Cli, HELP_SECTIONS};
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

/// Prints the man page.
pub fn man() -> Result<(), CliError> {
    write_stdout(&man_page()?)
}

/// One of clap_mangen's section renderers.
type RenderSection = fn(&Man, &mut dyn Write) -> io::Result<()>;

/// The man page in roff: clap_mangen's sections, then the text after
/// `--help` (protocol, red flags, exit codes, TIME, files) as sections of
/// their own, then the version.
fn man_page() -> Result<Vec<u8>, CliError> {
    // clap_mangen would put the whole text after --help into one "EXTRA"
    // section and reflow it, which runs the exit-code table into one line;
    // so it is left out here and written section by section below.
    let man = Man::new(Cli::command().after_help(None::<&str>));
    let mut page = Vec::new();
    let sections: [RenderSection; 6] = [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
        Man::render_subcommands_section,
    ];
    let mut rendered = Ok(());
    for render in sections {
        rendered = rendered.and_then(|()| section(&man, render, &mut page));
    }
    rendered
        .and_then(|()| page.write_all(help_sections().to_roff().as_bytes()))
        .and_then(|()| section(&man, Man::render_version_section, &mut page))
        .map_err(|e| CliError::Failure(format!("cannot render the man page: {e}")))?;
    Ok(page)
}

/// Renders one of clap_mangen's sections onto `page`. Each one starts with
/// the same two-line preamble (it defines the apostrophe string); the page
/// needs it once.
fn section(man: &Man, render: RenderSection, page: &mut Vec<u8>) -> io::Result<()> {
    const PREAMBLE: &[u8] = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut text = Vec::new();
    render(man, &mut text)?;
    let text = match text.strip_prefix(PREAMBLE) {
        Some(rest) if page.starts_with(PREAMBLE) => rest,
        _ => &text,
    };
    page.write_all(text)
}

/// The sections after `--help`, each kept as laid out for a terminal
/// (no-fill mode), so tables keep their columns.
fn help_sections() -> Roff {
    let mut roff = Roff::new();
    for section in &HELP_SECTIONS {
        roff.control("SH", [section.man]);
        roff.control("nf", []);
        for line in section.body.lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::man_page;

    #[test]
    fn man_page_keeps_the_exit_code_table_and_the_red_flags() {
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(
            page.contains(".SH \"EXIT STATUS\"\n.nf\n  0    success\n"),
            "{page}"
        );
        assert!(
            page.contains("SEE A CLINICIAN AT ONCE for: numbness"),
            "{page}"
        );
        assert!(!page.contains(".SH EXTRA"), "{page}");
        // Sections come before the version, which stays last.
        let files = page.find(".SH FILES").unwrap();
        assert!(files < page.find(".SH VERSION").unwrap(), "{page}");
    }
}
