//! `plan --ics`: the calendar, read back with a real iCalendar parser.

use std::io::BufReader;

use chrono::DateTime;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use ical::IcalParser;

use crate::util::{Env, Run};

const INJURED: &str = "2026-03-01T08:00:00Z";

/// From two hours before the switch to heat (48h) to past the clinician
/// reminder (72h): ice, heat and the reminder in one file.
const ACROSS: [&str; 8] = [
    "--injured-at",
    INJURED,
    "--at",
    "2026-03-03T06:00:00Z",
    "--for",
    "30h",
    "--quiet-hours",
    "off",
];

/// Parses stdout as exactly one calendar.
#[track_caller]
fn calendar(r: &Run) -> IcalCalendar {
    let mut parser = IcalParser::new(BufReader::new(r.out.stdout.as_slice()));
    let cal = match parser.next() {
        Some(Ok(cal)) => cal,
        other => panic!("not an iCalendar file: {other:?}\n{}", r.report()),
    };
    assert!(
        parser.next().is_none(),
        "more than one calendar\n{}",
        r.report()
    );
    cal
}

/// The value of `name` in `props`; fails if absent.
#[track_caller]
fn value<'a>(props: &'a [Property], name: &str) -> &'a str {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("no {name} in {props:?}"))
}

/// A TEXT value unescaped (RFC 5545 §3.3.11); the parser leaves it raw.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// RFC 3339 as in `plan --json` to the basic form of the calendar.
fn basic(rfc3339: &serde_json::Value) -> String {
    let s = rfc3339.as_str().expect("a time string");
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn is_review(e: &IcalEvent) -> bool {
    value(&e.properties, "UID").ends_with("-review@therapy-timer")
}

#[test]
fn plan_ics_has_the_same_sessions_as_plan_json() {
    let env = Env::new();
    let json = env
        .run(["plan", "--json"].iter().chain(&ACROSS))
        .ok()
        .json();
    let json = json.as_array().expect("a JSON array");
    let r = env.run(["plan", "--ics"].iter().chain(&ACROSS));
    let cal = calendar(r.ok());

    assert_eq!(value(&cal.properties, "VERSION"), "2.0");
    assert_eq!(value(&cal.properties, "METHOD"), "PUBLISH");
    let sessions: Vec<_> = cal.events.iter().filter(|e| !is_review(e)).collect();
    let from_ics: Vec<_> = sessions
        .iter()
        .map(|e| {
            (
                value(&e.properties, "DTSTART").to_owned(),
                value(&e.properties, "DTEND").to_owned(),
            )
        })
        .collect();
    let from_json: Vec<_> = json
        .iter()
        .map(|s| (basic(&s["start"]), basic(&s["end"])))
        .collect();
    assert_eq!(from_ics, from_json, "\n{}", r.report());
    // Pinned, so that both being wrong the same way fails too.
    assert_eq!(
        from_ics[..2],
        [
            ("20260303T060000Z".into(), "20260303T061000Z".into()),
            ("20260303T071000Z".into(), "20260303T072000Z".into()),
        ]
    );
    // Two days of ice (7:00-22:00) and heat every 3 hours after.
    assert!(from_ics.len() > 10, "{}", from_ics.len());

    for (event, s) in sessions.iter().zip(json) {
        let (summary, word) = match s["phase"].as_str() {
            Some("ice") => ("Ice (10 min)", "ice"),
            Some("heat") => ("Heat (15 min)", "heat"),
            other => panic!("phase {other:?}"),
        };
        assert_eq!(value(&event.properties, "SUMMARY"), summary);
        assert_eq!(value(&event.properties, "DTSTAMP"), "20260303T060000Z");
        // A start alarm and an end alarm, both shown.
        let triggers: Vec<_> = event
            .alarms
            .iter()
            .map(|a| {
                assert_eq!(value(&a.properties, "ACTION"), "DISPLAY");
                let trigger = a.properties.iter().find(|p| p.name == "TRIGGER");
                let trigger = trigger.expect("a TRIGGER");
                (trigger.params.clone(), trigger.value.clone())
            })
            .collect();
        assert_eq!(
            triggers,
            [
                (None, Some("PT0S".into())),
                (
                    Some(vec![("RELATED".into(), vec!["END".into()])]),
                    Some("PT0S".into())
                ),
            ]
        );
        assert_eq!(
            unescape(value(&event.alarms[1].properties, "DESCRIPTION")),
            format!("Take the {word} off now.")
        );
    }
}

#[test]
fn a_long_description_is_folded_and_unfolds_to_the_care_text() {
    let env = Env::new();
    let r = env.run(["plan", "--ics"].iter().chain(&ACROSS));
    let raw = r.ok().stdout();
    assert!(
        raw.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "a line without CRLF\n{}",
        r.report()
    );
    assert!(raw.split("\r\n").all(|l| l.len() <= 75), "{}", r.report());
    // The first description does not fit on one line...
    let lines: Vec<_> = raw.split("\r\n").collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("DESCRIPTION:Put a towel"))
        .unwrap_or_else(|| panic!("no ice description\n{}", r.report()));
    assert!(lines[at + 1].starts_with(' '), "not folded\n{}", r.report());
    // ... and reads back whole, with its semicolon and comma.
    let cal = calendar(&r);
    assert_eq!(
        unescape(value(&cal.events[0].properties, "DESCRIPTION")),
        // The care words are the library's.
        format!(
            "{} Take the ice off at the second alarm, when the session ends.",
            therapy_timer::safety::care(therapy_timer::Phase::Ice)
        )
    );
    let heat = cal
        .events
        .iter()
        .find(|e| value(&e.properties, "SUMMARY").starts_with("Heat"))
        .expect("a heat session");
    assert!(unescape(value(&heat.properties, "DESCRIPTION"))
        .starts_with(therapy_timer::safety::care(therapy_timer::Phase::Heat)));
}

