//! The async lane's game on the runtimes a reader would use: tokio's `current_thread` runtime
//! with its clock paused, `futures`' `LocalPool` and smol's `LocalExecutor` (the
//! `async-executor` crate), the last two with a virtual-time timer of this file's own.
//!
//! Every peer holds the master in a fair lock, `tokio::sync::Mutex` (it needs no tokio
//! runtime): an unfair lock would let one board take the master twice in a row and change
//! the exhibition, not only its speed.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, Sink, Summary};
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

/// IDs in the benchmark's `round_trip` group.
pub(crate) const TOKIO: &str = "peer: tokio current_thread, paused clock";
pub(crate) const LOCAL_POOL: &str = "peer: futures LocalPool, virtual timer";
pub(crate) const LOCAL_EXECUTOR: &str = "peer: smol LocalExecutor, virtual timer";

/// The game on tokio, as `tests/async_await_tokio_parity.rs` plays it: the master a
/// `tokio::sync::Mutex` (fair) held through her move, a sleep on the paused clock.
pub(crate) fn tokio(exhibition: &Exhibition) -> Summary {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    let summary = Arc::new(Mutex::new(Summary::new(exhibition)));
    runtime.block_on(async {
        let start = tokio::time::Instant::now();
        let master = Arc::new(tokio::sync::Mutex::new(()));
        let games: Vec<_> = (1..=exhibition.opponents())
            .map(|board| {
                let (exhibition, master, summary) = (*exhibition, master.clone(), summary.clone());
                tokio::spawn(async move {
                    let record = |event| summary.lock().unwrap().record(event);
                    let now = || Time::from_start(tokio::time::Instant::now() - start);
                    for pair in 1..=exhibition.pairs() {
                        let turn = master.lock().await;
                        record(Event::master_move(now(), board, pair));
                        tokio::time::sleep(exhibition.master_move()).await;
                        drop(turn);
                        let reply = now() + exhibition.opponent_move();
                        tokio::time::sleep(exhibition.opponent_move()).await;
                        record(Event::opponent_move(reply, board, pair));
                    }
                    record(Event::game_over(now(), board));
                })
            })
            .collect();
        for game in games {
            game.await.expect("a game ran to the end");
        }
    });
    Arc::into_inner(summary).expect("every game is over").into_inner().unwrap()
}

/// The game on `futures`' `LocalPool`, her move CPU-bound on a virtual timer, as in the lane.
pub(crate) fn local_pool(exhibition: &Exhibition) -> Summary {
    let table = Table::new(exhibition);
    let mut pool = LocalPool::new();
    for board in 1..=exhibition.opponents() {
        pool.spawner().spawn_local(table.game(board)).expect("the pool is running");
    }
    // The pool's idle points drive the timer: run until every task waits, then jump the
    // clock to the next deadline, which wakes the sleepers due.
    loop {
        pool.run_until_stalled();
        if !table.timer.jump_to_next_deadline() {
            break;
        }
    }
    drop(pool);
    table.into_summary()
}

/// The same game on smol's `LocalExecutor`, driven the same way: tick until no task is
/// ready, then jump the virtual clock.
pub(crate) fn local_executor(exhibition: &Exhibition) -> Summary {
    let table = Table::new(exhibition);
    let executor = async_executor::LocalExecutor::new();
    for board in 1..=exhibition.opponents() {
        executor.spawn(table.game(board)).detach();
    }
    loop {
        while executor.try_tick() {}
        if !table.timer.jump_to_next_deadline() {
            break;
        }
    }
    drop(executor);
    table.into_summary()
}

/// What the games on a single-threaded executor share: the exhibition, its virtual timer,
/// the master (a fair lock), and the summary.
struct Table {
    exhibition: Exhibition,
    timer: Rc<VirtualTimer>,
    master: Rc<tokio::sync::Mutex<()>>,
    summary: Rc<RefCell<Summary>>,
}

impl Table {
    fn new(exhibition: &Exhibition) -> Table {
        Table {
            exhibition: *exhibition,
            timer: Rc::default(),
            master: Rc::new(tokio::sync::Mutex::new(())),
            summary: Rc::new(RefCell::new(Summary::new(exhibition))),
        }
    }

    /// The game on `board`: the master held through her move, a sleep for the reply.
    fn game(&self, board: u32) -> impl Future<Output = ()> + 'static {
        let (exhibition, timer, master, summary) =
            (self.exhibition, self.timer.clone(), self.master.clone(), self.summary.clone());
        async move {
            for pair in 1..=exhibition.pairs() {
                let turn = master.lock().await;
                summary.borrow_mut().record(Event::master_move(timer.now.get(), board, pair));
                timer.busy(exhibition.master_move());
                drop(turn);
                let reply = timer.now.get() + exhibition.opponent_move();
                timer.sleep_until(reply).await;
                summary.borrow_mut().record(Event::opponent_move(reply, board, pair));
            }
            summary.borrow_mut().record(Event::game_over(timer.now.get(), board));
        }
    }

    /// The summary, once every game has been dropped with its executor.
    fn into_summary(self) -> Summary {
        Rc::into_inner(self.summary).expect("every game is over").into_inner()
    }
}

/// A virtual clock and the wakers of the tasks sleeping on it, for the `LocalPool`.
#[derive(Default)]
struct VirtualTimer {
    now: Cell<Time>,
    sleepers: RefCell<TimerQueue<Waker>>,
}

impl VirtualTimer {
    fn busy(&self, length: Duration) {
        self.now.set(self.now.get() + length);
        self.wake_due();
    }

    fn sleep_until(&self, deadline: Time) -> impl Future<Output = ()> + '_ {
        let mut registered = false;
        poll_fn(move |cx| {
            if !registered {
                registered = true;
                self.sleepers.borrow_mut().push(deadline, cx.waker().clone());
                return Poll::Pending;
            }
            if self.now.get() >= deadline { Poll::Ready(()) } else { Poll::Pending }
        })
    }

    fn jump_to_next_deadline(&self) -> bool {
        let Some(next) = self.sleepers.borrow().next_deadline() else { return false };
        self.now.set(self.now.get().max(next));
        self.wake_due();
        true
    }

    fn wake_due(&self) {
        while let Some((_, waker)) = self.sleepers.borrow_mut().pop_due(self.now.get()) {
            waker.wake();
        }
    }
}
