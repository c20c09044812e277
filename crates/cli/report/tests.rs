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
    Answer, Course, Driver, EventKind, Input, OffBy, Outcome, Phase, Protocol, QuietHours, Session,
    Skin, SkinCheck,
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
/// evenings). `scores` are the seven mornings'. Every 4th stop goes
/// unanswered (its repeats run out: "pack may have stayed on"), and on
/// days 2 to 6 some sessions have a score just before (the morning's) and
/// just after (1 lower after ice, 2 lower after heat).
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
                            let day = (next - injured()).num_hours() / 24 + 1;
                            if (2..=6).contains(&day) && prompts.is_multiple_of(2) {
                                let before = Input::Pain {
                                    at: next,
                                    score: scores[(day - 1) as usize],
                                    note: None,
                                };
                                d.handle_input(before, &Berlin).unwrap();
                            }
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
                    let id = e.session().unwrap_or_default();
                    if id % 4 == 2 {
                        continue; // nobody there: the stop is never confirmed
                    }
                    let off = next + TimeDelta::minutes(1);
                    d.handle_input(Input::ConfirmOff { at: off }, &Berlin)
                        .unwrap();
                    let day = (off - injured()).num_hours() / 24 + 1;
                    if (2..=6).contains(&day) && id % 2 == 0 {
                        let drop = if e.phase() == Phase::Ice { 1 } else { 2 };
                        let after = Input::Pain {
                            at: off + TimeDelta::minutes(1),
                            score: scores[(day - 1) as usize].saturating_sub(drop),
                            note: None,
                        };
                        d.handle_input(after, &Berlin).unwrap();
                    }
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
    // 9 scores of the mornings and evenings, and some around sessions.
    assert!(c.pain_scores().len() > 9, "{}", c.pain_scores().len());
    let around = super::summary::around(&c);
    let pairs = |phase: Phase| {
        s.iter()
            .zip(&around)
            .filter(|(s, a)| s.phase == phase && a.before.is_some() && a.after.is_some())
            .count()
    };
    assert!(pairs(Phase::Ice) >= 1 && pairs(Phase::Heat) >= 1);
    let unconfirmed = s
        .iter()
        .filter(|s| s.off.map(|o| o.by) == Some(OffBy::NoAnswer))
        .count();
    assert!(unconfirmed >= 5, "{unconfirmed} stops never confirmed");
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
        // The per-day table: a row per day of the course (7 days of 24
        // hours from the injury).
        assert_eq!(count(&doc, "table.days tbody tr"), 7);
        // The per-session table: a row per session, the unconfirmed ones
        // marked and worded.
        assert_eq!(count(&doc, "table.sessions tbody tr"), s.len());
        let unconfirmed = s
            .iter()
            .filter(|s| s.off.map(|o| o.by) == Some(OffBy::NoAnswer))
            .count();
        assert!(unconfirmed > 0);
        assert_eq!(count(&doc, "table.sessions tr.unconfirmed"), unconfirmed);
        assert_eq!(
            text(&doc, "table.sessions")
                .matches("stop never confirmed")
                .count(),
            unconfirmed
        );
        assert!(text(&doc, "p.unconfirmed").contains("the pack may have stayed on"));
        assert!(text(&doc, ".card.alert").contains("stops unconfirmed"));
        assert!(text(&doc, ".card.alert").contains(&format!("{unconfirmed} of {}", s.len())));
        // Notes are text, escaped: the markup in one is not markup.
        assert!(text(&doc, "p.notes").contains(TRICKY));
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
        verdict.contains("Worse after 6 days (5 to 8 of 10): see a clinician."),
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
    assert_eq!(csv(&[], injured()).lines().count(), 1);
}

