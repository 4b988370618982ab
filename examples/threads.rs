//! The threads lane: a game waits by blocking its own OS thread until it gets the baton back.
//!
//!     cargo run --example threads
//!
//! Holds the game as a plain loop of blocking calls, one `std::thread` per board, and a
//! coordinator that hands them a baton over channels so that one runs at a time. Its output:
//! each handoff of the baton, every `suspend` paused at the game's own line in this file, then
//! the default exhibition as the lane plays it.

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
// what the game waits for to the coordinator, then blocks in `recv` until the coordinator
// sends the baton back. The whole call stack (game → wait → recv) waits on the game's own
// thread; the kernel runs the coordinator meanwhile.

/// What a game waits for: the master's move of a pair, or the opponent's reply to it.
#[derive(Debug, Clone, Copy)]
enum Wait {
    Master { pair: u32 },
    Reply { pair: u32 },
}

/// What a paused game hands its driver: what it waits for, and the line of the game that waits.
type Asked = (Wait, &'static Location<'static>);

/// A game thread's ends of its two channels: it asks on one and gets the baton on the other.
struct Baton {
    asks: Sender<Asked>,
    baton: Receiver<()>,
}

fn game(pairs: u32, baton: &Baton) {
    for pair in 1..=pairs {
        wait(baton, Wait::Master { pair }); // the master comes and makes her move
        wait(baton, Wait::Reply { pair }); // the opponent thinks, and replies
    }
}

#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(baton: &Baton, what: Wait) {
    let gone = "the coordinator outlives every game";
    baton.asks.send((what, Location::caller())).expect(gone); // the baton, back
    baton.baton.recv().expect(gone); // this thread blocks until it is handed the baton
}

/// Starts a game's thread in `scope`, blocked until it first gets the baton; returns the
/// coordinator's ends of its channels.
fn spawn<'s>(scope: &'s Scope<'s, '_>, pairs: u32) -> (Sender<()>, Receiver<Asked>) {
    let ((baton, its_baton), (its_asks, asks)) = (channel(), channel());
    scope.spawn(move || {
        let its = Baton { asks: its_asks, baton: its_baton };
        if its.baton.recv().is_ok() {
            game(pairs, &its); // then its channel closes: the coordinator's recv says so
        }
    });
    (baton, asks)
}

// The driver: 2 boards x 2 pairs, a coordinator and a thread per game. It keeps the boards waiting
// for the master (`master_line`) and the replies in flight (`replies`), lands every reply due
// before she moves again, and reports each transfer of control in the lane's words.

struct Driver<'a, S> {
    exhibition: &'a Exhibition,
    clock: VirtualClock,
    sink: &'a mut S,
    /// Board `b`'s game is `games[b - 1]`: the baton to send it, the channel it asks on.
    games: Vec<(Sender<()>, Receiver<Asked>)>,
    /// Boards waiting for the master, first come first served, with the pair she will move.
    master_line: VecDeque<(u32, u32)>,
    /// Boards waiting for a reply, with its pair, due when it lands.
    replies: TimerQueue<(u32, u32)>,
}

fn play(exhibition: &Exhibition, sink: &mut impl Sink) {
    thread::scope(|scope| {
        let games = (1..=exhibition.opponents()).map(|_| spawn(scope, exhibition.pairs()));
        let (clock, master_line, replies) =
            (VirtualClock::new(), VecDeque::new(), TimerQueue::new());
        let games = games.collect();
        let mut driver = Driver { exhibition, clock, sink, games, master_line, replies };
        (1..=exhibition.opponents()).for_each(|board| driver.resume(board, Time::ZERO));
        driver.run();
    }); // every game's thread has ended, and is joined here
}

impl<S: Sink> Driver<'_, S> {
    fn run(&mut self) {
        loop {
            while let Some((due, (board, pair))) = self.replies.pop_due(self.clock.now()) {
                self.sink.record(Event::opponent_move(due, board, pair));
                self.resume(board, due);
            }
            let now = self.clock.now();
            if let Some((board, pair)) = self.master_line.pop_front() {
                self.sink.record(Event::master_move(now, board, pair));
                self.clock.advance_by(self.exhibition.master_move());
                self.resume(board, now);
            } else if let Some(next) = self.replies.next_deadline() {
                self.sink.switch_with(|| {
                    let says =
                        format!("master_line empty, every thread blocked in recv: jump to {next}");
                    Switch::new(now, None, SwitchKind::Idle, says)
                });
                self.clock.advance_to(next);
            } else {
                return; // every game is over
            }
        }
    }

    /// Runs `board`'s game, due since `at`, until it waits again (filed where it waits) or
    /// returns.
    fn resume(&mut self, board: u32, at: Time) {
        let now = self.clock.now();
        self.sink.switch_with(|| {
            let says = format!("coordinator: baton → thread {board}, then blocks in recv");
            Switch::new(now, board, SwitchKind::Resume, says)
        });
        let (baton, asks) = &self.games[board as usize - 1];
        baton.send(()).expect("a game's thread waits for the baton until its game ends");
        let Ok((what, line)) = asks.recv() else {
            self.sink.record(Event::game_over(at, board));
            return self.sink.switch_with(|| {
                let says = format!("thread {board}'s game returned: its channel closed");
                Switch::new(now, board, SwitchKind::Finish, says)
            });
        };
        match what {
            Wait::Master { pair } => self.master_line.push_back((board, pair)),
            Wait::Reply { pair } => {
                self.replies.push(now + self.exhibition.opponent_move(), (board, pair))
            }
        }
        self.sink.suspended(board);
        self.sink.switch_with(|| {
            let says = format!("thread {board} → {what:?} from game → wait → recv: it blocks");
            Switch::new(now, board, SwitchKind::Suspend, says).paused_at(PausedAt::Line(line))
        });
    }
}

fn main() {
    let two_by_two = Exhibition::builder().opponents(2).pairs(2).build().expect("valid");
    let mut switches = Switches::new(&two_by_two);
    play(&two_by_two, &mut switches);
    println!("This example's switch trace, 2 boards x 2 pairs:\n");
    print!("{}", switches.text(false));
    let summary = Lane::Threads.summary(&Exhibition::default()).expect("24 threads");
    println!("\nThe default exhibition, as the threads lane plays it:\n\n{summary}");
}

#[test]
fn the_example_plays_as_the_lane_does() {
    main();
    let two_by_two = Exhibition::builder().opponents(2).pairs(2).build().expect("valid");
    let mut trace = coro_simul::trace::Trace::new(&two_by_two);
    play(&two_by_two, &mut trace);
    let lane = Lane::Threads.trace(&two_by_two).expect("two threads");
    assert_eq!(trace.events(), lane.events());
    let summary = Lane::Threads.summary(&Exhibition::default()).expect("24 threads");
    assert_eq!(summary.total().as_secs(), 3655);
}
