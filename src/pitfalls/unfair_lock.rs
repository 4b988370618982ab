//! An unfair lock: the master's line is `futures::lock::Mutex`, which serves its waiters in no
//! promised order.
//!
//! # What goes wrong
//!
//! The master is one, the boards are many: each board takes her, makes its move, lets her go.
//! Any lock keeps two boards off her at once; *fairness* is what a lock promises about who
//! gets her next. Here it means that she serves the boards in the order they asked for her —
//! the order their replies landed (at the start, board 1, 2, 3 …). The async lane's line is
//! fair: a ticket lock, first come first served, like asyncio's `Lock` and tokio's `Mutex`.
//! `futures::lock::Mutex` is not, and says so in its docs: "Tasks may not acquire the mutex in
//! the order that they requested the lock". Swap it in, and a board that has waited since
//! the start can be passed over again and again.
//!
//! **Held across an `.await`.** In the lane her move is CPU-bound work (`timer.busy(5 s)`),
//! done inside one poll: a board takes her and lets her go before any other board runs, so
//! no board ever finds her taken, and any lock would do. A lock's fairness matters only when
//! it is held across an `.await`. In this pitfall her move is something she waits for (on a
//! real runtime, 5 s of her move would be a sleep or an I/O wait), in both versions:
//! `timer.sleep(5 s).await` with the master held. Both versions also yield once before she
//! moves, as the lane does: the fair line inside `turn()` when she is free, the broken game
//! with `yield_now().await` before `lock()`, so that the games already woken at this moment
//! record their replies (or forfeits) before she moves, the trace's order. The two versions
//! differ in the lock alone.
//!
//! **Who wakes whom.** Letting her go hands her to nobody: `drop(master)` marks the lock
//! free and wakes one waiting board, which must then run and ask again to take her; whoever
//! asks first in between takes her. On 13 boards:
//!
//! ```text
//!   0:00:00  board 1 takes her; boards 2‥13 find her taken and wait; each is woken in turn
//!   0:01:00  board 12's move ends and board 1's reply lands, at the same moment; the timer
//!            wakes board 1 first (its sleep began first), then board 12:
//!            board 1   records its reply, yields              run queue: 12, 1
//!            board 12  lets her go ─► wakes board 13          run queue: 1, 13
//!            board 1   lock(): she is free ─► takes her
//!            board 13  lock(): she is taken ─► waits again (in line since 0:00:00)
//!   0:01:05  board 2's reply lands as board 1's move ends: board 2 takes her, 13 waits …
//! ```
//!
//! Twelve moves of 5 s are exactly the 60 s a pair takes, so a reply lands each time a move
//! ends, and its board, woken by the timer before the lock wakes board 13, always gets there
//! first. Board 13 is woken at every move and finds her taken every time; it gets her only
//! when the other twelve games are over, at 0:30:00, and then plays its whole game alone: the
//! exhibition ends at 1:00:00 instead of 0:33:25. Not one wake is lost, and no board sees an
//! error. On the default 24 boards the total does not move (1:00:55), but boards 1‥12 play
//! their whole games first while boards 13‥24 wait half an hour for their first move: twelve
//! games end at other times.
//!
//! The mutex is unfair in a second way too: it wakes the waiter in the first slot of its
//! table, not the one that came first, and a board joining the line takes the slot freed
//! last, here just ahead of board 13's. Without the yield before `lock()`, that is how board
//! 13 starves, at the same times; and the trace leaves the contract's order: a game that
//! fails at 0:00:00 is recorded after board 1's first move at that same moment.
//!
//! Measured as the other pitfalls measure it — how long a reply sits unanswered — the unfair
//! line even looks better: every reply is answered the moment it lands. The boards it starves
//! have no reply waiting; they wait for their first move.
//!
//! **The fix** is the fair line, the lane's own: a board takes a number when it asks, and
//! letting her go hands her to the next number directly, so she is never free for a newcomer
//! to take, and nobody gets a number before one already handed out: she serves the boards in
//! the order their replies landed. Waiting for her move costs one suspension more a pair than
//! the lane's two; the events are the lane's.
//!
//! [`Service`] measures the damage from the trace: moves made out of turn (another board had
//! asked before the one served), and the longest any board waited for her, first moves
//! included. A game that fails (a planned failure) forfeits as it does in the lane, in both
//! versions.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::{Exhibition, pitfalls::{Options, Version, unfair_lock::{Service, run}}};
//!
//! let exhibition = Exhibition::builder().opponents(13).build()?;
//! let unfair = run(&exhibition, Version::Broken, &Options::default()).trace;
//! let fair = run(&exhibition, Version::Fixed, &Options::default()).trace;
//! assert_eq!(unfair.summary().total(), Duration::from_secs(3600)); // 1:00:00
//! assert_eq!(fair.summary().total(), Duration::from_secs(2005)); // 0:33:25
//! assert_eq!(Service::of(&fair).out_of_turn, 0);
//! // Board 13 waited from the start until the other twelve games were over.
//! assert_eq!(Service::of(&unfair).longest, (13, Duration::from_secs(1800)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
use std::collections::BTreeSet;
use std::time::Duration;