#[test]
fn the_csv_parses_and_has_a_row_per_entry() {
    let (a, b) = (improving(), no_better());
    let table = csv(&[(1, &a), (2, &b)], now());
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
    // How each session ended, and whether anyone said the pack was off.
    let sessions: Vec<_> = rows.iter().filter(|r| &r[1] == "session").collect();
    let unconfirmed = a
        .sessions()
        .iter()
        .chain(b.sessions())
        .filter(|s| s.off.map(|o| o.by) == Some(OffBy::NoAnswer))
        .count();
    assert_eq!(
        sessions.iter().filter(|r| &r[13] == "unconfirmed").count(),
        unconfirmed
    );
    assert_eq!(
        sessions.iter().filter(|r| &r[14] == "false").count(),
        unconfirmed
    );
    assert!(sessions
        .iter()
        .any(|r| !r[15].is_empty() && !r[16].is_empty()));
    for r in &sessions {
        for i in [15, 16] {
            assert!(
                r[i].is_empty() || r[i].parse::<u8>().is_ok_and(|p| p <= 10),
                "{r:?}"
            );
        }
    }
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
    assert_eq!(course["days"].as_array().unwrap().len(), 7);
    let sessions: Vec<_> = entries.iter().filter(|e| e["kind"] == "session").collect();
    let unconfirmed = a
        .sessions()
        .iter()
        .filter(|s| s.off.map(|o| o.by) == Some(OffBy::NoAnswer))
        .count();
    assert_eq!(
        sessions.iter().filter(|e| e["confirmed"] == false).count(),
        unconfirmed
    );
    assert_eq!(
        sessions
            .iter()
            .filter(|e| e["ended"] == "unconfirmed")
            .count(),
        unconfirmed
    );
    assert_eq!(course["totals"]["unconfirmed"], unconfirmed);
    assert!(sessions
        .iter()
        .any(|e| e["pain_before"].is_u64() && e["pain_after"].is_u64()));
    assert_eq!(course["pain_change"]["estimate"], true);
    assert!(course["pain_change"]["heat"]["mean"].as_f64().unwrap() < 0.0);
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
    std::fs::write(&page, html(&[(1, &improving())], now(), &Berlin)).unwrap();
    let mut cmd = chromium(dir.path());
    cmd.arg("--hide-scrollbars")
        .arg(format!("--force-device-scale-factor={SCALE}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
        .arg(format!("file://{}", page.display()));
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

/// Chromium's flags for a headless run with a fresh profile in `dir`,
/// nothing from the desktop, on the real clock (it hangs under
/// libfaketime, .ci/run's night run; the page has no clock in it).
fn chromium(dir: &Path) -> Command {
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()))
    .env_remove("DISPLAY")
    .env_remove("WAYLAND_DISPLAY")
    .env_remove("DBUS_SESSION_BUS_ADDRESS")
    .env_remove("LD_PRELOAD");
    cmd
}

#[test]
fn chromium_prints_the_week_on_one_a4_page() {
    let test = "chromium_prints_the_week_on_one_a4_page";
    if !program_or_skip(test, "chromium") || !program_or_skip(test, "pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&page, html(&[(1, &improving())], now(), &Berlin)).unwrap();
    let mut cmd = chromium(dir.path());
    cmd.arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()));
    let log = dir.path().join("chromium.log");
    let (status, stderr) = run_for(cmd, Duration::from_secs(60), &log);
    assert!(status.success(), "chromium failed: {status}\n{stderr}");
    if let Some(keep) = std::env::var_os("THERAPY_TIMER_KEEP_REPORT") {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).unwrap();
        std::fs::copy(&pdf, keep.join("report.pdf")).unwrap();
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("no {name} in pdfinfo's output:\n{info}"))
    };
    assert_eq!(field("Pages:"), "1", "a 7-day course on one page\n{info}");
    // pdfinfo names the paper size when it is one.
    assert!(field("Page size:").ends_with("(A4)"), "not A4:\n{info}");
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
    assert!(first_row.starts_with("1 Mon 2 Mar 07:30"), "{first_row}");
}

