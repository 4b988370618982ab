//! The real-time race: every lane at once, each on its own thread, on a scaled wall clock.
//!
//!     cargo run --example race
//!
//! Races every lane on 8 boards × 3 move pairs at 10 000x, quietly, and prints the table:
//! the synchronous lane's 24 minutes of exhibition take 144 ms of wall time, every concurrent
//! lane's 3 min 35 s about 21.5 ms. For the live bars, run `cargo run --release -- race` in a
//! terminal (12 s for sync at the default 3600x).

use coro_simul::Exhibition;
use coro_simul::clock::Speed;
use coro_simul::lanes::Lane;
use coro_simul::race::{self, Finish, Race};

/// Races every lane and returns how each finished, in `Lane::ALL`'s order.
fn run() -> Vec<Finish> {
    let exhibition = Exhibition::builder().opponents(8).pairs(3).build().expect("valid");
    let speed: Speed = "10000x".parse().expect("a valid speed");
    println!("Race at {speed}: {exhibition}.\n");
    Race::start(&exhibition, Lane::ALL, speed).expect("eight threads").finish()
}

fn main() {
    // The processes lane starts this program again, once per board: here each copy plays.
    coro_simul::lanes::processes::serve_if_child();
    print!("{}", race::table(&run()));
}

#[test]
fn sync_comes_last_and_no_lane_is_early() {
    main();
    let finishes = run();
    let (sync, concurrent) = finishes.split_first().expect("sync first");
    let total = |finish: &Finish| finish.outcome.as_ref().expect("plays").total().as_secs();
    assert_eq!(total(sync), 24 * 60);
    for finish in concurrent {
        assert_eq!(total(finish), 3 * 60 + 35, "{}", finish.lane);
        assert!(sync.wall > finish.wall, "{}: {:?} vs {:?}", finish.lane, finish.wall, sync.wall);
    }
    for finish in &finishes {
        let expected = finish.expected().expect("plays"); // its own total / 10 000
        assert!(finish.wall + std::time::Duration::from_millis(1) >= expected, "{}", finish.lane);
    }
}

/// Under `cargo test`, the processes lane's children run this test alone, and play here.
#[test]
fn coro_simul_processes_worker() {
    coro_simul::lanes::processes::serve_if_child();
}
