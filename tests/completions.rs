//! `completions` and `man`.

use crate::util::{missing_programs, run, Env};

#[test]
fn bash_completions_parse_and_know_the_subcommands() {
    let env = Env::new();
    let r = env.run(["completions", "bash"]);
    let script = r.ok().stdout();
    for sub in ["start", "tick", "plan", "completions"] {
        assert!(script.contains(sub), "no {sub:?}\n{}", r.report());
    }
    if !missing_programs(&["bash"]).is_empty() {
        eprintln!("\n*** bash_completions_parse: SKIPPED the syntax check: no bash ***\n");
        return;
    }
    let file = env.root().join("therapy-timer.bash");
    std::fs::write(&file, &script).expect("write the script");
    run(env.program("bash", [std::ffi::OsStr::new("-n"), file.as_os_str()])).ok();
}

#[test]
fn zsh_and_fish_completions_name_the_command() {
    let env = Env::new();
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let r = env.run(["completions", shell]);
        r.ok().stdout_has("therapy-timer").stdout_has("start");
    }
    env.run(["completions", "tcsh"]).code_is(2);
}

#[test]
fn man_page_is_roff_with_red_flags_and_exit_codes() {
    let env = Env::new();
    let r = env.run(["man"]);
    let page = r.ok().stdout();
    // roff's preamble defines a string first (`.ie`/`.el`); then the title.
    let first = page
        .lines()
        .find(|l| !l.starts_with(".ie ") && !l.starts_with(".el "));
    assert!(
        first.is_some_and(|l| l.starts_with(".TH therapy-timer 1 ")),
        "{}",
        r.report()
    );
    r.stdout_has(".SH SUBCOMMANDS")
        .stdout_has("SEE A CLINICIAN AT ONCE")
        .stdout_has("loss of bladder or bowel control")
        .stdout_has("not a medical device")
        .stdout_has(".SH \"EXIT STATUS\"")
        .stdout_has("75   refused: the rest after the last session is not over");
}

#[test]
fn a_closed_pipe_is_a_normal_end_not_a_panic() {
    let env = Env::new();
    for args in [&["man"][..], &["completions", "bash"]] {
        // A pipe whose reader is gone before the binary starts, so its write
        // fails (EPIPE) every time, not just when it loses a race.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let mut cmd = env.cmd(args);
        cmd.stdout(writer);
        let r = run(cmd);
        // Issue 9: a closed pipe is a normal end (`man | head`), as on
        // every output path.
        r.no_panic().ok();
        assert_eq!(r.stderr(), "", "{}", r.report());
    }
}
