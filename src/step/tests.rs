//! The `step` module's unit tests.

use super::*;
use crate::Exhibition;
use crate::trace::Sink;
use std::time::Duration;

fn at(secs: u64) -> Time {
    Time::from_start(Duration::from_secs(secs))
}

/// A lane's worth of lines by hand: board 2 forfeits before its `finish`, board 1 is
/// suspended and woken, board 3 finishes before its event, which comes after the last switch.
fn hand_made() -> Switches {
    let exhibition = Exhibition::builder().opponents(3).pairs(1).build().unwrap();
    let mut switches = Switches::new(&exhibition);
    let line = PausedAt::State("AwaitingReply".into());
    switches.switch(Switch::new(at(0), 1, SwitchKind::Resume, "run 1".into()));
    switches.record(Event::master_move(at(0), 1, 1));
    switches.switch(
        Switch::new(at(5), 1, SwitchKind::Suspend, "1 waits".into())
            .paused_at(line.clone())
            .queues(vec![Queue::timers("replies", [(at(60), 1)])]),
    );
    switches.record(Event::forfeit(at(5), 2, "boom"));
    switches.switch(Switch::new(at(5), 2, SwitchKind::Finish, "2 ends".into()));
    switches.switch(Switch::new(at(60), 1, SwitchKind::Wake, "timer → 1".into()));
    switches.switch(Switch::new(at(60), 3, SwitchKind::Finish, "3 dropped".into()));
    switches.record(Event::adjourned(at(60), 3));
    switches
}

#[test]
fn each_board_shows_what_its_last_switch_or_event_left_it_as() {
    let switches = hand_made();
    let frames: Vec<Frame> = Steps::new(&switches).collect();
    assert_eq!(frames.len(), 6, "five switches and the trailing event");
    assert_eq!(Steps::new(&switches).total(), 6);
    assert_eq!(frames[0].boards[0], Board::Running);
    let line = Some(PausedAt::State("AwaitingReply".into()));
    assert_eq!(frames[1].boards[0], Board::Waiting(line.clone()));
    assert_eq!(frames[2].boards[1], Board::Ended("forfeit"), "the event says how it ended");
    assert_eq!(frames[3].boards[0], Board::Woken(line), "woken where it was paused");
    assert_eq!(frames[3].queues, frames[1].queues, "a switch with no queues keeps them");
    assert_eq!((frames[3].queues_from, frames[1].queues_from, frames[0].queues_from), (2, 2, 0));
    assert!(frames[3].to_string().contains("\nqueues   as at step 2: replies [1 at 0:01:00]\n"));
    assert_eq!(frames[4].boards[2], Board::Ended("ended"), "finished; how, its event says next");
    let last = &frames[5];
    assert_eq!((last.switch.is_none(), last.t), (true, at(60)));
    assert_eq!(last.boards[2], Board::Ended("adjourned"));
    assert_eq!(frames[2].events, [Event::forfeit(at(5), 2, "boom")]);
}

#[test]
fn a_frame_marks_the_board_its_switch_was_about() {
    let switches = hand_made();
    let text = Steps::new(&switches).nth(1).unwrap().to_string();
    assert_eq!(
        text,
        "step 2 of 6   clock 0:00:05\n\
         switch   suspend board 1: 1 waits\n\
         events   master_move board 1 pair 1\n\
         queues   replies [1 at 0:01:00]\n\
         ▸ board 1  waiting at AwaitingReply\n\
         \x20 board 2  not started\n\
         \x20 board 3  not started\n"
    );
}

#[test]
fn only_the_latest_events_are_listed() {
    let exhibition = Exhibition::builder().opponents(1).pairs(12).build().unwrap();
    let mut switches = Switches::new(&exhibition);
    (1..=12).for_each(|pair| switches.record(Event::master_move(at(pair.into()), 1, pair)));
    let frames: Vec<Frame> = Steps::new(&switches).collect();
    assert_eq!(frames.len(), 1, "no switches: one frame of events");
    let text = frames[0].to_string();
    assert!(text.contains("events   … 4 earlier since the step before\n"), "{text}");
    assert!(text.contains("\n         master_move board 1 pair 5\n"), "{text}");
    assert!(!text.contains("pair 4\n"), "{text}");
}
