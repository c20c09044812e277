//! `man`: the pages, checked by groff (`-ww -z`: every warning, no output)
//! and rendered by man, for every subcommand in the clap definition.

use std::path::Path;
use std::process::Command;

use crate::cli_tree::{command, long_options, subcommands};
use crate::util::{run, tools_or_skip, Env};

/// Writes every page into `env.root()/man` and returns that folder.
fn write_pages(env: &Env) -> std::path::PathBuf {
    let dir = env.root().join("man");
    let r = env.run([
        std::ffi::OsStr::new("man"),
        "--dir".as_ref(),
        dir.as_os_str(),
    ]);
    r.ok().stdout_has("therapy-timer.1\n");
    dir
}

/// `man -l PAGE` as a person reads it, 80 columns, no pager, no hyphens.
fn rendered(env: &Env, page: &Path) -> String {
    let mut c = env.program("man", [std::ffi::OsStr::new("-l"), page.as_os_str()]);
    c.env("MANWIDTH", "200")
        .env("MAN_KEEP_FORMATTING", "")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("LANG", "C.UTF-8")
        // man-db's seccomp sandbox refuses libfaketime's semaphores (exit 3
        // under .ci/run's night run); man needs no shifted clock.
        .env_remove("LD_PRELOAD");
    let r = run(c);
    r.ok();
    assert_eq!(r.stderr(), "", "man complained\n{}", r.report());
    // man marks bold by overstriking when its output is not a terminal.
    let text = r.stdout();
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\u{8}' {
            plain.pop();
        } else {
            plain.push(c);
        }
    }
    plain.replace('‐', "-")
}

/// Whether a rendered page has a line that starts with `option` (after
/// the indent, and a short form such as `-h, `): the option's entry.
fn documents(page: &str, option: &str) -> bool {
    page.lines().any(|l| {
        let l = l.trim_start();
        let l = match l.as_bytes() {
            [b'-', _, b',', b' ', ..] => &l[4..],
            _ => l,
        };
        l.strip_prefix(option)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-'))
    })
}

#[test]
fn every_page_passes_groff_with_all_warnings() {
    if !tools_or_skip(
        "every_page_passes_groff_with_all_warnings",
        &["groff"],
        "groff",
    ) {
        return;
    }
    let env = Env::new();
    let dir = write_pages(&env);
    let cli = command();
    let mut expected = vec!["therapy-timer.1".to_owned()];
    expected.extend(
        subcommands(&cli)
            .iter()
            .map(|s| format!("therapy-timer-{}.1", s.get_name())),
    );
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("the man folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(
        found, expected,
        "one page per subcommand, and the main page"
    );
    for page in &found {
        let r = run({
            let mut c = Command::new("groff");
            c.args(["-ww", "-z", "-man"]).arg(dir.join(page));
            c
        });
        r.ok();
        assert_eq!(r.stderr(), "", "groff warns about {page}\n{}", r.report());
    }
}

#[test]
fn man_renders_every_subcommand_and_option_and_refers_to_pages_that_exist() {
    if !tools_or_skip(
        "man_renders_every_subcommand_and_option_and_refers_to_pages_that_exist",
        &["man", "groff"],
        "man-db groff",
    ) {
        return;
    }
    let env = Env::new();
    let dir = write_pages(&env);
    let main = rendered(&env, &dir.join("therapy-timer.1"));
    for needed in [
        "SEE A CLINICIAN AT ONCE",
        "not a medical device",
        "75   refused: the rest after the last session is not over",
    ] {
        assert!(
            main.contains(needed),
            "the main page lacks {needed:?}\n{main}"
        );
    }
    let cli = command();
    for sub in subcommands(&cli) {
        let name = sub.get_name();
        // The main page has the subcommand, each of its options under it...
        let heading = format!("\n   therapy-timer {name}\n");
        let at = main
            .find(&heading)
            .unwrap_or_else(|| panic!("the main page has no {heading:?}\n{main}"));
        let section = &main[at..];
        let end = section[heading.len()..]
            .find("\n   therapy-timer ")
            .map_or(section.len(), |e| e + heading.len());
        let section = &section[..end];
        // ... and its own page, with them too.
        let page = rendered(&env, &dir.join(format!("therapy-timer-{name}.1")));
        assert!(
            page.starts_with(&format!("therapy-timer-{name}(1)")),
            "{page}"
        );
        assert!(page.contains(&format!("therapy-timer {name}")), "{page}");
        assert!(page.contains("therapy-timer(1)"), "no way back\n{page}");
        for option in long_options(sub) {
            assert!(
                documents(section, &option),
                "the main page lacks {name} {option}\n{section}"
            );
            assert!(
                documents(&page, &option),
                "therapy-timer-{name}(1) lacks {option}\n{page}"
            );
        }
        // Every page named is one that was written.
        for text in [&main, &page] {
            for (i, _) in text.match_indices("(1)") {
                let word = text[..i]
                    .rsplit(|c: char| c.is_whitespace() || c == ',')
                    .next()
                    .unwrap_or_default();
                if word.starts_with("therapy-timer") {
                    assert!(
                        dir.join(format!("{word}.1")).is_file(),
                        "{word}(1) is named but was not written"
                    );
                }
            }
        }
    }
}

#[test]
fn plain_man_prints_the_main_page() {
    let env = Env::new();
    let dir = write_pages(&env);
    let printed = env.run(["man"]).ok().stdout();
    let written = std::fs::read_to_string(dir.join("therapy-timer.1")).expect("the main page");
    assert_eq!(printed, written);
    assert!(printed.contains(".TH therapy-timer 1 "), "{printed}");
}

#[test]
fn man_dir_that_cannot_be_made_is_an_error() {
    let env = Env::new();
    let file = env.root().join("a-file");
    std::fs::write(&file, "").expect("a file");
    env.run([
        std::ffi::OsStr::new("man"),
        "--dir".as_ref(),
        file.join("man").as_os_str(),
    ])
    .no_panic()
    .code_is(1)
    .stderr_has("cannot create")
    .stderr_has("pass --dir a folder you can write to");
}
