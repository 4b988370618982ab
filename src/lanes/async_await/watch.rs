//! The lane's switch trace: the executor's life in its own words — each poll and what it
//! returned, where the game stopped, who woke whom, and the queues: the run queue, the timer's
//! sleepers and the master's line.
//!
//! A [`Watcher`] is the executor's [`Watch`], made only when the sink keeps switches; for any
//! other sink the executor is watched by `()` and none of this runs, so the formatting here
//! needs no `switch_with` closures. Tasks are named by their board: the lane spawns board
//! `b`'s game `b`-th, and the executor numbers from 0, so the executor's task `b − 1` is
//! "task `b`" here.

use std::cell::RefCell;
use std::future::Future;

use super::executor::{Tasks, Watch};
use super::master::Master;
use super::timer::Timer;
use crate::clock::{Clock, Time};
use crate::trace::{PausedAt, Queue, Sink, Switch, SwitchKind};

/// Watches the executor for the switch trace; see [the module docs](self).
pub(super) struct Watcher<'a, S, C> {
    sink: &'a RefCell<&'a mut S>,
    timer: &'a Timer<C>,
    master: &'a Master,
    /// How long the run queue was once the task being polled left it: the tasks behind those,
    /// after the poll, are the ones it woke.
    queued: usize,
    /// What each task awaits, as its latest poll left it (index: executor's number): who
    /// will wake it.
    awaits: Vec<Awaits>,
    /// The clock at the latest switch: where a jump of the clock starts.
    now: Time,
}

/// What a paused task waits for.
#[derive(Debug, Clone, Copy)]
enum Awaits {
    /// Not polled yet: spawned, it is in the run queue.
    Start,
    /// A sleep until then: the timer wakes it.
    Sleep(Time),
    /// Its turn with the master: she wakes it, as the board before it lets her go.
    Turn,
    /// Nothing (`pending()`): the time limit came, and the executor will drop it.
    Forever,
}

impl<'a, S: Sink, C: Clock> Watcher<'a, S, C> {
    /// A watcher for `boards` tasks, reporting to `sink`, reading the `timer` and the `master`.
    pub(super) fn new(
        boards: u32,
        sink: &'a RefCell<&'a mut S>,
        timer: &'a Timer<C>,
        master: &'a Master,
    ) -> Watcher<'a, S, C> {
        let awaits = vec![Awaits::Start; boards as usize];
        Watcher { sink, timer, master, queued: 0, awaits, now: timer.now() }
    }

    fn report(&self, switch: Switch) {
        self.sink.borrow_mut().switch(switch);
    }

    /// The tasks woken during a poll of `polled` (or a jump of the clock, `None`): a line
    /// each, saying who woke it.
    fn report_wakes(&self, polled: Option<u32>, woken: &[u32]) {
        for &task in woken {
            let says = self.who_woke(task, polled);
            self.report(Switch::new(self.now, board(task), SwitchKind::Wake, says));
        }
    }

    /// Who woke `task` during a poll of `polled` (or a jump of the clock): whatever held its
    /// waker, which is what it awaits.
    fn who_woke(&self, task: u32, polled: Option<u32>) -> String {
        let woken = board(task);
        match (polled, self.awaits[task as usize]) {
            (Some(polled), _) if polled == task => {
                format!("turn(): the master is free → wake({woken}) itself, to yield once")
            }
            (_, Awaits::Sleep(until)) => format!("timer: {until} is due → wake({woken})"),
            (Some(polled), Awaits::Turn) => {
                let polled = board(polled);
                format!("master: task {polled} drops its turn → wake({woken}), next in her line")
            }
            _ => format!("wake({woken})"),
        }
    }

    /// Where the task whose poll just returned `Pending` stopped: the wait it made in that
    /// poll (the timer and the master remember the latest one each, and the line that made
    /// it); `yielded` if it woke itself meanwhile.
    fn stopped_at(&self, yielded: bool) -> (Awaits, String, PausedAt) {
        if let Some((until, line)) = self.timer.take_latest_sleep() {
            return (Awaits::Sleep(until), format!("sleep_until({until})"), PausedAt::Line(line));
        }
        if let Some(line) = self.master.take_latest_turn() {
            let how = if yielded { "yielded, back in the run queue" } else { "in her line" };
            return (Awaits::Turn, format!("turn(), {how}"), PausedAt::Line(line));
        }
        let at = PausedAt::State("std::future::pending()".to_owned());
        (Awaits::Forever, "pending(): the time limit, never woken".to_owned(), at)
    }

    /// The executor's queues after a switch: the run queue, the timer's sleepers, the
    /// master's line.
    fn queues<F: Future>(&self, tasks: &Tasks<'_, F>) -> Vec<Queue> {
        let run_queue = tasks.run_queue().into_iter().map(board);
        let sleepers = self.timer.sleepers().into_iter();
        let sleepers =
            sleepers.filter_map(|(due, waker)| Some((due, board(tasks.task_of(&waker)?))));
        let line = self.master.line();
        let line = line.iter().filter_map(|waker| tasks.task_of(waker)).map(board);
        vec![
            Queue::fifo("run queue", run_queue),
            Queue::timers("timer", sleepers),
            Queue::fifo("master's line", line),
        ]
    }
}

