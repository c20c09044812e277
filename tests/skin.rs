//! Skin checks with the real binary: the numb pause (start refused with
//! exit 75, status and the bar saying why), blistered (a critical
//! see-a-clinician notice on a real desktop), the log, undo and remove.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{desktop_or_skip, run, Env, Run, BIN};

/// An injury at 08:00 and an ice session 08:00-08:10, logged at 08:20.
fn iced() -> Env {
    let env = Env::new();
    env.run(["injury", "2026-03-01 08:00", "--at", "2026-03-01 08:00"])
        .ok();
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-01 08:00",
        "--at",
        "2026-03-01 08:20",
    ])
    .ok();
    env
}

#[test]
fn numb_skin_refuses_start_with_exit_75_and_status_says_why_until_skin_normal() {
    let env = iced();
    env.run([
        "skin",
        "numb",
        "--note",
        "left side",
        "--at",
        "2026-03-01 08:21",
    ])
    .ok()
    .stdout_has("Skin check 2: numb at 08:21.")
    .stdout_has("no cold or heat until the feeling is back");
    // Well past the hour's rest: refused all the same, forced or not.
    for force in [&[][..], &["--force"][..]] {
        let mut args = vec!["start", "--linger", "0s", "--at", "2026-03-01 09:30"];
        args.extend_from_slice(force);
        env.run(&args)
            .code_is(75)
            .stderr_has("not now: the skin was recorded numb at 08:21")
            .stderr_has("therapy-timer skin normal");
    }
    assert_eq!(
        env.run(["log", "--json"])
            .ok()
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    env.run(["status", "--at", "2026-03-01 09:30"])
        .ok()
        .stdout_has("Paused: the skin was recorded numb at 08:21.");
    let status = env
        .run(["status", "--json", "--at", "2026-03-01 09:30"])
        .ok()
        .json();
    assert_eq!(status["may_start_now"], false);
    assert_eq!(status["skin_pause"]["skin"], "numb");
    assert_eq!(status["skin_pause"]["note"], "left side");
    assert_eq!(status["next_planned_start"], Value::Null);
    env.run(["status", "--format", "plain", "--at", "2026-03-01 09:30"])
        .ok()
        .stdout_has("SKIN NUMB: NO COLD OR HEAT");
    // Red says nothing about sensation: still paused.
    env.run(["skin", "red", "--at", "2026-03-01 09:31"]).ok();
    env.run(["start", "--linger", "0s", "--at", "2026-03-01 09:32"])
        .code_is(75);
    env.run(["skin", "normal", "--at", "2026-03-01 09:40"])
        .ok()
        .stdout_has("Skin normal");
    let status = env
        .run(["status", "--json", "--at", "2026-03-01 09:41"])
        .ok()
        .json();
    assert_eq!(status["may_start_now"], true);
    assert_eq!(status.get("skin_pause"), None);
}

#[test]
fn skin_checks_are_in_the_log_with_ids_and_undo_and_remove_take_them_back() {
    let env = iced();
    env.run(["skin", "numb", "--at", "2026-03-01 08:21"]).ok();
    env.run(["skin", "red", "--note", "pink", "--at", "2026-03-01 08:22"])
        .ok();
    let log = env.run(["log", "--at", "2026-03-01 08:30"]).ok().stdout();
    assert_eq!(
        log,
        "    1  Sun 01 Mar 08:00-08:10  ice       10m  logged afterwards\n    \
         2  Sun 01 Mar 08:21        skin     numb\n    \
         3  Sun 01 Mar 08:22        skin      red: pink\n"
    );
    env.run(["undo", "--at", "2026-03-01 08:31"])
        .ok()
        .stdout_has("Undone: removed 3  ");
    // Still paused by the numb check; removing it lifts the pause.
    env.run(["start", "--linger", "0s", "--at", "2026-03-01 09:30"])
        .code_is(75);
    env.run(["log", "remove", "2", "--at", "2026-03-01 09:30"])
        .ok()
        .stdout_has("Removed 2  ");
    let status = env
        .run(["status", "--json", "--at", "2026-03-01 09:30"])
        .ok()
        .json();
    assert_eq!(status["may_start_now"], true);
    env.run(["skin", "sore", "--at", "2026-03-01 09:31"])
        .code_is(2)
        .stderr_has("normal, red, numb, blistered");
}

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/desktop/run-in-desktop.sh")
}

