//! The timeline itself: each board's state over time, collected from the events as a
//! [`Sink`], and drawn as text. The marks are in the [module docs](super).

use std::fmt::Write as _;
use std::time::Duration;

use crate::Exhibition;
use crate::clock::{Time, hms};
use crate::trace::{Event, EventKind, Sink};

/// What a board is doing; see the [module docs](super) for the marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    NotStarted,
    Master,
    Thinking,
    Waiting,
    Over,
}

impl State {
    /// In a tie for a slot, the earlier state in this list wins: the rarer, more telling one.
    const BY_PRIORITY: [State; 5] =
        [State::Master, State::Thinking, State::Waiting, State::NotStarted, State::Over];

    /// The mark for a slot spent mostly in this state; `zoomed_out` merges the in-play states.
    fn mark(self, zoomed_out: bool) -> char {
        match self {
            State::NotStarted => '.',
            State::Master | State::Thinking | State::Waiting if zoomed_out => '=',
            State::Master => '#',
            State::Thinking => '-',
            State::Waiting => ':',
            State::Over => ' ',
        }
    }

    fn in_play(self) -> bool {
        matches!(self, State::Master | State::Thinking | State::Waiting)
    }
}

/// A sink that records when each shown board changes state, and draws the picture.
#[derive(Debug, Clone)]
pub struct Timeline {
    exhibition: Exhibition,
    /// For board `b` (index `b - 1`), the moments it changed state, in time order; every
    /// board starts `NotStarted` at zero.
    pub(super) changes: Vec<Vec<(Time, State)>>,
    /// Busy intervals of the master, `[start, start + m)`, in time order.
    master: Vec<Time>,
    pub(super) end: Time,
}

impl Timeline {
    /// A timeline of `exhibition` that shows its first `rows` boards (the master row counts
    /// every board).
    pub fn new(exhibition: &Exhibition, rows: u32) -> Timeline {
        let shown = rows.min(exhibition.opponents()) as usize;
        Timeline {
            exhibition: *exhibition,
            changes: vec![vec![(Time::ZERO, State::NotStarted)]; shown],
            master: Vec::new(),
            end: Time::ZERO,
        }
    }

    /// The picture, with `width` columns of time (at least 10).
    pub fn render(&self, width: usize) -> String {
        let width = width.max(10);
        let zoomed_out = self.slot_length(width) > self.exhibition.master_move();
        let mut out = String::new();
        self.axis(&mut out, width);
        let _ = writeln!(out, "{:<LABEL$}{}|", "master", self.master_row(width));
        for (index, changes) in self.changes.iter().enumerate() {
            let row: String =
                (0..width).map(|c| self.mark(changes, c, width, zoomed_out)).collect();
            let _ = writeln!(out, "board {:<w$}{row}|", index + 1, w = LABEL - 6);
        }
        let hidden = self.exhibition.opponents() as usize - self.changes.len();
        if hidden > 0 {
            let _ = writeln!(out, "... and {hidden} more boards, not drawn");
        }
        let slot = hms(self.slot_length(width), 0);
        let legend = if zoomed_out { ZOOMED_OUT } else { EXACT };
        let _ = writeln!(out, "\none column = {slot}\n{legend}\n{MASTER_LEGEND}");
        out
    }

    fn axis(&self, out: &mut String, width: usize) {
        let (start, end) = (hms(Duration::ZERO, 0), hms(self.end.since_start(), 0));
        let gap = (width + 1).saturating_sub(start.len() + end.len());
        let _ = writeln!(out, "{:LABEL$}{start}{:gap$}{end}", "", "");
        let _ = writeln!(out, "{:LABEL$}|{:>w$}", "", "|", w = width);
    }

    /// Shades each slot by the master's busy share: ` ░▒▓█` for 0, <25%, <50%, <75%, more.
    fn master_row(&self, width: usize) -> String {
        let shade = |share: f64| match share {
            s if s <= 0.0 => ' ',
            s if s < 0.25 => '░',
            s if s < 0.5 => '▒',
            s if s < 0.75 => '▓',
            _ => '█',
        };
        self.busy_shares(width).into_iter().map(shade).collect()
    }

