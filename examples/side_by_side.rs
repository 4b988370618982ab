//! Every lane on the same exhibition: the first moves of each, side by side, then the table.
//!
//!     cargo run --example side_by_side
//!
//! The synchronous master is still at board 1 when the concurrent one has moved on every
//! board; every concurrent lane writes the very same trace, line for line.

use coro_simul::Exhibition;
use coro_simul::compare::{compare, table};
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};

/// Each lane's text trace of `exhibition`, in `Lane::ALL` order.
fn traces(exhibition: &Exhibition) -> Vec<(Lane, String)> {
    let text = |&lane: &Lane| match lane.trace(exhibition) {
        Ok(trace) => (lane, render(Format::Text, &trace)),
        Err(error) => (lane, format!("{error}\n")),
    };
    Lane::ALL.iter().map(text).collect()
}

fn main() {
    // The processes lane starts this program again, once per board: here each copy plays.
    coro_simul::lanes::processes::serve_if_child();
    let exhibition = Exhibition::default();
    let traces = traces(&exhibition);
    let (sync, concurrent) = (&traces[0], &traces[1]);
    println!("{:<44}  {}", "sync", concurrent.0);
    for (left, right) in sync.1.lines().zip(concurrent.1.lines()).take(14) {
        println!("{left:<44}  {right}");
    }
    let agree: Vec<&str> = traces[2..]
        .iter()
        .filter(|(_, text)| *text == concurrent.1)
        .map(|(l, _)| l.name())
        .collect();
    println!("...\n{}: the same trace as {}, line for line\n", agree.join(", "), concurrent.0);
    print!("{}", table(&compare(&exhibition, Lane::ALL)));
}

#[test]
fn every_concurrent_lane_writes_the_same_trace_and_sync_does_not() {
    main();
    let traces = traces(&Exhibition::default());
    assert_eq!(traces[0].0, Lane::Sync);
    let concurrent = &traces[1].1;
    assert!(concurrent.contains("\n 1:00:55  board 24           game over\n"));
    for (lane, text) in &traces[2..] {
        assert_eq!(text, concurrent, "{lane}");
    }
    assert_ne!(&traces[0].1, concurrent);
}

/// Under `cargo test`, the processes lane's children run this test alone, and play here.
#[test]
fn coro_simul_processes_worker() {
    coro_simul::lanes::processes::serve_if_child();
}