/// Runs `command` beside dunst; returns the run and dunst's history as
/// (message, summary, body) in the order sent.
fn in_desktop(env: &Env, command: &[&str]) -> (Run, Vec<(String, String, String)>) {
    let out = env.root().join("desktop");
    std::fs::create_dir_all(&out).expect("desktop output folder");
    std::fs::create_dir_all(env.root().join("runtime")).expect("runtime folder");
    let mut args: Vec<std::ffi::OsString> = vec![
        "--".into(),
        "bash".into(),
        harness().into(),
        out.clone().into(),
    ];
    args.extend(command.iter().map(std::ffi::OsString::from));
    let r = run(env.program("dbus-run-session", &args));
    let text = std::fs::read_to_string(out.join("history.json")).unwrap_or_default();
    let history: Value = serde_json::from_str(&text).unwrap_or_default();
    let field = |n: &Value, k: &str| n[k]["data"].as_str().unwrap_or_default().to_owned();
    let mut list: Vec<_> = history["data"][0].as_array().cloned().unwrap_or_default();
    list.sort_by_key(|n| n["id"]["data"].as_i64());
    let shown = list
        .iter()
        .map(|n| (field(n, "message"), field(n, "summary"), field(n, "body")))
        .collect();
    (r, shown)
}

#[test]
fn blistered_skin_gives_a_critical_see_a_clinician_notice_with_the_red_flags() {
    if !desktop_or_skip(
        "blistered_skin_gives_a_critical_see_a_clinician_notice_with_the_red_flags",
        &[
            "dbus-run-session",
            "dbus-send",
            "dbus-monitor",
            "Xvfb",
            "dunst",
            "dunstctl",
        ],
    ) {
        return;
    }
    let env = iced();
    let (r, shown) = in_desktop(
        &env,
        &[BIN, "skin", "blistered", "--at", "2026-03-01 08:21"],
    );
    r.ok().stdout_has("see a clinician");
    let see: Vec<_> = shown.iter().filter(|n| n.1.contains("clinician")).collect();
    assert_eq!(see.len(), 1, "{shown:#?}");
    assert_eq!(see[0].1, "Blistered skin: see a clinician");
    assert!(see[0].0.starts_with("CRITICAL|"), "{:?}", see[0]);
    for flag in therapy_timer::safety::RED_FLAGS {
        assert!(see[0].2.contains(flag), "{flag:?} missing: {:?}", see[0].2);
    }
    env.run(["start", "--linger", "0s", "--at", "2026-03-01 09:30"])
        .code_is(75)
        .stderr_has("blistered");
}

#[test]
fn start_pain_is_the_pain_before_and_the_report_uses_it_over_the_estimate() {
    let env = Env::new();
    env.run(["injury", "2026-03-01 08:00", "--at", "2026-03-01 08:00"])
        .ok();
    // A score 5 minutes before the start, on its own: the estimate would
    // take it as the pain before.
    env.run(["pain", "3", "--at", "2026-03-01 08:55"]).ok();
    env.run([
        "start",
        "--phase",
        "ice",
        "--duration",
        "1s",
        "--linger",
        "0s",
        "--pain",
        "7",
        "--at",
        "2026-03-01 09:00",
    ])
    .ok()
    .stdout_has("Pain 7 of 10 before it recorded.");
    env.run(["skin", "red", "--at", "2026-03-01 09:01"]).ok();
    let report = env
        .run(["report", "--json", "--at", "2026-03-01 10:00"])
        .ok()
        .json();
    let entries = report["courses"][0]["entries"]
        .as_array()
        .or_else(|| report[0]["entries"].as_array())
        .cloned()
        .unwrap_or_else(|| panic!("no entries in {report}"));
    let session = entries
        .iter()
        .find(|e| e["kind"] == "session")
        .expect("a session");
    assert_eq!(session["pain_before"], 7, "{session}");
    let given = entries
        .iter()
        .find(|e| e["kind"] == "pain" && e["score"] == 7)
        .expect("the score given with start");
    assert_eq!(
        (given["session"].clone(), given["when"].clone()),
        (session["id"].clone(), "before".into())
    );
    let skin = entries
        .iter()
        .find(|e| e["kind"] == "skin")
        .expect("the skin check");
    assert_eq!(skin["skin"], "red");
    // The CSV: a row for the check, and the session's skin column.
    let csv = env
        .run(["report", "--csv", "--at", "2026-03-01 10:00"])
        .ok()
        .stdout();
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(rows[0].ends_with(",pain_before,pain_after,skin"), "{csv}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("1,skin,") && r.ends_with(",red")),
        "{csv}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("1,session,") && r.ends_with(",7,,red")),
        "{csv}"
    );
    let html = env
        .run(["report", "--html", "--at", "2026-03-01 10:00"])
        .ok()
        .stdout();
    assert!(
        html.contains("7 → – <span class=\"skin\">red</span>"),
        "no skin in the table"
    );
    env.run(["start", "--pain", "11", "--at", "2026-03-01 11:00"])
        .code_is(2);
}
