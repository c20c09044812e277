//! `status --format waybar|plain`: what a status bar polls. Every waybar line
//! is checked against the custom module's JSON schema, then for its values.

use std::fs;

use serde_json::Value;

use crate::util::{Env, Run};

const INJURED: &str = "2026-03-01T08:00:00Z";

/// An ice session 09:00-09:10 as `start` leaves it while it runs (or after
/// its process died without confirming the stop).
const RUNNING_ICE: &str = r#"{"format": 1, "injured_at": "2026-03-01T08:00:00Z", "sessions": [
    {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"running"}]}"#;

/// The same session, done.
const COMPLETED_ICE: &str = r#"{"format": 1, "injured_at": "2026-03-01T08:00:00Z", "sessions": [
    {"phase":"ice","start":"2026-03-01T09:00:00Z","end":"2026-03-01T09:10:00Z","outcome":"completed"}]}"#;

fn write_state(env: &Env, content: &str) {
    fs::create_dir_all(env.state_file().parent().unwrap()).unwrap();
    fs::write(env.state_file(), content).unwrap();
}

fn with_injury() -> Env {
    let env = Env::new();
    env.run(["injury", INJURED, "--at", INJURED]).ok();
    env
}

fn with_state(content: &str) -> Env {
    let env = Env::new();
    write_state(&env, content);
    env
}

/// Runs `status --format waybar --at AT`, checks the line against waybar's
/// custom-module schema, and returns (text, class, percentage, tooltip).
#[track_caller]
fn waybar(env: &Env, at: &str) -> (String, String, u64, String) {
    waybar_with(env, &["--at", at])
}

/// Runs `status --format waybar ARGS`; otherwise as [`waybar`].
#[track_caller]
fn waybar_with(env: &Env, args: &[&str]) -> (String, String, u64, String) {
    let r = env.run(["status", "--format", "waybar"].iter().chain(args));
    r.ok().no_panic();
    let out = r.stdout();
    assert!(
        out.ends_with('\n') && out.trim_end_matches('\n').lines().count() == 1,
        "not exactly one line\n{}",
        r.report()
    );
    let v = r.json();
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object\n{}", r.report()));
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["class", "percentage", "text", "tooltip"],
        "{}",
        r.report()
    );
    let string = |k: &str| match &v[k] {
        Value::String(s) => s.clone(),
        other => panic!("{k} is not a string: {other}\n{}", r.report()),
    };
    let (text, class, tooltip) = (string("text"), string("class"), string("tooltip"));
    assert!(
        ["ice", "heat", "rest", "overdue", "error"].contains(&class.as_str()),
        "class {class:?} is not one of ice, heat, rest, overdue, error\n{}",
        r.report()
    );
    let percentage = v["percentage"]
        .as_u64()
        .unwrap_or_else(|| panic!("percentage is not a whole number\n{}", r.report()));
    assert!(percentage <= 100, "percentage {percentage}\n{}", r.report());
    assert!(!text.is_empty() && !text.contains('\n'), "{}", r.report());
    (text, class, percentage, tooltip)
}

#[track_caller]
fn plain(env: &Env, at: &str) -> Run {
    let r = env.run(["status", "--format", "plain", "--at", at]);
    r.ok().no_panic();
    r
}

#[test]
fn ready_with_an_injury_is_the_phase_now() {
    let env = with_injury();
    let at = "2026-03-01T09:00:00Z";
    let (text, class, pct, tooltip) = waybar(&env, at);
    assert_eq!(
        (text.as_str(), class.as_str(), pct),
        ("ice now", "ice", 100)
    );
    assert_eq!(
        tooltip,
        "Injured Sun 01 Mar 2026 08:00 +00:00 (1h ago): day 1.\n\
         Phase: ice, until Tue 08:00 (then heat).\n\
         No session logged yet.\n\
         A session may start now."
    );
    assert_eq!(plain(&env, at).stdout(), "ice now\n");
}

#[test]
fn heat_after_the_acute_window() {
    let env = with_injury();
    let at = "2026-03-03T09:00:00Z"; // 49 h after the injury
    let (text, class, pct, tooltip) = waybar(&env, at);
    assert_eq!(
        (text.as_str(), class.as_str(), pct),
        ("heat now", "heat", 100)
    );
    assert!(tooltip.contains("Phase: heat."), "{tooltip}");
    assert!(!tooltip.contains("clinician"), "{tooltip}");
    assert_eq!(plain(&env, at).stdout(), "heat now\n");
}

