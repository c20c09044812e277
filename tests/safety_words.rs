//! The safety words are the library's, everywhere they are rendered: the
//! red flags, all six, in `--help`, the man page, a notice and the README.

use therapy_timer::safety::RED_FLAGS;

use crate::util::Env;

const README: &str = include_str!("../README.md");

/// `text` with roff escapes undone and every run of white space (line
/// breaks, a `> ` quote's markers) made one space, so a flag wrapped over
/// two lines is still found.
fn flat(text: &str) -> String {
    text.replace("\\-", "-")
        .replace("\\(aq", "'")
        .lines()
        .map(|l| l.trim_start_matches('>').trim())
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that `place` lists the library's six red flags, each once, and
/// that the list of them ends where the library's does (no seventh item
/// after the sixth, no flag of its own between them).
fn lists_the_six(place: &str, text: &str) {
    let text = flat(text);
    let mut last = 0;
    for flag in RED_FLAGS {
        let Some(at) = text[last..].find(flag) else {
            panic!("{place} does not list the red flag {flag:?} (in the library's order):\n{text}");
        };
        last += at + flag.len();
    }
    // Between the first and the last flag, only the flags and separators.
    let first = text.find(RED_FLAGS[0]).unwrap_or(0);
    let mut between = text[first..last].to_owned();
    for flag in RED_FLAGS {
        between = between.replacen(flag, "", 1);
    }
    let rest: String = between
        .chars()
        .filter(|c| !matches!(c, ';' | ',' | ' '))
        .collect();
    assert!(
        rest.is_empty() || rest == "or",
        "{place} lists something the library does not between its red flags: {rest:?}"
    );
}

#[test]
fn every_rendered_place_lists_the_library_s_six_red_flags() {
    let env = Env::new();
    lists_the_six("--help", &env.run(["--help"]).ok().stdout());
    lists_the_six("the man page", &env.run(["man"]).ok().stdout());
    lists_the_six("the README", README);
    // A notice that sends the person to a clinician (no session bus here:
    // notices are written to stderr).
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:00:00Z",
    ])
    .ok();
    let r = env.run(["pain", "9", "--at", "2026-03-01T09:00:00Z"]);
    r.ok();
    lists_the_six("the severe-pain notice", &r.stderr());
    let r = env.run([
        "tick",
        "--at",
        "2026-03-04T08:30:00Z",
        "--quiet-hours",
        "off",
    ]);
    r.ok();
    lists_the_six("the review notice", &r.stderr());
}

#[test]
fn a_flag_missing_from_a_place_is_caught() {
    // The check above can fail: the old four-flag notice would not pass.
    let four = "Go at once for numbness, tingling or weakness in the legs, loss of bladder or \
        bowel control, high fever, or severe pain that does not improve.";
    assert!(std::panic::catch_unwind(|| lists_the_six("four flags", four)).is_err());
}
