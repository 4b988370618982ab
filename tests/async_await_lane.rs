//! The async/await lane, checked against the concurrent closed form, with its executor's
//! `yield_now` and a snapshot.

mod common;

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::Context;
use std::time::Duration;

use coro_simul::exhibition::Failure;
use coro_simul::lanes::Lane;
use coro_simul::lanes::async_await::executor::{Executor, Hooks};
use coro_simul::render::{Format, render};
use coro_simul::{Exhibition, PlannedFailure};
use futures::FutureExt;
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
    let executor = Executor::new();
    let log = RefCell::new(Vec::new());
    let note = |what: &'static str| log.borrow_mut().push((what, executor.now().as_nanos()));
    let sleeper = async {
        executor.sleep(Duration::from_secs(1)).await;
        note("sleeper wakes");
    };
    let polite = async {
        note("polite starts");
        executor.busy(Duration::from_secs(2)); // the sleeper's timer falls due meanwhile
        executor.yield_now().await;
        note("polite resumes");
    };
    let other = async { note("other runs") };
    executor.run([sleeper.boxed_local(), polite.boxed_local(), other.boxed_local()]);
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
    let executor = Executor::new();
    let at = |secs| coro_simul::clock::Time::from_start(Duration::from_secs(secs));
    let woke_at = std::cell::Cell::new(None);
    executor.run([async {
        executor.busy(Duration::from_secs(10));
        executor.sleep_until(at(5)).await;
        woke_at.set(Some(executor.now()));
    }]);
    assert_eq!(woke_at.get(), Some(at(10)));
}

