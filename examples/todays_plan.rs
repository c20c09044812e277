//! Today's plan from an injury time, printed in the time zone you pass.
//!
//! Run: `cargo run --example todays_plan -- 2026-03-01T08:00:00Z Europe/Berlin`
//! (both arguments optional: the injury defaults to a fixed example time, the
//! zone to UTC).

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use therapy_timer::{Course, Protocol, QuietHours};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let injured: DateTime<Utc> = args
        .next()
        .unwrap_or_else(|| "2026-03-01T08:00:00Z".to_owned())
        .parse()?;
    let tz: Tz = args.next().unwrap_or_else(|| "UTC".to_owned()).parse()?;

    let course =
        Course::new(injured, Protocol::default())?.with_quiet_hours(Some(QuietHours::default()));
    println!(
        "Injured {} ({}). Ice until {}, heat after.",
        injured.with_timezone(&tz).format("%a %d %b %H:%M"),
        tz,
        course
            .heat_from()
            .with_timezone(&tz)
            .format("%a %d %b %H:%M"),
    );
    println!(
        "Quiet hours {}: no session is planned to start then.\n",
        QuietHours::default()
    );
    let day_end = injured + TimeDelta::hours(24);
    for s in course.plan(injured, &tz).take_while(|s| s.start < day_end) {
        println!(
            "  {:<4}  {} - {}",
            s.phase,
            s.start.with_timezone(&tz).format("%a %H:%M"),
            s.end.with_timezone(&tz).format("%H:%M"),
        );
    }
    Ok(())
}