#[test]
fn a_running_session_shows_time_left_and_progress() {
    let env = with_state(RUNNING_ICE);
    let at = "2026-03-01T09:03:48Z";
    let (text, class, pct, tooltip) = waybar(&env, at);
    assert_eq!(
        (text.as_str(), class.as_str(), pct),
        ("ice 6m 12s", "ice", 38)
    );
    assert!(
        tooltip.starts_with("Ice on: 6m 12s left (off at 09:10).\n"),
        "{tooltip}"
    );
    assert!(
        tooltip.ends_with("The next session may start at 10:10."),
        "{tooltip}"
    );
    assert_eq!(plain(&env, at).stdout(), "ice 6m 12s\n");
}

#[test]
fn resting_shows_time_left_and_share_of_the_rest() {
    let env = with_state(COMPLETED_ICE);
    // The rest runs 09:10-10:10; 17 of its 60 minutes are gone.
    let at = "2026-03-01T09:27:00Z";
    let (text, class, pct, tooltip) = waybar(&env, at);
    assert_eq!(
        (text.as_str(), class.as_str(), pct),
        ("rest 43m", "rest", 28)
    );
    assert!(
        tooltip.contains(
            "Last session: ice at 09:00, 10m.\n\
             Resting after ice: the next session may start at 10:10 (in 43m)."
        ),
        "{tooltip}"
    );
    assert_eq!(plain(&env, at).stdout(), "rest 43m\n");
}

#[test]
fn a_running_session_past_its_end_is_overdue_not_settled() {
    // Regression: status settles stale sessions in memory; the bar must see
    // the log as read, where nobody confirmed that the ice came off.
    let env = with_state(RUNNING_ICE);
    let at = "2026-03-01T09:13:00Z";
    let (text, class, pct, tooltip) = waybar(&env, at);
    assert_eq!(
        (text.as_str(), class.as_str(), pct),
        ("ice off! 3m over", "overdue", 100)
    );
    assert!(
        tooltip.starts_with(
            "Ice on for 13m: take it off now (it was due off at 09:10, 3m ago), then\n\
             run `therapy-timer stop`."
        ),
        "{tooltip}"
    );
    assert_eq!(plain(&env, at).stdout(), "ICE OFF NOW (3m over)\n");
    // Polling leaves the file as it was.
    assert_eq!(fs::read_to_string(env.state_file()).unwrap(), RUNNING_ICE);
    // The same session, confirmed, is plain rest.
    let env = with_state(COMPLETED_ICE);
    assert_eq!(plain(&env, at).stdout(), "rest 57m\n");
}

#[test]
fn without_an_injury_it_is_rest_and_says_how_to_record_one() {
    let env = Env::new();
    let at = "2026-03-01T09:00:00Z";
    let (text, class, pct, tooltip) = waybar(&env, at);
    assert_eq!((text.as_str(), class.as_str(), pct), ("ready", "rest", 100));
    assert!(tooltip.contains("therapy-timer injury TIME"), "{tooltip}");
    assert_eq!(plain(&env, at).stdout(), "ready\n");
}

#[test]
fn the_tooltip_carries_the_clinician_reminder_when_due() {
    let env = with_injury();
    let (_, class, _, tooltip) = waybar(&env, "2026-03-04T09:00:00Z");
    assert_eq!(class, "heat");
    assert!(
        tooltip.contains("\n\nBack spasms that last beyond a few days"),
        "{tooltip}"
    );
    assert!(
        tooltip.lines().all(|l| l.chars().count() <= 72),
        "{tooltip}"
    );
}

#[test]
fn a_corrupt_state_file_is_on_the_bar_and_in_its_log_and_exit_1_for_text() {
    let env = with_state("{\"format\": 1, \"sessions\": [");
    for format in ["waybar", "plain"] {
        let r = env.run(["status", "--format", format]);
        r.no_panic().ok().stderr_has("is not valid JSON");
        // The tooltip is wrapped; compare its words.
        let words = r.stdout().replace("\\n", " ");
        assert!(words.contains("is not valid JSON"), "{}", r.report());
    }
    env.run(["status"])
        .no_panic()
        .code_is(1)
        .stderr_has("is not valid JSON");
}

