//! `completions`: the scripts loaded into the real shells (bash, zsh, fish)
//! and asked to complete every subcommand, option and value the clap
//! definition has.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli_tree::{completion_cases, Case};
use crate::util::{run, shell_quote, tools_or_skip, Env, Run};

/// The candidates a shell offered for each case, from output in the form
/// `<<case N>>` followed by one candidate a line.
fn offered(r: &Run, cases: usize) -> Vec<Vec<String>> {
    let mut by_case: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in r.stdout().lines() {
        if let Some(n) = line
            .strip_prefix("<<case ")
            .and_then(|l| l.strip_suffix(">>"))
        {
            let n: usize = n.parse().expect("a case number");
            by_case.entry(n).or_default();
            current = Some(n);
        } else if let Some(n) = current {
            // fish prints "candidate<TAB>description".
            let word = line.split('\t').next().unwrap_or(line).trim_end();
            by_case.entry(n).or_default().push(word.to_owned());
        }
    }
    assert_eq!(by_case.len(), cases, "not every case ran\n{}", r.report());
    by_case.into_values().collect()
}

/// Asserts that each case's candidates include what it must offer.
#[track_caller]
fn assert_offers(shell: &str, cases: &[Case], got: &[Vec<String>], r: &Run) {
    let mut wrong = Vec::new();
    for ((words, prefix, want), got) in cases.iter().zip(got) {
        let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
        if !missing.is_empty() {
            wrong.push(format!(
                "{shell}: `{} {prefix}<TAB>` lacks {missing:?}; offered {got:?}",
                words.join(" ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}\n{}", wrong.join("\n"), r.report());
}

/// Writes `therapy-timer completions SHELL` to `dir/name`.
fn script(env: &Env, shell: &str, dir: &Path, name: &str) -> PathBuf {
    let text = env.run(["completions", shell]).ok().stdout();
    std::fs::create_dir_all(dir).expect("a folder for the script");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the script");
    path
}

#[test]
fn bash_completes_every_subcommand_option_and_value() {
    if !tools_or_skip(
        "bash_completes_every_subcommand_option_and_value",
        &["bash"],
        "bash",
    ) {
        return;
    }
    let env = Env::new();
    let file = script(&env, "bash", env.root(), "therapy-timer.bash");
    let cases = completion_cases();
    // Load the script; find the function `complete` registered for the
    // command, then call it the way bash's programmable completion does.
    let mut driver = format!(
        "set -u\nsource {}\n\
         spec=$(complete -p therapy-timer) || exit 3\n\
         fn=${{spec#*-F }}; fn=${{fn%% *}}\n\
         comp() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"; \
         COMP_POINT=${{#COMP_LINE}}; COMPREPLY=(); \
         \"$fn\" therapy-timer \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"; }}\n",
        shell_quote(&file.display().to_string())
    );
    for (i, (words, prefix, _)) in cases.iter().enumerate() {
        let words: Vec<_> = words
            .iter()
            .chain([prefix])
            .map(|w| shell_quote(w))
            .collect();
        driver.push_str(&format!("echo '<<case {i}>>'; comp {}\n", words.join(" ")));
    }
    let r = run(env.program("bash", ["--norc", "--noprofile", "-c", &driver]));
    r.ok();
    assert_offers("bash", &cases, &offered(&r, cases.len()), &r);
}

#[test]
fn fish_completes_every_subcommand_option_and_value() {
    if !tools_or_skip(
        "fish_completes_every_subcommand_option_and_value",
        &["fish"],
        "fish",
    ) {
        return;
    }
    let env = Env::new();
    let file = script(&env, "fish", env.root(), "therapy-timer.fish");
    let cases = completion_cases();
    let mut driver = format!("source {}\n", shell_quote(&file.display().to_string()));
    for (i, (words, prefix, _)) in cases.iter().enumerate() {
        let line = format!("{} {prefix}", words.join(" "));
        driver.push_str(&format!(
            "echo '<<case {i}>>'; complete -C {}\n",
            shell_quote(&line)
        ));
    }
    let r = run(env.program("fish", ["--no-config", "-c", &driver]));
    r.ok();
    assert_offers("fish", &cases, &offered(&r, cases.len()), &r);
}

#[test]
fn zsh_completes_every_subcommand_option_and_value() {
    if !tools_or_skip(
        "zsh_completes_every_subcommand_option_and_value",
        &["zsh"],
        "zsh",
    ) {
        return;
    }
    let env = Env::new();
    let dir = env.root().join("zsh-functions");
    script(&env, "zsh", &dir, "_therapy-timer");
    let cases = completion_cases();
    // An interactive zsh in a pseudo-terminal, compinit, TAB: see the script.
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shells/complete.zsh");
    let lines: Vec<String> = cases
        .iter()
        .map(|(words, prefix, _)| format!("{} {prefix}", words.join(" ")))
        .collect();
    let mut cmd = env.program("zsh", [driver.as_os_str(), dir.as_os_str()]);
    cmd.args(&lines);
    let r = run(cmd);
    r.ok();
    assert!(
        !r.stdout().contains("<<timeout>>"),
        "zsh did not complete\n{}",
        r.report()
    );
    // complete.zsh marks each line `<<line>> LINE`; number them as cases.
    let mut numbered = String::new();
    let mut i = 0;
    for l in r.stdout().lines() {
        if l.starts_with("<<line>> ") {
            numbered.push_str(&format!("<<case {i}>>\n"));
            i += 1;
        } else {
            numbered.push_str(l);
            numbered.push('\n');
        }
    }
    let renumbered = Run {
        what: r.what.clone(),
        out: std::process::Output {
            stdout: numbered.into_bytes(),
            ..r.out.clone()
        },
    };
    assert_offers("zsh", &cases, &offered(&renumbered, cases.len()), &r);
}

/// Regression: with a hyphen in the command name, clap_complete's bash
/// script completed subcommand names only (clap-rs/clap#6421).
#[test]
fn bash_completes_options_after_a_subcommand_despite_the_hyphen() {
    let env = Env::new();
    let script = env.run(["completions", "bash"]).ok().stdout();
    assert!(!script.contains("therapy__subcmd__timer"), "{script}");
    assert!(
        script.contains("therapy__timer__subcmd__start)"),
        "{script}"
    );
}

#[test]
fn other_shells_get_a_script_and_unknown_ones_are_refused() {
    let env = Env::new();
    for shell in ["elvish", "powershell"] {
        env.run(["completions", shell])
            .ok()
            .stdout_has("therapy-timer")
            .stdout_has("start");
    }
    env.run(["completions", "tcsh"]).code_is(2);
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
