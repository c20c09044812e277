//! The JSON contract: a JSON Schema (draft 2020-12) for every JSON output,
//! generated from the types the output is serialized from, and kept in
//! `docs/schema/NAME.json`. A unit test fails when a committed file differs
//! from what the types give (`THERAPY_TIMER_BLESS=1` rewrites them); the
//! integration tests validate real outputs against the committed files.
//!
//! | file | output |
//! |---|---|
//! | `plan.json` | `plan --json` |
//! | `next.json` | `next --json` |
//! | `tick.json` | each line of `tick --json` and `watch --json` |
//! | `status.json` | `status --json` |
//! | `waybar.json` | `status --format waybar` |
//! | `log.json` | `log --json` |
//! | `report.json` | `report --json` |

#[cfg(test)]
use schemars::generate::SchemaSettings;
#[cfg(test)]
use schemars::{JsonSchema, Schema};

/// The schema of what `T` serializes to.
#[cfg(test)]
pub fn of<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Every output's schema is the committed file, byte for byte.
    #[test]
    fn the_committed_schemas_are_what_the_output_types_give() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/schema");
        let bless = std::env::var_os("THERAPY_TIMER_BLESS").is_some_and(|v| v == "1");
        let mut stale = Vec::new();
        for (name, schema) in crate::commands::schemas() {
            let text = serde_json::to_string_pretty(&schema).expect("a schema is JSON") + "\n";
            let path = dir.join(format!("{name}.json"));
            if bless {
                std::fs::create_dir_all(&dir).expect("docs/schema");
                std::fs::write(&path, &text).expect("write the schema");
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "these schemas differ from the output types: {stale:?}; if the change is meant \
             (fields only added in a minor release, see README), run \
             THERAPY_TIMER_BLESS=1 cargo test --bin therapy-timer schema"
        );
    }
}
