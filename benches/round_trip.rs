//! What one suspension costs in each lane, against the hand-written state machine.
//!
//!     cargo bench --bench round_trip             # about two minutes on two cores
//!     cargo bench --bench round_trip -- setup    # one group only (criterion's filter)
//!
//! Three groups, each timed by criterion; at the end this file reads back criterion's
//! medians (`target/criterion/*/new/estimates.json`) and prints them as ratios to the
//! state-machine lane, with the targets. Criterion's own lines above give the spread.
//!
//! - `round_trip/LANE`: time per **move pair** — each game waits for its opponent's reply,
//!   then for the master: one suspend + resume of the game for each wait, in the lane's own
//!   terms (a step returning `Pending`, a `yield_`, a `Poll::Pending` and a wake, a stack
//!   switch, an OS thread blocking on a channel). Every lane plays its own game, which is the
//!   same small body in each (record the master's move, busy 5 s, wait 55 s, record the
//!   reply). Few boards and many pairs (16 × 20 000; the threads lane 16 × 300, its handoffs
//!   are 1 000× slower), so creating the games is amortised: below 2 % of the time even for
//!   green threads and threads (compare with the `setup` group). The threads row is the contrast: an OS-thread ping-pong
//!   (a baton over a channel, there and back) per wait.
//!   Beside the lanes, two **peers** play the async lane's game on the runtimes a reader would
//!   use: tokio's `current_thread` runtime with its clock paused, and `futures`'
//!   `LocalPool` with a virtual-time timer of this file's own; the last lines print the async
//!   lane against the faster of the two.
//! - `setup/LANE`: time per **game** to create it, play one move pair and drop it, at 1 000
//!   boards: the allocations, stacks (mmap + munmap) and threads that the round trips above
//!   leave out.
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
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};

/// The async lane's game on the runtimes people use, for the benchmark's peers.
mod peers {
    use std::cell::{Cell, RefCell};
    use std::future::{Future, poll_fn};
    use std::rc::Rc;
    use std::sync::{Arc, Mutex};
    use std::task::{Poll, Waker};
    use std::time::Duration;

    use coro_simul::Exhibition;
    use coro_simul::clock::Time;
    use coro_simul::timers::TimerQueue;
    use coro_simul::trace::{Event, Sink, Summary};
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    /// IDs in the benchmark's `round_trip` group.
    pub(crate) const TOKIO: &str = "peer: tokio current_thread, paused clock";
    pub(crate) const LOCAL_POOL: &str = "peer: futures LocalPool, virtual timer";

    /// The game on tokio, as `tests/async_await_tokio_parity.rs` plays it: the master a
    /// `tokio::sync::Mutex` (fair) held through her move, a sleep on the paused clock.
    pub(crate) fn tokio(exhibition: &Exhibition) -> Summary {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a tokio runtime");
        let summary = Arc::new(Mutex::new(Summary::new(exhibition)));
        runtime.block_on(async {
            let start = tokio::time::Instant::now();
            let master = Arc::new(tokio::sync::Mutex::new(()));
            let games: Vec<_> = (1..=exhibition.opponents())
                .map(|board| {
                    let (exhibition, master, summary) =
                        (*exhibition, master.clone(), summary.clone());
                    tokio::spawn(async move {
                        let record = |event| summary.lock().unwrap().record(event);
                        let now = || Time::from_start(tokio::time::Instant::now() - start);
                        for pair in 1..=exhibition.pairs() {
                            let turn = master.lock().await;
                            record(Event::master_move(now(), board, pair));
                            tokio::time::sleep(exhibition.master_move()).await;
                            drop(turn);
                            let reply = now() + exhibition.opponent_move();
                            tokio::time::sleep(exhibition.opponent_move()).await;
                            record(Event::opponent_move(reply, board, pair));
                        }
                        record(Event::game_over(now(), board));
                    })
                })
                .collect();
            for game in games {
                game.await.expect("a game ran to the end");
            }
        });
        Arc::into_inner(summary).expect("every game is over").into_inner().unwrap()
    }

