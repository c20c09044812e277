//! `therapy-timer log`.

use chrono::Local;
use therapy_timer::Outcome;

use super::{print_json, Ctx};
use crate::error::CliError;
use crate::text::span;

pub fn run(ctx: &Ctx, json: bool) -> Result<(), CliError> {
    let state = ctx.store.read()?;
    if json {
        return print_json(&state.sessions);
    }
    if state.sessions.is_empty() {
        outln!("No sessions logged yet. Start one with: therapy-timer start");
        return Ok(());
    }
    for s in &state.sessions {
        let (start, end) = (s.start.with_timezone(&Local), s.end.with_timezone(&Local));
        let how = match s.outcome {
            Outcome::Running if s.end > ctx.now() => "running",
            Outcome::Running => "ended (no timer confirmed it)",
            Outcome::Completed => "completed",
            Outcome::CutShort => "cut short",
            _ => "recorded",
        };
        outln!(
            "{} {}-{}  {:<4}  {:>7}  {how}{}",
            start.format("%a %d %b"),
            start.format("%H:%M"),
            end.format("%H:%M"),
            s.phase,
            span(s.length()),
            if s.forced {
                ", started before the rest was over (--force)"
            } else {
                ""
            }
        );
    }
    Ok(())
}
