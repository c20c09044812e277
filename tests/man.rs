//! `man`: the pages, checked by groff and rendered by man.

use crate::util::Env;

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