/// A text label's box in the chart, estimated from its attributes alone
/// (not from the chart's own estimate): 0.6 em a character (0.66 in
/// bold) plus any letter spacing, from 0.75 em above the baseline to 0.2
/// em below; rotated by -90° about its anchor when it says so.
fn label_box(e: &scraper::ElementRef<'_>) -> (String, [f64; 4]) {
    let a = |name: &str| e.value().attr(name);
    let num = |name: &str| a(name).and_then(|v| v.parse::<f64>().ok());
    let text: String = e.text().collect();
    let size = num("font-size").unwrap_or(12.0);
    let per = if a("font-weight") == Some("bold") {
        0.66
    } else {
        0.6
    } * size
        + num("letter-spacing").unwrap_or(0.0);
    let w = text.chars().count() as f64 * per;
    let (x, y, rotated) = match a("transform") {
        Some(t) => {
            let inner = t
                .strip_prefix("translate(")
                .and_then(|r| r.split(')').next())
                .unwrap_or_else(|| panic!("a transform the test does not know: {t}"));
            let mut xy = inner.split_whitespace().map(|v| v.parse::<f64>().unwrap());
            (
                xy.next().unwrap(),
                xy.next().unwrap(),
                t.contains("rotate(-90)"),
            )
        }
        None => (num("x").unwrap(), num("y").unwrap(), false),
    };
    let x0 = match a("text-anchor").unwrap_or("start") {
        "middle" => -w / 2.0,
        "end" => -w,
        _ => 0.0,
    };
    let (top, bottom) = (-0.75 * size, 0.2 * size);
    let b = if rotated {
        // Along the axis turned upwards: x spans the font's height.
        [x + top, y - (x0 + w), x + bottom, y - x0]
    } else {
        [x + x0, y + top, x + x0 + w, y + bottom]
    };
    (text, b)
}

#[test]
fn regression_no_label_in_the_chart_overlaps_another() {
    // The issue's page: "72 h review" over "now", "injury" over a score.
    // Here: the week (over), a running course with the review at 48 h and
    // scores near the injury, the review, now and each other.
    let mut running = Course::new(
        injured(),
        Protocol::default()
            .with_review_after(Duration::from_secs(48 * 3600))
            .unwrap(),
    )
    .unwrap();
    for (h, score) in [
        (0, 10),
        (1, 9),
        (2, 10),
        (47, 4),
        (48, 9),
        (49, 8),
        (50, 10),
    ] {
        let p =
            therapy_timer::PainScore::new(injured() + TimeDelta::hours(h), score, None).unwrap();
        running.record_pain(p).unwrap();
    }
    let at = injured() + TimeDelta::hours(50);
    let cases = [(improving(), now()), (no_better(), now()), (running, at)];
    for (course, now) in cases {
        let page = html(&[(1, &course)], now, &Berlin);
        let doc = Html::parse_document(&page);
        let selector = Selector::parse("svg.chart text").unwrap();
        let boxes: Vec<_> = doc.select(&selector).map(|e| label_box(&e)).collect();
        assert!(boxes.len() > 15, "{} labels", boxes.len());
        for (i, (a, ra)) in boxes.iter().enumerate() {
            for (b, rb) in &boxes[i + 1..] {
                let apart = ra[2] <= rb[0] || rb[2] <= ra[0] || ra[3] <= rb[1] || rb[3] <= ra[1];
                assert!(apart, "{a:?} {ra:?} overlaps {b:?} {rb:?}");
            }
        }
        let texts: Vec<&str> = boxes.iter().map(|(t, _)| t.as_str()).collect();
        assert!(texts.contains(&"injury"), "{texts:?}");
        assert!(
            texts.contains(&"course end") || texts.contains(&"ended"),
            "{texts:?}"
        );
        if course.review_at() == injured() + TimeDelta::hours(48) {
            // The review's label is the course's own setting.
            assert!(texts.contains(&"48 h review"), "{texts:?}");
            assert!(!texts.iter().any(|t| t.contains("72 h")), "{texts:?}");
            assert!(texts.contains(&"now"), "{texts:?}");
        } else {
            assert!(texts.contains(&"72 h review"), "{texts:?}");
        }
        // Most scores keep their number.
        let labelled = doc
            .select(&Selector::parse("svg .pain-label").unwrap())
            .count();
        assert!(
            labelled * 3 >= course.pain_scores().len() * 2,
            "{labelled} of {} scores labelled",
            course.pain_scores().len()
        );
    }
}

