//! The sync lane: a game waits by blocking the one thread, so nothing else runs meanwhile.
//!
//!     cargo run --example sync
//!
//! Holds the game as a plain function whose wait for a reply blocks (here: moves the clock on
//! 55 s), and a driver that calls it for each of 2 boards × 2 pairs in turn. In the trace, no
//! game ever suspends: each `block` holds the whole program, and board 2's game starts only
//! when board 1's has returned. The baseline every other lane is measured against.

use coro_simul::Exhibition;
use coro_simul::clock::VirtualClock;
use coro_simul::lanes::Lane;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};

// The technique: the game is a plain function, top to bottom, like any other code. Its wait
// for a reply is a blocking call (`time.sleep(55)`): the one call stack stays in it.

fn game(board: u32, arbiter: &mut Arbiter) {
    for pair in 1..=arbiter.exhibition.pairs() {
        arbiter.sink.record(Event::master_move(arbiter.clock.now(), board, pair));
        // She is busy: nothing else runs.
        arbiter.clock.advance_by(arbiter.exhibition.master_move());
        arbiter.await_reply(board, pair); // blocks: the whole program waits here
        arbiter.sink.record(Event::opponent_move(arbiter.clock.now(), board, pair));
    }
    arbiter.sink.record(Event::game_over(arbiter.clock.now(), board));
}

/// What every game shares: the rules, the clock, the sink.
struct Arbiter {
    exhibition: Exhibition,
    clock: VirtualClock,
    sink: Switches,
}

impl Arbiter {
    /// Blocks until the reply to `pair` lands: the one thread sleeps, and so does everything.
    #[track_caller] // so the trace shows the line in `game` that waits
    fn await_reply(&mut self, board: u32, pair: u32) {
        let (now, paused) = (self.clock.now(), PausedAt::caller());
        let lands = now + self.exhibition.opponent_move();
        self.sink.switch_with(|| {
            let says = format!(
                "game(board {board}) → await_reply(pair {pair}) blocks the one thread until \
                 {lands}: nothing else runs"
            );
            Switch::new(now, board, SwitchKind::Block, says).paused_at(paused)
        });
        self.clock.advance_to(lands);
    }
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// Calls each game in turn, as any function is called: the next starts when it returns.
fn play(exhibition: &Exhibition) -> Switches {
    let (clock, sink) = (VirtualClock::new(), Switches::new(exhibition));
    let mut arbiter = Arbiter { exhibition: *exhibition, clock, sink };
    for board in 1..=exhibition.opponents() {
        let now = arbiter.clock.now();
        arbiter.sink.switch_with(|| {
            let says = format!("play calls game(board {board}): the one call stack is its own");
            Switch::new(now, board, SwitchKind::Resume, says)
        });
        game(board, &mut arbiter);
        let now = arbiter.clock.now();
        arbiter.sink.switch_with(|| {
            let says = format!("game(board {board}) returned to play");
            Switch::new(now, board, SwitchKind::Finish, says)
        });
    }
    arbiter.sink
}

/// Two boards, two pairs each: small enough to read every switch.
fn two_by_two() -> Exhibition {
    Exhibition::builder().opponents(2).pairs(2).build().expect("a valid exhibition")
}

fn main() {
    println!("This example's driver, 2 boards × 2 pairs, every switch:\n");
    print!("{}", play(&two_by_two()).text(false));
    println!("\nThe default exhibition, as the lane plays it:\n");
    let summary = Lane::Sync.summary(&Exhibition::default());
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
    let lane = Lane::Sync.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::Sync.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::Sync.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 43_200); // 12:00:00
}
