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
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "therapy-timer", &mut script);
    write_stdout(&script)
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
