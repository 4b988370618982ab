//! What one suspension costs in each lane, against the hand-written state machine and
//! beside the libraries a Rust user would pick instead.
//!
//!     cargo bench --bench round_trip             # about four minutes on two cores
//!     cargo bench --bench round_trip -- setup    # one group only (criterion's filter)
//!
//! Three groups, each timed by criterion; at the end this file reads back criterion's
//! medians (`target/criterion/*/new/estimates.json`) and prints them as ratios to the
//! state-machine lane, with the targets (docs/performance.md, *Targets met and missed*), then
//! every lane beside its peers with the ratio measured in the same run. Criterion's own lines
//! above give the spread.
//!
//! - `round_trip/LANE`: time per **move pair** — each game waits for its opponent's reply,
//!   then for the master: one suspend + resume of the game for each wait, in the lane's own
//!   terms (a step returning `Pending`, a `yield_`, a `Poll::Pending` and a wake, a stack
//!   switch, an OS thread blocking on a channel, a process blocking on a socket). Every lane
//!   plays its own game, which is the same small body in each (record the master's move,
//!   busy 5 s, wait 55 s, record the reply). Few boards and many pairs (16 × 20 000; the
//!   threads and processes lanes 16 × 300, their handoffs are 1 000× slower), so creating
//!   the games is amortised: below 2 % of the time even for threads (compare with the
//!   `setup` group). The threads and processes rows are the contrast: an OS-thread (or
//!   process) ping-pong per wait.
//! - `round_trip/peer: ...`: the **peers** (in `peers/`), each a lane's game on another
//!   library, checked to sum up as the lane does (end time, master's busy time, moves, games
//!   over) before it is timed: the async lane's game on tokio (paused clock), `futures`'
//!   `LocalPool` and smol's `LocalExecutor`; the green-threads lane's game on the `generator`
//!   crate. The callbacks lane has none: `peers/mod.rs` says why calloop cannot play a
//!   virtual-time exhibition.
//! - `setup/LANE`, `setup/peer: ...`: time per **game** to create it, play one move pair and
//!   drop it, at 1 000 boards (processes: 50): the allocations, stacks, threads and processes
//!   that the round trips above leave out. Green threads reuse the stacks of the previous
//!   iteration (spare stacks, see the lane's docs); the `generator` crate maps a new stack
//!   for every game.
//! - `timers/...`: the two regimes of the timer queue. At the defaults only a dozen replies
//!   are pending at once; with opponents thinking longer than the master's round of the boards
//!   (1 ms moves, 1 000 s replies here) every reply is: 100 000 of them.
//!   Equal delays keep the queue's FIFO in use either way; mixed delays, measured on the
//!   queue alone, go through its heap.
#![allow(missing_docs)] // criterion's macros write undocumented public functions

use std::sync::Mutex;
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::Summary;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};

mod peers;

/// The benchmarks that ran in this process: (group, id, elements per iteration), for the
/// ratios printed at the end.
static RAN: Mutex<Vec<(&str, String, u64)>> = Mutex::new(Vec::new());

fn exhibition(boards: u32, pairs: u32) -> Exhibition {
    Exhibition::builder().opponents(boards).pairs(pairs).build().expect("a valid exhibition")
}

/// Benchmarks `play` once per iteration as `group/id`, `elements` per iteration.
fn bench(c: &mut Criterion, group: &'static str, id: &str, elements: u64, play: impl Fn()) {
    let mut benchmarks = c.benchmark_group(group);
    benchmarks.throughput(Throughput::Elements(elements));
    benchmarks.bench_function(BenchmarkId::from_parameter(id), |b| {
        let mut ran = RAN.lock().unwrap(); // criterion calls this more than once
        if !ran.iter().any(|(g, i, _)| *g == group && i == id) {
            ran.push((group, id.to_owned(), elements));
        }
        drop(ran);
        b.iter(&play);
    });
    benchmarks.finish();
}

fn round_trip(c: &mut Criterion) {
    for &lane in Lane::ALL {
        // Enough pairs that making 16 games (a stack, a thread) is under 2 % of the time.
        let pairs = if matches!(lane, Lane::Threads | Lane::Processes) { 300 } else { 20_000 };
        let exhibition = exhibition(16, pairs);
        let elements = u64::from(16 * pairs);
        bench(c, "round_trip", lane.name(), elements, || {
            lane.summary(&exhibition).expect("the lane can play");
        });
    }
    let exhibition = exhibition(16, 20_000);
    for &(lane, id, peer) in peers::ALL {
        bench_peer(c, "round_trip", lane, id, peer, &exhibition);
    }
}