#[test]
fn regression_course_day_and_short_trends_read_right() {
    // "7 days, now on day 5 of 8": day 5 of 7.
    let c = improving();
    let mid = injured() + TimeDelta::hours(4 * 24 + 2);
    let doc = Html::parse_document(&html(&[(1, &c)], mid, &Berlin));
    let facts = text(&doc, "dl.course-facts");
    assert!(facts.contains("7 days, now on day 5 of 7"), "{facts}");
    // "No better after 5 hours" for a rise from 4 to 9: under a day there
    // is no trend, and a 9 is severe.
    let mut short = Course::new(injured(), Protocol::default()).unwrap();
    for (h, score) in [(1, 4), (6, 9)] {
        let p =
            therapy_timer::PainScore::new(injured() + TimeDelta::hours(h), score, None).unwrap();
        short.record_pain(p).unwrap();
    }
    let at = injured() + TimeDelta::hours(7);
    let doc = Html::parse_document(&html(&[(1, &short)], at, &Berlin));
    let verdict = text(&doc, ".verdict");
    assert!(!verdict.contains("No better"), "{verdict}");
    assert!(
        verdict.contains("Severe pain (9/10): see a clinician."),
        "{verdict}"
    );
    assert!(
        verdict.contains("Pain rose from 4 to 9 of 10 in 5 hours."),
        "{verdict}"
    );
}

/// The Python with `fhir.resources` 6.4 (FHIR R4 4.0.1) that .ci/run
/// installs: THERAPY_TIMER_FHIR_PYTHON, else the venv .ci/run makes under
/// target/, else `python3`. `None` (loudly, or a failure under
/// THERAPY_TIMER_REQUIRE_DESKTOP=1) when none has it.
fn fhir_python(test: &str) -> Option<std::path::PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fhir-venv/bin/python");
    let candidates = std::env::var_os("THERAPY_TIMER_FHIR_PYTHON")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([venv, "python3".into()]);
    for python in candidates {
        let ok = Command::new(&python)
            .args([
                "-c",
                "import fhir.resources as f, sys; sys.exit(f.__fhir_version__ != '4.0.1')",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(python);
        }
    }
    let msg = format!(
        "{test}: SKIPPED: no Python with fhir.resources for FHIR R4 \
         (pip install 'fhir.resources==6.4.0' 'pydantic[email]<2'; .ci/run does it)"
    );
    if std::env::var_os("THERAPY_TIMER_REQUIRE_DESKTOP").is_some_and(|v| v == "1") {
        panic!("{msg}; THERAPY_TIMER_REQUIRE_DESKTOP=1 makes this a failure");
    }
    eprintln!("\n*** {msg} ***\n");
    None
}

/// Parses the bundle with fhir.resources' R4 models (which check every
/// field's type, the required ones and the codes of required bindings)
/// and says what it counted: resources by type, Procedures by status and
/// code, Observations by LOINC code, and notes.
const VALIDATE: &str = r#"
import json, sys
from collections import Counter
from fhir.resources.bundle import Bundle
b = Bundle.parse_file(sys.argv[1])
assert b.type == "collection", b.type
counts = Counter()
for e in b.entry:
    r = e.resource
    counts[r.resource_type] += 1
    if r.resource_type == "Observation" and r.code.coding:
        counts["loinc " + r.code.coding[0].code] += 1
        assert r.status == "final" and r.category[0].coding[0].code == "survey"
        assert isinstance(r.valueInteger, int)
    elif r.resource_type == "Observation":
        assert r.status == "final" and r.category[0].coding[0].code == "exam"
        assert r.code.text == "Skin check after cold or heat therapy", r.code.text
        counts["skin " + r.valueCodeableConcept.text] += 1
    if r.resource_type == "Procedure":
        counts["status " + r.status] += 1
        code = r.code.coding[0].code if r.code.coding else "text " + r.code.text
        counts["code " + code] += 1
        counts["unconfirmed note"] += any("may have stayed on" in n.text for n in (r.note or []))
        assert r.performedPeriod.start is not None
    if r.resource_type == "Patient":
        counts["patient fields"] += len([k for k in json.loads(r.json()) if k not in ("resourceType", "id")])
print(json.dumps(counts))
"#;