#[test]
fn text_and_json_are_unchanged_by_the_bar_formats() {
    let env = with_state(RUNNING_ICE);
    let at = "2026-03-01T09:13:00Z";
    // Text and JSON report the log as read: nobody said the ice is off.
    let s = env
        .run(["status", "--format", "json", "--at", at])
        .ok()
        .json();
    assert_eq!(s["last_session"]["outcome"], "running");
    assert_eq!(s["readiness"]["state"], "overdue");
    assert_eq!(s["overdue"], true);
    assert_eq!(s["overdue_since"], "2026-03-01T09:10:00Z");
    env.run(["status", "--at", at])
        .ok()
        .stdout_has("Ice on for 13m: take it off now (it was due off at 09:10, 3m ago)");
    env.run(["status", "--json", "--format", "plain"])
        .code_is(2);
}

/// Regression: with a bad config, `status --format waybar` exited 2 and
/// printed nothing, so the bar went blank. Then it showed only the error;
/// now the status is shown (on the built-in protocol, as the timers run)
/// and the tooltip says why the config file is not in use.
#[test]
fn the_bar_shows_the_config_error_instead_of_going_blank() {
    // A config file with a dose beyond a limit.
    let env = with_injury();
    let config = env.root().join("config/therapy-timer");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("config.toml"),
        "[protocol]\nice = { on = \"30m\" }\n",
    )
    .unwrap();
    let (text, class, percentage, tooltip) = waybar_with(&env, &["--at", INJURED]);
    assert_eq!(
        (text.as_str(), class.as_str(), percentage),
        ("ice now", "ice", 100)
    );
    assert!(
        tooltip.contains("Config file not in use: the config file"),
        "{tooltip}"
    );
    assert!(tooltip.contains("ice.on"), "{tooltip}");
    let r = env.run(["status", "--format", "plain", "--at", INJURED]);
    r.ok().no_panic().stderr_has("the config file");
    assert_eq!(r.stdout().lines().count(), 1, "{}", r.report());
    // For people and scripts: the status, and the problem beside it.
    env.run(["status", "--at", INJURED])
        .ok()
        .stdout_has("Config file not in use: the config file");
    let json = env
        .run(["status", "--format", "json", "--at", INJURED])
        .ok()
        .json();
    assert!(json["config_problem"].is_string(), "{json}");

    // A state file that is not JSON; a TIME that does not parse.
    let env = with_state("{ not json");
    let (text, class, _, tooltip) = waybar_with(&env, &["--at", INJURED]);
    assert_eq!((text.as_str(), class.as_str()), ("!", "error"));
    assert!(tooltip.contains("state"), "{tooltip}");
    let env = with_injury();
    let (_, class, _, tooltip) = waybar_with(&env, &["--at", "yesterday-ish"]);
    assert_eq!(class, "error");
    assert!(tooltip.contains("--at"), "{tooltip}");
    let r = env.run(["status", "--format", "plain", "--at", "yesterday-ish"]);
    r.ok();
    assert!(r.stdout().starts_with("! --at: "), "{}", r.report());
}

/// A flag clap refuses (before `status` runs) is shown on the bar too.
#[test]
fn a_refused_flag_is_on_the_bar_not_a_blank() {
    let env = with_injury();
    let (text, class, _, tooltip) = waybar_with(&env, &["--quiet-hours", "25:00-07:00"]);
    assert_eq!((text.as_str(), class.as_str()), ("!", "error"));
    assert!(tooltip.contains("invalid quiet hours"), "{tooltip}");
    let r = env.run(["status", "--format=plain", "--bogus"]);
    r.ok().no_panic();
    assert_eq!(r.stdout(), "! unexpected argument '--bogus' found\n");
    // Not for people: `status` with a bad flag is still exit 2, and --help
    // is still help.
    env.run(["status", "--quiet-hours", "25:00-07:00"])
        .code_is(2);
    env.run(["status", "--format", "waybar", "--help"])
        .ok()
        .stdout_has("Usage:");
}