/// A task that waits for a wake-up nobody will send is a deadlock, and says so.
#[test]
#[should_panic(expected = "deadlock: 1 tasks wait forever")]
fn waiting_forever_is_a_clear_panic() {
    Executor::new().run([std::future::pending::<()>()]);
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace async-await --opponents 3 --pairs 2`: while board 1's \
                 opponent thinks, the master moves on boards 2 and 3; from 0:00:15 she waits \
                 for the first reply (0:01:00), and whichever board replied is next: 0:02:10 \
                 in all, not 0:06:00";
    common::assert_snapshot(
        "async_await_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::AsyncAwait.trace(&common::three_by_two()).unwrap()),
    );
}

/// Counts its drops: a guard held across an `.await`.
struct Guard<'a>(&'a Cell<u32>);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// With a time limit, no timer fires after it even when a busy task takes the clock past it;
/// the task woken by then runs until it next waits; then `run` jumps to the limit, drops
/// every unfinished task (their destructors run: the guards count them) and names them.
#[test]
fn at_its_limit_the_executor_drops_the_unfinished_tasks() {
    let at = |secs| coro_simul::clock::Time::from_start(Duration::from_secs(secs));
    let executor = Executor::new().stop_at(at(100));
    let (dropped, log) = (Cell::new(0), RefCell::new(Vec::new()));
    let napper = |name: &'static str, secs, busy| {
        let (executor, dropped, log) = (&executor, &dropped, &log);
        async move {
            let _guard = Guard(dropped);
            executor.sleep(Duration::from_secs(secs)).await;
            log.borrow_mut().push((name, executor.now().since_start().as_secs()));
            executor.busy(Duration::from_secs(busy)); // may take the clock past the limit
            executor.sleep(Duration::from_secs(1)).await;
            log.borrow_mut().push((name, 0)); // never: every second sleep ends after the limit
        }
        .boxed_local()
    };
    let unfinished = executor.run([
        napper("busy past the limit", 90, 20), // 90 s to 110 s
        napper("due in the middle", 105, 0),   // would land at 105 s: never fires
        napper("due at the limit", 100, 0),    // fires at 100 s, runs at 110 s (late)
    ]);
    assert_eq!(*log.borrow(), [("busy past the limit", 90), ("due at the limit", 110)]);
    assert_eq!(unfinished, [0, 1, 2]);
    assert_eq!(dropped.get(), 3, "every unfinished task was dropped, and its guard with it");
}

/// What [`Hooks`] saw, task by task; with `drops`, how many guards had been dropped when
/// each panic was reported.
#[derive(Default)]
struct Seen<'a> {
    suspended: Vec<usize>,
    panicked: Vec<(usize, String)>,
    drops: Option<&'a Cell<u32>>,
    dropped_when_told: Vec<u32>,
}

impl Hooks for Seen<'_> {
    fn suspended(&mut self, task: usize) {
        self.suspended.push(task);
    }

    fn panicked(&mut self, task: usize, panic: Box<dyn std::any::Any + Send>) {
        self.panicked.push((task, PlannedFailure::message_of(&*panic)));
        self.dropped_when_told.extend(self.drops.map(Cell::get));
    }
}

/// `run_with` reports every `Pending` as a suspension, as it happens; a task that panics
/// ends alone, its future dropped at once (its guard counts it), and the others run on.
#[test]
fn run_with_reports_suspensions_and_a_panic_ends_only_its_task() {
    let executor = Executor::new();
    let (dropped, log) = (Cell::new(0), RefCell::new(Vec::new()));
    let task = |name: &'static str, fails: bool| {
        let (executor, dropped, log) = (&executor, &dropped, &log);
        async move {
            let _guard = Guard(dropped);
            executor.sleep(Duration::from_secs(1)).await;
            if fails {
                std::panic::panic_any(PlannedFailure(Failure { board: 2, pair: 1 }));
            }
            executor.sleep(Duration::from_secs(1)).await;
            log.borrow_mut().push((name, executor.now().since_start().as_secs()));
        }
        .boxed_local()
    };
    let mut seen = Seen { drops: Some(&dropped), ..Seen::default() };
    PlannedFailure::hush(); // the planned panic is caught: no message on stderr
    let tasks = [task("a", false), task("b", true), task("c", false)];
    let unfinished = executor.run_with(tasks, &mut seen);
    assert!(unfinished.is_empty());
    assert_eq!(*log.borrow(), [("a", 2), ("c", 2)]);
    let planned = PlannedFailure(Failure { board: 2, pair: 1 }).to_string();
    assert_eq!(seen.panicked, [(1, planned)]);
    assert_eq!(seen.dropped_when_told, [1], "the failed task's future was dropped at once");
    assert_eq!(dropped.get(), 3, "and the others' when they finished");
    // Each sleep suspends once: a, b, c at 0 s; a and c again at 1 s (b failed instead).
    assert_eq!(seen.suspended, [0, 1, 2, 0, 2]);
}

/// A panic that is not a task's — the executor's own deadlock check — is not a hook's to
/// see: it leaves `run_with` as it is.
#[test]
#[should_panic(expected = "deadlock: 1 tasks wait forever")]
fn a_panic_outside_any_poll_is_not_caught() {
    Executor::new().run_with([std::future::pending::<()>()], &mut Seen::default());
}

/// A task woken twice before it runs again is queued once and polled once (asyncio's rule
/// too): the run queue holds each task at most once.
#[test]
fn a_task_woken_twice_is_polled_once() {
    let executor = Executor::new();
    let polls = Cell::new(0);
    let wakes_itself_twice = futures::future::poll_fn(|cx| {
        polls.set(polls.get() + 1);
        if polls.get() == 1 {
            let kept = cx.waker().clone(); // as a timer keeps one
            cx.waker().wake_by_ref();
            kept.wake();
            return std::task::Poll::Pending;
        }
        std::task::Poll::Ready(())
    });
    let mut seen = Seen::default();
    executor.run_with([wakes_itself_twice], &mut seen);
    assert_eq!(polls.get(), 2);
    assert_eq!(seen.suspended, [0]);
}

/// The waker of a task that kept a clone of it, once `executor`'s run of that task is over.
fn a_waker_kept_from_a_run(executor: &Executor) -> std::task::Waker {
    let kept = RefCell::new(None);
    executor.run([futures::future::poll_fn(|cx| {
        *kept.borrow_mut() = Some(cx.waker().clone());
        std::task::Poll::Ready(())
    })]);
    kept.take().expect("the task kept its waker")
}

/// A task's waker works only on its executor's thread, while `run` runs: woken anywhere
/// else, it says so, instead of queueing a task on some other executor or losing the wake.
#[test]
fn a_waker_woken_away_from_its_run_panics_with_a_message() {
    let waker = a_waker_kept_from_a_run(&Executor::new());
    let expected = "a task was woken outside its executor's `run`, or on another thread";
    let on_another_thread = std::thread::spawn({
        let waker = waker.clone();
        move || std::panic::catch_unwind(|| waker.wake()).expect_err("a wake elsewhere panics")
    });
    let message = on_another_thread.join().expect("the panic was caught on that thread");
    assert_eq!(PlannedFailure::message_of(&*message), expected);
    let after_run = std::panic::catch_unwind(|| waker.wake_by_ref()).expect_err("and after run");
    assert_eq!(PlannedFailure::message_of(&*after_run), expected);
}

/// A hook that panics is not a task failing: its panic leaves `run_with`, and no task is
/// reported forfeit for it.
#[test]
fn a_panicking_hook_ends_the_run() {
    struct Fussy;
    impl Hooks for Fussy {
        fn suspended(&mut self, _task: usize) {
            std::panic::panic_any(PlannedFailure(Failure { board: 1, pair: 1 }));
        }
        fn panicked(&mut self, task: usize, _panic: Box<dyn std::any::Any + Send>) {
            panic!("task {task} reported as failed for its hook's panic");
        }
    }
    PlannedFailure::hush();
    let executor = Executor::new();
    let naps = [executor.sleep(Duration::from_secs(1))];
    let ended = std::panic::catch_unwind(AssertUnwindSafe(|| executor.run_with(naps, &mut Fussy)));
    let panic = ended.expect_err("the hook's panic left run_with");
    assert!(panic.is::<PlannedFailure>(), "{}", PlannedFailure::message_of(&*panic));
}

/// A failed task whose destructor panics when the executor drops it: the task's own panic
/// is the one reported, and the other tasks run on. (A future's own `poll` panicking leaves
/// the future whole: only the executor's drop runs its destructor.)
#[test]
fn a_destructor_panicking_after_its_task_failed_does_not_escape() {
    struct FailsTwice;
    impl std::future::Future for FailsTwice {
        type Output = ();
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> std::task::Poll<()> {
            std::panic::panic_any(PlannedFailure(Failure { board: 1, pair: 1 }));
        }
    }
    impl Drop for FailsTwice {
        fn drop(&mut self) {
            std::panic::panic_any(PlannedFailure(Failure { board: 1, pair: 2 }));
        }
    }
    PlannedFailure::hush();
    let executor = Executor::new();
    let finished = Cell::new(false);
    let finishes = async {
        executor.sleep(Duration::from_secs(2)).await;
        finished.set(true);
    };
    let mut seen = Seen::default();
    executor.run_with([FailsTwice.boxed_local(), finishes.boxed_local()], &mut seen);
    let planned = PlannedFailure(Failure { board: 1, pair: 1 }).to_string();
    assert_eq!(seen.panicked, [(0, planned)]);
    assert!(finished.get());
}

/// One executor, run twice: a timer left by the first run (its task finished without waiting
/// for it) never fires in the second, and the second run's clock goes on from the first's.
#[test]
fn a_second_run_ignores_what_the_first_left_behind() {
    use futures::future::{Either, select};
    let executor = Executor::new();
    let first = async {
        let short = executor.sleep(Duration::from_secs(1));
        let long = executor.sleep(Duration::from_secs(100)); // set, then abandoned
        match select(short, long).await {
            Either::Left(((), _long)) => {}
            Either::Right(_) => unreachable!("the short sleep ends first"),
        }
    }
    .boxed_local();
    executor.run([first]);
    assert_eq!(executor.now().since_start(), Duration::from_secs(1));
    let mut seen = Seen::default();
    // The abandoned timer is due at 101 s, within the second run's second sleep: it must not
    // fire there (it would wake that sleep early, a spurious suspension).
    let second = [executor.sleep(Duration::from_secs(5)), executor.sleep(Duration::from_secs(150))];
    executor.run_with(second, &mut seen);
    assert_eq!(executor.now().since_start(), Duration::from_secs(151));
    assert_eq!(seen.suspended, [0, 1], "each sleep suspended once, woken by its own timer");
}

/// A task still in the run queue, woken again by a task ahead of it, is polled once: the
/// queue holds each task at most once, wherever it stands in it.
#[test]
fn a_queued_task_woken_by_one_ahead_of_it_is_polled_once() {
    let executor = Executor::new();
    let kept: RefCell<Option<std::task::Waker>> = RefCell::new(None);
    let wakes_the_other = async {
        executor.yield_now().await; // behind task 1, which queues itself as it yields
        kept.take().expect("task 1 kept its waker").wake(); // task 1 is queued already
    };
    let yields = async {
        futures::future::poll_fn(|cx| {
            std::task::Poll::Ready(kept.replace(Some(cx.waker().clone())))
        })
        .await;
        executor.yield_now().await;
        executor.sleep(Duration::from_secs(1)).await;
    };
    let mut seen = Seen::default();
    executor.run_with([wakes_the_other.boxed_local(), yields.boxed_local()], &mut seen);
    // Task 0 yields; task 1 yields; task 0 wakes task 1 (queued: no change) and ends; task 1
    // sleeps. A second wake taken for a second place would add a spurious `1`.
    assert_eq!(seen.suspended, [0, 1, 1]);
}

/// With plain `run`, a task's panic unwinds out of `run` and drops the other tasks on the
/// way, inside `run`, where the run queue still is: a task dropped may wake another. After
/// `run`, a kept waker refuses, and the thread can run an executor again.
#[test]
fn tasks_dropped_while_a_panic_leaves_run_may_wake_one_another() {
    /// Wakes its waker as it is dropped, as a turn with the master passes her on.
    struct WakeOnDrop<'a>(Option<std::task::Waker>, &'a Cell<u32>);
    impl Drop for WakeOnDrop<'_> {
        fn drop(&mut self) {
            if let Some(waker) = self.0.take() {
                waker.wake();
            }
            self.1.set(self.1.get() + 1);
        }
    }
    PlannedFailure::hush();
    let executor = Executor::new();
    let (kept, woke_while_dropped) = (RefCell::new(None), Cell::new(0));
    let waits_forever = async {
        futures::future::poll_fn(|cx| {
            std::task::Poll::Ready(kept.replace(Some(cx.waker().clone())))
        })
        .await;
        std::future::pending::<()>().await;
    };
    let wakes_as_dropped = async {
        let _wakes = WakeOnDrop(kept.borrow().clone(), &woke_while_dropped);
        executor.sleep(Duration::from_secs(100)).await;
    };
    let fails = async {
        executor.sleep(Duration::from_secs(1)).await;
        std::panic::panic_any(PlannedFailure(Failure { board: 3, pair: 1 }));
    };
    let tasks = [waits_forever.boxed_local(), wakes_as_dropped.boxed_local(), fails.boxed_local()];
    let ended = std::panic::catch_unwind(AssertUnwindSafe(|| executor.run(tasks)));
    assert!(ended.expect_err("the task's panic left run").is::<PlannedFailure>());
    assert_eq!(woke_while_dropped.get(), 1, "the wake while dropped landed, and did not abort");
    let waker = kept.take().expect("the first task kept its waker");
    assert!(std::panic::catch_unwind(|| waker.wake_by_ref()).is_err(), "its run is over");
    assert!(executor.run([async {}]).is_empty(), "and the thread can run again");
}

/// A `run` inside a task is refused, as that task's panic; the outer run keeps its timers and
/// its run queue, so its other tasks finish — on another executor or on the same one.
#[test]
fn a_run_inside_a_task_fails_that_task_alone() {
    let (outer, other) = (Executor::new(), Executor::new());
    for nested_on in [&other, &outer] {
        let finished = Cell::new(false);
        let sleeps = async {
            outer.sleep(Duration::from_secs(1)).await;
            finished.set(true);
        };
        let nests = async {
            nested_on.run([async {}]);
        };
        let mut seen = Seen::default();
        outer.run_with([sleeps.boxed_local(), nests.boxed_local()], &mut seen);
        let refused = "an executor is already running on this thread".to_owned();
        assert_eq!(seen.panicked, [(1, refused)]);
        assert!(finished.get(), "the sleeper's timer survived the refused run");
    }
}

/// A waker kept from one run and woken while another runs on the same thread is refused: it
/// names a task of a run that is over, not a task of this one.
#[test]
fn a_waker_from_an_earlier_run_is_refused_by_the_next() {
    let executor = Executor::new();
    let stale = a_waker_kept_from_a_run(&executor);
    let mut seen = Seen::default();
    executor.run_with([async { stale.wake_by_ref() }], &mut seen);
    let refused = "a task was woken outside its executor's `run`, or on another thread".to_owned();
    assert_eq!(seen.panicked, [(0, refused)]);
}
