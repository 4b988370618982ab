//! The async/await lane, checked against the concurrent closed form, with its executor's
//! rules (the run queue, wakers, join handles, the time limit) and a snapshot.

mod common;

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use coro_simul::clock::Time;
use coro_simul::exhibition::Failure;
use coro_simul::lanes::Lane;
use coro_simul::lanes::async_await::executor::Executor;
use coro_simul::lanes::async_await::timer::{Timer, yield_now};
use coro_simul::render::{Format, render};
use coro_simul::trace::{PausedAt, SwitchKind};
use coro_simul::{Exhibition, PlannedFailure};
use futures::FutureExt;
use futures::task::{ArcWake, noop_waker_ref, waker};
use proptest::prelude::*;

proptest! {
    /// Every event, its time and its place in the order are exactly the closed form's, so
    /// the jsonl is byte-identical to every other cooperative lane's.
    #[test]
    fn the_trace_is_the_concurrent_closed_form(ex in common::small_exhibitions()) {
        let trace = Lane::AsyncAwait.trace(&ex).unwrap();
        prop_assert_eq!(trace.events(), &common::concurrent_trace(&ex)[..]);
        prop_assert_eq!(&Lane::AsyncAwait.summary(&ex).unwrap(), trace.summary());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let summary = Lane::AsyncAwait.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total(), Duration::from_secs(3655));
    assert_eq!(summary.master_moves(), 24 * 30);
    assert_eq!(summary.games_over(), 24);
}

/// `yield_now` is asyncio's `sleep(0)`: the task steps aside, every other runnable task and
/// every timer already due goes first, and the clock does not move.
#[test]
fn yield_now_lets_the_others_go_first_without_time_passing() {
    let (timer, log) = (Timer::new(), RefCell::new(Vec::new()));
    let note = |what: &'static str| log.borrow_mut().push((what, timer.now().as_nanos()));
    let mut executor = Executor::new(&timer);
    let sleeper = async {
        timer.sleep(Duration::from_secs(1)).await;
        note("sleeper wakes");
    };
    let polite = async {
        note("polite starts");
        timer.busy(Duration::from_secs(2)); // the sleeper's timer falls due meanwhile
        yield_now().await;
        note("polite resumes");
    };
    let other = async { note("other runs") };
    let _sleeper = executor.spawn(sleeper.boxed_local());
    let _polite = executor.spawn(polite.boxed_local());
    let _other = executor.spawn(other.boxed_local());
    executor.run();
    let two_seconds = 2_000_000_000;
    assert_eq!(
        *log.borrow(),
        [
            ("polite starts", 0),
            ("other runs", two_seconds),
            ("sleeper wakes", two_seconds), // due at 1 s: late, because polite was busy
            ("polite resumes", two_seconds),
        ]
    );
}

/// A deadline already past still suspends once (a sleep always gives the others a turn), and
/// the clock never runs back to it.
#[test]
fn the_clock_never_runs_backwards() {
    let at = |secs| Time::from_start(Duration::from_secs(secs));
    let (timer, woke_at) = (Timer::new(), Cell::new(None));
    let mut executor = Executor::new(&timer);
    let _task = executor.spawn(async {
        timer.busy(Duration::from_secs(10));
        timer.sleep_until(at(5)).await;
        woke_at.set(Some(timer.now()));
    });
    executor.run();
    assert_eq!(woke_at.get(), Some(at(10)));
}

/// A task that waits for a wake-up nobody will send is a deadlock, and says so.
#[test]
#[should_panic(expected = "deadlock: 1 tasks wait forever")]
fn waiting_forever_is_a_clear_panic() {
    let timer = Timer::new();
    let mut executor = Executor::new(&timer);
    let _task = executor.spawn(std::future::pending::<()>());
    executor.run();
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace async-await --opponents 3 --pairs 2`: while board 1's \
                 opponent thinks, the master moves on boards 2 and 3; from 0:00:15 she waits \
                 for the first reply (0:01:00), and whichever board replied is next: 0:02:10 \
                 in all, not 0:06:00";
    common::assert_snapshot!(
        "async-await",
        "async_await_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::AsyncAwait.trace(&common::three_by_two()).unwrap()),
    );
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::AsyncAwait.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul trace async-await --switches --queues --opponents 2 --pairs 2`. The \
        executor's loop in its own words (task N is board N's game): it takes a task from the \
        run queue and polls it (resume); the game's async fn runs to an `.await` that is not \
        ready, and the poll returns Pending (suspend), paused at that `.await` line of the game, \
        its waker left with what it awaits: the timer (sleep_until, asyncio's sleep) or the \
        master's line (turn(), a fair lock). Nobody polls it again until that waker is woken \
        (wake): by the timer as the reply is due, by the master as the board before drops its \
        turn, or by itself when she is free (it yields once, asyncio's sleep(0), so that replies \
        already due land first). Look at 0:01:05: board 2's reply falls due inside board 1's \
        poll, while the master is busy (one thread), yet board 2 runs only once that poll \
        returns. `idle` is the executor jumping its clock when the run queue is empty; `==` \
        lines are the ordinary events.";
    common::assert_snapshot!(
        "async-await",
        "switches_async_await_2x2",
        about,
        &switches.text(true)
    );
}

