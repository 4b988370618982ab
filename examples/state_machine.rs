//! The state-machine lane: a game waits by returning from `step`, its place written in an `enum`.
//!
//!     cargo run --example state_machine
//!
//! Holds the game as a hand-written `enum` with a `step` method, and a driver that steps the
//! games of 2 boards × 2 pairs (no time limit, no failures: the lane's own file has those).
//! In the trace, each `step` returns what the game waits for, and the state it is left in
//! (`paused at`) is all there is of the paused game: no stack, no thread, just that value.

use std::collections::VecDeque;
use std::fmt;

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};

// The technique: the game is an `enum`, one variant per place it can wait, holding what it
// needs to go on from there; `step` runs it from one wait to the next and says what it waits
// for now. No stack is kept between steps: the variant is the whole paused game.

/// One game, stopped where it waits.
#[derive(Debug, Clone, Copy)]
enum Game {
    Start,
    MasterToMove { pair: u32 },
    AwaitingReply { pair: u32, until: Time },
    Over,
}

/// What a game waits for after a step: the driver's only input.
#[derive(Clone, Copy)]
enum Step {
    Ready,
    Pending { until: Time },
    Done,
}

/// What every game shares: the rules, the clock, the sink.
struct Arbiter {
    exhibition: Exhibition,
    clock: VirtualClock,
    sink: Switches,
}

impl Game {
    fn step(&mut self, board: u32, arbiter: &mut Arbiter) -> Step {
        match *self {
            Game::Start => {
                *self = Game::MasterToMove { pair: 1 };
                Step::Ready
            }
            Game::MasterToMove { pair } => {
                arbiter.sink.record(Event::master_move(arbiter.clock.now(), board, pair));
                // She is busy: nothing else runs.
                arbiter.clock.advance_by(arbiter.exhibition.master_move());
                let until = arbiter.clock.now() + arbiter.exhibition.opponent_move();
                *self = Game::AwaitingReply { pair, until };
                Step::Pending { until }
            }
            Game::AwaitingReply { pair, until } => {
                // Landed at `until`, even if the master was busy elsewhere then.
                arbiter.sink.record(Event::opponent_move(until, board, pair));
                if pair < arbiter.exhibition.pairs() {
                    *self = Game::MasterToMove { pair: pair + 1 };
                    return Step::Ready;
                }
                arbiter.sink.record(Event::game_over(until, board));
                *self = Game::Over;
                Step::Done
            }
            Game::Over => unreachable!("the driver never steps a game that is over"),
        }
    }
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// Every reply due lands (its game stepped) before the master moves again; she serves the
/// boards in the order they became ready; with nothing ready, the clock jumps to the next reply.
fn play(exhibition: &Exhibition) -> Switches {
    let (clock, sink) = (VirtualClock::new(), Switches::new(exhibition));
    let mut arbiter = Arbiter { exhibition: *exhibition, clock, sink };
    let mut games = vec![Game::Start; exhibition.opponents() as usize];
    // Boards waiting for the master, first come first served; boards waiting for a reply, by
    // deadline: at the start every board, due at once, to be stepped up to its first wait.
    let (mut master_line, mut replies) = (VecDeque::new(), TimerQueue::new());
    (1..=exhibition.opponents()).for_each(|board| replies.push(Time::ZERO, board));
    loop {
        let now = arbiter.clock.now();
        let board = if let Some((_, board)) = replies.pop_due(now) {
            board
        } else if let Some(board) = master_line.pop_front() {
            board
        } else if let Some(next) = replies.next_deadline() {
            arbiter.sink.switch_with(|| {
                let says = format!("master_line empty: clock jumps to {next}");
                Switch::new(now, None, SwitchKind::Idle, says)
            });
            arbiter.clock.advance_to(next);
            continue;
        } else {
            return arbiter.sink; // every game is over
        };
        let game = &mut games[board as usize - 1];
        arbiter.sink.switch_with(|| {
            Switch::new(now, board, SwitchKind::Resume, format!("step(board {board}) from {game}"))
        });
        let step = game.step(board, &mut arbiter);
        match step {
            Step::Ready => master_line.push_back(board),
            Step::Pending { until } => replies.push(until, board),
            Step::Done => {}
        }
        if !matches!(step, Step::Done) {
            arbiter.sink.suspended(board); // it returned waiting: a suspension
        }
        let now = arbiter.clock.now();
        arbiter.sink.switch_with(|| returned(now, board, step, *game));
    }
}

/// What a step returned, as the trace shows it: a suspension, paused at the state `to`, or
/// the game's end.
fn returned(now: Time, board: u32, step: Step, to: Game) -> Switch {
    let says = match step {
        Step::Ready => "Ready: into master_line".to_owned(),
        Step::Pending { until } => format!("Pending {{ until: {until} }}: into replies"),
        Step::Done => {
            let says = format!("step(board {board}) returned Done");
            return Switch::new(now, board, SwitchKind::Finish, says);
        }
    };
    let says = format!("step(board {board}) returned {says}");
    Switch::new(now, board, SwitchKind::Suspend, says).paused_at(PausedAt::State(to.to_string()))
}

/// A state as the trace shows it: times as `h:mm:ss`.
impl fmt::Display for Game {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Game::AwaitingReply { pair, until } => {
                write!(f, "AwaitingReply {{ pair: {pair}, until: {until} }}")
            }
            other => write!(f, "{other:?}"),
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
    let summary = Lane::StateMachine.summary(&Exhibition::default());
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
    let lane = Lane::StateMachine.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::StateMachine.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::StateMachine.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
