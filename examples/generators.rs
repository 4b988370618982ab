//! The generators lane: a game waits by yielding what it waits for, and is sent the reply.
//!
//!     cargo run --example generators
//!
//! Holds the game as a genawaiter generator, `reply = yield request` in Rust, and a driver
//! that primes each game, plays the master's moves and sends each reply in, on 2 boards × 2
//! pairs (no time limit, no failures: the lane's own file has those). In the trace, a game runs
//! only inside `resume_with`; the master's moves happen between two resumes, in the driver.

use std::collections::VecDeque;
use std::future::Future;

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};
use genawaiter::GeneratorState;
use genawaiter::rc::{Co, Gen};

// The technique: the game is a generator. It yields a `Request` (the master's move `pair` on
// `board`, then the reply to it) and stops there; the driver sends the `Reply` in, and it is
// the value of the yield. One yield a pair asks for both waits.

#[derive(Clone, Copy)]
struct Request {
    board: u32,
    pair: u32,
}

#[derive(Clone, Copy)]
struct Reply {
    landed: Time,
}

/// One game on `board`; returns when its last reply landed (Python's `StopIteration.value`).
/// genawaiter writes a generator as an `async fn` that is handed a `Co` (Rust's own
/// generators are not stable yet); `co.yield_(..).await` is Python's `yield`.
async fn game(co: Co<Request, Reply>, board: u32, pairs: u32) -> Time {
    let mut landed = Time::ZERO;
    for pair in 1..=pairs {
        // `reply = yield request`: the game stops here until the driver sends the reply.
        let reply = co.yield_(Request { board, pair }).await;
        landed = reply.landed;
    }
    landed
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// Primes every game, then: every reply due lands (sent into its game) before the master
/// moves again; she serves the requests in the order they were made; when there is nothing to
/// do, the clock jumps to the next reply.
fn play(exhibition: &Exhibition) -> Switches {
    let (mut clock, mut sink) = (VirtualClock::new(), Switches::new(exhibition));
    let pairs = exhibition.pairs();
    let mut games: Vec<_> = (1..=exhibition.opponents())
        .map(|board| Gen::new(move |co| game(co, board, pairs)))
        .collect();
    // Requests waiting for the master, first come first served; replies in flight, by deadline.
    let (mut master_line, mut replies) = (VecDeque::new(), TimerQueue::<Request>::new());
    for (board, game) in (1..).zip(&mut games) {
        master_line.extend(prime(game, board, &mut sink));
    }
    loop {
        let now = clock.now();
        if let Some((landed, request)) = replies.pop_due(now) {
            let game = &mut games[request.board as usize - 1];
            master_line.extend(send(game, request, landed, &mut sink));
        } else if let Some(Request { board, pair }) = master_line.pop_front() {
            sink.record(Event::master_move(now, board, pair));
            // She is busy: nothing else runs.
            clock.advance_by(exhibition.master_move());
            replies.push(clock.now() + exhibition.opponent_move(), Request { board, pair });
        } else if let Some(next) = replies.next_deadline() {
            sink.switch_with(|| {
                let says = format!("no request to serve: clock jumps to {next}, the next reply");
                Switch::new(now, None, SwitchKind::Idle, says)
            });
            clock.advance_to(next);
        } else {
            return sink; // every game is over
        }
    }
}

/// `next(gen)`: runs a game to its first yield. genawaiter drops the value sent (no yield is
/// waiting for it yet), so any reply will do; Python would raise `TypeError` for anything but
/// `gen.send(None)`.
fn prime<F: Future<Output = Time>>(
    game: &mut Gen<Request, Reply, F>,
    board: u32,
    sink: &mut Switches,
) -> Option<Request> {
    sink.switch_with(|| {
        let says = format!("resume_with(Reply {{ .. }}): priming board {board}'s game, next(gen)");
        Switch::new(Time::ZERO, board, SwitchKind::Resume, says)
    });
    yielded(game.resume_with(Reply { landed: Time::ZERO }), board, Time::ZERO, sink)
}

/// `gen.send(reply)`: the reply to `request` landed at `landed`; sends it into its game.
fn send<F: Future<Output = Time>>(
    game: &mut Gen<Request, Reply, F>,
    Request { board, pair }: Request,
    landed: Time,
    sink: &mut Switches,
) -> Option<Request> {
    sink.record(Event::opponent_move(landed, board, pair));
    sink.switch_with(|| {
        let says =
            format!("resume_with(Reply {{ landed: {landed} }}): gen.send(reply), pair {pair}");
        Switch::new(landed, board, SwitchKind::Resume, says)
    });
    yielded(game.resume_with(Reply { landed }), board, landed, sink)
}

/// What came back from `resume_with`: the game's next request, or its end.
fn yielded(
    state: GeneratorState<Request, Time>,
    board: u32,
    now: Time,
    sink: &mut Switches,
) -> Option<Request> {
    match state {
        GeneratorState::Yielded(Request { board, pair }) => {
            sink.suspended(board);
            sink.switch_with(|| {
                let says = format!(
                    "→ Yielded(Request {{ board: {board}, pair: {pair} }}): into master_line"
                );
                let paused =
                    PausedAt::State(format!("game(board {board})'s co.yield_, pair {pair}"));
                Switch::new(now, board, SwitchKind::Suspend, says).paused_at(paused)
            });
            Some(Request { board, pair })
        }
        GeneratorState::Complete(at) => {
            sink.record(Event::game_over(at, board));
            sink.switch_with(|| {
                let says = format!("→ Complete({at}): the generator returned");
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
    let summary = Lane::Generators.summary(&Exhibition::default());
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
    let lane = Lane::Generators.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::Generators.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::Generators.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
