//! Property tests: the schedule's invariants over random injuries, histories,
//! protocols, quiet hours and time zones (several with DST, one with a
//! 30-minute DST shift and one with a 45-minute offset).

use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use therapy_timer::limits::{
    ACUTE_WINDOW_MAX, ACUTE_WINDOW_MIN, HEAT_MAX_ON, ICE_MAX_ON, ICE_MIN_REST, REST_MAX, REVIEW_MAX,
};
use therapy_timer::{Course, Dose, EventKind, Phase, Protocol, QuietHours, Session};

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

/// How many planned sessions each case checks: about four days of ice and
/// heat, enough to cross the acute window, several nights and DST changes
/// when the injury lands near one.
const SESSIONS: usize = 80;

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
        1u64..=600,
        3600u64..=3 * 3600,
        1u64..=1200,
        0u64..=3600,
        24 * 3600u64..=48 * 3600,
        1u64..=72 * 3600,
    )
        .prop_map(|(ice_on, ice_rest, heat_on, heat_extra, window, review)| {
            Protocol::new(
                Dose::new(secs(ice_on), secs(ice_rest)),
                Dose::new(secs(heat_on), secs(heat_on + heat_extra)),
                secs(window),
                secs(review),
            )
            .expect("a protocol inside the limits must be accepted")
        })
}

fn quiet_hours() -> impl Strategy<Value = Option<QuietHours>> {
    prop::option::of((0u32..1440, 1u32..1440).prop_map(|(start, len)| {
        let t = |m: u32| NaiveTime::from_hms_opt((m % 1440) / 60, m % 60, 0).unwrap_or_default();
        QuietHours::new(t(start), t(start + len)).expect("distinct times")
    }))
}

/// A history of sessions after the injury: gaps may be shorter than the rest
/// (sessions forced through), lengths up to 20 minutes.
fn history() -> impl Strategy<Value = Vec<(Phase, u64, u64)>> {
    prop::collection::vec(
        (
            prop::sample::select(Phase::ALL.to_vec()),
            0u64..3 * 3600,
            1u64..1200,
        ),
        0..6,
    )
}

fn course_from(
    injured: DateTime<Utc>,
    protocol: Protocol,
    quiet: Option<QuietHours>,
    history: &[(Phase, u64, u64)],
) -> Course {
    let mut course = Course::new(injured, protocol).with_quiet_hours(quiet);
    let mut at = injured;
    for &(phase, gap, len) in history {
        let start = at + TimeDelta::seconds(gap as i64);
        let end = start + TimeDelta::seconds(len as i64);
        course
            .record(Session::new(phase, start, end).expect("end after start"))
            .expect("sessions in order do not overlap");
        at = end;
    }
    course
}

