//! How many times each lane's games give control back to their driver on the default
//! exhibition (24 boards × 30 pairs): the same trace, reached by different roads.

use coro_simul::Exhibition;
use coro_simul::lanes::{Lane, processes};

/// This test binary's children, when the processes lane starts them, play their game here.
#[test]
fn coro_simul_processes_worker() {
    processes::serve_if_child();
}

fn suspensions(lane: Lane) -> u64 {
    lane.summary(&Exhibition::default()).unwrap().suspensions()
}

#[test]
fn each_lane_suspends_as_its_design_says() {
    let (n, p) = (24, 30);
    // Blocks instead of suspending: while a game waits nothing else runs, so by the rule no
    // wait is a suspension.
    assert_eq!(suspensions(Lane::Sync), 0);
    // Every wait ends a callback that returns to the loop: the first wait for the master
    // (`game_starts` queues the first move and returns, and the other games' start runs
    // meanwhile), then the reply after every move and the master after every reply but the last.
    assert_eq!(suspensions(Lane::Callbacks), 2 * n * p);
    // Every step but the last returns Ready or Pending: the game stops at each of its waits.
    assert_eq!(suspensions(Lane::StateMachine), 2 * n * p);
    // One yield per pair, the priming included: the request covers both waits (the driver
    // plays the master's move and sets the reply's timer without resuming the game).
    assert_eq!(suspensions(Lane::Generators), n * p);
    // By the rule, every wait where the task returns `Pending`: two awaits a pair, each of
    // which always does, once — the master's turn (in her line, or, when she is free, one
    // yield so that replies already due land first), the first one included, and the
    // opponent's `sleep_until` (a sleep always suspends once).
    assert_eq!(suspensions(Lane::AsyncAwait), 2 * n * p);
    // The plain game stops at each of its two waits a pair, `master_moves` (the first one
    // included, before its first move) and `await_reply`: each a `suspend` back to the
    // driver's stack. Its last word, `game_over`, is not a wait: resumed at once, not counted.
    assert_eq!(suspensions(Lane::GreenThreads), 2 * n * p);
    // The same plain game, so the same two waits a pair — each one a kernel thread blocked
    // until the coordinator hands it the baton.
    assert_eq!(suspensions(Lane::Threads), 2 * n * p);
    // The same plain game again, each wait a whole process blocked reading its socket until
    // the parent writes it the baton.
    assert_eq!(suspensions(Lane::Processes), 2 * n * p);
}
