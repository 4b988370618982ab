//! How many times each lane's games give control back to their driver on the default
//! exhibition (24 boards × 30 pairs): the same trace, reached by different roads.

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;

fn suspensions(lane: Lane) -> u64 {
    lane.summary(&Exhibition::default()).unwrap().suspensions()
}

#[test]
fn each_lane_suspends_as_its_design_says() {
    let (n, p) = (24, 30);
    // Blocks instead of suspending.
    assert_eq!(suspensions(Lane::Sync), 0);
    // Park for the reply after every move, and for the master after every reply but the last:
    // the first wait for the master is where every game starts, not a suspension.
    assert_eq!(suspensions(Lane::Callbacks), 2 * n * p - n);
    // Every step but the last returns Ready or Pending: the game stops at each of its waits.
    assert_eq!(suspensions(Lane::StateMachine), 2 * n * p);
    // One yield per pair: the request covers both waits, the driver does the rest.
    assert_eq!(suspensions(Lane::Generators), n * p);
    // By the rule, every wait where the task returns `Pending`: two awaits a pair, each of
    // which always does, once — the master's turn (in her line, or, when she is free, one
    // yield so that replies already due land first), the first one included, and the
    // opponent's `sleep_until` (a sleep always suspends once).
    assert_eq!(suspensions(Lane::AsyncAwait), 2 * n * p);
    // The game itself asks for the master too, before its first move: two per pair.
    assert_eq!(suspensions(Lane::GreenThreads), 2 * n * p);
    // The same plain game as green threads, so the same two waits per pair — each one a
    // kernel thread blocked until the coordinator hands it the baton.
    assert_eq!(suspensions(Lane::Threads), 2 * n * p);
}