/// Every suspension says where the game stopped: a line of the game's own code, the one with
/// the `.await` it stopped at (`turn` and `sleep_until` are `#[track_caller]`), for both of
/// its waits, never a line inside the executor, the timer or the master.
#[test]
fn every_suspension_is_paused_at_an_await_in_the_game() {
    let switches = Lane::AsyncAwait.switches(&common::three_by_two()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/lanes/async_await.rs");
    let source = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let mut awaited = Vec::new();
    for switch in switches.switches().filter(|switch| switch.kind == SwitchKind::Suspend) {
        let Some(PausedAt::Line(at)) = &switch.paused_at else { panic!("no line: {switch:?}") };
        assert_eq!(at.file(), "src/lanes/async_await.rs", "{switch:?}");
        let line = lines[at.line() as usize - 1].trim();
        let code = !line.starts_with("//") && line.contains(".await");
        assert!(code, "paused at a line of the game with no .await: {line}");
        awaited.push(line);
    }
    assert_eq!(awaited.len(), 3 * 2 * 2, "two waits a pair, each one suspension");
    awaited.sort_unstable();
    awaited.dedup();
    assert!(awaited.iter().any(|line| line.contains("master.turn().await")), "{awaited:?}");
    assert!(awaited.iter().any(|line| line.contains("sleep_until(reply).await")), "{awaited:?}");
}

/// Counts its drops: a guard held across an `.await`.
struct Guard<'a>(&'a Cell<u32>);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// With a time limit, no timer fires after it even when a busy task takes the clock past it;
/// the task woken by then runs until it next waits; then `run` jumps to the limit and drops
/// every unfinished task (their destructors run: the guards count them), whose handles stay
/// empty.
#[test]
fn at_its_limit_the_executor_drops_the_unfinished_tasks() {
    let at = |secs| Time::from_start(Duration::from_secs(secs));
    let timer = Timer::new().stop_at(at(100));
    let (dropped, log) = (Cell::new(0), RefCell::new(Vec::new()));
    let napper = |name: &'static str, secs, busy| {
        let (timer, dropped, log) = (&timer, &dropped, &log);
        async move {
            let _guard = Guard(dropped);
            timer.sleep(Duration::from_secs(secs)).await;
            log.borrow_mut().push((name, timer.now().since_start().as_secs()));
            timer.busy(Duration::from_secs(busy)); // may take the clock past the limit
            timer.sleep(Duration::from_secs(1)).await;
            log.borrow_mut().push((name, 0)); // never: every second sleep ends after the limit
        }
    };
    let mut executor = Executor::new(&timer);
    let handles = [
        executor.spawn(napper("busy past the limit", 90, 20)), // 90 s to 110 s
        executor.spawn(napper("due in the middle", 105, 0)),   // would land at 105 s: never fires
        executor.spawn(napper("due at the limit", 100, 0)), // fires at 100 s, runs at 110 s (late)
    ];
    executor.run();
    assert_eq!(*log.borrow(), [("busy past the limit", 90), ("due at the limit", 110)]);
    assert!(handles.iter().all(|handle| executor.join(handle).is_none()), "none of them ended");
    assert_eq!(dropped.get(), 3, "every unfinished task was dropped, and its guard with it");
}

/// `future`, named `task` in `log`: every poll that returned `Pending` is noted there, as the
/// lane reports its suspensions.
async fn counted<F: Future>(task: usize, log: &RefCell<Vec<usize>>, future: F) -> F::Output {
    let mut future = pin!(future);
    poll_fn(|cx| {
        let poll = future.as_mut().poll(cx);
        if poll.is_pending() {
            log.borrow_mut().push(task);
        }
        poll
    })
    .await
}

