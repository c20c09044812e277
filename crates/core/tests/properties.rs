//! Property tests: the driver and the plan over random injuries, protocols,
//! quiet hours, time zones (several with DST, one with a 30-minute DST
//! shift and one with a 45-minute offset), inputs and call orders.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use therapy_timer::limits::{HEAT_MAX_ON, ICE_MAX_ON};
use therapy_timer::{
    Answer, ClinicianReason, Course, Dose, Driver, Event, EventKind, Input, OffBy, PainTrend,
    Phase, Protocol, QuietHours, Session, Skin,
};

const ZONES: [Tz; 9] = [
    Tz::UTC,
    Tz::America__New_York,
    Tz::Europe__London,
    Tz::Europe__Berlin,
    Tz::Australia__Lord_Howe,
    Tz::Asia__Kolkata,
    Tz::Pacific__Chatham,
    Tz::America__Sao_Paulo,
    Tz::Asia__Tehran,
];

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2000-01-01 to 2100-01-01.
    (946_684_800i64..4_102_444_800i64)
        .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or(DateTime::UNIX_EPOCH))
}

fn protocol() -> impl Strategy<Value = Protocol> {
    (
        (1u64..=600, 3600u64..=3 * 3600),
        (1u64..=1200, 0u64..=3600),
        (24u64..=48, 1u64..=72, 1u64..=4),
        (
            prop::option::of(0u64..=3600),
            prop::option::of(0u64..=4 * 3600),
        ),
    )
        .prop_map(
            |(
                (ice_on, ice_rest),
                (heat_on, heat_extra),
                (window, review, days),
                (ice_every, heat_every),
            )| {
                let heat_rest = heat_on + heat_extra;
                Protocol::new(
                    Dose::new(secs(ice_on), secs(ice_rest)),
                    Dose::new(secs(heat_on), secs(heat_rest)),
                    secs(window * 3600),
                    secs(review * 3600),
                )
                .and_then(|p| p.with_course_length(secs(days * 86_400)))
                // Explicit cadences from the floor up; never below an hour, so
                // that a minute-by-minute walk sees every prompt.
                .and_then(|p| {
                    p.with_every(
                        Phase::Ice,
                        ice_every.map(|e| secs((ice_on + ice_rest + e).max(3600))),
                    )
                })
                .and_then(|p| {
                    p.with_every(
                        Phase::Heat,
                        heat_every.map(|e| secs((heat_on + heat_rest + e).max(3600))),
                    )
                })
                .expect("a protocol inside the limits must be accepted")
            },
        )
}

fn quiet_hours() -> impl Strategy<Value = Option<QuietHours>> {
    prop::option::of((0u32..1440, 1u32..1200).prop_map(|(start, len)| {
        let t = |m: u32| NaiveTime::from_hms_opt((m % 1440) / 60, m % 60, 0).unwrap_or_default();
        QuietHours::new(t(start), t(start + len)).expect("distinct times")
    }))
}

/// What the person does, and when (seconds after the injury).
#[derive(Debug, Clone, Copy)]
enum Act {
    Start {
        minutes: Option<u64>,
        force: bool,
    },
    Stop,
    ConfirmOff,
    Dismissed,
    Skip,
    Snooze(u64),
    End,
    /// A pain score; above 10 it is refused.
    Pain(u8),
    /// A pain score written down `minutes` ago and entered now.
    PainEarlier(u8, u64),
    /// An ice session done without the timer, ending `minutes` ago.
    Log(u64),
    /// A device reports its own stop: at the open session's end when that
    /// has passed (dated before now), else now.
    DeviceStop,
    /// A skin check now.
    Skin(Skin),
}

