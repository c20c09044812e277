//! The report from a week-long course simulated with the library's driver:
//! the HTML parses (html5ever) and its chart has a mark per session and
//! per score; the CSV parses and its rows match the log; a real Chromium
//! renders the page to a PNG.

use std::collections::VecDeque;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use scraper::{Html, Selector};
use therapy_timer::{
    Answer, Course, Driver, EventKind, Input, Outcome, Phase, Protocol, QuietHours, Session,
};

use super::{csv, html, json, DISCLAIMER, RED_FLAGS};

/// Monday 2 March 2026, 07:30 in Berlin.
fn injured() -> DateTime<Utc> {
    Berlin
        .with_ymd_and_hms(2026, 3, 2, 7, 30, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// A local time on day `day` of the course (day 1 is the injury's).
fn local(day: i64, h: u32, m: u32) -> DateTime<Utc> {
    let date = injured().with_timezone(&Berlin).date_naive() + TimeDelta::days(day - 1);
    Berlin
        .from_local_datetime(&date.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// The note that tests the escaping: markup, an ampersand, quotes and a
/// comma.
const TRICKY: &str = "worse after the drive <home> & couldn't sit, \"stiff\"";

/// A week of the protocol as a person would do it, run through the
/// library's driver on the Berlin clock: most prompts answered with a
/// session, every 9th skipped and every 9th (offset) left to be missed,
/// every 5th session cut short, one forced session on day 2, one heat
/// session logged after the fact, and pain scored each morning (and two
/// evenings). `scores` are the seven mornings'.
fn week(scores: [u8; 7]) -> Course {
    let course = Course::new(injured(), Protocol::default())
        .unwrap()
        .with_quiet_hours(Some(QuietHours::default()));
    let mut d = Driver::new(course);
    let mut pain: VecDeque<(DateTime<Utc>, u8, Option<&str>)> = (1..=7)
        .map(|day| {
            let note = match day {
                1 => Some("bent to lift a box; sharp, left side"),
                4 => Some("walked 20 min"),
                _ => None,
            };
            (local(day, 9, 0), scores[(day - 1) as usize], note)
        })
        .collect();
    pain.push_back((local(1, 20, 0), scores[0].saturating_add(1), Some(TRICKY)));
    pain.push_back((local(2, 20, 0), scores[1].saturating_sub(1), None));
    pain.make_contiguous().sort_by_key(|p| p.0);
    let mut logged = false;
    let mut forced = false;
    let mut prompts = 0u32;
    let end = injured() + TimeDelta::days(8);
    loop {
        let wake = d.poll_timeout(&Berlin);
        let score_at = pain.front().map(|p| p.0);
        let next = match (wake, score_at) {
            (Some(w), Some(s)) => w.min(s),
            (w, s) => match w.or(s) {
                Some(t) => t,
                None => break,
            },
        };
        if next > end {
            break;
        }
        if score_at == Some(next) {
            let (at, score, note) = pain.pop_front().unwrap();
            d.handle_input(
                Input::Pain {
                    at,
                    score,
                    note: note.map(str::to_owned),
                },
                &Berlin,
            )
            .unwrap();
            while d.poll_event().is_some() {}
            continue;
        }
        d.handle_timeout(next, &Berlin);
        while let Some(e) = d.poll_event() {
            match e.kind() {
                EventKind::Prompt => {
                    prompts += 1;
                    match prompts % 9 {
                        3 => {
                            d.handle_input(Input::Skip { at: next }, &Berlin).unwrap();
                        }
                        7 => {} // nobody there: missed
                        _ => {
                            let start = Input::Start {
                                at: next,
                                phase: None,
                                length: None,
                                force: false,
                            };
                            d.handle_input(start, &Berlin).unwrap();
                            if prompts.is_multiple_of(5) {
                                let stop = Input::Stop {
                                    at: next + TimeDelta::minutes(6),
                                };
                                d.handle_input(stop, &Berlin).unwrap();
                            }
                        }
                    }
                }
                EventKind::Stop | EventKind::Repeat => {
                    let off = next + TimeDelta::minutes(1);
                    d.handle_input(Input::ConfirmOff { at: off }, &Berlin)
                        .unwrap();
                    if !forced && off > local(2, 12, 0) {
                        // The pack felt good: another one before the hour
                        // was over, on purpose.
                        forced = true;
                        let again = Input::Start {
                            at: off + TimeDelta::minutes(20),
                            phase: None,
                            length: None,
                            force: true,
                        };
                        d.handle_input(again, &Berlin).unwrap();
                    }
                }
                _ => {}
            }
        }
        if !logged && next > local(5, 21, 0) {
            // A heating pad on the sofa, without the timer, written down
            // after.
            logged = true;
            let (from, to) = (local(5, 21, 30), local(5, 21, 50));
            if let Ok(s) = Session::logged(Phase::Heat, from, to) {
                let _ = d.handle_input(Input::Log { session: s }, &Berlin);
            }
        }
    }
    d.course().clone()
}

fn improving() -> Course {
    week([7, 7, 6, 5, 4, 4, 3])
}

fn no_better() -> Course {
    week([5, 6, 6, 7, 6, 7, 8])
}

fn now() -> DateTime<Utc> {
    local(8, 10, 0)
}

fn count(doc: &Html, css: &str) -> usize {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector).count()
}

fn text(doc: &Html, css: &str) -> String {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector)
        .flat_map(|e| e.text())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_simulated_week_has_what_the_report_must_show() {
    let c = improving();
    let s = c.sessions();
    let ice = s.iter().filter(|s| s.phase == Phase::Ice).count();
    let heat = s.iter().filter(|s| s.phase == Phase::Heat).count();
    assert!(ice >= 20 && heat >= 10, "{ice} ice, {heat} heat");
    let cut = s.iter().filter(|s| s.outcome == Outcome::CutShort).count();
    assert!(cut >= 3, "{cut}");
    assert_eq!(s.iter().filter(|s| s.forced).count(), 1);
    assert_eq!(s.iter().filter(|s| s.is_logged()).count(), 1);
    let p = c.prompts();
    assert!(p.iter().any(|p| matches!(p.answer, Answer::Skipped { .. })));
    assert!(p.iter().any(|p| p.answer == Answer::Missed));
    assert_eq!(c.pain_scores().len(), 9);
    assert!(c.is_over(now()));
}

#[test]
fn the_page_parses_and_its_chart_has_one_mark_per_session_and_per_score() {
    for course in [improving(), no_better()] {
        let page = html(&[(1, &course)], now(), &Berlin);
        let doc = Html::parse_document(&page);
        assert!(
            doc.errors.is_empty(),
            "HTML5 parse errors: {:?}",
            doc.errors
        );
        let s = course.sessions();
        let n = |f: &dyn Fn(&Session) -> bool| s.iter().filter(|s| f(s)).count();
        assert_eq!(count(&doc, "svg .session"), s.len());
        assert_eq!(
            count(&doc, "svg .session.ice"),
            n(&|s| s.phase == Phase::Ice)
        );
        assert_eq!(
            count(&doc, "svg .session.heat"),
            n(&|s| s.phase == Phase::Heat)
        );
        assert_eq!(
            count(&doc, "svg .session.cut-short"),
            n(&|s| s.outcome == Outcome::CutShort)
        );
        assert_eq!(count(&doc, "svg .session.forced"), 1);
        assert_eq!(count(&doc, "svg .forced-mark"), 1);
        assert_eq!(count(&doc, "svg .pain"), course.pain_scores().len());
        assert_eq!(
            count(&doc, "svg .pain.severe"),
            course.pain_scores().iter().filter(|p| p.score >= 8).count()
        );
        // Self-contained: no scripts, nothing fetched, no links.
        assert_eq!(count(&doc, "script"), 0);
        assert_eq!(
            count(
                &doc,
                "[src], [href], [xlink\\:href], link, iframe, object, embed, img"
            ),
            0
        );
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!page.contains("@import"));
        assert_eq!(
            page.matches("url(").count(),
            page.matches("url(#heat-hatch-1)").count(),
            "only the chart's own pattern"
        );
        // Prints on A4.
        assert!(page.contains("@page { size: A4;"));
        assert!(page.contains("@media print"));
        // The red flags and the disclaimer.
        let flags = text(&doc, ".flags");
        for flag in RED_FLAGS {
            assert!(flags.contains(flag), "{flag:?} not in {flags:?}");
        }
        assert!(text(&doc, "footer").contains(DISCLAIMER));
        // The per-day table: a row per day of the course.
        assert_eq!(count(&doc, "table.days tbody tr"), 8);
        // Notes are text, escaped: the markup in one is not markup.
        assert!(text(&doc, "table.notes").contains(TRICKY));
        assert!(!page.contains("<home>"));
        assert_eq!(count(&doc, "home"), 0);
    }
}

#[test]
fn the_trend_sentence_says_better_or_no_better_plainly() {
    let doc = Html::parse_document(&html(&[(1, &improving())], now(), &Berlin));
    assert_eq!(count(&doc, ".verdict.better"), 1);
    let verdict = text(&doc, ".verdict");
    assert!(
        verdict.contains("Pain fell from 7 to 3 of 10 (4 points) in 6 days."),
        "{verdict}"
    );
    let doc = Html::parse_document(&html(&[(2, &no_better())], now(), &Berlin));
    assert_eq!(count(&doc, ".verdict.see-clinician"), 1);
    let verdict = text(&doc, ".verdict");
    assert!(
        verdict.contains("No better after 6 days: see a clinician."),
        "{verdict}"
    );
    assert!(
        verdict.contains("The latest score, 8/10, is severe."),
        "{verdict}"
    );
    assert!(text(&doc, "h2").contains("Course 2"));
}

#[test]
fn several_courses_share_one_page_with_ids_of_their_own() {
    let (a, b) = (improving(), no_better());
    let page = html(&[(1, &a), (2, &b)], now(), &Berlin);
    let doc = Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(count(&doc, "section.course"), 2);
    assert_eq!(count(&doc, "#course-2 svg .session"), b.sessions().len());
    assert_eq!(count(&doc, "#heat-hatch-1"), 1);
    assert_eq!(count(&doc, "#heat-hatch-2"), 1);
    assert_eq!(count(&doc, ".flags"), 1, "the red flags once, at the end");
}

#[test]
fn an_empty_or_running_course_still_renders() {
    let fresh = Course::new(injured(), Protocol::default()).unwrap();
    let page = html(&[(1, &fresh)], injured() + TimeDelta::hours(3), &Utc);
    let doc = Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(count(&doc, "svg .session"), 0);
    assert_eq!(count(&doc, "svg .marker-now"), 1);
    assert!(text(&doc, ".verdict").contains("No pain scores were recorded."));
    let nothing = html(&[], injured(), &Utc);
    assert!(Html::parse_document(&nothing).errors.is_empty());
    assert_eq!(csv(&[]).lines().count(), 1);
}

#[test]
fn the_csv_parses_and_has_a_row_per_entry() {
    let (a, b) = (improving(), no_better());
    let table = csv(&[(1, &a), (2, &b)]);
    assert!(table.ends_with("\r\n"));
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(table.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), super::csv::HEADER);
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let entries = |c: &Course| c.sessions().len() + c.pain_scores().len();
    assert_eq!(rows.len(), entries(&a) + entries(&b));
    let of = |course: &str, kind: &str| {
        rows.iter()
            .filter(|r| &r[0] == course && &r[1] == kind)
            .count()
    };
    assert_eq!(of("1", "session"), a.sessions().len());
    assert_eq!(of("1", "pain"), a.pain_scores().len());
    assert_eq!(of("2", "session"), b.sessions().len());
    assert_eq!(of("2", "pain"), b.pain_scores().len());
    for r in &rows {
        assert_eq!(r.len(), header.len());
        DateTime::parse_from_rfc3339(&r[4]).unwrap();
        if &r[1] == "session" {
            DateTime::parse_from_rfc3339(&r[5]).unwrap();
            assert!(r[6].parse::<f64>().unwrap() > 0.0);
        }
    }
    assert_eq!(
        rows.iter().filter(|r| &r[7] == "cut_short").count(),
        a.sessions()
            .iter()
            .chain(b.sessions())
            .filter(|s| s.outcome == Outcome::CutShort)
            .count()
    );
    // The note with a comma and quotes comes back whole.
    assert_eq!(rows.iter().filter(|r| &r[12] == TRICKY).count(), 2);
    // Entries in time order within a course.
    let starts: Vec<_> = rows
        .iter()
        .filter(|r| &r[0] == "1")
        .map(|r| DateTime::parse_from_rfc3339(&r[4]).unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_json_has_the_same_entries() {
    let a = no_better();
    let v = json(&[(1, &a)], now(), &Berlin);
    let course = &v["courses"][0];
    let entries = course["entries"].as_array().unwrap();
    assert_eq!(entries.len(), a.sessions().len() + a.pain_scores().len());
    let kind = |k: &str| entries.iter().filter(|e| e["kind"] == k).count();
    assert_eq!(kind("session"), a.sessions().len());
    assert_eq!(kind("pain"), a.pain_scores().len());
    assert_eq!(course["trend"]["no_better"], true);
    assert_eq!(course["trend"]["severe"], true);
    assert_eq!(course["verdict"]["see_clinician"], true);
    assert_eq!(course["days"].as_array().unwrap().len(), 8);
    let days_ice: u64 = course["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ice"].as_u64().unwrap())
        .sum();
    assert_eq!(days_ice, course["totals"]["ice"].as_u64().unwrap());
    assert!(entries.iter().any(|e| e["note"] == TRICKY));
}

/// Whether a test that needs a program may skip without it (it says so
/// loudly), or must fail: THERAPY_TIMER_REQUIRE_DESKTOP=1, as CI sets it
/// (tests/util.rs has the same rule for the integration tests).
fn program_or_skip(test: &str, program: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()));
    if found {
        return true;
    }
    let msg = format!("{test}: SKIPPED: missing {program} (Debian: apt-get install {program})");
    if std::env::var_os("THERAPY_TIMER_REQUIRE_DESKTOP").is_some_and(|v| v == "1") {
        panic!("{msg}; THERAPY_TIMER_REQUIRE_DESKTOP=1 makes this a failure");
    }
    eprintln!("\n*** {msg} ***\n");
    false
}