/// Benchmarks `peer` as `group/id` on `exhibition`, once it has played the same game as
/// `lane`: the same hours, the same moves, the same games over.
fn bench_peer(
    c: &mut Criterion,
    group: &'static str,
    lane: Lane,
    id: &str,
    peer: peers::Play,
    exhibition: &Exhibition,
) {
    let (played, expected) = (peer(exhibition), lane.summary(exhibition).expect("it can play"));
    // Every hour and count of the summary but its suspensions, which only lanes report.
    let game = |s: &Summary| {
        (s.total(), s.master_busy(), s.master_moves(), s.opponent_moves(), s.games_over())
    };
    assert_eq!(game(&played), game(&expected), "{id} plays another game than {}", lane.name());
    let elements = u64::from(exhibition.opponents()) * u64::from(exhibition.pairs());
    bench(c, group, id, elements, || {
        peer(exhibition);
    });
}

fn setup(c: &mut Criterion) {
    for &lane in Lane::ALL {
        // A process per board, each this whole program again: 50 are plenty to time one.
        let boards = if lane == Lane::Processes { 50 } else { 1_000 };
        let exhibition = exhibition(boards, 1);
        bench(c, "setup", lane.name(), u64::from(boards), move || {
            lane.summary(&exhibition).expect("the lane can play");
        });
    }
    let exhibition = exhibition(1_000, 1);
    for &(lane, id, peer) in peers::ALL {
        bench_peer(c, "setup", lane, id, peer, &exhibition);
    }
}

fn timers(c: &mut Criterion) {
    let boards = 100_000;
    let long = Exhibition::builder()
        .opponents(boards)
        .pairs(3)
        .master_move(Duration::from_millis(1)) // a round of the boards: 100 s
        .opponent_move(Duration::from_secs(1_000)) // longer: every reply pending at once
        .build()
        .expect("a valid exhibition");
    for (id, exhibition) in [("a dozen pending", exhibition(boards, 3)), ("all pending", long)] {
        bench(c, "timers", &format!("state-machine, {id}"), u64::from(boards * 3), move || {
            Lane::StateMachine.summary(&exhibition).expect("the lane can play");
        });
    }
    for (id, mixed) in [("queue alone, equal delays", false), ("queue alone, mixed delays", true)] {
        bench(c, "timers", id, 100_000, move || steady_queue(100_000, mixed));
    }
}

/// `pending` timers set, then `pending` times: take the earliest, set one more. Mixed delays
/// (from a fixed pseudo-random sequence, the same every run) send most timers to the heap.
fn steady_queue(pending: u64, mixed: bool) {
    let mut timers = TimerQueue::new();
    let mut random = 0x2545_f491_4f6c_dd1d_u64; // xorshift: deterministic, no dependency
    let mut delay = move || {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        Duration::from_millis(if mixed { random % 1_000_000 } else { 500_000 })
    };
    for board in 0..pending {
        timers.push(Time::ZERO + delay(), board);
    }
    for _ in 0..pending {
        let (now, board) = timers.pop().expect("a timer is set");
        timers.push(now + delay(), board);
    }
    std::hint::black_box(timers.len());
}

criterion_group! {
    name = benches;
    // Short runs keep `cargo bench` within a few minutes on two cores.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = round_trip, setup, timers
}

fn main() {
    // The processes lane starts this very program again, once per board, to play one game.
    coro_simul::lanes::processes::serve_if_child();
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Criterion times nothing with these; the medians on disk would be an earlier run's.
    if std::env::args().any(|arg| arg == "--test" || arg == "--list") {
        return;
    }
    print_ratios();
    print_peers();
}

