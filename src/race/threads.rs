//! The race's threads: each lane on its own, on its own scaled clock, and how each ended.

use std::io;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::progress::{Progress, ProgressSink};
use crate::Exhibition;
use crate::clock::{ScaledClock, Speed};
use crate::lanes::{Lane, LaneError};
use crate::trace::Summary;

/// How one lane's race ended.
#[derive(Debug, Clone)]
pub struct Finish {
    /// The lane.
    pub lane: Lane,
    /// What it played, or why the operating system would not let it.
    pub outcome: Result<Summary, LaneError>,
    /// From just before the lane's first move to its return, on the wall clock.
    pub wall: Duration,
    /// The race's speed.
    pub speed: Speed,
}

impl Finish {
    /// How long the lane should take on the wall clock: its own exhibition total divided by
    /// the speed. `None` if it could not play.
    pub fn expected(&self) -> Option<Duration> {
        let summary = self.outcome.as_ref().ok()?;
        Some(self.speed.wall(summary.total()))
    }
}

/// Lanes playing one exhibition at once, each on its own thread. See [the module docs](super).
#[derive(Debug)]
pub struct Race {
    exhibition: Exhibition,
    speed: Speed,
    runners: Vec<Runner>,
}

/// One lane's thread and what it reports.
#[derive(Debug)]
struct Runner {
    lane: Lane,
    progress: Arc<Progress>,
    thread: JoinHandle<Finish>,
}

impl Race {
    /// Starts every lane in `lanes` on its own thread, on a [`ScaledClock`] at `speed`. Each
    /// lane, once done, unparks the thread that called this (the one that will watch).
    ///
    /// # Errors
    ///
    /// If the operating system refuses a thread; the lanes already started play on, and end
    /// with the process.
    pub fn start(exhibition: &Exhibition, lanes: &[Lane], speed: Speed) -> io::Result<Race> {
        let watcher = thread::current();
        let runners = lanes
            .iter()
            .map(|&lane| {
                let progress = Arc::new(Progress::default());
                let sink = ProgressSink::new(Arc::clone(&progress));
                let (exhibition, watcher) = (*exhibition, watcher.clone());
                let thread =
                    thread::Builder::new().name(format!("race {lane}")).spawn(move || {
                        let finish = run(lane, &exhibition, speed, sink);
                        watcher.unpark();
                        finish
                    })?;
                Ok(Runner { lane, progress, thread })
            })
            .collect::<io::Result<_>>()?;
        Ok(Race { exhibition: *exhibition, speed, runners })
    }

    /// The exhibition every lane plays.
    pub fn exhibition(&self) -> &Exhibition {
        &self.exhibition
    }

    /// The speed every lane's clock runs at.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// Each lane, and how far it has got.
    pub fn lanes(&self) -> impl Iterator<Item = (Lane, &Progress)> {
        self.runners.iter().map(|runner| (runner.lane, &*runner.progress))
    }

    /// Whether every lane's thread has ended, done or (a bug) panicked.
    pub fn is_finished(&self) -> bool {
        self.runners.iter().all(|runner| runner.thread.is_finished())
    }

    /// Waits for every lane, and returns how each ended, in the order they were given.
    ///
    /// # Panics
    ///
    /// If a lane panicked (a bug): its panic carries on here.
    pub fn finish(self) -> Vec<Finish> {
        let join = |runner: Runner| {
            runner.thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        self.runners.into_iter().map(join).collect()
    }
}

/// A lane's thread: the lane on a fresh scaled clock, into the progress sink and a summary.
fn run(lane: Lane, exhibition: &Exhibition, speed: Speed, progress: ProgressSink) -> Finish {
    let started = Instant::now();
    let mut sinks = (progress, Summary::new(exhibition));
    let outcome = lane.play_on(exhibition, ScaledClock::new(speed), &mut sinks);
    let wall = started.elapsed();
    sinks.0.mark_done();
    Finish { lane, outcome: outcome.map(|()| sinks.1), wall, speed }
}