fn acts() -> impl Strategy<Value = Vec<(i64, Act)>> {
    let act = prop_oneof![
        4 => (prop::option::of(1u64..=25), any::<bool>())
            .prop_map(|(minutes, force)| Act::Start { minutes, force }),
        2 => Just(Act::Stop),
        2 => Just(Act::ConfirmOff),
        1 => Just(Act::Dismissed),
        1 => Just(Act::Skip),
        1 => (1u64..=120).prop_map(Act::Snooze),
        1 => Just(Act::End),
        2 => (0u8..=12).prop_map(Act::Pain),
        1 => (0u8..=10, 0u64..=180).prop_map(|(s, m)| Act::PainEarlier(s, m)),
        1 => (0u64..=600).prop_map(Act::Log),
        2 => Just(Act::DeviceStop),
        2 => prop::sample::select(Skin::ALL.to_vec()).prop_map(Act::Skin),
    ];
    prop::collection::vec((-3600i64..4 * 86_400, act), 0..40).prop_map(|mut v| {
        v.sort_by_key(|(t, _)| *t);
        v
    })
}

fn input(act: Act, at: DateTime<Utc>, d: &Driver) -> Input {
    let ago = |m: u64| at - TimeDelta::minutes(m as i64);
    match act {
        Act::PainEarlier(score, m) => Input::Pain {
            at: ago(m),
            score,
            note: None,
        },
        Act::Log(m) => match Session::logged(Phase::Ice, ago(m + 10), ago(m)) {
            Ok(session) => Input::Log { session },
            Err(_) => Input::Skip { at },
        },
        // The pad's own session: still open, or its repeats ran out
        // unanswered (which of the two depends on when the app woke).
        Act::DeviceStop => Input::Stop {
            at: d
                .course()
                .sessions()
                .last()
                .filter(|s| s.off.is_none_or(|o| o.by == OffBy::NoAnswer))
                .map_or(at, |s| if s.end <= at { s.end } else { at }),
        },
        Act::Start { minutes, force } => Input::Start {
            at,
            phase: None,
            length: minutes.map(|m| secs(m * 60)),
            force,
        },
        Act::Stop => Input::Stop { at },
        Act::ConfirmOff => Input::ConfirmOff { at },
        Act::Dismissed => Input::Dismissed { at },
        Act::Skip => Input::Skip { at },
        Act::Snooze(m) => Input::Snooze {
            at,
            until: at + TimeDelta::minutes(m as i64),
        },
        Act::End => Input::EndCourse { at },
        Act::Pain(score) => Input::Pain {
            at,
            score,
            note: None,
        },
        Act::Skin(skin) => Input::Skin {
            at,
            skin,
            note: None,
        },
    }
}

/// What identifies an event, whenever it came out.
type Key = (
    EventKind,
    Phase,
    DateTime<Utc>,
    Option<u32>,
    u8,
    Option<PainTrend>,
);

fn key(e: &Event) -> Key {
    (
        e.kind(),
        e.phase(),
        // A severe score is dated when the driver took it (which depends
        // on when the app last woke it): compare the score's own time.
        match e {
            Event::SeeClinician {
                reason: therapy_timer::ClinicianReason::SeverePain { scored_at, .. },
                ..
            } => *scored_at,
            _ => e.due(),
        },
        e.session(),
        match e {
            Event::Repeat { repeat, .. } => *repeat,
            _ => 0,
        },
        e.trend(),
    )
}

/// Whether the driver may have taken `e` back before it was polled: an
/// input within two minutes of it settled it (a prompt started, skipped or
/// snoozed; a stop of a session said to be off). Whether it did depends on
/// when the app polled, so such events are compared apart.
fn settled(e: &Event, course: &Course) -> bool {
    let near = |at: DateTime<Utc>| at >= e.due() && at - e.due() <= TimeDelta::minutes(2);
    match e {
        Event::Prompt { .. } => course.prompts().iter().any(|p| {
            p.due == e.due()
                && match p.answer {
                    Answer::Started { at }
                    | Answer::Skipped { at }
                    | Answer::Snoozed { at, .. } => near(at),
                    // Ended with the course just after it was due.
                    Answer::Missed => course.ended_at().is_some_and(near),
                    _ => false,
                }
        }),
        Event::Stop { .. } | Event::Repeat { .. } => e
            .session()
            .and_then(|id| course.session(id))
            .and_then(|s| s.off)
            // Off before it was due (a device's stop, told late) or just
            // after.
            .is_some_and(|o| {
                matches!(o.by, OffBy::Stopped | OffBy::Confirmed)
                    && o.at - e.due() <= TimeDelta::minutes(2)
            }),
        _ => false,
    }
}