/// Every lane beside its peers, per move pair, with the ratio measured in this run; and the
/// targets: the async lane at most half its fastest peer, green threads at most the
/// `generator` crate.
fn print_peers() {
    let ran = RAN.lock().unwrap();
    let median = |id: &str| {
        let (group, id, elements) = ran.iter().find(|(g, i, _)| *g == "round_trip" && i == id)?;
        median_ns(group, id, *elements)
    };
    println!("\nEvery lane beside its peers, per move pair, in this run:");
    println!("  {:<46} {:>10}   {:>11}", "lane, then its peers", "median", "lane ÷ peer");
    for &lane in Lane::ALL {
        let Some(lane_ns) = median(lane.name()) else { continue };
        let peers: Vec<&str> =
            peers::ALL.iter().filter(|(of, ..)| *of == lane).map(|&(_, id, _)| id).collect();
        let none = if lane == Lane::Callbacks { "   (no peer: see peers/mod.rs)" } else { "" };
        let none = if peers.is_empty() { none } else { "" };
        println!("  {:<46} {:>10}{none}", lane.name(), nanos(lane_ns));
        let measured: Vec<(&str, f64)> =
            peers.into_iter().filter_map(|id| Some((id, median(id)?))).collect();
        for &(id, peer_ns) in &measured {
            println!("    {id:<44} {:>10}   {:>10.2}×", nanos(peer_ns), lane_ns / peer_ns);
        }
        let fastest = measured.iter().map(|&(_, ns)| ns).min_by(f64::total_cmp);
        if let (Some(goal), Some(peer_ns)) = (peer_target(lane), fastest) {
            let met = if lane_ns / peer_ns <= goal { "met" } else { "MISSED" };
            println!("    target: at most {goal}× its fastest peer: {met}");
        }
    }
}

/// The targets for a lane against its fastest peer, in one run.
fn peer_target(lane: Lane) -> Option<f64> {
    match lane {
        Lane::AsyncAwait => Some(0.5),
        Lane::GreenThreads => Some(1.0),
        _ => None,
    }
}

/// The targets for the round trip, as ratios to the state-machine lane.
fn target(lane: &str) -> Option<f64> {
    match lane {
        "generators" | "callbacks" => Some(2.0),
        "green-threads" => Some(1.5),
        _ => None,
    }
}

/// Criterion's median for each benchmark that ran, per element, and its ratio to the
/// state-machine lane of the same group.
fn print_ratios() {
    let ran = RAN.lock().unwrap();
    let medians: Vec<(&str, &str, Option<f64>)> = ran
        .iter()
        .map(|(group, id, elements)| (*group, id.as_str(), median_ns(group, id, *elements)))
        .collect();
    if medians.iter().all(|(_, _, median)| median.is_none()) {
        return; // criterion wrote nothing we can find
    }
    println!("\nMedians per element, and the ratio to the state-machine lane of the same group:");
    for &(group, id, median) in &medians {
        let Some(median) = median else { continue };
        let floor = medians.iter().find(|(g, i, _)| *g == group && *i == "state-machine");
        let ratio = floor.and_then(|(_, _, floor)| floor.map(|floor| median / floor));
        let ratio = ratio.map_or(String::new(), |ratio| format!("{ratio:>8.2}×"));
        let goal = match (group, target(id), floor) {
            ("round_trip", Some(goal), Some(&(_, _, Some(floor)))) => {
                let met = if median / floor <= goal { "met" } else { "MISSED" };
                format!("  (target ≤ {goal}×: {met})")
            }
            _ => String::new(),
        };
        println!("  {group:<10} {id:<40} {:>12} {ratio}{goal}", nanos(median));
    }
}

/// Criterion's median time per iteration for `group/id`, divided by `elements`, in ns.
fn median_ns(group: &str, id: &str, elements: u64) -> Option<f64> {
    // Criterion writes under the target directory; the benchmark's executable lives in
    // `TARGET/release/deps/`, so that directory is three levels up (and CRITERION_HOME, if
    // set, wins, as it does for criterion).
    let home = match std::env::var_os("CRITERION_HOME") {
        Some(home) => home.into(),
        None => std::env::current_exe().ok()?.ancestors().nth(3)?.join("criterion"),
    };
    // Criterion's directory names replace what a file name cannot hold, such as '/'.
    let directory: String = id
        .chars()
        .map(|c| if c.is_alphanumeric() || " -_,.".contains(c) { c } else { '_' })
        .collect();
    let path = home.join(group).join(directory).join("new/estimates.json");
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    Some(estimates["median"]["point_estimate"].as_f64()? / elements as f64)
}

/// Nanoseconds for people: `15.9 ns`, `28.6 µs`.
fn nanos(ns: f64) -> String {
    if ns < 1_000.0 { format!("{ns:.1} ns") } else { format!("{:.1} µs", ns / 1_000.0) }
}
