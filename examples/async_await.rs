//! The async-await lane: a game waits by awaiting a future that is not ready, until woken.
//!
//!     cargo run --example async_await
//!
//! Holds the game as an `async fn`, the future it awaits at each wait, and a tiny executor
//! that polls the games and wakes them on 2 boards × 2 pairs (no time limit, no failures: the
//! lane's own file has those). In the trace, each `suspend` is a poll that returned `Pending`,
//! paused at the game's `.await` line in this file, and each `wake` puts a task back to run.
//! One simplification: here the executor itself plays the master's move and wakes the game
//! when it is made; the lane's game takes a fair `turn()` and moves within its own poll, so
//! `coro-simul trace async-await --switches` shows more `wake` lines for the same suspensions.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{self, Future};
use std::panic::Location;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::Lane;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};

// The technique: the game is an `async fn`. At an `.await` (Python's `await`, once `yield
// from`) on a future that is not ready, the poll returns `Pending` up through the game to the
// executor; the game's place and locals stay in its future (the enum the compiler writes).
// The waiting future leaves its `Waker` with the executor, which calls `wake` when the wait is
// over: the task is polled again.

/// What a game waits for: the master's move of a pair, or the opponent's reply to it.
#[derive(Debug, Clone, Copy)]
enum Wait {
    Master { pair: u32 },
    Reply { pair: u32 },
}

/// Where a pending game leaves the executor what it waits for, the game's line that waits,
/// and the waker that will put its task back on the run queue.
type Mailbox = RefCell<Option<(Wait, &'static Location<'static>, Waker)>>;

/// One game: for each move pair, the master's move, then the opponent's reply.
async fn game(pairs: u32, mailbox: &Mailbox) {
    for pair in 1..=pairs {
        wait(mailbox, Wait::Master { pair }).await; // the master comes and makes her move
        wait(mailbox, Wait::Reply { pair }).await; // the opponent thinks, and replies
    }
}

/// A wait, as a future: its first poll leaves what it waits for and its waker, and returns
/// `Pending`; the executor wakes its task only when the wait is over, so its next poll is
/// `Ready`.
#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(mailbox: &Mailbox, what: Wait) -> impl Future<Output = ()> + '_ {
    let (at, mut filed) = (Location::caller(), false);
    future::poll_fn(move |cx: &mut Context<'_>| {
        if filed {
            return Poll::Ready(());
        }
        filed = true;
        *mailbox.borrow_mut() = Some((what, at, cx.waker().clone()));
        Poll::Pending
    })
}

/// Board `board`'s waker: `wake` puts its task back on the run queue. Behind an `Arc` and a
/// `Mutex` because a `Waker` may be woken from any thread.
struct TaskWaker {
    board: u32,
    run_queue: Arc<Mutex<VecDeque<u32>>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.run_queue.lock().expect("never poisoned").push_back(self.board);
    }
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// Polls every task up to its first wait, then: a task woken is polled before anything else;
/// every reply due lands (its task woken) before the master moves again; she serves the boards
/// in the order they asked; when there is nothing to do, the clock jumps to the next reply.
fn play(exhibition: &Exhibition) -> Switches {
    let (mut clock, mut sink) = (VirtualClock::new(), Switches::new(exhibition));
    let (mailbox, pairs) = (&Mailbox::default(), exhibition.pairs());
    let mut tasks: Vec<Pin<Box<dyn Future<Output = ()>>>> =
        (1..=exhibition.opponents()).map(|_| Box::pin(game(pairs, mailbox)) as _).collect();
    // Tasks woken and not yet polled: at first every task. A task's waker puts it back here.
    let run_queue = Arc::new(Mutex::new((1..=exhibition.opponents()).collect::<VecDeque<_>>()));
    let wakers: Vec<Waker> = (1..=exhibition.opponents())
        .map(|board| Waker::from(Arc::new(TaskWaker { board, run_queue: run_queue.clone() })))
        .collect();
    // Boards waiting for the master, first come first served; boards waiting for a reply, by
    // deadline; each with the pair it is at, and the waker its task left.
    let (mut master_line, mut replies) = (VecDeque::new(), TimerQueue::new());
    let mut landed = Time::ZERO; // when the reply that last woke a task landed
    loop {
        let now = clock.now();
        // The lock is let go at the end of this line, before the poll: a poll may wake.
        let woken = run_queue.lock().expect("never poisoned").pop_front();
        if let Some(board) = woken {
            let (task, waker) = (tasks[board as usize - 1].as_mut(), &wakers[board as usize - 1]);
            match poll(task, waker, mailbox, board, landed, now, &mut sink) {
                Some((Wait::Master { pair }, waker)) => master_line.push_back((board, pair, waker)),
                Some((Wait::Reply { pair }, waker)) => {
                    replies.push(now + exhibition.opponent_move(), (board, pair, waker));
                }
                None => {} // its game returned
            }
        } else if let Some((due, (board, pair, waker))) = replies.pop_due(now) {
            // Landed at `due`, even if the master was busy elsewhere then.
            sink.record(Event::opponent_move(due, board, pair));
            wake(board, waker, "timer: the reply is due", now, &mut sink);
            landed = due;
        } else if let Some((board, pair, waker)) = master_line.pop_front() {
            sink.record(Event::master_move(now, board, pair));
            // She is busy: nothing else runs.
            clock.advance_by(exhibition.master_move());
            wake(board, waker, "master: her move is made", clock.now(), &mut sink);
        } else if let Some(next) = replies.next_deadline() {
            sink.switch_with(|| {
                let says = format!("run queue empty: the clock jumps to {next}");
                Switch::new(now, None, SwitchKind::Idle, says)
            });
            clock.advance_to(next);
        } else {
            return sink; // every game is over
        }
    }
}

/// `waker.wake()`, saying who wakes `board`'s task: it goes back on the run queue.
fn wake(board: u32, waker: Waker, who: &str, now: Time, sink: &mut Switches) {
    sink.switch_with(|| {
        Switch::new(now, board, SwitchKind::Wake, format!("{who} → wake({board})"))
    });
    waker.wake();
}

/// Polls `board`'s task with its waker until its game waits again, and returns what for and
/// the waker it left; or until it returns, over at `at`, when its last reply landed.
fn poll(
    task: Pin<&mut dyn Future<Output = ()>>,
    waker: &Waker,
    mailbox: &Mailbox,
    board: u32,
    at: Time,
    now: Time,
    sink: &mut Switches,
) -> Option<(Wait, Waker)> {
    sink.switch_with(|| Switch::new(now, board, SwitchKind::Resume, format!("poll task {board}")));
    match task.poll(&mut Context::from_waker(waker)) {
        Poll::Pending => {
            let (what, line, waker) = mailbox.take().expect("Pending only in a `wait`");
            sink.suspended(board);
            sink.switch_with(|| {
                let queue =
                    if matches!(what, Wait::Master { .. }) { "master_line" } else { "replies" };
                let says =
                    format!("poll task {board} → Pending at {what:?}: its waker into {queue}");
                Switch::new(now, board, SwitchKind::Suspend, says).paused_at(PausedAt::Line(line))
            });
            Some((what, waker))
        }
        Poll::Ready(()) => {
            sink.record(Event::game_over(at, board));
            sink.switch_with(|| {
                let says = format!("poll task {board} → Ready");
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
    let summary = Lane::AsyncAwait.summary(&Exhibition::default());
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
    let lane = Lane::AsyncAwait.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::AsyncAwait.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::AsyncAwait.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}