    /// For each of `width` slots, the share of it (0 to 1) the master spent moving.
    pub(super) fn busy_shares(&self, width: usize) -> Vec<f64> {
        let m = self.exhibition.master_move();
        let mut busy = vec![0u64; width];
        // One pass: the master's moves are in time order, and each touches only the few slots
        // it overlaps.
        for &start in &self.master {
            let mut column = self.column_of(start, width);
            while column < width {
                let (from, to) = self.slot(column, width);
                busy[column] += overlap(start, start + m, from, to);
                if start + m <= to {
                    break;
                }
                column += 1;
            }
        }
        let share = |(column, busy): (usize, u64)| {
            let (from, to) = self.slot(column, width);
            busy as f64 / (to - from).as_nanos().max(1) as f64
        };
        busy.into_iter().enumerate().map(share).collect()
    }

    /// The slot that moment `t` falls in.
    fn column_of(&self, t: Time, width: usize) -> usize {
        let end = u128::from(self.end.as_nanos()).max(1);
        (u128::from(t.as_nanos()) * width as u128 / end) as usize
    }

    /// The mark for slot `column`: see [`Timeline::dominant`].
    fn mark(
        &self,
        changes: &[(Time, State)],
        column: usize,
        width: usize,
        zoomed_out: bool,
    ) -> char {
        self.dominant(changes, column, width, zoomed_out).mark(zoomed_out)
    }

    /// The state `changes` spent most of slot `column` in; when `zoomed_out`, the in-play
    /// states count together (and the first of them stands for all three).
    pub(super) fn dominant(
        &self,
        changes: &[(Time, State)],
        column: usize,
        width: usize,
        zoomed_out: bool,
    ) -> State {
        let (from, to) = self.slot(column, width);
        let mut spent = [0u64; 5];
        for (i, &(start, state)) in changes.iter().enumerate() {
            let stop = changes.get(i + 1).map_or(Time::MAX, |&(next, _)| next);
            spent[state as usize] += overlap(start, stop, from, to);
        }
        let time_in = |state: State| match state {
            s if zoomed_out && s.in_play() => {
                State::BY_PRIORITY.iter().filter(|s| s.in_play()).map(|&s| spent[s as usize]).sum()
            }
            s => spent[s as usize],
        };
        let most = State::BY_PRIORITY.iter().map(|&s| time_in(s)).max().unwrap_or(0);
        State::BY_PRIORITY.into_iter().find(|&s| time_in(s) == most).unwrap_or(State::Over)
    }

    /// Slot `column` of `width`: `[from, to)`, the whole exhibition cut into equal parts.
    fn slot(&self, column: usize, width: usize) -> (Time, Time) {
        let at = |c: usize| {
            let nanos = u128::from(self.end.as_nanos()) * c as u128 / width as u128;
            Time::from_start(Duration::from_nanos(nanos as u64))
        };
        (at(column), at(column + 1))
    }

    fn slot_length(&self, width: usize) -> Duration {
        self.end.since_start() / width as u32
    }
}

const LABEL: usize = 10;
const EXACT: &str =
    "# master moving   - opponent thinking   : reply in, waiting   . not started   (blank) over";
const ZOOMED_OUT: &str =
    "= in play (moving, thinking, waiting: quicker than a column)   . not started   (blank) over";
const MASTER_LEGEND: &str =
    "master: share of each column she was busy   ░ <25%   ▒ <50%   ▓ <75%   █ more";

/// How many nanoseconds `[start, stop)` and `[from, to)` share.
fn overlap(start: Time, stop: Time, from: Time, to: Time) -> u64 {
    stop.min(to).as_nanos().saturating_sub(start.max(from).as_nanos())
}

impl Sink for Timeline {
    fn record(&mut self, event: Event) {
        self.end = self.end.max(event.t);
        if let EventKind::MasterMove { .. } = event.kind {
            self.master.push(event.t);
        }
        let Some(changes) = self.changes.get_mut(event.board as usize - 1) else { return };
        let m = self.exhibition.master_move();
        match event.kind {
            EventKind::MasterMove { .. } => {
                changes.push((event.t, State::Master));
                changes.push((event.t + m, State::Thinking));
            }
            EventKind::OpponentMove { .. } => changes.push((event.t, State::Waiting)),
            // Adjourned or forfeit: over too, as far as the picture goes.
            EventKind::GameOver | EventKind::Adjourned | EventKind::Forfeit { .. } => {
                changes.push((event.t, State::Over));
            }
        }
    }
}
