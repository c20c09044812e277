//! `therapy-timer config`: the effective settings and where each came from;
//! `config --check FILE`: whether a file is valid, and what it would set.

use std::path::Path;

use therapy_timer::{Dose, Phase, QuietHours};

use super::Ctx;
use crate::args::ConfigArgs;
use crate::error::CliError;
use crate::settings::{Settings, Source};
use crate::text::span;

/// Checks `file` as a config file without using it.
pub fn check(file: &Path) -> Result<(), CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        CliError::Usage(format!(
            "cannot read the config file {}: {e}; give the path of a TOML file",
            file.display()
        ))
    })?;
    let settings = Settings::parse(file, &text)?;
    println!("{} is valid; it would set:", file.display());
    print_rows(&settings, settings.quiet_hours);
    Ok(())
}

pub fn run(ctx: &Ctx, args: &ConfigArgs) -> Result<(), CliError> {
    let s = &ctx.settings;
    match &s.path {
        Some((p, true)) => outln!("config file: {}", p.display()),
        Some((p, false)) => outln!("config file: {} (none there; defaults in use)", p.display()),
        None => outln!("config file: none (neither XDG_CONFIG_HOME nor HOME is set)"),
    }
    print_rows(s, ctx.quiet_hours_from(&args.planning));
    Ok(())
}

/// The settings, one a line, each with where it came from.
fn print_rows(s: &Settings, (quiet, quiet_from): (Option<QuietHours>, Source)) {
    let p = s.protocol;
    let dose = |d: Dose| format!("{} on, {} rest", span(d.on), span(d.rest));
    let [ice, heat, window, review] = s.protocol_sources;
    let [urgency, timeout, sound] = s.notice_sources;
    let rows = [
        ("ice", dose(p.dose(Phase::Ice)), ice),
        ("heat", dose(p.dose(Phase::Heat)), heat),
        ("acute window (ice)", span(p.acute_window()), window),
        ("clinician reminder after", span(p.review_after()), review),
        (
            "quiet hours",
            quiet.map_or_else(|| "off".to_owned(), |q| q.to_string()),
            quiet_from,
        ),
        (
            "notice urgency",
            format!(
                "{:?} (an ice-off notice is always critical)",
                s.notices.urgency
            )
            .to_lowercase(),
            urgency,
        ),
        ("notice timeout", span(s.notices.timeout), timeout),
        (
            "notice sound",
            s.notices.sound.clone().unwrap_or_else(|| "none".into()),
            sound,
        ),
    ];
    for (name, value, source) in rows {
        outln!("{name:<25} {value}  ({source})");
    }
}
