//! Watching a race: live progress bars on a terminal, plain lines anywhere else.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::progress::Progress;
use super::threads::{Finish, Race};
use crate::clock::hms;
use crate::lanes::Lane;
use crate::units;

/// How often the watcher reads the lanes' progress: 20 times a second, as often as
/// indicatif redraws.
const TICK: Duration = Duration::from_millis(50);

/// How to show a race's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// A live bar per lane (indicatif), redrawn in place: for a terminal.
    Bars,
    /// Plain lines, each lane's at every tenth of its boards over and when it is done, so
    /// at most eleven lines a lane: for a file or a pipe.
    Lines,
}

impl Show {
    /// Bars if stdout is a terminal, lines if not.
    pub fn for_stdout() -> Show {
        if io::stdout().is_terminal() { Show::Bars } else { Show::Lines }
    }
}

/// How watching a race ended.
#[derive(Debug)]
pub enum Watched {
    /// Every lane is done: how each ended, in the race's order.
    Finished(Vec<Finish>),
    /// The stop flag was set after `after` of watching; the lanes' threads were left to end
    /// with the process.
    Stopped {
        /// How long the race had been watched.
        after: Duration,
    },
}

/// Shows `race` as `show` says until every lane is done, or until `stop` is set (by a
/// Ctrl-C handler, say). Lines go to `out`; bars are drawn on stdout, and cleared when
/// stopped, so the terminal is left as it was.
///
/// # Errors
///
/// If writing a line to `out` fails.
pub fn watch(
    race: Race,
    show: Show,
    stop: &AtomicBool,
    out: &mut impl Write,
) -> io::Result<Watched> {
    let started = Instant::now();
    let mut view = View::new(&race, show);
    loop {
        view.update(&race, started.elapsed(), out)?;
        if race.is_finished() {
            view.update(&race, started.elapsed(), out)?; // every lane's last counts
            return Ok(Watched::Finished(race.finish()));
        }
        if stop.load(Ordering::Relaxed) {
            view.clear();
            return Ok(Watched::Stopped { after: started.elapsed() });
        }
        thread::park_timeout(TICK); // or less: a lane that is done unparks us
    }
}

/// What the watcher keeps between ticks.
enum View {
    Bars {
        multi: MultiProgress,
        bars: Vec<ProgressBar>,
    },
    /// Per lane: the last tenth of its boards reported, and whether "done" was printed.
    Lines {
        reported: Vec<(u64, bool)>,
    },
}

impl View {
    fn new(race: &Race, show: Show) -> View {
        match show {
            Show::Lines => View::Lines { reported: vec![(0, false); race.lanes().count()] },
            Show::Bars => {
                let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stdout());
                let exhibition = race.exhibition();
                let moves = 2 * u64::from(exhibition.opponents() * exhibition.pairs());
                // `wide_bar` takes whatever the terminal's width leaves: no wrapped lines.
                let style = ProgressStyle::with_template(
                    "{prefix:<13} [{wide_bar}] {pos}/{len} moves  {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> ");
                let bar = |lane: Lane| {
                    let bar = ProgressBar::new(moves).with_style(style.clone());
                    multi.add(bar.with_prefix(lane.name()))
                };
                let bars = race.lanes().map(|(lane, _)| bar(lane)).collect();
                View::Bars { multi, bars }
            }
        }
    }

    /// Shows every lane as it is now.
    fn update(&mut self, race: &Race, elapsed: Duration, out: &mut impl Write) -> io::Result<()> {
        let boards = u64::from(race.exhibition().opponents());
        for (index, (lane, progress)) in race.lanes().enumerate() {
            let done = progress.is_done();
            match self {
                View::Bars { bars, .. } => draw(&bars[index], progress, boards, done),
                View::Lines { reported } => {
                    let line = next_line(&mut reported[index], progress, boards, done);
                    if let Some(what) = line {
                        let clock = hms(progress.clock().since_start(), 0);
                        let wall = units::seconds(elapsed, 3);
                        writeln!(out, "{:<14} {what}, clock {clock}, after {wall}", lane.name())?;
                        out.flush()?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Takes the bars off the screen, finished ones too, so none is drawn again.
    fn clear(&self) {
        if let View::Bars { multi, bars } = self {
            bars.iter().for_each(ProgressBar::finish_and_clear);
            let _ = multi.clear(); // the terminal is going away with us: nothing to tell
        }
    }
}

/// Moves `bar` to the lane's progress, and finishes it when the lane is done.
fn draw(bar: &ProgressBar, progress: &Progress, boards: u64, done: bool) {
    if bar.is_finished() {
        return;
    }
    let clock = hms(progress.clock().since_start(), 0);
    let message = format!("{}/{boards} boards  {clock}", progress.boards_over());
    if done {
        bar.set_position(progress.moves());
        bar.finish_with_message(format!("{message} done"));
    } else {
        bar.set_message(message);
        bar.set_position(progress.moves());
    }
}

/// The plain line a lane has earned since `reported` (the tenth of its boards last reported,
/// and whether its "done" was), if any: one at each new tenth of the boards over, one when
/// it is done.
fn next_line(
    reported: &mut (u64, bool),
    progress: &Progress,
    boards: u64,
    done: bool,
) -> Option<String> {
    let over = progress.boards_over();
    let tenth = over * 10 / boards;
    if done && !reported.1 {
        *reported = (10, true);
        Some(format!("done: {over}/{boards} boards over"))
    } else if !done && tenth > reported.0 {
        reported.0 = tenth;
        Some(format!("{over}/{boards} boards over"))
    } else {
        None
    }
}
