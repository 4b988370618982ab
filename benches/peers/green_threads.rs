//! The green-threads lane's game on the `generator` crate: each game a stackful generator
//! (its own stack, 16 KiB like the lane's), resumed with `send` by a driver loop like the
//! lane's own.
//!
//! The game is the lane's very function, [`game`]; only its host differs: every wait
//! yields a [`Request`] out of the generator instead of suspending a corosensei coroutine.
//! The bench's exhibitions have no time limit, so this driver leaves out the lane's
//! adjournment; nothing here panics on purpose, so it has no forfeits either.

use std::collections::VecDeque;
use std::panic::Location;

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::green_threads::{Request, STACK_SIZE};
use coro_simul::lanes::plain_game::{Adjourned, Host, game};
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, Sink, Summary};
use generator::{Generator, Gn, Scope};

/// The benchmark's ID for this peer.
pub(crate) const GENERATOR: &str = "peer: generator crate 0.8, send";

/// A paused game: a generator that yields `Some(request)` at each wait, and returns `None`
/// when its game is over.
type Game = Generator<'static, (), Option<Request>>;

/// Plays `exhibition` with one generator per board, and sums it up.
pub(crate) fn generator(exhibition: &Exhibition) -> Summary {
    let games = (1..=exhibition.opponents()).map(|board| Some(spawn(board, *exhibition)));
    let mut driver = Driver {
        exhibition,
        clock: VirtualClock::new(),
        summary: Summary::new(exhibition),
        games: games.collect(),
        master_line: VecDeque::new(),
        replies: TimerQueue::new(),
    };
    driver.run();
    driver.summary
}

fn spawn(board: u32, exhibition: Exhibition) -> Game {
    // The stack size is in words for the `generator` crate.
    Gn::<()>::new_scoped_opt(STACK_SIZE / size_of::<usize>(), move |mut scope| {
        game(board, &exhibition, &mut GeneratorHost { scope: &mut scope })
            .expect("no time limit in the bench");
        None
    })
}

/// The host the game sees on its generator: every call yields a request to the driver.
struct GeneratorHost<'a, 's> {
    scope: &'a mut Scope<'s, 'static, (), Option<Request>>,
}

impl Host for GeneratorHost<'_, '_> {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        let paused_at = Location::caller(); // as the lane's host: the game's line
        self.scope.yield_(Some(Request::MasterMove { board, pair, paused_at }));
        Ok(())
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        let paused_at = Location::caller();
        self.scope.yield_(Some(Request::AwaitReply { board, pair, paused_at }));
        Ok(())
    }

    fn game_over(&mut self, board: u32) {
        self.scope.yield_(Some(Request::GameOver { board }));
    }
}

/// The lane's driver, in short: the master's line, the replies in flight, a virtual clock.
struct Driver<'a> {
    exhibition: &'a Exhibition,
    clock: VirtualClock,
    summary: Summary,
    /// Board `b`'s generator at index `b − 1`; `None` once its game has returned.
    games: Vec<Option<Game>>,
    master_line: VecDeque<(u32, u32)>,
    replies: TimerQueue<(u32, u32)>,
}

impl Driver<'_> {
    fn run(&mut self) {
        for board in 1..=self.exhibition.opponents() {
            self.resume(board, Time::ZERO);
        }
        loop {
            while let Some((landed, (board, pair))) = self.replies.pop_due(self.clock.now()) {
                self.summary.record(Event::opponent_move(landed, board, pair));
                self.resume(board, landed);
            }
            if let Some((board, pair)) = self.master_line.pop_front() {
                self.summary.record(Event::master_move(self.clock.now(), board, pair));
                self.clock.advance_by(self.exhibition.master_move());
                self.resume(board, self.clock.now());
            } else if let Some(next) = self.replies.next_deadline() {
                self.clock.advance_to(next);
            } else {
                break;
            }
        }
    }

    fn resume(&mut self, board: u32, at: Time) {
        let index = board as usize - 1;
        let game = self.games[index].as_mut().expect("an ended game is never resumed");
        match game.send(()) {
            Some(Request::MasterMove { board, pair, .. }) => {
                self.summary.suspended(board);
                self.master_line.push_back((board, pair));
            }
            Some(Request::AwaitReply { board, pair, .. }) => {
                self.summary.suspended(board);
                self.exhibition.opponent_thinks(board, pair);
                self.replies.push(at + self.exhibition.opponent_move(), (board, pair));
            }
            Some(Request::GameOver { board }) => {
                self.summary.record(Event::game_over(at, board));
                self.resume(board, at);
            }
            None => self.games[index] = None, // returned: its stack is freed
        }
    }
}