fn rest_of(protocol: &Protocol, phase: Phase, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
    let length = (to - from).to_std().unwrap_or_default();
    TimeDelta::from_std(protocol.rest_after(phase, length)).unwrap_or(TimeDelta::MAX)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn plan_keeps_every_rule(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        history in history(),
        zone in 0..ZONES.len(),
        from_offset in -86_400i64..5 * 86_400,
    ) {
        let tz = ZONES[zone];
        let course = course_from(injured, protocol, quiet, &history);
        let from = injured + TimeDelta::seconds(from_offset);
        let plan: Vec<_> = course.plan(from, &tz).take(SESSIONS).collect();
        prop_assert_eq!(plan.len(), SESSIONS);

        // The first start owes the rest after every recorded session.
        let mut earliest = from.max(injured);
        for s in course.sessions() {
            earliest = earliest.max(s.end + rest_of(&protocol, s.phase, s.start, s.end));
        }
        let mut previous: Option<(Phase, DateTime<Utc>, DateTime<Utc>)> = None;
        for s in &plan {
            if let Some((phase, start, end)) = previous {
                earliest = end + rest_of(&protocol, phase, start, end);
            }
            prop_assert!(s.start >= earliest, "{s:?} starts before {earliest}");
            // Never later than needed: either at the earliest time, or at the
            // end of quiet hours (just before it, it was quiet).
            if s.start != earliest {
                let q = quiet.expect("only quiet hours delay a start");
                prop_assert!(q.contains(s.start - TimeDelta::seconds(1), &tz), "{s:?} delayed for nothing");
            }
            if let Some(q) = quiet {
                prop_assert!(!q.contains(s.start, &tz), "{s:?} starts in quiet hours {q}");
            }
            prop_assert_eq!(s.phase, course.phase_at(s.start));
            prop_assert_eq!(s.phase == Phase::Ice, s.start < course.heat_from());
            prop_assert_eq!((s.end - s.start).to_std().ok(), Some(protocol.dose(s.phase).on));
            previous = Some((s.phase, s.start, s.end));
        }
    }

    #[test]
    fn events_are_ordered_and_ice_stops_critical(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        history in history(),
        zone in 0..ZONES.len(),
        from_offset in -86_400i64..5 * 86_400,
    ) {
        let tz = ZONES[zone];
        let course = course_from(injured, protocol, quiet, &history);
        let from = injured + TimeDelta::seconds(from_offset);
        let events: Vec<_> = course.events(from, &tz).take(2 * SESSIONS).collect();
        prop_assert!(events.windows(2).all(|w| w[0].at <= w[1].at));
        prop_assert!(events.iter().all(|e| e.at >= from));
        let reviews = events.iter().filter(|e| e.kind == EventKind::Review).count();
        let review_in_range = course.review_at() >= from
            && events.last().is_some_and(|e| e.at >= course.review_at());
        prop_assert_eq!(reviews, usize::from(review_in_range));
        for e in &events {
            let critical = e.kind == EventKind::Stop && e.phase == Phase::Ice;
            prop_assert_eq!(e.urgency == therapy_timer::Urgency::Critical, critical);
        }
        // Every planned session appears as a start followed by its stop.
        let plan: Vec<_> = course.plan(from, &tz).take(10).collect();
        for s in plan {
            prop_assert!(events.iter().any(|e| e.kind == EventKind::Start && e.at == s.start));
            prop_assert!(events.iter().any(|e| e.kind == EventKind::Stop && e.at == s.end));
        }
    }

    #[test]
    fn no_protocol_outside_the_limits_can_be_made(
        ice_on in 0u64..2 * 3600,
        ice_rest in 0u64..9 * 86_400,
        heat_on in 0u64..2 * 3600,
        heat_rest in 0u64..9 * 86_400,
        window in 0u64..4 * 86_400,
        review in 0u64..4 * 86_400,
    ) {
        let within = ice_on > 0 && ice_on <= ICE_MAX_ON.as_secs()
            && ice_rest >= ICE_MIN_REST.as_secs() && ice_rest <= REST_MAX.as_secs()
            && heat_on > 0 && heat_on <= HEAT_MAX_ON.as_secs()
            && heat_rest >= heat_on && heat_rest > 0 && heat_rest <= REST_MAX.as_secs()
            && (ACUTE_WINDOW_MIN.as_secs()..=ACUTE_WINDOW_MAX.as_secs()).contains(&window)
            && review > 0 && review <= REVIEW_MAX.as_secs();
        let made = Protocol::new(
            Dose::new(secs(ice_on), secs(ice_rest)),
            Dose::new(secs(heat_on), secs(heat_rest)),
            secs(window),
            secs(review),
        );
        prop_assert_eq!(made.is_ok(), within, "{:?}", made);
        // The same through serde, the way a config file arrives.
        let json = format!(
            r#"{{"ice":{{"on":"{ice_on}s","rest":"{ice_rest}s"}},"heat":{{"on":"{heat_on}s","rest":"{heat_rest}s"}},"acute_window":"{window}s","review_after":"{review}s"}}"#
        );
        prop_assert_eq!(serde_json::from_str::<Protocol>(&json).is_ok(), within);
        if let Ok(p) = made {
            let round: Protocol = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
            prop_assert_eq!(round, p);
        }
    }

    #[test]
    fn courses_round_trip_through_json(
        injured in instant(),
        protocol in protocol(),
        quiet in quiet_hours(),
        history in history(),
    ) {
        let course = course_from(injured, protocol, quiet, &history);
        let json = serde_json::to_string(&course).unwrap();
        prop_assert_eq!(serde_json::from_str::<Course>(&json).unwrap(), course.clone());
        let first = course.plan(injured, &Utc).next().unwrap();
        let json = serde_json::to_string(&first).unwrap();
        prop_assert_eq!(serde_json::from_str::<therapy_timer::PlannedSession>(&json).unwrap(), first);
    }
}
