//! The green-threads lane: a game waits by switching from its own stack back to the driver's.
//!
//!     cargo run --example green_threads
//!
//! Holds the game as a plain loop of calls that look blocking, each game on a corosensei
//! coroutine (a stack of its own), and a driver that switches to them on 2 boards × 2 pairs
//! (no time limit, no failures: the lane's own file has those). In the trace, each `suspend`
//! comes from deep inside the game's call stack, paused at the game's own line in this file.

use std::collections::VecDeque;
use std::panic::Location;

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};
use corosensei::{Coroutine, CoroutineResult, Yielder};

// The technique: the game is a plain function that calls `wait` as if it blocked. `wait` is a
// plain function too, and the switch happens deep inside it, in `Yielder::suspend`: the whole
// call stack (game → wait → suspend) stays on the game's own stack until the next `resume`
// (greenlet's `switch`, one way and the other).

/// What a game waits for: the master's move of a pair, or the opponent's reply to it.
#[derive(Debug, Clone, Copy)]
enum Wait {
    Master { pair: u32 },
    Reply { pair: u32 },
}

/// What a paused game hands its driver: what it waits for, and the game's line that waits.
type Asked = (Wait, &'static Location<'static>);

/// One game: for each move pair, the master's move, then the opponent's reply.
fn game(pairs: u32, yielder: &Yielder<(), Asked>) {
    for pair in 1..=pairs {
        wait(yielder, Wait::Master { pair }); // the master comes and makes her move
        wait(yielder, Wait::Reply { pair }); // the opponent thinks, and replies
    }
}

#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(yielder: &Yielder<(), Asked>, what: Wait) {
    yielder.suspend((what, Location::caller())); // to the driver's stack; back when resumed
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// Runs every game to its first wait, then: every reply due lands (its game resumed) before
/// the master moves again; she serves the boards in the order they asked; when there is
/// nothing to do, the clock jumps to the next reply.
fn play(exhibition: &Exhibition) -> Switches {
    let (mut clock, mut sink) = (VirtualClock::new(), Switches::new(exhibition));
    let pairs = exhibition.pairs();
    let mut games: Vec<_> = (1..=exhibition.opponents())
        .map(|_| Coroutine::new(move |yielder: &Yielder<(), Asked>, ()| game(pairs, yielder)))
        .collect();
    // Boards waiting for the master, first come first served; boards waiting for a reply, by
    // deadline; each with the pair it is at. At first every board is started, in turn.
    let (mut master_line, mut replies) = (VecDeque::new(), TimerQueue::new());
    let mut starting = 1..=exhibition.opponents();
    loop {
        let now = clock.now();
        let (board, at) = if let Some(board) = starting.next() {
            (board, now)
        } else if let Some((landed, (board, pair))) = replies.pop_due(now) {
            // Landed at `landed`, even if the master was busy elsewhere then.
            sink.record(Event::opponent_move(landed, board, pair));
            (board, landed)
        } else if let Some((board, pair)) = master_line.pop_front() {
            sink.record(Event::master_move(now, board, pair));
            // She is busy: nothing else runs.
            clock.advance_by(exhibition.master_move());
            (board, now)
        } else if let Some(next) = replies.next_deadline() {
            sink.switch_with(|| {
                let says =
                    format!("master_line empty, every game suspended: clock jumps to {next}");
                Switch::new(now, None, SwitchKind::Idle, says)
            });
            clock.advance_to(next);
            continue;
        } else {
            return sink; // every game is over
        };
        let now = clock.now();
        match resume(&mut games[board as usize - 1], board, at, now, &mut sink) {
            Some(Wait::Master { pair }) => master_line.push_back((board, pair)),
            Some(Wait::Reply { pair }) => {
                replies.push(now + exhibition.opponent_move(), (board, pair));
            }
            None => {} // its game returned
        }
    }
}

/// `resume`: switches to `board`'s stack and runs its game until it waits again, and says what
/// for; or until it returns, over at `at`, when its last reply landed.
fn resume(
    game: &mut Coroutine<(), Asked, ()>,
    board: u32,
    at: Time,
    now: Time,
    sink: &mut Switches,
) -> Option<Wait> {
    sink.switch_with(|| {
        let says = format!("resume(board {board}) → switch to its stack");
        Switch::new(now, board, SwitchKind::Resume, says)
    });
    match game.resume(()) {
        CoroutineResult::Yield((what, line)) => {
            sink.suspended(board);
            sink.switch_with(|| {
                let queue =
                    if matches!(what, Wait::Master { .. }) { "master_line" } else { "replies" };
                let says =
                    format!("suspend({what:?}) from game → wait: back to the driver, into {queue}");
                Switch::new(now, board, SwitchKind::Suspend, says).paused_at(PausedAt::Line(line))
            });
            Some(what)
        }
        CoroutineResult::Return(()) => {
            sink.record(Event::game_over(at, board));
            sink.switch_with(|| {
                let says = format!("resume(board {board}) returned: its stack is freed");
                Switch::new(now, board, SwitchKind::Finish, says)
            });
            None
        }
    }
}

/// Two boards, two pairs each: small enough to read every switch.
fn two_by_two() -> Exhibition {
    Exhibition::builder().opponents(2).pairs(2).build().expect("a valid exhibition")
}

fn main() {
    println!("This example's driver, 2 boards × 2 pairs, every switch:\n");
    print!("{}", play(&two_by_two()).text(false));
    println!("\nThe default exhibition, as the lane plays it:\n");
    let summary = Lane::GreenThreads.summary(&Exhibition::default());
    println!("{}", summary.expect("the lane plays the default exhibition"));
}

#[test]
fn plays_the_lanes_events_and_the_lanes_total() {
    main();
    let (small, ours) = (two_by_two(), play(&two_by_two()));
    let events: Vec<Event> = (ours.lines().iter())
        .filter_map(|line| match line {
            coro_simul::trace::Line::Event(event) => Some(event.clone()),
            coro_simul::trace::Line::Switch(_) => None,
        })
        .collect();
    let lane = Lane::GreenThreads.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::GreenThreads.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::GreenThreads.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
