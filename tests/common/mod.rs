//! What the integration tests share: the closed forms of the `exhibition` module doc (which belong here and in
//! the docs, never inside a lane), exhibition strategies, and the snapshot location.
#![allow(dead_code, unreachable_pub)] // each test file uses its own part of this module

use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::trace::Event;
use proptest::prelude::*;

/// Asserts `content` against `snapshots/{name}.snap` at the top of the repository. The file's
/// header says what it is: `source:` is the test file, and the description starts with the
/// test function and the lane that made it, then says what a reader should see.
///
/// `assert_snapshot!(lane, name, description, content)`, as in
/// `assert_snapshot!("sync", "sync_summary_default", about, &text)`. A macro, not a
/// function, so that the test's name is found where it is called and cannot drift from it.
#[allow(unused_macros)] // each test file uses it or not
macro_rules! assert_snapshot {
    ($lane:expr, $name:expr, $description:expr, $content:expr $(,)?) => {{
        fn here() {}
        let test = $crate::common::test_name(::std::any::type_name_of_val(&here));
        let settings = $crate::common::snapshot_settings(&test, $lane, $description);
        settings.bind(|| ::insta::assert_snapshot!($name, $content));
    }};
}
#[allow(unused_imports)] // each test file imports it or not
pub(crate) use assert_snapshot;

/// `sync_lane::summary_default` from the type name of a function declared inside the test
/// (`sync_lane::summary_default::here`, with `{{closure}}` steps if called from a closure).
pub fn test_name(here: &str) -> String {
    let steps: Vec<&str> = here.split("::").filter(|step| !step.starts_with('{')).collect();
    steps[..steps.len() - 1].join("::")
}

/// Where snapshots live, and the header that names the test and the lane.
pub fn snapshot_settings(test: &str, lane: &str, description: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(format!("test `{test}`, lane {lane}. {description}"));
    settings.set_omit_expression(true);
    settings
}

/// A small exhibition for readable snapshots: 3 boards × 2 pairs, 5 s and 55 s.
pub fn three_by_two() -> Exhibition {
    Exhibition::builder().opponents(3).pairs(2).build().expect("valid")
}

/// Synchronous: board `b`'s `k`-th master move starts after `(b−1)·p + (k−1)` whole pairs.
pub fn sync_master_move(ex: &Exhibition, board: u32, pair: u32) -> Time {
    let pairs_before = (board - 1) * ex.pairs() + (pair - 1);
    Time::from_start((ex.master_move() + ex.opponent_move()) * pairs_before)
}

/// Synchronous: `n·p·(m+o)`.
pub fn sync_total(ex: &Exhibition) -> Duration {
    (ex.master_move() + ex.opponent_move()) * ex.opponents() * ex.pairs()
}

/// Concurrent: one round, `R = max(n·m, m+o)`.
pub fn round(ex: &Exhibition) -> Duration {
    (ex.master_move() * ex.opponents()).max(ex.master_move() + ex.opponent_move())
}

/// Concurrent: board `b`'s `k`-th master move starts at `(k−1)·R + (b−1)·m`.
pub fn concurrent_master_move(ex: &Exhibition, board: u32, pair: u32) -> Time {
    Time::from_start(round(ex) * (pair - 1) + ex.master_move() * (board - 1))
}

/// Concurrent: the last reply lands at `(p−1)·R + n·m + o`.
pub fn concurrent_total(ex: &Exhibition) -> Duration {
    round(ex) * (ex.pairs() - 1) + ex.master_move() * ex.opponents() + ex.opponent_move()
}

/// Exhibitions small enough to play thousands of times: 1–40 boards, 1–8 pairs, moves of
/// 1–120 s, in whole seconds or with milliseconds.
pub fn small_exhibitions() -> impl Strategy<Value = Exhibition> {
    let length = prop_oneof![
        (1u64..=120).prop_map(Duration::from_secs),
        (1u64..=120_000).prop_map(Duration::from_millis),
    ];
    (1u32..=40, length.clone(), length, 1u32..=8).prop_map(|(n, m, o, p)| {
        Exhibition::new(n, m, o, p).expect("every generated exhibition is valid")
    })
}

/// The whole concurrent trace, from the closed form alone: every `master_move` at
/// `(k−1)·R + (b−1)·m`, its reply `m + o` later, each `game_over` with its last reply, all
/// in the contract's order. Every cooperative lane must produce exactly this.
pub fn concurrent_trace(ex: &Exhibition) -> Vec<Event> {
    let mut events = Vec::new();
    for board in 1..=ex.opponents() {
        for pair in 1..=ex.pairs() {
            let start = concurrent_master_move(ex, board, pair);
            let reply = start + ex.master_move() + ex.opponent_move();
            events.push(Event::master_move(start, board, pair));
            events.push(Event::opponent_move(reply, board, pair));
            if pair == ex.pairs() {
                events.push(Event::game_over(reply, board));
            }
        }
    }
    events.sort_by_key(Event::order_key);
    events
}

/// `ex` with a time limit and/or a planned failure added.
pub fn with(ex: &Exhibition, limit: Option<Duration>, failure: Option<(u32, u32)>) -> Exhibition {
    let mut builder = Exhibition::builder()
        .opponents(ex.opponents())
        .master_move(ex.master_move())
        .opponent_move(ex.opponent_move())
        .pairs(ex.pairs());
    if let Some(limit) = limit {
        builder = builder.time_limit(limit);
    }
    if let Some((board, pair)) = failure {
        builder = builder.failure(board, pair);
    }
    builder.build().expect("a valid limit or failure")
}

/// The concurrent trace cut at `limit`: the moves that started before it, the replies and
/// game overs by it, then `adjourned` at it for every board not yet over. A limit changes
/// nothing before it, so this is the closed form of an adjourned exhibition.
pub fn cut_at(ex: &Exhibition, limit: Duration) -> Vec<Event> {
    let at = Time::from_start(limit);
    let mut events: Vec<Event> = concurrent_trace(ex)
        .into_iter()
        .filter(|e| e.t < at || (e.t == at && e.name() != "master_move"))
        .collect();
    let over: Vec<u32> =
        events.iter().filter(|e| e.name() == "game_over").map(|e| e.board).collect();
    let unfinished = (1..=ex.opponents()).filter(|board| !over.contains(board));
    events.extend(unfinished.map(|board| Event::adjourned(at, board)));
    events
}

/// The smallest exhibition that still shows every kind of switch: 2 boards × 2 pairs.
pub fn two_by_two() -> Exhibition {
    Exhibition::builder().opponents(2).pairs(2).build().expect("valid")
}