#[test]
fn the_clinician_reminder_is_an_event_when_it_falls_in_the_window() {
    let env = Env::new();
    let cal = calendar(env.run(["plan", "--ics"].iter().chain(&ACROSS)).ok());
    let reviews: Vec<_> = cal.events.iter().filter(|e| is_review(e)).collect();
    assert_eq!(reviews.len(), 1);
    // 72 hours after the injury.
    assert_eq!(value(&reviews[0].properties, "DTSTART"), "20260304T080000Z");
    assert_eq!(reviews[0].alarms.len(), 1);
    assert!(
        unescape(value(&reviews[0].alarms[0].properties, "DESCRIPTION"))
            .contains("should be seen by a clinician")
    );

    // Not in the first four hours.
    let early = [
        "plan",
        "--ics",
        "--injured-at",
        INJURED,
        "--at",
        INJURED,
        "--for",
        "4h",
        "--quiet-hours",
        "off",
    ];
    let cal = calendar(env.run(early).ok());
    assert_eq!(cal.events.len(), 4);
    assert!(!cal.events.iter().any(is_review));
}

#[test]
fn plan_ics_with_nothing_to_plan_says_how_to_plan_more() {
    let env = Env::new();
    // 23:00 to 23:30 lies in the default quiet hours (22:00-07:00).
    env.run([
        "plan",
        "--ics",
        "--injured-at",
        INJURED,
        "--at",
        "2026-03-01T23:00:00Z",
        "--for",
        "30m",
    ])
    .no_panic()
    .code_is(2)
    .stderr_has("so there is no calendar to write; plan for longer with --for");
    env.run(["plan", "--ics", "--json", "--injured-at", INJURED])
        .code_is(2)
        .stderr_has("cannot be used with");
}

/// `(UID, DTSTART)` of each event, in order.
fn uids_and_starts(cal: &IcalCalendar) -> Vec<(String, String)> {
    cal.events
        .iter()
        .map(|e| {
            (
                value(&e.properties, "UID").to_owned(),
                value(&e.properties, "DTSTART").to_owned(),
            )
        })
        .collect()
}

/// Regression: two exports 2 s apart gave every event a different UID
/// (made from the start times, which move with the export), so importing
/// the newer one doubled the calendar instead of updating it.
#[test]
fn re_exports_keep_the_uids_and_raise_sequence_and_last_modified() {
    let env = Env::new();
    // The snooze reads the config's quiet hours: off, as the exports say,
    // so that at any hour a session is due to snooze (in quiet hours the
    // next one came after the snooze anyway: nothing to snooze).
    env.config("quiet_hours = \"off\"\n");
    // Recorded once, as an absolute time; the exports use the real clock.
    env.run(["injury", "2h ago"]).ok();
    let export = || {
        let r = env.run(["plan", "--ics", "--for", "6h", "--quiet-hours", "off"]);
        calendar(r.ok())
    };
    let first = export();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // A snooze moves the next session later; it is still the same one.
    env.run(["snooze", "30m"]).ok();
    let second = export();

    let (a, b) = (uids_and_starts(&first), uids_and_starts(&second));
    assert!(a.len() >= 5, "{a:?}");
    let uids = |v: &[(String, String)]| v.iter().map(|(u, _)| u.clone()).collect::<Vec<_>>();
    // (The snooze moved the last one out of the 6 h window.)
    assert!(b.len() + 1 >= a.len() && !b.is_empty(), "{a:?} {b:?}");
    assert_eq!(
        uids(&a)[..b.len()],
        uids(&b)[..],
        "the UIDs changed between exports"
    );
    // The snooze moved the times: the UIDs held anyway.
    assert_ne!(a[0].1, b[0].1, "the exports planned the same times");
    let mut unique = uids(&a);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), a.len(), "UIDs repeat within one file: {a:?}");
    for (old, new) in first.events.iter().zip(&second.events) {
        let number = |e: &IcalEvent, name| -> i64 {
            value(&e.properties, name)
                .parse()
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        assert!(number(new, "SEQUENCE") > number(old, "SEQUENCE"));
        assert!(value(&new.properties, "LAST-MODIFIED") > value(&old.properties, "LAST-MODIFIED"));
        assert_eq!(
            value(&new.properties, "LAST-MODIFIED"),
            value(&new.properties, "DTSTAMP")
        );
    }
}

#[test]
fn a_session_has_the_same_uid_whether_planned_from_now_or_later() {
    let env = Env::new();
    let at = [
        "--injured-at",
        INJURED,
        "--at",
        INJURED,
        "--quiet-hours",
        "off",
    ];
    let now = calendar(
        env.run(["plan", "--ics", "--for", "8h"].iter().chain(&at))
            .ok(),
    );
    // 3h30m is three ice cadences (1h10m): a planned start in both.
    let later = calendar(
        env.run(
            [
                "plan",
                "--ics",
                "--for",
                "2h",
                "--from",
                "2026-03-01T11:30:00Z",
            ]
            .iter()
            .chain(&at),
        )
        .ok(),
    );
    let now = uids_and_starts(&now);
    let later = uids_and_starts(&later);
    assert_eq!(later[0].1, "20260301T113000Z");
    let same = now.iter().find(|(_, start)| *start == later[0].1);
    assert_eq!(same, Some(&later[0]), "from now: {now:?}\nlater: {later:?}");
    assert_eq!(later[0].0, "1772352000-s4@therapy-timer");
}
