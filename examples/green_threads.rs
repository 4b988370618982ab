//! The green-threads lane: a game waits by switching from its own stack back to the driver's.
//!
//!     cargo run --example green_threads
//!
//! Holds the game as a plain loop of blocking-looking calls, one corosensei coroutine (a stack
//! of its own) per board, and a driver that switches to them. Its output: each switch onto a
//! game's stack and back, every `suspend` paused at the game's own line in this file, then
//! the default exhibition as the lane plays it.

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
// call stack (game → wait → suspend) stays frozen on the game's own stack until a `resume`.

/// What a game waits for: the master's move of a pair, or the opponent's reply to it.
#[derive(Debug, Clone, Copy)]
enum Wait {
    Master { pair: u32 },
    Reply { pair: u32 },
}

/// What a paused game hands its driver: what it waits for, and the line of the game that waits.
type Asked = (Wait, &'static Location<'static>);

fn game(pairs: u32, yielder: &Yielder<(), Asked>) {
    for pair in 1..=pairs {
        wait(yielder, Wait::Master { pair }); // the master comes and makes her move
        wait(yielder, Wait::Reply { pair }); // the opponent thinks, and replies
    }
}

#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(yielder: &Yielder<(), Asked>, what: Wait) {
    yielder.suspend((what, Location::caller())); // to the driver's stack, back when resumed
}

// The driver: 2 boards x 2 pairs, one thread, one stack per game. It keeps the boards waiting
// for the master (`master_line`) and the replies in flight (`replies`), lands every reply due
// before she moves again, and reports each transfer of control in the lane's words.

struct Driver<'a, S> {
    exhibition: &'a Exhibition,
    clock: VirtualClock,
    sink: &'a mut S,
    /// Board `b`'s game is `games[b - 1]`: a coroutine, started or not, paused or done.
    games: Vec<Coroutine<(), Asked, ()>>,
    /// Boards waiting for the master, first come first served, with the pair she will move.
    master_line: VecDeque<(u32, u32)>,
    /// Boards waiting for a reply, with its pair, due when it lands.
    replies: TimerQueue<(u32, u32)>,
}

fn play(exhibition: &Exhibition, sink: &mut impl Sink) {
    let pairs = exhibition.pairs();
    let games = (1..=exhibition.opponents())
        .map(|_| Coroutine::new(move |yielder: &Yielder<(), Asked>, ()| game(pairs, yielder)))
        .collect();
    let (clock, master_line, replies) = (VirtualClock::new(), VecDeque::new(), TimerQueue::new());
    let mut driver = Driver { exhibition, clock, sink, games, master_line, replies };
    (1..=exhibition.opponents()).for_each(|board| driver.resume(board, Time::ZERO));
    driver.run();
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
                    let says = format!("master_line empty, every game suspended: jump to {next}");
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
            let says = format!("resume(board {board}) → switch to its stack");
            Switch::new(now, board, SwitchKind::Resume, says)
        });
        let CoroutineResult::Yield((what, line)) = self.games[board as usize - 1].resume(()) else {
            self.sink.record(Event::game_over(at, board));
            return self.sink.switch_with(|| {
                let says = format!("resume(board {board}) returned: its stack freed");
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
            let says = format!("suspend({what:?}) from game → wait: back to the driver's stack");
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
    let summary = Lane::GreenThreads.summary(&Exhibition::default()).expect("24 small stacks");
    println!("\nThe default exhibition, as the green-threads lane plays it:\n\n{summary}");
}

#[test]
fn the_example_plays_as_the_lane_does() {
    main();
    let two_by_two = Exhibition::builder().opponents(2).pairs(2).build().expect("valid");
    let mut trace = coro_simul::trace::Trace::new(&two_by_two);
    play(&two_by_two, &mut trace);
    let lane = Lane::GreenThreads.trace(&two_by_two).expect("two small stacks");
    assert_eq!(trace.events(), lane.events());
    let summary = Lane::GreenThreads.summary(&Exhibition::default()).expect("24 small stacks");
    assert_eq!(summary.total().as_secs(), 3655);
}
