//! The Debian package's own files (the package itself is built, installed
//! and used by `.ci/package` and `.ci/package-check`).

use std::path::Path;

use crate::util::{run, tools_or_skip, Env};

fn source(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn the_desktop_entry_is_valid_and_matches_the_notices_app_name() {
    if !tools_or_skip(
        "the_desktop_entry_is_valid_and_matches_the_notices_app_name",
        &["desktop-file-validate"],
        "desktop-file-utils",
    ) {
        return;
    }
    let entry = source("packaging/therapy-timer.desktop");
    let env = Env::new();
    let r = run(env.program("desktop-file-validate", [&entry]));
    r.ok();
    assert_eq!(r.stdout() + &r.stderr(), "", "{}", r.report());
    let text = std::fs::read_to_string(&entry).expect("the desktop entry");
    // Notification servers find the entry by the notices' app name.
    assert!(text.contains("\nIcon=therapy-timer\n"), "{text}");
    assert!(source("packaging/therapy-timer.svg").is_file());
}

#[test]
fn the_package_description_carries_the_disclaimer_and_installs_every_asset() {
    let manifest = std::fs::read_to_string(source("Cargo.toml")).expect("Cargo.toml");
    let deb: toml::Table = toml::from_str::<toml::Table>(&manifest).expect("TOML")["package"]
        ["metadata"]["deb"]
        .as_table()
        .expect("[package.metadata.deb]")
        .clone();
    let description = deb["extended-description"].as_str().unwrap_or_default();
    assert!(
        description.contains("NOT A MEDICAL DEVICE"),
        "{description}"
    );
    assert!(
        description.contains("loss of bladder or bowel"),
        "{description}"
    );
    let targets: Vec<&str> = deb["assets"]
        .as_array()
        .expect("assets")
        .iter()
        .filter_map(|a| a.as_array()?.get(1)?.as_str())
        .collect();
    for dir in [
        "usr/bin/",
        "usr/share/man/man1/",
        "usr/share/bash-completion/completions/",
        "usr/share/zsh/vendor-completions/",
        "usr/share/fish/vendor_completions.d/",
        "usr/lib/systemd/user/",
        "usr/share/applications/",
    ] {
        assert!(targets.contains(&dir), "nothing installs into {dir}");
    }
    // cargo-deb must not enable the units: no systemd-units section.
    assert!(!deb.contains_key("systemd-units"));
}