/// A task that panics ends alone, as with tokio's `spawn`: its handle gives the panic, its
/// future is dropped at once (its guard counts it before any other task runs), and the others
/// run on. Every `Pending` is a suspension, as it happens.
#[test]
fn a_panic_ends_only_its_task_and_its_handle_gets_it() {
    let timer = Timer::new();
    let (dropped, log, suspended) = (Cell::new(0), RefCell::new(Vec::new()), RefCell::default());
    let task = |index, name: &'static str, fails: bool| {
        let (timer, dropped, log) = (&timer, &dropped, &log);
        counted(index, &suspended, async move {
            let _guard = Guard(dropped);
            timer.sleep(Duration::from_secs(1)).await;
            if fails {
                std::panic::panic_any(PlannedFailure(Failure { board: 2, pair: 1 }));
            }
            timer.sleep(Duration::from_secs(1)).await;
            log.borrow_mut().push((name, timer.now().since_start().as_secs()));
        })
        .boxed_local()
    };
    PlannedFailure::hush(); // the planned panic is caught: no message on stderr
    let dropped_when_told = Cell::new(None);
    let mut executor = Executor::new(&timer);
    let _a = executor.spawn(task(0, "a", false));
    let b = executor.spawn(task(1, "b", true));
    let _c = executor.spawn(task(2, "c", false));
    let told = executor.spawn(
        counted(3, &suspended, async {
            timer.sleep(Duration::from_millis(1500)).await; // after b failed, before a and c end
            dropped_when_told.set(Some(dropped.get()));
        })
        .boxed_local(),
    );
    executor.run();
    assert_eq!(*log.borrow(), [("a", 2), ("c", 2)]);
    let panic = executor.join(&b).expect("b ended").expect_err("b panicked");
    let planned = PlannedFailure(Failure { board: 2, pair: 1 }).to_string();
    assert_eq!(PlannedFailure::message_of(&*panic), planned);
    assert!(executor.join(&told).is_some_and(|outcome| outcome.is_ok()));
    assert_eq!(dropped_when_told.get(), Some(1), "the failed task's future was dropped at once");
    assert_eq!(dropped.get(), 3, "and the others' when they finished");
    // Each sleep suspends once: a, b, c and the teller at 0 s; a and c again at 1 s (b failed
    // instead).
    assert_eq!(*suspended.borrow(), [0, 1, 2, 3, 0, 2]);
}

/// A panic that is not a task's — the executor's own deadlock check — leaves `run` as it is.
#[test]
#[should_panic(expected = "deadlock: 1 tasks wait forever")]
fn a_panic_outside_any_poll_is_not_caught() {
    let (timer, suspended) = (Timer::new(), RefCell::default());
    let mut executor = Executor::new(&timer);
    let _task = executor.spawn(counted(0, &suspended, std::future::pending::<()>()));
    executor.run();
}

/// A task woken twice before it runs again is queued once and polled once (asyncio's rule
/// too): the run queue holds each task at most once.
#[test]
fn a_task_woken_twice_is_polled_once() {
    let (timer, polls, suspended) = (Timer::new(), Cell::new(0), RefCell::default());
    let wakes_itself_twice = poll_fn(|cx| {
        polls.set(polls.get() + 1);
        if polls.get() == 1 {
            let kept = cx.waker().clone(); // as a timer keeps one
            cx.waker().wake_by_ref();
            kept.wake();
            return Poll::Pending;
        }
        Poll::Ready(())
    });
    let mut executor = Executor::new(&timer);
    let _task = executor.spawn(counted(0, &suspended, wakes_itself_twice));
    executor.run();
    assert_eq!(polls.get(), 2);
    assert_eq!(*suspended.borrow(), [0]);
}

/// The waker of a task that kept a clone of it, once the run of that task is over.
fn a_waker_kept_from_a_run(timer: &Timer) -> Waker {
    let kept = RefCell::new(None);
    let mut executor = Executor::new(timer);
    let _task = executor.spawn(poll_fn(|cx| {
        *kept.borrow_mut() = Some(cx.waker().clone());
        Poll::Ready(())
    }));
    executor.run();
    kept.take().expect("the task kept its waker")
}