/// The reference: the same course walked minute by minute.
fn minute_walk<T: TimeZone>(
    mut d: Driver,
    tz: &T,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    acts: &[(DateTime<Utc>, Act)],
) -> (Vec<Event>, Driver) {
    let mut out = Vec::new();
    let mut next_act = 0;
    let mut now = from;
    while now <= to {
        while let Some((at, act)) = acts.get(next_act).filter(|(at, _)| *at <= now) {
            // An app tells the driver the time before what the person did
            // (an input such as a log has no time of its own to move it).
            d.handle_timeout(*at, tz);
            out.extend(std::iter::from_fn(|| d.poll_event()));
            let input = input(*act, *at, &d);
            let _ = d.handle_input(input, tz);
            out.extend(std::iter::from_fn(|| d.poll_event()));
            next_act += 1;
        }
        d.handle_timeout(now, tz);
        out.extend(std::iter::from_fn(|| d.poll_event()));
        now += TimeDelta::minutes(1);
    }
    (out, d)
}

/// The driver as an app runs it: woken when it asks (a little late, at
/// random), at random extra times, saved and read back at random.
#[allow(clippy::too_many_arguments)]
fn app_run<T: TimeZone>(
    mut d: Driver,
    tz: &T,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    acts: &[(DateTime<Utc>, Act)],
    delays: &[u8],
    extra: &[DateTime<Utc>],
    saves: &[bool],
) -> (Vec<Event>, Driver) {
    let mut out = Vec::new();
    let (mut next_act, mut next_extra, mut step) = (0, 0, 0usize);
    let mut now = from;
    loop {
        step += 1;
        let delay = TimeDelta::seconds(i64::from(delays[step % delays.len()] % 50));
        let wake = d.poll_timeout(tz).map(|t| t.max(now) + delay);
        let act_at = acts.get(next_act).map(|(at, _)| *at);
        let extra_at = extra.get(next_extra).copied();
        let Some(t) = [wake, act_at, extra_at].into_iter().flatten().min() else {
            break;
        };
        if t > to {
            break;
        }
        now = now.max(t);
        if act_at == Some(t) {
            let (at, act) = acts[next_act];
            // The time first, as in the minute walk (regression: a log
            // given before the driver was told the time changed whether
            // a prompt due just before it was given).
            d.handle_timeout(at, tz);
            out.extend(std::iter::from_fn(|| d.poll_event()));
            let input = input(act, at, &d);
            let _ = d.handle_input(input, tz);
            next_act += 1;
        } else {
            if extra_at == Some(t) {
                next_extra += 1;
            }
            d.handle_timeout(t, tz);
        }
        // Drain a part now and the rest later, sometimes.
        if saves[step % saves.len()] {
            d = Driver::from_json(&d.to_json()).expect("a driver reads back what it wrote");
        }
        out.extend(std::iter::from_fn(|| d.poll_event()));
        if step > 200_000 {
            panic!("the run does not end");
        }
    }
    d.handle_timeout(to, tz);
    out.extend(std::iter::from_fn(|| d.poll_event()));
    (out, d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn each_event_once_in_order_and_equal_to_a_minute_walk(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        zone in 0..ZONES.len(),
        acts in acts(),
        delays in prop::collection::vec(any::<u8>(), 1..20),
        extra in prop::collection::vec(0i64..4 * 86_400, 0..30),
        saves in prop::collection::vec(any::<bool>(), 1..10),
    ) {
        let tz = ZONES[zone];
        let course = Course::new(injured, protocol).unwrap().with_quiet_hours(quiet);
        let from = injured;
        let to = injured + TimeDelta::days(5);
        let acts: Vec<_> = acts
            .into_iter()
            .map(|(s, a)| (injured + TimeDelta::seconds(s), a))
            .filter(|(at, _)| *at >= from)
            .collect();
        let mut extra: Vec<_> = extra.into_iter().map(|s| injured + TimeDelta::seconds(s)).collect();
        extra.sort();

        let (walked, reference) = minute_walk(Driver::new(course.clone()), &tz, from, to, &acts);
        let (events, driver) =
            app_run(Driver::new(course), &tz, from, to, &acts, &delays, &extra, &saves);

        prop_assert_eq!(driver.course(), reference.course());
        // The same events, but for those an input settled before they were
        // polled (see `settled`): each of those comes out at most once.
        let unsettled = |es: &[Event]| -> Vec<Key> {
            es.iter()
                .filter(|e| !settled(e, driver.course()) && e.kind() != EventKind::SeeClinician)
                .map(key)
                .collect()
        };
        prop_assert_eq!(unsettled(&events), unsettled(&walked));
        // A severe score entered with an earlier time comes out when the
        // driver takes it, which depends on when the app last woke it: the
        // same ones, in any order among the rest.
        let severe = |es: &[Event]| -> Vec<Key> {
            let mut v: Vec<Key> =
                es.iter().filter(|e| e.kind() == EventKind::SeeClinician).map(key).collect();
            v.sort_by_key(|k| k.2);
            v
        };
        prop_assert_eq!(severe(&events), severe(&walked));
        let got: Vec<Key> = events.iter().map(key).collect();

        // Exactly once, in order.
        let unique: HashSet<_> = got.iter().collect();
        prop_assert_eq!(unique.len(), got.len());
        prop_assert!(events.windows(2).all(|w| w[0].due() <= w[1].due()), "{events:?}");

        let c = driver.course();
        let ends = c.ends_at();
        for e in &events {
            if e.kind() == EventKind::Prompt {
                if let Some(q) = quiet {
                    prop_assert!(!q.contains(e.due(), &tz), "prompt in quiet hours: {e:?}");
                }
                prop_assert!(e.due() < ends, "prompt after the end: {e:?}");
                // (A logged session may be told after the prompt was given:
                // history, it could not hold the prompt back.)
                for s in c.sessions().iter().filter(|s| s.start < e.due() && !s.is_logged()) {
                    let rest = c.protocol().rest_after(s.phase, s.length());
                    let over = s.end + TimeDelta::from_std(rest).unwrap();
                    prop_assert!(e.due() >= over, "prompt {e:?} before the rest after {s:?}");
                }
            }
            prop_assert_eq!(
                e.is_safety(),
                matches!(e.kind(), EventKind::Stop | EventKind::Repeat)
                    || matches!(e, Event::SeeClinician { reason: ClinicianReason::Blistered { .. }, .. })
            );
            // Numb or blistered before it, and no normal check since: no
            // prompt. (A check at the prompt's own time may come either
            // side of it.)
            if e.kind() == EventKind::Prompt {
                let paused = |t| c.skin_pause(t).is_some();
                let before = e.due() - TimeDelta::seconds(1);
                prop_assert!(!(paused(before) && paused(e.due())), "prompt {e:?} in a skin pause");
            }
        }
        // No session started (forced or not) in a skin pause.
        for s in c.sessions().iter().filter(|s| !s.is_logged()) {
            let paused = |t| c.skin_pause(t).is_some();
            let before = s.start - TimeDelta::seconds(1);
            prop_assert!(!(paused(before) && paused(s.start)), "{s:?} started in a skin pause");
        }
        for s in c.sessions() {
            let limit = match s.phase { Phase::Ice => ICE_MAX_ON, Phase::Heat => HEAT_MAX_ON };
            prop_assert!(s.length() <= limit && s.length() >= secs(1), "{s:?}");
            let stops = events.iter().filter(|e| e.session() == Some(s.id) && e.kind() == EventKind::Stop).count();
            let repeats = events.iter().filter(|e| e.session() == Some(s.id) && e.kind() == EventKind::Repeat).count();
            prop_assert!(stops <= 1 && repeats <= 3, "{s:?}: {stops} stops, {repeats} repeats");
        }
        // One see-clinician event per severe score, and none for others.
        // One per blistered skin check too.
        let severe = c.pain_scores().iter().filter(|p| p.is_severe()).count()
            + c.skin_checks().iter().filter(|k| k.skin == Skin::Blistered).count();
        prop_assert_eq!(events.iter().filter(|e| e.kind() == EventKind::SeeClinician).count(), severe);
        prop_assert!(c.pain_scores().iter().all(|p| p.score <= 10));
        for kind in [EventKind::PhaseChange, EventKind::Review, EventKind::CourseEnd] {
            prop_assert!(events.iter().filter(|e| e.kind() == kind).count() <= 1);
        }
        if let Some(end) = events.iter().position(|e| e.kind() == EventKind::CourseEnd) {
            // After the end: stops of a session still on (or stopped
            // early: sessions are still recorded), and a severe pain
            // score's advice; nothing else.
            prop_assert!(
                events[end + 1..].iter().all(|e| e.is_safety()
                    || matches!(e.kind(), EventKind::SeeClinician | EventKind::StoppedEarly)),
                "{events:?}"
            );
        }
    }

    #[test]
    fn a_clock_an_hour_ahead_then_corrected_repeats_no_stop_and_dates_no_prompt_ahead(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        zone in 0..ZONES.len(),
        acts in acts(),
        ahead_from in 0i64..2 * 1440,
        ahead_for in 1i64..180,
        saves in prop::collection::vec(any::<bool>(), 1..10),
    ) {
        let tz = ZONES[zone];
        let mut d = Driver::new(Course::new(injured, protocol).unwrap().with_quiet_hours(quiet));
        let acts: Vec<_> = acts
            .into_iter()
            .map(|(s, a)| (injured + TimeDelta::seconds(s), a))
            .filter(|(at, _)| *at >= injured)
            .collect();
        // The clock this app reads: an hour ahead for a while, then right.
        let shown = |real: DateTime<Utc>| {
            let m = (real - injured).num_minutes();
            if (ahead_from..ahead_from + ahead_for).contains(&m) {
                real + TimeDelta::hours(1)
            } else {
                real
            }
        };
        let mut events = Vec::new();
        let mut next_act = 0;
        let mut real = injured;
        let mut minute = 0usize;
        while real <= injured + TimeDelta::days(2) {
            let now = shown(real);
            while let Some((at, act)) = acts.get(next_act).filter(|(at, _)| *at <= real) {
                // What an input gives comes out at the input's time, by the
                // clock read when it was given (ahead, maybe), not at the
                // minute the walk is on (regression: an End given while the
                // clock was ahead was taken for a notice due after "now").
                let given = shown(*at);
                let i = input(*act, given, &d);
                let _ = d.handle_input(i, &tz);
                events.extend(std::iter::from_fn(|| d.poll_event()).map(|e| (given.max(now), e)));
                next_act += 1;
            }
            d.handle_timeout(now, &tz);
            events.extend(std::iter::from_fn(|| d.poll_event()).map(|e| (now, e)));
            if saves[minute % saves.len()] {
                d = Driver::from_json(&d.to_json()).expect("a driver reads back what it wrote");
            }
            real += TimeDelta::minutes(1);
            minute += 1;
        }
        // No stop or repeat is given twice, and no one-time notice.
        let stops: Vec<_> = events
            .iter()
            .filter(|(_, e)| e.is_safety())
            .map(|(_, e)| key(e))
            .collect();
        let unique: HashSet<_> = stops.iter().collect();
        prop_assert_eq!(unique.len(), stops.len(), "{:?}", events);
        for kind in [EventKind::PhaseChange, EventKind::Review, EventKind::CourseEnd] {
            prop_assert!(events.iter().filter(|(_, e)| e.kind() == kind).count() <= 1);
        }
        // Every event is due by the time it is given, by the clock read
        // then (nothing decided ahead of the clock).
        for (now, e) in &events {
            prop_assert!(e.due() <= *now, "{e:?} given at {now}");
        }
        // The record keeps no prompt given ahead of the driver's time (a
        // skip or a snooze of the next prompt is dated at that prompt).
        let last = d.now().unwrap();
        let ahead = d
            .course()
            .prompts()
            .iter()
            .filter(|p| matches!(p.answer, Answer::Open | Answer::Missed | Answer::Started { .. }))
            .any(|p| p.due > last);
        prop_assert!(!ahead, "a prompt dated after {}", last);
    }

    #[test]
    fn the_plan_keeps_every_rule(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        zone in 0..ZONES.len(),
        from_offset in -86_400i64..5 * 86_400,
    ) {
        let tz = ZONES[zone];
        let course = Course::new(injured, protocol).unwrap().with_quiet_hours(quiet);
        let from = injured + TimeDelta::seconds(from_offset);
        let plan: Vec<_> = course.plan(from, &tz).collect();
        for w in plan.windows(2) {
            let every = TimeDelta::from_std(protocol.every(w[0].phase)).unwrap();
            prop_assert!(w[1].start - w[0].start >= every, "{w:?}");
        }
        for s in &plan {
            prop_assert!(s.start >= from.max(injured) && s.start < course.ends_at());
            prop_assert_eq!(s.phase, course.phase_at(s.start));
            prop_assert_eq!(s.end - s.start, TimeDelta::from_std(protocol.dose(s.phase).on).unwrap());
            if let Some(q) = quiet {
                prop_assert!(!q.contains(s.start, &tz), "{s:?} in quiet hours {q}");
            }
        }
    }

    #[test]
    fn nothing_panics_at_the_edges_of_time(
        near_max in any::<bool>(),
        offset in 0i64..40 * 86_400,
        east in -14 * 3600i32..=14 * 3600,
        quiet in quiet_hours(),
        act in prop_oneof![Just(Act::Stop), Just(Act::Skip), Just(Act::End),
                           Just(Act::Start { minutes: None, force: true }), Just(Act::Snooze(10))],
    ) {
        let tz = FixedOffset::east_opt(east).unwrap();
        let at = if near_max {
            DateTime::<Utc>::MAX_UTC - TimeDelta::seconds(offset)
        } else {
            DateTime::<Utc>::MIN_UTC + TimeDelta::seconds(offset)
        };
        if let Some(q) = quiet {
            let _ = q.contains(at, &tz);
            let _ = q.end_after(at, &tz);
            let _ = q.next_open(at, &tz);
        }
        let _ = Session::running(Phase::Ice, at, secs(600));
        if let Ok(course) = Course::new(at, Protocol::default()) {
            let course = course.with_quiet_hours(quiet);
            let plan: Vec<_> = course.plan(at, &tz).take(50).collect();
            for s in &plan {
                prop_assert!(s.start >= at && s.end > s.start);
            }
            let mut d = Driver::new(course);
            let i = input(act, at, &d);
            let _ = d.handle_input(i, &tz);
            d.handle_timeout(at + TimeDelta::hours(1), &tz);
            let _ = d.poll_timeout(&tz);
            while d.poll_event().is_some() {}
        }
        let mut d = Driver::new(Course::new(DateTime::UNIX_EPOCH, Protocol::default()).unwrap());
        d.handle_timeout(at, &tz);
        let i = input(act, at, &d);
        let _ = d.handle_input(i, &tz);
        let _ = d.poll_timeout(&tz);
        while d.poll_event().is_some() {}
    }
}

/// Walks minute by minute, starting sessions at `starts`, saying away in
/// the minutes inside `away` (every minute, as an app does) and back
/// otherwise when `tell` is true; returns each event with whether it came
/// out while away.
fn away_walk<T: TimeZone>(
    mut d: Driver,
    tz: &T,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    starts: &[DateTime<Utc>],
    away: &[(DateTime<Utc>, DateTime<Utc>)],
    tell: bool,
) -> (Vec<(Event, bool)>, Driver) {
    let mut out = Vec::new();
    let mut now = from;
    let mut next_start = 0;
    while now <= to {
        let is_away = away.iter().any(|(a, b)| *a <= now && now < *b);
        if tell {
            let input = if is_away {
                Input::Away { at: now }
            } else {
                Input::Back { at: now }
            };
            d.handle_input(input, tz)
                .expect("away and back are never refused");
        }
        while starts.get(next_start).is_some_and(|s| *s <= now) {
            let start = Input::Start {
                at: now,
                phase: None,
                length: None,
                force: false,
            };
            let _ = d.handle_input(start, tz);
            let _ = d.handle_input(
                Input::ConfirmOff {
                    at: now + TimeDelta::minutes(30),
                },
                tz,
            );
            next_start += 1;
        }
        d.handle_timeout(now, tz);
        out.extend(std::iter::from_fn(|| d.poll_event()).map(|e| (e, tell && is_away)));
        now += TimeDelta::minutes(1);
    }
    (out, d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn away_holds_prompts_only_and_records_none_it_did_not_give(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        zone in 0..ZONES.len(),
        starts in prop::collection::vec(0i64..3 * 86_400, 0..8),
        away in prop::collection::vec((0i64..3 * 86_400, 60i64..6 * 3600), 0..8),
    ) {
        let tz = ZONES[zone];
        let course = Course::new(injured, protocol).unwrap().with_quiet_hours(quiet);
        let to = injured + TimeDelta::days(3);
        let mut starts: Vec<_> = starts.into_iter().map(|s| injured + TimeDelta::seconds(s)).collect();
        starts.sort();
        let away: Vec<_> = away
            .into_iter()
            .map(|(s, len)| {
                let a = injured + TimeDelta::seconds(s);
                (a, a + TimeDelta::seconds(len))
            })
            .collect();
        let (plain, _) = away_walk(Driver::new(course.clone()), &tz, injured, to, &starts, &away, false);
        let (held, driver) = away_walk(Driver::new(course), &tz, injured, to, &starts, &away, true);

        // Stops and repeats are never held: the same, with or without away.
        let safety = |v: &[(Event, bool)]| -> Vec<Key> {
            v.iter().filter(|(e, _)| e.is_safety()).map(|(e, _)| key(e)).collect()
        };
        prop_assert_eq!(safety(&plain), safety(&held));
        // Nothing but stops and repeats comes out while away, except what
        // is never held (review, course end).
        for (e, was_away) in &held {
            prop_assert!(
                !(*was_away && matches!(e.kind(), EventKind::Prompt | EventKind::PhaseChange)),
                "given while away: {:?}", e
            );
        }
        // Each prompt given once.
        let dues: Vec<_> = held.iter().filter(|(e, _)| e.kind() == EventKind::Prompt).map(|(e, _)| e.due()).collect();
        let unique: HashSet<_> = dues.iter().collect();
        prop_assert_eq!(unique.len(), dues.len());
        // A prompt in the record was given, or answered by a start (which
        // answers the held prompt as the open one): never one recorded as
        // missed that nobody was shown.
        for p in driver.course().prompts() {
            prop_assert!(
                dues.contains(&p.due) || matches!(p.answer, Answer::Started { .. }),
                "recorded but never given: {:?}", p
            );
        }
    }
}
