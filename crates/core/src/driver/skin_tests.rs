//! The skin check rules as the driver runs them: the pause, the
//! clinician notice, the red-after-heat prompt, undo.

use chrono::{DateTime, TimeZone, Utc};

use super::{Applied, Driver, Input};
use crate::course::Course;
use crate::error::{Error, ErrorKind};
use crate::event::{ClinicianReason, Event, EventKind, Urgency};
use crate::phase::Phase;
use crate::protocol::Protocol;
use crate::skin::Skin;

fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
}

fn start(at: DateTime<Utc>, force: bool) -> Input {
    Input::Start {
        at,
        phase: None,
        length: None,
        force,
    }
}

fn skin(at: DateTime<Utc>, skin: Skin) -> Input {
    Input::Skin {
        at,
        skin,
        note: None,
    }
}

fn drain(d: &mut Driver) -> Vec<Event> {
    std::iter::from_fn(|| d.poll_event()).collect()
}

/// One ice session from 08:00, confirmed off at 08:10.
fn iced() -> Driver {
    let mut d = Driver::new(Course::new(t(1, 8, 0), Protocol::default()).unwrap());
    d.handle_input(start(t(1, 8, 0), false), &Utc).unwrap();
    d.handle_input(Input::ConfirmOff { at: t(1, 8, 10) }, &Utc)
        .unwrap();
    drain(&mut d);
    d
}

#[test]
fn numb_skin_stops_prompts_and_refuses_starts_until_a_normal_check() {
    let mut d = iced();
    let applied = d.handle_input(skin(t(1, 8, 12), Skin::Numb), &Utc).unwrap();
    assert!(matches!(applied, Applied::Checked { .. }));
    assert_eq!(d.course().next_prompt(&Utc), None);
    // A whole day passes: no prompt comes.
    d.handle_timeout(t(2, 8, 0), &Utc);
    let events = drain(&mut d);
    assert!(
        events.iter().all(|e| e.kind() != EventKind::Prompt),
        "{events:?}"
    );
    // Past the rest, forced or not: refused, and the error says why.
    for force in [false, true] {
        let err = d.handle_input(start(t(2, 8, 5), force), &Utc).unwrap_err();
        assert_eq!(
            err,
            Error::SkinPaused {
                skin: Skin::Numb,
                since: t(1, 8, 12)
            }
        );
        assert_eq!(err.kind(), ErrorKind::NotNow);
        assert_eq!(err.retry_at(), None);
        assert!(err.to_string().contains("skin normal"), "{err}");
    }
    // Red says nothing about sensation: still paused.
    d.handle_input(skin(t(2, 8, 6), Skin::Red), &Utc).unwrap();
    assert!(d.handle_input(start(t(2, 8, 7), false), &Utc).is_err());
    // Sensation back: the prompt comes at once, and a start is taken.
    d.handle_input(skin(t(2, 8, 10), Skin::Normal), &Utc)
        .unwrap();
    let events = drain(&mut d);
    assert!(
        matches!(events.as_slice(), [Event::Prompt { due, .. }] if *due == t(2, 8, 10)),
        "{events:?}"
    );
    d.handle_input(start(t(2, 8, 11), false), &Utc).unwrap();
}

#[test]
fn a_blistered_skin_is_a_critical_clinician_notice_at_once_and_the_same_pause() {
    let mut d = iced();
    d.handle_timeout(t(1, 8, 30), &Utc);
    drain(&mut d);
    // Entered at 08:30 for 08:15: dated when entered.
    d.handle_input(skin(t(1, 8, 15), Skin::Blistered), &Utc)
        .unwrap();
    let events = drain(&mut d);
    let [see] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert!(matches!(
        see,
        Event::SeeClinician {
            reason: ClinicianReason::Blistered { checked_at },
            due,
            ..
        } if *checked_at == t(1, 8, 15) && *due == t(1, 8, 30)
    ));
    assert!(see.is_safety());
    assert_eq!(see.urgency(), Urgency::Critical);
    let err = d.handle_input(start(t(1, 10, 0), false), &Utc).unwrap_err();
    assert!(matches!(
        err,
        Error::SkinPaused {
            skin: Skin::Blistered,
            ..
        }
    ));
    assert!(err.to_string().contains("clinician"), "{err}");
    // The event and the input survive a round trip.
    let json = serde_json::to_string(see).unwrap();
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), *see);
    let input = skin(t(1, 8, 15), Skin::Blistered);
    let json = serde_json::to_string(&input).unwrap();
    assert_eq!(
        json,
        r#"{"input":"skin","at":"2026-03-01T08:15:00Z","skin":"blistered"}"#
    );
    assert_eq!(serde_json::from_str::<Input>(&json).unwrap(), input);
}

