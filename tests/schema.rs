//! The JSON contract: every JSON output of the real binary validates
//! against its committed schema in `docs/schema/` (which a unit test of
//! the binary keeps equal to what the output types give).

use serde_json::Value;

use crate::util::Env;

/// The committed schema `name`, compiled.
fn validator(name: &str) -> jsonschema::Validator {
    let path = format!("docs/schema/{name}.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{path} is no schema: {e}"))
}

/// Asserts that `instance` is valid against schema `name`.
#[track_caller]
fn assert_valid(name: &str, instance: &Value) {
    let v = validator(name);
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: the output does not match docs/schema/{name}.json:\n{}\n{instance:#}",
        errors.join("\n")
    );
}

/// A course with a logged session, pain scores and a session whose
/// `start` was killed: every output has something in it.
fn course() -> Env {
    let env = Env::new();
    env.run([
        "injury",
        "2026-03-01T08:00:00Z",
        "--at",
        "2026-03-01T08:05:00Z",
    ])
    .ok();
    env.run([
        "log",
        "add",
        "ice",
        "2026-03-01T08:10:00Z",
        "--duration",
        "10m",
        "--at",
        "2026-03-01T08:30:00Z",
    ])
    .ok();
    env.run([
        "pain",
        "6",
        "--note",
        "stiff",
        "--at",
        "2026-03-01T08:31:00Z",
    ])
    .ok();
    env.run(["pain", "9", "--at", "2026-03-01T09:00:00Z"]).ok();
    env
}

#[test]
fn every_json_output_matches_its_schema() {
    let env = course();
    let at = ["--at", "2026-03-01T09:30:00Z"];
    let json = |args: &[&str]| env.run([args, &at].concat()).ok().json();
    assert_valid("plan", &json(&["plan", "--json", "--for", "2d"]));
    assert_valid("next", &json(&["next", "--json"]));
    assert_valid("status", &json(&["status", "--json"]));
    assert_valid("waybar", &json(&["status", "--format", "waybar"]));
    assert_valid("log", &json(&["log", "--json"]));
    assert_valid("report", &json(&["report", "--json"]));

    // tick: a prompt, then a session whose start was killed: its stop and
    // repeats, one JSON object a line.
    let mut lines = Vec::new();
    for t in ["2026-03-01T09:30:00Z", "2026-03-01T10:41:00Z"] {
        lines.extend(
            env.run(["tick", "--json", "--at", t])
                .ok()
                .stdout()
                .lines()
                .map(str::to_owned),
        );
    }
    env.start_and_kill("2026-03-01T10:45:00Z");
    for t in [
        "2026-03-01T10:56:00Z",
        "2026-03-01T11:01:00Z",
        "2026-03-01T11:06:00Z",
    ] {
        lines.extend(
            env.run(["tick", "--json", "--at", t])
                .ok()
                .stdout()
                .lines()
                .map(str::to_owned),
        );
    }
    let events: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(
        kinds.contains(&"prompt") && kinds.contains(&"stop") && kinds.contains(&"repeat"),
        "{kinds:?}"
    );
    for e in &events {
        assert_valid("tick", e);
    }
    // next while that stop is overdue.
    assert_valid("next", &json(&["next", "--json"]));
}

/// A test of the test: a renamed field is caught.
#[test]
fn a_renamed_field_fails_validation() {
    let env = course();
    let mut status = env
        .run(["status", "--json", "--at", "2026-03-01T09:30:00Z"])
        .ok()
        .json();
    let obj = status.as_object_mut().expect("an object");
    let v = obj.remove("may_start_at").expect("may_start_at");
    obj.insert("may_start".into(), v);
    assert!(!validator("status").is_valid(&status));
}