#[test]
fn the_fhir_bundle_validates_as_r4_and_counts_round_trip() {
    let test = "the_fhir_bundle_validates_as_r4_and_counts_round_trip";
    let (mut a, b) = (improving(), no_better());
    // Skin checks: an Observation each, counted by what they found.
    let checked = a.injured_at() + TimeDelta::hours(2);
    for (i, skin) in [Skin::Red, Skin::Numb, Skin::Normal]
        .into_iter()
        .enumerate()
    {
        let at = checked + TimeDelta::minutes(i as i64);
        let note = (skin == Skin::Numb).then(|| "left side".to_owned());
        a.record_skin(SkinCheck::new(at, skin, note).unwrap())
            .unwrap();
    }
    let checks = a.skin_checks().len();
    let bundle = super::fhir(&[(1, &a), (2, &b)], now(), None);
    // Counted here, without Python.
    let entries = bundle["entry"].as_array().unwrap();
    let of = |t: &str| {
        entries
            .iter()
            .filter(|e| e["resource"]["resourceType"] == t)
            .count()
    };
    let scores = a.pain_scores().len() + b.pain_scores().len();
    let sessions = a.sessions().len() + b.sessions().len();
    assert_eq!(of("Observation"), scores + checks);
    assert_eq!(of("Procedure"), sessions);
    assert_eq!(of("Patient"), 1);
    assert_eq!(
        entries[0]["resource"],
        serde_json::json!({"resourceType": "Patient"})
    );
    assert!(!bundle.to_string().contains("\"subject\":{}"));
    let unconfirmed = a
        .sessions()
        .iter()
        .chain(b.sessions())
        .filter(|s| s.off.map(|o| o.by) == Some(OffBy::NoAnswer))
        .count();
    let cut = a
        .sessions()
        .iter()
        .chain(b.sessions())
        .filter(|s| s.outcome == Outcome::CutShort)
        .count();
    let ice = a
        .sessions()
        .iter()
        .chain(b.sessions())
        .filter(|s| s.phase == Phase::Ice)
        .count();
    // The note on a pain score comes through.
    assert!(entries
        .iter()
        .any(|e| e["resource"]["note"][0]["text"] == TRICKY));
    let Some(python) = fhir_python(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
    let out = Command::new(&python)
        .args(["-c", VALIDATE])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fhir.resources refused the bundle:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = |k: &str| counts[k].as_u64().unwrap_or(0) as usize;
    assert_eq!(n("Observation"), scores + checks, "{counts}");
    assert_eq!(n("loinc 72514-3"), scores, "{counts}");
    for skin in ["red", "numb", "normal"] {
        assert_eq!(n(&format!("skin {skin}")), 1, "{counts}");
    }
    assert_eq!(n("Procedure"), sessions, "{counts}");
    assert_eq!(n("code 26782000"), ice, "{counts}");
    assert_eq!(
        n("code text Heat therapy (heating pad)"),
        sessions - ice,
        "{counts}"
    );
    assert_eq!(n("status stopped"), cut, "{counts}");
    assert_eq!(n("status completed"), sessions - cut, "{counts}");
    assert_eq!(n("unconfirmed note"), unconfirmed, "{counts}");
    assert_eq!(n("Patient"), 1, "{counts}");
    assert_eq!(n("patient fields"), 0, "no identity invented: {counts}");
    // With a name, the Patient says that and nothing more.
    let named = super::fhir(&[(1, &a)], now(), Some("Ana Lima"));
    assert_eq!(
        named["entry"][0]["resource"],
        serde_json::json!({"resourceType": "Patient", "name": [{"text": "Ana Lima"}]})
    );
    std::fs::write(&file, named.to_string()).unwrap();
    let out = Command::new(&python)
        .args(["-c", VALIDATE])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts["patient fields"], 1, "{counts}");
}

#[test]
fn a_bundle_the_r4_models_refuse_makes_the_validation_fail() {
    // The validation can fail: a Procedure without its required subject
    // and with a status R4 does not have.
    let Some(python) = fhir_python("a_bundle_the_r4_models_refuse_makes_the_validation_fail")
    else {
        return;
    };
    let bad = serde_json::json!({
        "resourceType": "Bundle", "type": "collection",
        "entry": [{"resource": {"resourceType": "Procedure", "status": "done",
            "code": {"text": "ice"}}}]
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, bad.to_string()).unwrap();
    let out = Command::new(&python)
        .args(["-c", VALIDATE])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