#[test]
fn a_numb_check_undone_lifts_the_pause() {
    let mut d = iced();
    let id = d
        .handle_input(skin(t(1, 8, 12), Skin::Numb), &Utc)
        .unwrap()
        .entry()
        .unwrap();
    assert_eq!(d.course().last_recorded().map(|e| e.id()), Some(id));
    let removed = d.handle_input(Input::Remove { id }, &Utc).unwrap();
    assert!(
        matches!(removed, Applied::Removed(crate::entry::Removed::Skin(c)) if c.skin == Skin::Numb)
    );
    assert!(d.course().skin_checks().is_empty());
    assert_eq!(d.course().next_prompt(&Utc), Some(t(1, 9, 10)));
}

#[test]
fn red_after_heat_makes_the_next_heat_prompt_say_skip_it_if_still_red() {
    let injured = t(1, 8, 0);
    let mut d = Driver::new(Course::new(injured, Protocol::default()).unwrap());
    let heat = t(4, 9, 0);
    d.handle_timeout(heat, &Utc);
    drain(&mut d);
    d.handle_input(start(heat, false), &Utc).unwrap();
    d.handle_input(Input::ConfirmOff { at: t(4, 9, 15) }, &Utc)
        .unwrap();
    d.handle_input(skin(t(4, 9, 16), Skin::Red), &Utc).unwrap();
    d.handle_timeout(t(4, 12, 0), &Utc);
    let prompt = drain(&mut d)
        .into_iter()
        .find(|e| e.kind() == EventKind::Prompt)
        .unwrap();
    assert_eq!(prompt.phase(), Phase::Heat);
    assert!(
        matches!(
            prompt,
            Event::Prompt {
                skip_if_red: true,
                ..
            }
        ),
        "{prompt:?}"
    );
    assert!(serde_json::to_string(&prompt)
        .unwrap()
        .contains(r#""skip_if_red":true"#));
    // Normal since: the prompt after says nothing.
    d.handle_input(skin(t(4, 12, 5), Skin::Normal), &Utc)
        .unwrap();
    d.handle_timeout(t(4, 15, 30), &Utc);
    let prompt = drain(&mut d)
        .into_iter()
        .find(|e| e.kind() == EventKind::Prompt)
        .unwrap();
    assert!(
        matches!(
            prompt,
            Event::Prompt {
                skip_if_red: false,
                ..
            }
        ),
        "{prompt:?}"
    );
}

#[test]
fn skin_checks_survive_the_course_and_driver_round_trips() {
    let mut d = iced();
    d.handle_input(
        Input::Skin {
            at: t(1, 8, 12),
            skin: Skin::Numb,
            note: Some("left side".into()),
        },
        &Utc,
    )
    .unwrap();
    let json = d.course().to_json();
    assert!(
        json.contains(
            r#""skin":[{"id":2,"at":"2026-03-01T08:12:00Z","skin":"numb","note":"left side"}]"#
        ),
        "{json}"
    );
    let back = Course::from_json(&json).unwrap();
    assert_eq!(&back, d.course());
    assert!(back.skin_pause(t(1, 9, 0)).is_some());
    let driver = Driver::from_json(&d.to_json()).unwrap();
    assert_eq!(driver.course(), d.course());
}

#[test]
fn pain_before_and_after_belong_to_their_session_until_it_is_removed() {
    use crate::pain::PainWhen;
    let mut d = Driver::new(Course::new(t(1, 8, 0), Protocol::default()).unwrap());
    let id = d
        .handle_input(start(t(1, 8, 0), false), &Utc)
        .unwrap()
        .session()
        .unwrap();
    let pain = |at, when, score, session| Input::SessionPain {
        at,
        session,
        when,
        score,
        note: None,
    };
    d.handle_input(pain(t(1, 8, 0), PainWhen::Before, 6, id), &Utc)
        .unwrap();
    d.handle_input(Input::ConfirmOff { at: t(1, 8, 10) }, &Utc)
        .unwrap();
    d.handle_input(pain(t(1, 8, 11), PainWhen::After, 4, id), &Utc)
        .unwrap();
    let err = d
        .handle_input(pain(t(1, 8, 12), PainWhen::After, 4, id + 9), &Utc)
        .unwrap_err();
    assert_eq!(err, Error::NoSuchSession { id: id + 9 });
    let (b, a) = d.course().pain_around(id);
    assert_eq!((b.map(|p| p.score), a.map(|p| p.score)), (Some(6), Some(4)));
    let json = d.course().to_json();
    assert!(
        json.contains(r#""relation":{"session":1,"when":"after"}"#),
        "{json}"
    );
    assert_eq!(&Course::from_json(&json).unwrap(), d.course());
    d.handle_input(Input::Remove { id }, &Utc).unwrap();
    assert!(d
        .course()
        .pain_scores()
        .iter()
        .all(|p| p.relation.is_none()));
    assert_eq!(d.course().pain_scores().len(), 2);
}
