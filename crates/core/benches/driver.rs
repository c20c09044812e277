//! How the driver's calls and reading a course grow with the history:
//! 1k, 10k and 100k recorded sessions.
//!
//! Run: `cargo bench -p therapy-timer --bench driver`

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use therapy_timer::{Course, Driver, Input, Phase, Protocol, QuietHours, Session};

fn injured() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// A course with `n` ice sessions, two hours apart.
fn course(n: usize) -> Course {
    let mut c = Course::new(injured(), Protocol::default())
        .expect("an injury in range")
        .with_quiet_hours(Some(QuietHours::default()));
    for i in 0..n {
        let start = injured() + TimeDelta::hours(2 * i as i64);
        let s = Session::completed(Phase::Ice, start, start + TimeDelta::minutes(10))
            .expect("a valid session");
        c.record(s).expect("sessions in order");
    }
    c
}

fn driver_calls(c: &mut Criterion) {
    let mut group = c.benchmark_group("driver");
    for n in [1_000usize, 10_000, 100_000] {
        let course = course(n);
        let last = course.sessions().last().map_or(injured(), |s| s.end);
        let now = last + TimeDelta::minutes(30);
        let mut driver = Driver::new(course);
        driver.handle_timeout(now, &Utc);
        while driver.poll_event().is_some() {}
        group.bench_with_input(BenchmarkId::new("poll_timeout", n), &n, |b, _| {
            b.iter(|| black_box(driver.poll_timeout(&Utc)))
        });
        group.bench_with_input(BenchmarkId::new("handle_timeout", n), &n, |b, _| {
            b.iter(|| {
                driver.handle_timeout(black_box(now), &Utc);
                black_box(driver.poll_event())
            })
        });
        // An input that changes nothing lasting: a start refused (rest owed).
        group.bench_with_input(BenchmarkId::new("handle_input", n), &n, |b, _| {
            b.iter(|| {
                black_box(driver.handle_input(
                    Input::Start {
                        at: now,
                        phase: None,
                        length: None,
                        force: false,
                    },
                    &Utc,
                ))
            })
        });
    }
    group.finish();
}

fn read_json(c: &mut Criterion) {
    let mut group = c.benchmark_group("course_from_json");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let json = course(n).to_json();
        // The same course with its sessions newest first.
        let mut value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        if let Some(sessions) = value.get_mut("sessions").and_then(|s| s.as_array_mut()) {
            sessions.reverse();
        }
        let reversed = value.to_string();
        group.bench_with_input(BenchmarkId::new("oldest_first", n), &json, |b, j| {
            b.iter(|| black_box(Course::from_json(j)))
        });
        group.bench_with_input(BenchmarkId::new("newest_first", n), &reversed, |b, j| {
            b.iter(|| black_box(Course::from_json(j)))
        });
    }
    group.finish();
}

criterion_group!(benches, driver_calls, read_json);
criterion_main!(benches);