/// The page at A4's size in CSS pixels (210 mm × 297 mm at 96 px per
/// inch), drawn at 150 dpi: the PNG is the printed page, 1240 × 1754.
const WINDOW: (u32, u32) = (794, 1123);
const SCALE: &str = "1.5617";
const PNG: (u32, u32) = (1240, 1754);

/// A PNG's width and height, from its IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.len() < 24 || &png[..8] != SIGNATURE || &png[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&png[16..20]), be(&png[20..24])))
}

/// Runs `cmd`, killing it after `limit`; its stderr goes to `log` (a
/// pipe read only at the end could fill up and stall it).
fn run_for(mut cmd: Command, limit: Duration, log: &Path) -> (std::process::ExitStatus, String) {
    let what = format!("{cmd:?}");
    let err = std::fs::File::create(log).unwrap();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, std::fs::read_to_string(log).unwrap_or_default());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn chromium_renders_the_week_to_an_a4_png() {
    if !program_or_skip("chromium_renders_the_week_to_an_a4_png", "chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let png = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    std::fs::write(&page, html(&[(1, &improving())], now(), &Berlin)).unwrap();
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--hide-scrollbars",
    ])
    .arg(format!("--force-device-scale-factor={SCALE}"))
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--screenshot={}", png.display()))
    .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
    .arg(format!("file://{}", page.display()))
    .env_remove("DISPLAY")
    .env_remove("WAYLAND_DISPLAY")
    .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let started = Instant::now();
    let log = dir.path().join("chromium.log");
    let (status, stderr) = run_for(cmd, Duration::from_secs(60), &log);
    let took = started.elapsed();
    assert!(status.success(), "chromium failed: {status}\n{stderr}");
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no PNG ({e})\n{stderr}"));
    assert_eq!(png_size(&bytes), Some(PNG), "not an A4 page at 150 dpi");
    // A blank page of this size compresses to a few KB; text, a chart
    // and a table do not.
    assert!(bytes.len() > 40_000, "{} bytes: blank?", bytes.len());
    eprintln!(
        "chromium rendered {} bytes, {}x{} in {took:?}",
        bytes.len(),
        PNG.0,
        PNG.1
    );
    // Keep the page and the picture to look at (CI can upload them).
    if let Some(keep) = std::env::var_os("THERAPY_TIMER_KEEP_REPORT") {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).unwrap();
        std::fs::copy(&page, keep.join("report.html")).unwrap();
        std::fs::copy(&png, keep.join("report.png")).unwrap();
        std::fs::write(
            keep.join("no-better.html"),
            html(&[(2, &no_better())], now(), &Berlin),
        )
        .unwrap();
    }
}

#[test]
fn png_size_reads_the_ihdr_and_refuses_what_is_not_a_png() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(1240u32.to_be_bytes());
    png.extend(1754u32.to_be_bytes());
    assert_eq!(png_size(&png), Some((1240, 1754)));
    assert_eq!(png_size(b"GIF89a"), None);
    png[1] = b'X';
    assert_eq!(png_size(&png), None);
}

#[test]
fn escaping_covers_text_and_attributes() {
    assert_eq!(
        super::html::esc(r#"<a href="x">'&'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
}

#[test]
fn the_injury_time_is_given_with_its_zone_and_day_numbers_follow_the_local_clock() {
    let c = improving();
    let doc = Html::parse_document(&html(&[(1, &c)], now(), &Berlin));
    assert!(text(&doc, "h2").contains("injury Mon 2 Mar 2026 07:30"));
    assert!(text(&doc, ".made").contains("UTC+01:00"));
    let first_row = text(&doc, "table.days tbody tr:first-child");
    assert!(first_row.starts_with("1 Mon 2 Mar"), "{first_row}");
}