    /// The game on `futures`' `LocalPool`: the master the same fair `tokio::sync::Mutex`
    /// (it needs no tokio runtime), her move CPU-bound on a virtual timer, as in the lane.
    pub(crate) fn local_pool(exhibition: &Exhibition) -> Summary {
        let (timer, summary) =
            (Rc::new(VirtualTimer::default()), Rc::new(RefCell::new(Summary::new(exhibition))));
        let master = Rc::new(tokio::sync::Mutex::new(()));
        let mut pool = LocalPool::new();
        for board in 1..=exhibition.opponents() {
            let (exhibition, timer, master, summary) =
                (*exhibition, timer.clone(), master.clone(), summary.clone());
            let game = async move {
                for pair in 1..=exhibition.pairs() {
                    let turn = master.lock().await;
                    summary.borrow_mut().record(Event::master_move(timer.now.get(), board, pair));
                    timer.busy(exhibition.master_move());
                    drop(turn);
                    let reply = timer.now.get() + exhibition.opponent_move();
                    timer.sleep_until(reply).await;
                    summary.borrow_mut().record(Event::opponent_move(reply, board, pair));
                }
                summary.borrow_mut().record(Event::game_over(timer.now.get(), board));
            };
            pool.spawner().spawn_local(game).expect("the pool is running");
        }
        // The pool's idle points drive the timer: run until every task waits, then jump the
        // clock to the next deadline, which wakes the sleepers due.
        loop {
            pool.run_until_stalled();
            if !timer.jump_to_next_deadline() {
                break;
            }
        }
        drop(pool);
        Rc::into_inner(summary).expect("every game is over").into_inner()
    }

    /// A virtual clock and the wakers of the tasks sleeping on it, for the `LocalPool`.
    #[derive(Default)]
    struct VirtualTimer {
        now: Cell<Time>,
        sleepers: RefCell<TimerQueue<Waker>>,
    }

    impl VirtualTimer {
        fn busy(&self, length: Duration) {
            self.now.set(self.now.get() + length);
            self.wake_due();
        }

        fn sleep_until(&self, deadline: Time) -> impl Future<Output = ()> + '_ {
            let mut registered = false;
            poll_fn(move |cx| {
                if !registered {
                    registered = true;
                    self.sleepers.borrow_mut().push(deadline, cx.waker().clone());
                    return Poll::Pending;
                }
                if self.now.get() >= deadline { Poll::Ready(()) } else { Poll::Pending }
            })
        }

        fn jump_to_next_deadline(&self) -> bool {
            let Some(next) = self.sleepers.borrow().next_deadline() else { return false };
            self.now.set(self.now.get().max(next));
            self.wake_due();
            true
        }

        fn wake_due(&self) {
            while let Some((_, waker)) = self.sleepers.borrow_mut().pop_due(self.now.get()) {
                waker.wake();
            }
        }
    }
}

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
        let pairs = if lane == Lane::Threads { 300 } else { 20_000 };
        let exhibition = exhibition(16, pairs);
        let elements = u64::from(16 * pairs);
        bench(c, "round_trip", lane.name(), elements, || {
            lane.summary(&exhibition).expect("the lane can play");
        });
    }
    let exhibition = exhibition(16, 20_000);
    let lane = Lane::AsyncAwait.summary(&exhibition).expect("the lane can play");
    /// A peer: the async lane's game on another runtime.
    type Peer = fn(&Exhibition) -> coro_simul::trace::Summary;
    let peers: [(&str, Peer); 2] =
        [(peers::TOKIO, peers::tokio), (peers::LOCAL_POOL, peers::local_pool)];
    for (id, peer) in peers {
        // The same game: the same hours, the same moves.
        let played = peer(&exhibition);
        assert_eq!((played.total(), played.master_moves()), (lane.total(), lane.master_moves()));
        bench(c, "round_trip", id, 16 * 20_000, || {
            peer(&exhibition);
        });
    }
}

fn setup(c: &mut Criterion) {
    let exhibition = exhibition(1_000, 1);
    for &lane in Lane::ALL {
        bench(c, "setup", lane.name(), 1_000, || {
            lane.summary(&exhibition).expect("the lane can play");
        });
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
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_ratios();
    print_peers();
}

/// The async lane against the faster of its two peers, in the same run: the target is
/// at most half the peer's time per move pair.
fn print_peers() {
    let ran = RAN.lock().unwrap();
    let median = |id: &str| {
        let (group, id, elements) = ran.iter().find(|(g, i, _)| *g == "round_trip" && i == id)?;
        median_ns(group, id, *elements)
    };
    let Some(lane) = median("async-await") else { return };
    let fastest = [peers::TOKIO, peers::LOCAL_POOL]
        .into_iter()
        .filter_map(|id| Some((id, median(id)?)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let Some((peer, peer_ns)) = fastest else { return };
    let ratio = lane / peer_ns;
    let met = if ratio <= 0.5 { "MET" } else { "MISSED" };
    println!("\nThe async lane against the fastest peer, per move pair:");
    println!(
        "  async-await {} ÷ {peer} {} = {ratio:.2}×  (target ≤ 0.5×: {met})",
        nanos(lane),
        nanos(peer_ns)
    );
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
        return; // `--test`, `--list`, or criterion wrote nothing we can find
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
