//! `therapy-timer man [--dir DIR]`: the man pages, all derived from the clap
//! definition, so a new subcommand or option is documented without touching
//! this file.

use std::io::{self, Write};
use std::path::Path;

use clap::{Command, CommandFactory};
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;

use super::write_stdout;
use crate::args::{Cli, ManArgs, HELP_SECTIONS};
use crate::error::CliError;

/// The section every page is in: user commands.
const SECTION: &str = "1";

/// Prints the main page, or writes every page into `--dir`.
pub fn run(args: &ManArgs) -> Result<(), CliError> {
    let pages = pages().map_err(render_failed)?;
    let Some(dir) = &args.dir else {
        let main = pages.into_iter().next().map(|(_, page)| page);
        return write_stdout(&main.unwrap_or_default());
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::Failure(format!(
            "cannot create {}: {e}; pass --dir a folder you can write to",
            dir.display()
        ))
    })?;
    let mut written = String::new();
    for (name, page) in pages {
        let path = dir.join(name);
        write_page(&path, &page)?;
        written.push_str(&format!("{}\n", path.display()));
    }
    write_stdout(written.as_bytes())
}

fn render_failed(e: io::Error) -> CliError {
    CliError::Failure(format!("cannot render the man pages: {e}"))
}

/// Writes one page through a temporary file, so a reader never sees half.
fn write_page(path: &Path, page: &[u8]) -> Result<(), CliError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, page)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            CliError::Failure(format!("cannot write {}: {e}", path.display()))
        })
}

/// The command tree as the pages see it: built (so every subcommand knows
/// its full `therapy-timer start` name), without clap's `help` subcommand.
fn tree() -> Command {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    cli
}

/// The subcommands that get a page.
fn subcommands(cli: &Command) -> impl Iterator<Item = &Command> {
    cli.get_subcommands().filter(|s| !s.is_hide_set())
}

/// The page name of a subcommand: `therapy-timer-start`.
fn page_name(cli: &Command, sub: &Command) -> String {
    format!("{}-{}", cli.get_name(), sub.get_name())
}

/// Every page as `(file name, roff)`: `therapy-timer.1` first, then one
/// per subcommand.
pub fn pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let cli = tree();
    let mut pages = vec![(format!("{}.{SECTION}", cli.get_name()), main_page(&cli)?)];
    for sub in subcommands(&cli) {
        let name = page_name(&cli, sub);
        pages.push((format!("{name}.{SECTION}"), sub_page(&cli, sub, &name)?));
    }
    Ok(pages)
}

/// One of clap_mangen's section renderers.
type RenderSection = fn(&Man, &mut dyn Write) -> io::Result<()>;

/// The main page: clap_mangen's title, name, synopsis, description and
/// options; then every subcommand with its synopsis, text and options; the
/// text after `--help` (protocol, red flags, exit codes, TIME, files) as
/// sections of their own; the other pages; the version.
fn main_page(cli: &Command) -> io::Result<Vec<u8>> {
    // clap_mangen would put the whole text after --help into one "EXTRA"
    // section and reflow it, which runs the exit-code table into one line;
    // so it is left out here and written section by section below.
    let man = Man::new(cli.clone().after_help(None::<&str>));
    let mut page = Vec::new();
    let sections: [RenderSection; 5] = [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ];
    for render in sections {
        section(&man, render, &mut page)?;
    }
    page.write_all(b".SH SUBCOMMANDS\n")?;
    for sub in subcommands(cli) {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        let mut head = Roff::new();
        head.control("SS", [name]);
        page.write_all(head.to_roff().as_bytes())?;
        let sub_man = Man::new(sub.clone());
        // Its synopsis and text, without their headings...
        for render in [
            Man::render_synopsis_section as RenderSection,
            Man::render_description_section,
        ] {
            let mut text = Vec::new();
            section(&sub_man, render, &mut text)?;
            page.write_all(&without_headings(&text))?;
            page.write_all(b".PP\n")?;
        }
        // ... and its options, indented under it.
        let mut options = Vec::new();
        section(&sub_man, Man::render_options_section, &mut options)?;
        page.write_all(&without_headings(&options))?;
        let mut see = Roff::new();
        see.control("PP", []);
        see.text([
            roman("More in "),
            bold(page_name(cli, sub)),
            roman(format!("({SECTION}).")),
        ]);
        page.write_all(see.to_roff().as_bytes())?;
    }
    page.write_all(
        help_sections(HELP_SECTIONS.iter().map(|s| s.man))
            .to_roff()
            .as_bytes(),
    )?;
    let others: Vec<String> = subcommands(cli)
        .map(|s| format!("{}({SECTION})", page_name(cli, s)))
        .collect();
    page.write_all(see_also(&others).to_roff().as_bytes())?;
    section(&man, Man::render_version_section, &mut page)?;
    Ok(page)
}