/// A waker keeps its contract — `Send + Sync`, any thread may wake it: a task woken from a
/// `std::thread` is polled again.
#[test]
fn a_task_woken_from_another_thread_is_polled_again() {
    let (timer, polls) = (Timer::new(), Cell::new(0));
    let mut executor = Executor::new(&timer);
    let _task = executor.spawn(poll_fn(|cx| {
        polls.set(polls.get() + 1);
        if polls.get() > 1 {
            return Poll::Ready(());
        }
        let waker = cx.waker().clone();
        std::thread::spawn(move || waker.wake()).join().expect("the thread woke the task");
        Poll::Pending
    }));
    executor.run();
    assert_eq!(polls.get(), 2, "polled again after the other thread's wake");
}

/// A wake from another thread may come after the loop has run out of work: with no sleep
/// left, `run` parks until it arrives (the thread holds the task's waker, so it may), instead
/// of calling it a deadlock. The clock does not move meanwhile.
#[test]
fn a_task_woken_later_from_a_thread_it_does_not_join_finishes() {
    let (timer, polls, thread) = (Timer::new(), Cell::new(0), RefCell::new(None));
    let mut executor = Executor::new(&timer);
    let task = executor.spawn(poll_fn(|cx| {
        polls.set(polls.get() + 1);
        if polls.get() > 1 {
            return Poll::Ready(());
        }
        let waker = cx.waker().clone();
        thread.replace(Some(std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50)); // long after `run` ran out of work
            waker.wake();
        })));
        Poll::Pending
    }));
    executor.run();
    assert_eq!(polls.get(), 2, "polled again after the other thread's wake");
    assert!(executor.join(&task).is_some_and(|outcome| outcome.is_ok()), "and it finished");
    assert!(executor.join(&task).is_none(), "a second join gets nothing");
    assert_eq!(timer.now(), Time::ZERO);
    thread.take().expect("the task started it").join().expect("the thread woke the task");
}

/// A handle is good only on the executor that spawned its task, and says so.
#[test]
#[should_panic(expected = "a JoinHandle from another executor")]
fn a_handle_from_another_executor_is_refused() {
    let timer = Timer::new();
    let (mut one, mut two) = (Executor::new(&timer), Executor::new(&timer));
    let from_one = one.spawn(async {});
    let _from_two = two.spawn(async {});
    one.run();
    two.run();
    let _ = two.join(&from_one);
}

/// Counts the wakes it gets, as a task's waker would queue them.
#[derive(Default)]
struct CountsWakes(AtomicU32);

impl ArcWake for CountsWakes {
    fn wake_by_ref(counter: &Arc<CountsWakes>) {
        counter.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// A sleep polled with one waker, then another, wakes the latest: every future must, since
/// the task that polled it last is the one waiting (e.g. after a move into `select`).
#[test]
fn a_sleep_wakes_the_waker_of_its_latest_poll() {
    let timer = Timer::new();
    let mut sleep = pin!(timer.sleep(Duration::from_secs(1)));
    let first = &mut Context::from_waker(noop_waker_ref());
    assert!(sleep.as_mut().poll(first).is_pending());
    let counter = Arc::new(CountsWakes::default());
    let latest = waker(Arc::clone(&counter));
    assert!(sleep.as_mut().poll(&mut Context::from_waker(&latest)).is_pending());
    timer.busy(Duration::from_secs(1));
    assert_eq!(counter.0.load(Ordering::Relaxed), 1, "the latest waker was woken");
    assert!(sleep.as_mut().poll(&mut Context::from_waker(&latest)).is_ready());
}

/// At the time limit, tasks whose destructors panic as they are dropped: each panic is
/// caught, as in a poll, so `run` returns and every task is dropped (without it, the first
/// panic would leave `run` and the second, while it unwinds, abort the process).
#[test]
fn destructors_panicking_at_the_limit_do_not_escape_run() {
    /// Counts its drop, then panics.
    struct PanicsWhenDropped<'a>(&'a Cell<u32>);
    impl Drop for PanicsWhenDropped<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
            std::panic::panic_any(PlannedFailure(Failure { board: self.0.get(), pair: 1 }));
        }
    }
    PlannedFailure::hush();
    let limit = Time::from_start(Duration::from_secs(10));
    let (timer, dropped) = (Timer::new().stop_at(limit), Cell::new(0));
    let sleeper = || async {
        let _panics = PanicsWhenDropped(&dropped);
        timer.sleep(Duration::from_secs(20)).await; // ends after the limit
    };
    let mut executor = Executor::new(&timer);
    let handles = [executor.spawn(sleeper()), executor.spawn(sleeper())];
    executor.run();
    assert_eq!(dropped.get(), 2, "both tasks were dropped, each destructor's panic caught");
    assert!(handles.iter().all(|handle| executor.join(handle).is_none()), "neither ended");
    assert_eq!(timer.now(), limit);
}