use futures::lock::Mutex;

use super::arbiter::Arbiter;
use super::pitfall::{Options, Version};
use super::report::{Run, Watched, shower};
use crate::Exhibition;
use crate::clock::Time;
use crate::lanes::async_await::timer::yield_now;
use crate::trace::{Event, EventKind, Trace};

/// Plays `exhibition` with the master's line the `version`'s way. The broken run also plays
/// the fair one, to count the games that end at other times than they should.
pub fn run(exhibition: &Exhibition, version: Version, options: &Options) -> Run {
    let (trace, watched) = play(exhibition, version, options);
    let fair = (version == Version::Broken)
        .then(|| play(exhibition, Version::Fixed, &Options { slow_threshold: None }).0);
    let code = match version {
        Version::Broken => "`let master = line.lock().await`: a `futures::lock::Mutex`, no order",
        Version::Fixed => "`let turn = master.turn().await`: the lane's fair line",
    };
    let note = note(exhibition, &trace, fair.as_ref());
    Run { code, trace, watched, note: Some(note) }
}

/// Every game, on one executor, sharing the `version`'s line to the master.
fn play(exhibition: &Exhibition, version: Version, options: &Options) -> (Trace, Option<Watched>) {
    let arbiter = Arbiter::new(exhibition, options);
    // The broken line; the fixed one is the arbiter's own (`arbiter.master`).
    let line = Mutex::new(());
    let boards = 1..=exhibition.opponents();
    arbiter.run(boards.map(|board| game(board, &arbiter, &line, version)));
    arbiter.finish()
}

/// The async lane's game, with the master held across her move, an `.await`.
async fn game(board: u32, arbiter: &Arbiter<'_>, line: &Mutex<()>, version: Version) {
    let (exhibition, timer) = (arbiter.exhibition, &arbiter.timer);
    let mut reply = Time::ZERO;
    for pair in 1..=exhibition.pairs() {
        exhibition.fail_if_planned(board, pair); // a panic, out of `poll`
        match version {
            Version::Broken => {
                // As the fair line yields when she is free: games woken at this moment first.
                yield_now().await;
                let master = line.lock().await; // the mistake: no promise of order
                arbiter.record(Event::master_move(timer.now(), board, pair));
                timer.sleep(exhibition.master_move()).await; // her move, held across an await
                drop(master); // frees her and wakes a waiter, who must come and take her
            }
            Version::Fixed => {
                let turn = arbiter.master.turn().await; // a number, served in order
                arbiter.record(Event::master_move(timer.now(), board, pair));
                timer.sleep(exhibition.master_move()).await;
                drop(turn); // hands her to the next number
            }
        }
        reply = timer.now() + exhibition.opponent_move();
        timer.sleep_until(reply).await;
        arbiter.landed(board, pair, reply);
    }
    arbiter.record(Event::game_over(reply, board));
}

