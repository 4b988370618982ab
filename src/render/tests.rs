//! The `render` module's unit tests.

use super::*;
use crate::trace::{PausedAt, SwitchKind};
use std::time::Duration;

#[test]
fn fractional_times_are_exact_in_every_format() {
    let exhibition = Exhibition::builder()
        .opponents(12)
        .master_move(Duration::from_millis(250))
        .build()
        .unwrap();
    let mut trace = Trace::new(&exhibition);
    trace.record(Event::game_over(Time::from_start(Duration::from_millis(5_250)), 7));
    assert_eq!(
        render(Format::Jsonl, &trace),
        "{\"t\": 5.25, \"board\": 7, \"event\": \"game_over\"}\n"
    );
    assert_eq!(render(Format::Csv, &trace), "t,board,pair,event,message\n5.25,7,,game_over,\n");
    // 12 boards × 30 pairs × 55.25 s = 5:31:30.000: the time column is as wide as that,
    // the board column two digits, the pair column blank.
    assert_eq!(render(Format::Text, &trace), "0:00:05.250  board  7           game over\n");
}

#[test]
fn the_first_write_error_is_kept_and_writing_stops() {
    #[derive(Debug)]
    struct Broken(usize);
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            self.0 += 1;
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let exhibition = Exhibition::default();
    let mut renderer = Renderer::new(Format::Jsonl, &exhibition, Broken(0));
    renderer.record(Event::game_over(Time::ZERO, 1));
    renderer.record(Event::game_over(Time::ZERO, 2));
    assert_eq!(renderer.out.0, 1, "nothing is written after the first error");
    assert_eq!(renderer.finish().unwrap_err().kind(), io::ErrorKind::BrokenPipe);
}

#[test]
fn a_switch_is_one_json_object_with_only_the_fields_it_has() {
    let at = |secs| Time::from_start(Duration::from_secs(secs));
    let idle = Switch::new(at(10), None, SwitchKind::Idle, "clock jumps".into());
    let mut line = Vec::new();
    switch_jsonl_line(&mut line, &idle, true).unwrap(); // no queues: no `queues`
    assert_eq!(line, b"{\"t\": 10, \"switch\": \"idle\", \"says\": \"clock jumps\"}\n");
    let says = r#"poll "task 3""#.to_owned();
    let suspend = Switch::new(at(65), 3, SwitchKind::Suspend, says)
        .paused_at(PausedAt::State("AwaitingReply".into()))
        .queues(vec![Queue::fifo("master_line", [2, 1]), Queue::timers("replies", [(at(120), 1)])]);
    let mut line = Vec::new();
    switch_jsonl_line(&mut line, &suspend, true).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&line).unwrap();
    assert_eq!(parsed["says"], r#"poll "task 3""#);
    assert_eq!(parsed["paused_at"], "AwaitingReply");
    assert_eq!(parsed["queues"], serde_json::json!({"master_line": [2, 1], "replies": [[1, 120]]}));
    let text = String::from_utf8(line).unwrap();
    assert!(text.starts_with(r#"{"t": 65, "board": 3, "switch": "suspend", "#), "{text}");
    assert!(text.find("master_line") < text.find("replies"), "served first, listed first");
}

/// The ordinary trace renders and summarises at once; neither watches switches, so no lane
/// builds one for it: the switch trace is free when off.
#[test]
fn the_ordinary_trace_watches_no_switches() {
    let exhibition = Exhibition::default();
    let renderer = Renderer::new(Format::Text, &exhibition, Vec::new());
    assert!(!renderer.watches_switches());
    assert!(!(renderer, crate::trace::Summary::new(&exhibition)).watches_switches());
    assert!(Switches::new(&exhibition).watches_switches(), "the one sink that watches");
}

#[test]
fn formats_parse_by_name_and_name_the_choices_otherwise() {
    assert_eq!("csv".parse(), Ok(Format::Csv));
    let error = "xml".parse::<Format>().unwrap_err();
    assert_eq!(error, "unknown format 'xml' (choose one of: text, jsonl, csv)");
}