/// A waker kept past the end of its run does nothing harmful, on any thread: its wake lands
/// where nobody reads it.
#[test]
fn a_waker_kept_past_its_run_does_nothing_harmful() {
    let timer = Timer::new();
    let waker = a_waker_kept_from_a_run(&timer);
    let elsewhere = waker.clone();
    std::thread::spawn(move || elsewhere.wake()).join().expect("a wake elsewhere is harmless");
    waker.wake_by_ref();
    drop(waker);
    assert_eq!(timer.now(), Time::ZERO);
}

/// A waker kept from one run and woken while another runs: it names its own run's task, so
/// nothing of the new run is polled for it.
#[test]
fn a_waker_from_an_earlier_run_wakes_nothing_in_the_next() {
    let timer = Timer::new();
    let stale = a_waker_kept_from_a_run(&timer);
    let (polls, suspended) = (Cell::new(0), RefCell::default());
    let mut executor = Executor::new(&timer);
    let _task = executor.spawn(counted(0, &suspended, async {
        polls.set(polls.get() + 1);
        stale.wake_by_ref();
        timer.sleep(Duration::from_secs(1)).await;
        polls.set(polls.get() + 1);
    }));
    executor.run();
    assert_eq!(polls.get(), 2);
    assert_eq!(*suspended.borrow(), [0], "one suspension, woken by its own timer only");
}

/// A failed task whose destructor panics when the executor drops it: the task's own panic
/// is the one its handle gets, and the other tasks run on. (A future's own `poll` panicking
/// leaves the future whole: only the executor's drop runs its destructor.)
#[test]
fn a_destructor_panicking_after_its_task_failed_does_not_escape() {
    struct FailsTwice;
    impl Future for FailsTwice {
        type Output = ();
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            std::panic::panic_any(PlannedFailure(Failure { board: 1, pair: 1 }));
        }
    }
    impl Drop for FailsTwice {
        fn drop(&mut self) {
            std::panic::panic_any(PlannedFailure(Failure { board: 1, pair: 2 }));
        }
    }
    PlannedFailure::hush();
    let (timer, finished) = (Timer::new(), Cell::new(false));
    let mut executor = Executor::new(&timer);
    let fails = executor.spawn(FailsTwice.boxed_local());
    let finishes = async {
        timer.sleep(Duration::from_secs(2)).await;
        finished.set(true);
    };
    let _finishes = executor.spawn(finishes.boxed_local());
    executor.run();
    let panic = executor.join(&fails).expect("it ended").expect_err("it panicked");
    let planned = PlannedFailure(Failure { board: 1, pair: 1 }).to_string();
    assert_eq!(PlannedFailure::message_of(&*panic), planned);
    assert!(finished.get());
}

/// One timer, two runs: a sleep left by the first run (its task finished without waiting for
/// it) falls due in the second, and wakes only its finished task, which is not polled again;
/// the second run's clock goes on from the first's.
#[test]
fn a_second_run_ignores_what_the_first_left_behind() {
    use futures::future::{Either, select};
    let (timer, suspended) = (Timer::new(), RefCell::default());
    let mut first = Executor::new(&timer);
    let _first = first.spawn(async {
        let short = timer.sleep(Duration::from_secs(1));
        let long = timer.sleep(Duration::from_secs(100)); // set, then abandoned
        match select(short, long).await {
            Either::Left(((), _long)) => {}
            Either::Right(_) => unreachable!("the short sleep ends first"),
        }
    });
    first.run();
    assert_eq!(timer.now().since_start(), Duration::from_secs(1));
    // The abandoned timer is due at 101 s, within the second run's second sleep: it must not
    // wake that sleep early (a spurious suspension).
    let mut second = Executor::new(&timer);
    let _short = second.spawn(counted(0, &suspended, timer.sleep(Duration::from_secs(5))));
    let _long = second.spawn(counted(1, &suspended, timer.sleep(Duration::from_secs(150))));
    second.run();
    assert_eq!(timer.now().since_start(), Duration::from_secs(151));
    assert_eq!(*suspended.borrow(), [0, 1], "each sleep suspended once, woken by its own timer");
}

