//! The callbacks lane: a game waits by returning, the rest of it a closure the loop calls later.
//!
//!     cargo run --example callbacks
//!
//! Holds the game as three callbacks, `game_starts`, `master_moves` and `reply_lands`, each
//! doing one stretch of the game and handing the rest to a tiny event loop (`call_soon`,
//! `call_later`), and that loop on 2 boards × 2 pairs (no time limit, no failures: the lane's
//! own file has those). In the trace, only the loop calls anything; a game waits as a closure
//! in one of its queues.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};

// The technique: the game is cut into callbacks. Each does what the game does until it would
// wait, then hands the loop a closure holding what the rest needs (`call_soon` to queue for
// the master, `call_later(55s, ..)` for the reply), and returns: those captures are the
// paused game.

/// The game on `board` starts: it queues for the master and returns, its first wait.
fn game_starts(board: u32) -> Callback {
    let run = move |lp: &mut Loop| lp.call_soon(master_moves(board, 1));
    Callback { label: Label { name: "game_starts", board, pair: None }, run: Box::new(run) }
}

/// The master plays `pair` on `board`; the rest of the game waits for the reply, in a timer.
fn master_moves(board: u32, pair: u32) -> Callback {
    let run = move |lp: &mut Loop| {
        lp.sink.record(Event::master_move(lp.clock.now(), board, pair));
        // She is busy: nothing else runs.
        lp.clock.advance_by(lp.exhibition.master_move());
        let lands = lp.clock.now() + lp.exhibition.opponent_move();
        lp.call_later(lp.exhibition.opponent_move(), reply_lands(board, pair, lands));
    };
    Callback { label: Label { name: "master_moves", board, pair: Some(pair) }, run: Box::new(run) }
}

/// The reply to `pair` lands; the rest of the game queues for the master again, or ends.
fn reply_lands(board: u32, pair: u32, lands: Time) -> Callback {
    let run = move |lp: &mut Loop| {
        // Landed at `lands`, even if the loop was busy then and runs this later.
        lp.sink.record(Event::opponent_move(lands, board, pair));
        if pair < lp.exhibition.pairs() {
            lp.call_soon(master_moves(board, pair + 1));
        } else {
            lp.sink.record(Event::game_over(lands, board));
        }
    };
    Callback { label: Label { name: "reply_lands", board, pair: Some(pair) }, run: Box::new(run) }
}

/// A callback: the closure, and how the trace names it.
struct Callback {
    label: Label,
    run: Box<dyn FnOnce(&mut Loop)>,
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// The event loop: the rules, the clock, the sink, and the callbacks waiting to be called.
struct Loop {
    exhibition: Exhibition,
    clock: VirtualClock,
    sink: Switches,
    /// Callbacks to call now, first come first served: the master's line (and, at the start,
    /// every board's `game_starts`).
    ready: VecDeque<Callback>,
    /// Callbacks to call when their time comes: the replies in flight.
    timers: TimerQueue<Callback>,
    /// What the running callback handed the loop (a delay for `call_later`), for the trace.
    handed: Option<(Option<Duration>, Label)>,
}

fn play(exhibition: &Exhibition) -> Switches {
    let (clock, sink) = (VirtualClock::new(), Switches::new(exhibition));
    let ready = (1..=exhibition.opponents()).map(game_starts).collect();
    let (timers, handed) = (TimerQueue::new(), None);
    let mut lp = Loop { exhibition: *exhibition, clock, sink, ready, timers, handed };
    lp.run();
    lp.sink
}

impl Loop {
    fn call_soon(&mut self, callback: Callback) {
        self.handed = Some((None, callback.label));
        self.ready.push_back(callback);
    }

    fn call_later(&mut self, delay: Duration, callback: Callback) {
        self.handed = Some((Some(delay), callback.label));
        self.timers.push(self.clock.now() + delay, callback);
    }

    /// Every timer due runs before the next ready callback; with nothing to call, the clock
    /// jumps to the next timer; with no timer either, every game is over.
    fn run(&mut self) {
        loop {
            let now = self.clock.now();
            let (from, callback) = if let Some((_, callback)) = self.timers.pop_due(now) {
                ("timer due", callback)
            } else if let Some(callback) = self.ready.pop_front() {
                ("ready", callback)
            } else if let Some(next) = self.timers.next_deadline() {
                self.sink.switch_with(|| {
                    let says =
                        format!("loop: nothing ready: clock jumps to the next timer, {next}");
                    Switch::new(now, None, SwitchKind::Idle, says)
                });
                self.clock.advance_to(next);
                continue;
            } else {
                return;
            };
            self.call(from, callback);
        }
    }

    fn call(&mut self, from: &'static str, Callback { label, run }: Callback) {
        let now = self.clock.now();
        self.sink.switch_with(|| {
            Switch::new(now, label.board, SwitchKind::Resume, format!("loop: {from} → {label}"))
        });
        run(self);
        let (now, handed) = (self.clock.now(), self.handed.take());
        if handed.is_some() {
            self.sink.suspended(label.board); // it handed the loop the rest of its game
        }
        self.sink.switch_with(|| returned(now, label, handed));
    }
}

/// A callback as the trace names it: the function and the board and pair it captured.
#[derive(Clone, Copy)]
struct Label {
    name: &'static str,
    board: u32,
    /// No pair for `game_starts`.
    pair: Option<u32>,
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pair {
            Some(pair) => write!(f, "{}[board {}, pair {pair}]", self.name, self.board),
            None => write!(f, "{}[board {}]", self.name, self.board),
        }
    }
}

/// What a callback's return means: the game waits in the closure it handed on, or is over.
fn returned(now: Time, label: Label, handed: Option<(Option<Duration>, Label)>) -> Switch {
    let (kind, says, queue) = match handed {
        Some((None, rest)) => (SwitchKind::Suspend, format!("call_soon({rest})"), "ready"),
        Some((Some(delay), rest)) => {
            (SwitchKind::Suspend, format!("call_later({delay:?}, {rest})"), "timers")
        }
        None => {
            let says = format!("{label} returns, scheduling nothing: the game is over");
            return Switch::new(now, label.board, SwitchKind::Finish, says);
        }
    };
    let says = format!("{says}; {label} returns to the loop");
    let paused = PausedAt::State(format!("a closure in the loop's {queue}"));
    Switch::new(now, label.board, kind, says).paused_at(paused)
}

/// Two boards, two pairs each: small enough to read every switch.
fn two_by_two() -> Exhibition {
    Exhibition::builder().opponents(2).pairs(2).build().expect("a valid exhibition")
}

fn main() {
    println!("This example's driver, 2 boards × 2 pairs, every switch:\n");
    print!("{}", play(&two_by_two()).text(false));
    println!("\nThe default exhibition, as the lane plays it:\n");
    let summary = Lane::Callbacks.summary(&Exhibition::default());
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
    let lane = Lane::Callbacks.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::Callbacks.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::Callbacks.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
