//! The README is checked against the program: its console transcripts are
//! run against the real binary (trycmd) in a fixed zone with an empty state,
//! and its sample config is the defaults. Its Rust example is a doctest of
//! the library (`crates/core/src/lib.rs`, `ReadmeDoctests`).

use crate::util::{Env, BIN};

/// Every ```console block of README.md, in order, in one state: a
/// command's output (stdout and stderr) must be exactly what the README
/// shows.
#[test]
fn readme_console_examples_are_what_the_program_prints() {
    let env = Env::in_zone("Europe/Berlin");
    let root = env.root();
    let dir = |d: &str| root.join(d).display().to_string();
    trycmd::TestCases::new()
        .register_bin("therapy-timer", std::path::Path::new(BIN))
        .env("HOME", dir(""))
        .env("XDG_STATE_HOME", dir("state"))
        .env("XDG_CONFIG_HOME", dir("config"))
        .env("XDG_RUNTIME_DIR", dir("runtime"))
        // No desktop, whatever the developer's session has: the notices
        // go to the terminal, as the README says.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", dir("no-bus")),
        )
        .env("TZ", "Europe/Berlin")
        .case("README.md");
}

/// The README's sample config (the ```toml block of "## Config file") is
/// accepted by `config --check` and sets exactly the defaults.
#[test]
fn readme_sample_config_is_the_defaults() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let section = readme
        .split("\n## Config file\n")
        .nth(1)
        .expect("a Config file section");
    let toml = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a toml block in the Config file section");
    let env = Env::new();
    let file = env.root().join("sample.toml");
    std::fs::write(&file, toml).expect("write the sample");
    env.run(["config".as_ref(), "--check".as_ref(), file.as_os_str()])
        .ok();

    // The settings in force with the sample as the config file, and with
    // none: the same values, only their source differs.
    let defaults = env.run(["config"]).ok().stdout();
    let dir = env.root().join("config/therapy-timer");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.toml"), toml).expect("write config");
    let with_sample = env.run(["config"]).ok().stdout();
    let values = |out: &str| -> Vec<String> {
        out.lines()
            .skip(1) // the line that names the file
            .map(|l| {
                l.trim_end()
                    .trim_end_matches("(default)")
                    .trim_end_matches("(config file)")
                    .trim_end()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(
        values(&with_sample),
        values(&defaults),
        "the README's sample config is not the defaults\n--- with it\n{with_sample}--- without\n{defaults}"
    );
}