/// The note: how fairly she served, and, for the unfair run, how many games end at other
/// times than on the `fair` run.
fn note(exhibition: &Exhibition, trace: &Trace, fair: Option<&Trace>) -> String {
    let show = shower(exhibition);
    let service = Service::of(trace);
    let (board, waited) = service.longest;
    let mut note = format!(
        "{} of {} master moves out of turn, before a board that asked first;\n\
         the longest wait for her, first moves included: {} on board {board}",
        service.out_of_turn,
        service.moves,
        show(waited),
    );
    if let Some(fair) = fair {
        let (ends, fair_ends) = (ends(trace), ends(fair));
        let moved = ends.iter().zip(&fair_ends).filter(|(end, fair)| end != fair).count();
        let n = exhibition.opponents();
        note.push_str(&format!(";\n{moved} of {n} games end at other times than with a fair line"));
    }
    note
}

/// When each board's game ended (over, forfeit or adjourned), by board from 1.
fn ends(trace: &Trace) -> Vec<Option<Time>> {
    let mut ends = vec![None; trace.summary().exhibition().opponents() as usize];
    for event in trace.events() {
        if matches!(
            event.kind,
            EventKind::GameOver | EventKind::Forfeit { .. } | EventKind::Adjourned
        ) {
            ends[event.board as usize - 1] = Some(event.t);
        }
    }
    ends
}

/// How the master served the boards, read from a trace: whether in the order they asked for
/// her, and how long they waited.
///
/// A board asks for her when its game starts (every game at 0:00:00, in board order) and each
/// time its reply lands; it stops asking when its game ends. A master move is *out of turn*
/// when another board, still asking, had asked before the board she moves on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Service {
    /// Her moves.
    pub moves: u64,
    /// Her moves made while a board that had asked earlier still waited.
    pub out_of_turn: u64,
    /// The board that waited longest for one of her moves, and how long (first moves
    /// included, from 0:00:00; on a tie, the first such wait in the trace).
    pub longest: (u32, Duration),
}

impl Service {
    /// Reads `trace`, taking its events in the contract's order.
    ///
    /// # Panics
    ///
    /// If an event names a board the trace's exhibition does not have.
    pub fn of(trace: &Trace) -> Service {
        let mut events = trace.events().to_vec();
        events.sort_by_key(Event::order_key);
        let boards = 1..=trace.summary().exhibition().opponents();
        // `asking[b − 1]`: since when board b has asked for her, `None` while it does not.
        // `waiting`: the same, ordered as a fair line serves them, first asked first.
        let mut asking: Vec<Option<Time>> = boards.clone().map(|_| Some(Time::ZERO)).collect();
        let mut waiting: BTreeSet<(Time, u32)> = boards.map(|board| (Time::ZERO, board)).collect();
        let mut service = Service::default();
        for event in events {
            let since = &mut asking[event.board as usize - 1];
            match event.kind {
                EventKind::OpponentMove { .. } => {
                    if let Some(before) = since.replace(event.t) {
                        waiting.remove(&(before, event.board)); // asked again, unserved
                    }
                    waiting.insert((event.t, event.board));
                }
                EventKind::MasterMove { .. } => {
                    service.moves += 1;
                    if let Some(since) = since.take() {
                        service.served(&mut waiting, (since, event.board), event.t);
                    }
                }
                // The game is over: it asks no more.
                _ => {
                    if let Some(since) = since.take() {
                        waiting.remove(&(since, event.board));
                    }
                }
            }
        }
        service
    }

    /// She moves on the board that asked at `asked`, at `at`: out of turn unless it was the
    /// first in `waiting`, where it is no more.
    fn served(&mut self, waiting: &mut BTreeSet<(Time, u32)>, asked: (Time, u32), at: Time) {
        if waiting.first() != Some(&asked) {
            self.out_of_turn += 1;
        }
        waiting.remove(&asked);
        let waited = at - asked.0;
        if waited > self.longest.1 {
            self.longest = (asked.1, waited);
        }
    }
}
