//! The threads lane: a game waits by blocking its own OS thread until it gets the baton back.
//!
//!     cargo run --example threads
//!
//! Holds the game as a plain loop of blocking calls, each game on a `std::thread` of its own,
//! and a coordinator that hands them a baton over channels, one at a time, on 2 boards × 2
//! pairs (no time limit, no failures: the lane's own file has those). In the trace, each
//! `suspend` is a thread blocking deep inside the game, at the game's own line in this file.

use std::collections::VecDeque;
use std::panic::Location;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::{self, Scope};

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};

// The technique: the game is a plain function that calls `wait`, and `wait` blocks: it sends
// the coordinator what the game waits for, then blocks in `recv` until it is sent the baton
// back. The whole call stack (game → wait → recv) waits on the game's own thread.

/// What a game waits for: the master's move of a pair, or the opponent's reply to it.
#[derive(Debug, Clone, Copy)]
enum Wait {
    Master { pair: u32 },
    Reply { pair: u32 },
}

/// What a paused game hands its driver: what it waits for, and the game's line that waits.
type Asked = (Wait, &'static Location<'static>);

/// A game's thread's ends of its two channels: it asks on one, and is handed the baton on the
/// other.
struct Channels {
    asks: Sender<Asked>,
    baton: Receiver<()>,
}

/// One game: for each move pair, the master's move, then the opponent's reply.
fn game(pairs: u32, channels: &Channels) {
    for pair in 1..=pairs {
        wait(channels, Wait::Master { pair }); // the master comes and makes her move
        wait(channels, Wait::Reply { pair }); // the opponent thinks, and replies
    }
}

#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(channels: &Channels, what: Wait) {
    let gone = "the coordinator outlives every game";
    channels.asks.send((what, Location::caller())).expect(gone); // the baton goes back
    channels.baton.recv().expect(gone); // this thread blocks until it is handed the baton
}

/// Starts a game's thread in `scope`, blocked until it is first handed the baton; returns the
/// coordinator's ends of its channels.
fn spawn<'s>(scope: &'s Scope<'s, '_>, pairs: u32) -> (Sender<()>, Receiver<Asked>) {
    let ((baton, its_baton), (its_asks, asks)) = (channel(), channel());
    scope.spawn(move || {
        let its = Channels { asks: its_asks, baton: its_baton };
        if its.baton.recv().is_ok() {
            game(pairs, &its); // then `its` is dropped: the coordinator's `recv` fails
        }
    });
    (baton, asks)
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

fn play(exhibition: &Exhibition) -> Switches {
    thread::scope(|scope| coordinate(scope, exhibition)) // then joins every game's thread
}

/// Starts every game's thread and runs it to its first wait, then: every reply due lands (its
/// game handed the baton) before the master moves again; she serves the boards in the order
/// they asked; when there is nothing to do, the clock jumps to the next reply.
fn coordinate<'s>(scope: &'s Scope<'s, '_>, exhibition: &Exhibition) -> Switches {
    let (mut clock, mut sink) = (VirtualClock::new(), Switches::new(exhibition));
    let pairs = exhibition.pairs();
    let games: Vec<_> = (1..=exhibition.opponents()).map(|_| spawn(scope, pairs)).collect();
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
                let says = format!(
                    "master_line empty, every thread blocked in recv: clock jumps to {next}"
                );
                Switch::new(now, None, SwitchKind::Idle, says)
            });
            clock.advance_to(next);
            continue;
        } else {
            return sink; // every game is over
        };
        let now = clock.now();
        match resume(&games[board as usize - 1], board, at, now, &mut sink) {
            Some(Wait::Master { pair }) => master_line.push_back((board, pair)),
            Some(Wait::Reply { pair }) => {
                replies.push(now + exhibition.opponent_move(), (board, pair));
            }
            None => {} // its game returned
        }
    }
}

/// Hands `board`'s thread the baton and blocks until its game waits again, and says what for;
/// or until it returns, over at `at`, when its last reply landed.
fn resume(
    (baton, asks): &(Sender<()>, Receiver<Asked>),
    board: u32,
    at: Time,
    now: Time,
    sink: &mut Switches,
) -> Option<Wait> {
    sink.switch_with(|| {
        let says = format!("coordinator: baton → thread {board}, then blocks in recv");
        Switch::new(now, board, SwitchKind::Resume, says)
    });
    baton.send(()).expect("a game's thread waits for the baton until its game returns");
    match asks.recv() {
        Ok((what, line)) => {
            sink.suspended(board);
            sink.switch_with(|| {
                let queue =
                    if matches!(what, Wait::Master { .. }) { "master_line" } else { "replies" };
                let says =
                    format!("thread {board} → {what:?} from game → wait → recv, into {queue}");
                Switch::new(now, board, SwitchKind::Suspend, says).paused_at(PausedAt::Line(line))
            });
            Some(what)
        }
        Err(_) => {
            sink.switch_with(|| {
                let says = format!("thread {board}: its game returned, the thread ends");
                Switch::new(now, board, SwitchKind::Finish, says)
            });
            sink.record(Event::game_over(at, board)); // once its thread has ended, as in the lane
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
    let summary = Lane::Threads.summary(&Exhibition::default());
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
    let lane = Lane::Threads.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::Threads.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::Threads.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
