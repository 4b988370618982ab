//! The async-await lane's game on tokio's runtime with its clock paused: the bridge from this
//! crate's small executor to the runtime production code uses.
//!
//!     cargo run --example tokio
//!
//! The game is the lane's, line for line, with each piece of this crate swapped for tokio's:
//!
//! | the async-await lane | on tokio |
//! |---|---|
//! | `Executor::spawn`, then `executor.run()` | `JoinSet::spawn`, then `join_all().await` (asyncio's `gather`) |
//! | the executor's loop on one thread | `Runtime::block_on` on a current-thread runtime (`asyncio.run`) |
//! | the virtual clock, jumping to the next sleep when nothing can run | `start_paused(true)`: tokio's clock does the same |
//! | `arbiter.timer.sleep_until(reply).await` | `tokio::time::sleep_until(reply).await` |
//! | `arbiter.master.turn().await`, a fair line | `master.lock().await` on a `tokio::sync::Mutex`, fair too |
//! | `arbiter.timer.busy(m)`: she works, nothing else runs | she holds the lock through `sleep(m).await` |
//!
//! Her move is the one real difference. The lane's executor is this crate's, so its clock can
//! run on while a task computes; tokio's paused clock moves only when every task waits, so
//! here "she is busy for 5 s" is "she keeps the master's lock through a 5 s sleep", and the
//! boards waiting for her wait for the lock. The trace is the lane's, event for event
//! (`tests/async_await_tokio_parity.rs` checks it on many exhibitions). In production code,
//! drop `start_paused` and the sleeps are real.
//!
//! Prints 2 boards × 2 pairs in full, then the default exhibition's summary. That summary
//! counts no suspensions: tokio parks and wakes its tasks inside its runtime, where this
//! crate's sink cannot see them.

use std::sync::{Arc, Mutex};

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, Sink, Trace};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, sleep_until};

/// What every game shares: the rules, the master (a fair lock: first come, first served), the
/// trace (a std `Mutex`, never held across an `.await`), and the moment the exhibition began.
#[derive(Clone)]
struct Arbiter {
    exhibition: Exhibition,
    master: Arc<tokio::sync::Mutex<()>>,
    trace: Arc<Mutex<Trace>>,
    start: Instant,
}

impl Arbiter {
    /// tokio's clock, read as this crate's virtual time.
    fn now(&self) -> Time {
        Time::from_start(Instant::now() - self.start)
    }

    fn record(&self, event: Event) {
        self.trace.lock().expect("no game panics while recording").record(event);
    }
}

/// One game on `board`: the async-await lane's, on tokio.
async fn game(board: u32, arbiter: Arbiter) {
    for pair in 1..=arbiter.exhibition.pairs() {
        let turn = arbiter.master.lock().await; // in her line
        arbiter.record(Event::master_move(arbiter.now(), board, pair));
        sleep(arbiter.exhibition.master_move()).await; // her move: the lock stays held
        drop(turn); // she walks on to the next board in line
        let reply = Instant::now() + arbiter.exhibition.opponent_move();
        sleep_until(reply).await; // the master is free for the other boards
        arbiter.record(Event::opponent_move(arbiter.now(), board, pair));
    }
    arbiter.record(Event::game_over(arbiter.now(), board));
}

/// Plays `exhibition` on a current-thread runtime whose clock starts paused.
fn play(exhibition: &Exhibition) -> Trace {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    let trace = Arc::new(Mutex::new(Trace::new(exhibition)));
    runtime.block_on(async {
        let arbiter = Arbiter {
            exhibition: *exhibition,
            master: Arc::default(),
            trace: Arc::clone(&trace),
            start: Instant::now(),
        };
        let mut games = JoinSet::new();
        for board in 1..=exhibition.opponents() {
            games.spawn(game(board, arbiter.clone()));
        }
        games.join_all().await; // every game over; a game's panic would surface here
    });
    let trace = Arc::into_inner(trace).expect("every game is over and dropped its arbiter");
    trace.into_inner().expect("no game panicked while recording")
}

/// Two boards, two pairs each: small enough to read every event.
fn two_by_two() -> Exhibition {
    Exhibition::builder().opponents(2).pairs(2).build().expect("a valid exhibition")
}

fn main() {
    print!("{}", render(Format::Text, &play(&two_by_two())));
    println!();
    println!("{}", play(&Exhibition::default()).summary());
}

#[test]
fn tokio_plays_the_lanes_trace_and_takes_1_00_55() {
    main();
    let lane = coro_simul::lanes::Lane::AsyncAwait;
    let small = two_by_two();
    let ours = lane.trace(&small).expect("the async-await lane needs nothing from the OS");
    assert_eq!(play(&small).events(), ours.events());
    let default = play(&Exhibition::default());
    assert_eq!(default.summary().total().as_secs(), 3655); // (p−1)·R + n·m + o
    assert_eq!(default.events().len(), 24 * 30 * 2 + 24);
}