/// A task still in the run queue, woken again by a task ahead of it, is polled once: the
/// queue holds each task at most once, wherever it stands in it.
#[test]
fn a_queued_task_woken_by_one_ahead_of_it_is_polled_once() {
    let (timer, kept, suspended) = (Timer::new(), RefCell::new(None::<Waker>), RefCell::default());
    let wakes_the_other = async {
        yield_now().await; // behind task 1, which queues itself as it yields
        kept.take().expect("task 1 kept its waker").wake(); // task 1 is queued already
    };
    let yields = async {
        poll_fn(|cx| Poll::Ready(kept.replace(Some(cx.waker().clone())))).await;
        yield_now().await;
        timer.sleep(Duration::from_secs(1)).await;
    };
    let mut executor = Executor::new(&timer);
    let _first = executor.spawn(counted(0, &suspended, wakes_the_other).boxed_local());
    let _second = executor.spawn(counted(1, &suspended, yields).boxed_local());
    executor.run();
    // Task 0 yields; task 1 yields; task 0 wakes task 1 (queued: no change) and ends; task 1
    // sleeps. A second wake taken for a second place would add a spurious `1`.
    assert_eq!(*suspended.borrow(), [0, 1, 1]);
}

/// A task dropped while a panic leaves `run` (the deadlock check) is dropped with its
/// executor, and may wake another task as it goes: the wake lands, nothing aborts. After it,
/// a kept waker is harmless and the timer can run again. (The task it wakes has ended: were
/// it unfinished, its waker, held, would make `run` park for a wake instead of panicking.)
#[test]
fn tasks_dropped_while_a_panic_leaves_run_may_wake_one_another() {
    /// Wakes its waker as it is dropped, as a turn with the master passes her on.
    struct WakeOnDrop<'a>(Option<Waker>, &'a Cell<u32>);
    impl Drop for WakeOnDrop<'_> {
        fn drop(&mut self) {
            if let Some(waker) = self.0.take() {
                waker.wake();
            }
            self.1.set(self.1.get() + 1);
        }
    }
    PlannedFailure::hush();
    let (timer, kept, woke_while_dropped) = (Timer::new(), RefCell::new(None), Cell::new(0));
    let keeps_its_waker = async {
        poll_fn(|cx| Poll::Ready(kept.replace(Some(cx.waker().clone())))).await;
    };
    let wakes_as_dropped = async {
        let _wakes = WakeOnDrop(kept.borrow().clone(), &woke_while_dropped);
        std::future::pending::<()>().await;
    };
    let ended = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut executor = Executor::new(&timer);
        let _first = executor.spawn(keeps_its_waker.boxed_local());
        let _second = executor.spawn(wakes_as_dropped.boxed_local());
        executor.run(); // a deadlock: the second waits for ever
    }));
    assert!(ended.is_err(), "the deadlock's panic left run");
    assert_eq!(woke_while_dropped.get(), 1, "the wake while dropped landed, and did not abort");
    kept.take().expect("the first task kept its waker").wake_by_ref(); // its run is over
    let mut again = Executor::new(&timer);
    let finished = again.spawn(async {});
    again.run();
    assert!(again.join(&finished).is_some(), "and the timer can run again");
}

/// A run inside a task, on an executor of its own: the executor keeps no state per thread,
/// so it simply runs, and the outer run's other tasks finish on their own timer.
#[test]
fn a_run_inside_a_task_runs_on_its_own() {
    let (outer, finished, inner_ran) = (Timer::new(), Cell::new(false), Cell::new(false));
    let mut executor = Executor::new(&outer);
    let sleeps = async {
        outer.sleep(Duration::from_secs(1)).await;
        finished.set(true);
    };
    let nests = async {
        let inner = Timer::new();
        let mut nested = Executor::new(&inner);
        let ran = nested.spawn(inner.sleep(Duration::from_secs(5)));
        nested.run();
        inner_ran.set(nested.join(&ran).is_some());
    };
    let _sleeps = executor.spawn(sleeps.boxed_local());
    let _nests = executor.spawn(nests.boxed_local());
    executor.run();
    assert!(inner_ran.get() && finished.get());
    assert_eq!(outer.now().since_start(), Duration::from_secs(1), "the inner clock is its own");
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::AsyncAwait.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the async-await lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!(
        "async-await",
        "async_await_summary_default",
        about,
        &summary.to_string()
    );
}