/// A subcommand's page: clap_mangen's title (`therapy-timer-start`), name,
/// synopsis (`therapy-timer start ...`), description and options; the exit
/// codes, the red flags; and a pointer back to the main page.
fn sub_page(cli: &Command, sub: &Command, name: &str) -> io::Result<Vec<u8>> {
    let man = Man::new(sub.clone().display_name(name)).source(format!(
        "{} {}",
        cli.get_name(),
        env!("CARGO_PKG_VERSION")
    ));
    let mut page = Vec::new();
    let sections: [RenderSection; 5] = [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ];
    for render in sections {
        section(&man, render, &mut page)?;
    }
    let shared = ["EXIT STATUS", "SEE A CLINICIAN"];
    page.write_all(help_sections(shared.into_iter()).to_roff().as_bytes())?;
    page.write_all(
        see_also(&[format!("{}({SECTION})", cli.get_name())])
            .to_roff()
            .as_bytes(),
    )?;
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

/// `roff` without its `.SH` lines, to nest a section under a `.SS`.
fn without_headings(roff: &[u8]) -> Vec<u8> {
    roff.split_inclusive(|&b| b == b'\n')
        .filter(|line| !line.starts_with(b".SH "))
        .flatten()
        .copied()
        .collect()
}

/// The sections after `--help` named in `wanted`, in their order, each kept
/// as laid out for a terminal (no-fill mode), so tables keep their columns.
fn help_sections<'a>(wanted: impl Iterator<Item = &'a str>) -> Roff {
    let mut roff = Roff::new();
    for name in wanted {
        let Some(section) = HELP_SECTIONS.iter().find(|s| s.man == name) else {
            continue;
        };
        roff.control("SH", [section.man]);
        roff.control("nf", []);
        for line in (section.body)().lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
    }
    roff
}

/// A SEE ALSO section naming `pages` (`name(1)`), comma separated.
fn see_also(pages: &[String]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["SEE ALSO"]);
    // Page names must not be hyphenated at the line end.
    roff.control("nh", []);
    let mut line = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        match page.split_once('(') {
            Some((name, rest)) => {
                line.push(bold(name));
                line.push(roman(format!("({rest}")));
            }
            None => line.push(bold(page)),
        }
    }
    roff.text(line);
    roff.control("hy", []);
    roff
}

#[cfg(test)]
mod tests {
    use super::pages;

    fn page(name: &str) -> String {
        let pages = pages().unwrap();
        let (_, page) = pages.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(page.clone()).unwrap()
    }

    #[test]
    fn man_page_keeps_the_exit_code_table_and_the_red_flags() {
        let page = page("therapy-timer.1");
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

    #[test]
    fn the_main_page_has_each_subcommand_with_its_options() {
        let page = page("therapy-timer.1");
        let start = page.find(".SS \"therapy-timer start\"").unwrap();
        let plan = page.find(".SS \"therapy-timer plan\"").unwrap();
        assert!(page[start..plan].contains("\\-\\-phase"), "{page}");
        assert!(page[start..plan].contains("\\fBtherapy\\-timer\\-start\\fR(1)"));
    }

    #[test]
    fn every_page_starts_with_its_title() {
        for (name, page) in pages().unwrap() {
            let page = String::from_utf8(page).unwrap();
            let title = name.trim_end_matches(".1");
            assert!(page.contains(&format!(".TH {title} 1 ")), "{name}: {page}");
        }
    }
}