impl<S: Sink, C: Clock> Watch for Watcher<'_, S, C> {
    fn before_poll<F: Future>(&mut self, task: u32, tasks: &Tasks<'_, F>) {
        self.queued = tasks.run_queue().len();
        // Forgotten, so that what the timer and the master remember after the poll is new.
        let _ = (self.timer.take_latest_sleep(), self.master.take_latest_turn());
        let says = format!("poll task {}", board(task));
        self.report(Switch::new(self.now, board(task), SwitchKind::Resume, says));
    }

    fn after_poll<F: Future>(&mut self, task: u32, ended: bool, tasks: &Tasks<'_, F>) {
        self.now = self.timer.now();
        let woken = tasks.run_queue().split_off(self.queued);
        self.report_wakes(Some(task), &woken);
        let poll = format!("poll task {}", board(task));
        if ended {
            let switch = Switch::new(self.now, board(task), SwitchKind::Finish, poll + " → Ready");
            return self.report(switch.queues(self.queues(tasks)));
        }
        let (awaits, what, at) = self.stopped_at(woken.contains(&task));
        self.awaits[task as usize] = awaits;
        let says = format!("{poll} → Pending at {what}");
        let switch = Switch::new(self.now, board(task), SwitchKind::Suspend, says);
        self.report(switch.paused_at(at).queues(self.queues(tasks)));
    }

    fn clock_jumped<F: Future>(&mut self, tasks: &Tasks<'_, F>) {
        let to = self.timer.now();
        let says = format!("run queue empty: the clock jumps to {to}, the next deadline");
        self.report(Switch::new(self.now, None, SwitchKind::Idle, says));
        self.now = to;
        self.report_wakes(None, &tasks.run_queue());
    }

    fn stopping<F: Future>(&mut self, tasks: &Tasks<'_, F>) {
        let limit = self.timer.now();
        let says = format!("nothing to run before the limit: the executor stops at {limit}");
        self.report(Switch::new(self.now, None, SwitchKind::Idle, says));
        for task in tasks.unfinished() {
            let awaits = match self.awaits[task as usize] {
                Awaits::Start => "before its first poll".to_owned(),
                Awaits::Sleep(until) => format!("at sleep_until({until})"),
                Awaits::Turn => "waiting for its turn".to_owned(),
                Awaits::Forever => "at pending()".to_owned(),
            };
            let says = format!("the limit: task {} dropped, still {awaits}", board(task));
            self.report(Switch::new(limit, board(task), SwitchKind::Finish, says));
        }
    }
}

/// The board whose game is the executor's `task`.
fn board(task: u32) -> u32 {
    task + 1
}
