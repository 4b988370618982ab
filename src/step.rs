//! The switch trace one step at a time: a [`Frame`] per switch, each showing the clock, the
//! switch, the events since the step before, the scheduler's queues and where every board
//! stands (`coro-simul step LANE`).
//!
//! A [switch trace](crate::trace#the-switch-trace) is a list; stepping through it turns the
//! list into a picture of the whole exhibition at each moment. [`Steps`] replays a
//! [`Switches`] and keeps, for every board, what its last switch or event left it as:
//!
//! | the board's last switch or event | the board is |
//! |---|---|
//! | none yet | `not started` |
//! | `resume` | `running` |
//! | `suspend` | `waiting at` the point where the game stopped |
//! | `wake` | `woken, ready to run`, still paused at that point |
//! | `block` | `blocked at` that point (the synchronous lane: nothing else runs) |
//! | the event `game_over`, `forfeit` or `adjourned` | `over`, `forfeit` or `adjourned` |
//! | `finish` (with no such event before it: it may come next) | `ended` |
//!
//! The queues are those the switch lists; a switch that lists none (a `resume`, an `idle`
//! jump, in some lanes) shows the last ones listed, saying from which step. Events after the last switch, or a lane that reports no
//! switches at all, make one last frame with no switch.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, step::Steps};
//!
//! let exhibition = Exhibition::builder().opponents(2).pairs(2).build()?;
//! let switches = Lane::StateMachine.switches(&exhibition)?;
//! let steps = Steps::new(&switches);
//! assert_eq!(steps.total(), switches.switches().count()); // no events after the last switch
//! let second = steps.skip(1).next().expect("a second step").to_string();
//! assert!(second.starts_with("step 2 of "));
//! // The game's first step ran it to its first wait: the master's move.
//! assert!(second.contains("▸ board 1  waiting at MasterToMove { pair: 1 }"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::clock::Time;
use crate::trace::{Event, EventKind, Line, PausedAt, Queue, Switch, SwitchKind, Switches};

/// At most this many events are listed in a frame (the latest); a lane with no switches would
/// otherwise put its whole trace in one frame.
const EVENTS_SHOWN: usize = 8;

/// Where one board stands after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Board {
    /// Nothing has run it yet.
    NotStarted,
    /// The scheduler handed it control, and it has not given it back.
    Running,
    /// It gave control back, paused at this point (if the lane said where).
    Waiting(Option<PausedAt>),
    /// Its scheduler filed it to be resumed; it is still paused at this point.
    Woken(Option<PausedAt>),
    /// Its thread blocks here, and nothing else runs meanwhile.
    Blocked(Option<PausedAt>),
    /// Its game ended: `over`, `forfeit` or `adjourned` as its last event says, or `ended`
    /// when its `finish` switch came before that event.
    Ended(&'static str),
}

impl fmt::Display for Board {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at =
            |at: &Option<PausedAt>| at.as_ref().map(|at| format!(" at {at}")).unwrap_or_default();
        match self {
            Board::NotStarted => f.write_str("not started"),
            Board::Running => f.write_str("running"),
            Board::Waiting(paused) => write!(f, "waiting{}", at(paused)),
            Board::Woken(paused) => write!(f, "woken, ready to run; paused{}", at(paused)),
            Board::Blocked(paused) => write!(f, "blocked{}", at(paused)),
            Board::Ended(how) => f.write_str(how),
        }
    }
}

/// The exhibition at one step: the switch just made and everything it left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Which step this is, from 1.
    pub number: usize,
    /// How many steps there are.
    pub of: usize,
    /// The clock: the switch's time (or the last event's, in a frame with no switch).
    pub t: Time,
    /// The switch this step made; `None` in a last frame of events alone.
    pub switch: Option<Switch>,
    /// The events since the step before, in order.
    pub events: Vec<Event>,
    /// The scheduler's queues, as the latest switch that listed them left them.
    pub queues: Vec<Queue>,
    /// The step whose switch listed those queues: this one, or one before it (a `resume` or
    /// an `idle` may list none).
    pub queues_from: usize,
    /// Every board, board 1 first.
    pub boards: Vec<Board>,
}

/// The frames of a switch trace, in order: an iterator, each frame built as it is reached.
#[derive(Debug, Clone)]
pub struct Steps<'a> {
    /// What is left to replay.
    lines: &'a [Line],
    /// The frames in all, and how many were made so far.
    of: usize,
    made: usize,
    t: Time,
    queues: Vec<Queue>,
    queues_from: usize,
    /// Indexed by board − 1.
    boards: Vec<Board>,
    /// How each board's game ended, once its end event came (indexed by board − 1): a game
    /// may still run after it (a green thread resumed once more to return), and its last
    /// `finish` then shows this, not `ended`.
    ends: Vec<Option<&'static str>>,
}

impl<'a> Steps<'a> {
    /// The steps of `switches`, from the first.
    pub fn new(switches: &'a Switches) -> Steps<'a> {
        let lines = switches.lines();
        let last_switch = lines.iter().rposition(|line| matches!(line, Line::Switch(_)));
        let events_after = last_switch.is_none_or(|last| last + 1 < lines.len());
        let of = switches.switches().count() + usize::from(events_after);
        let opponents = switches.summary().exhibition().opponents() as usize;
        let (boards, ends) = (vec![Board::NotStarted; opponents], vec![None; opponents]);
        let queues = Vec::new();
        Steps { lines, of, made: 0, t: Time::ZERO, queues, queues_from: 0, boards, ends }
    }

    /// How many frames there are in all.
    pub fn total(&self) -> usize {
        self.of
    }

    /// Replays the events up to the next switch (or the end), then that switch.
    fn advance(&mut self) -> (Vec<Event>, Option<Switch>) {
        let mut events = Vec::new();
        while let Some((line, rest)) = self.lines.split_first() {
            self.lines = rest;
            match line {
                Line::Event(event) => {
                    self.apply_event(event);
                    events.push(event.clone());
                }
                Line::Switch(switch) => {
                    self.apply_switch(switch);
                    return (events, Some(switch.clone()));
                }
            }
        }
        (events, None)
    }

    fn apply_event(&mut self, event: &Event) {
        self.t = event.t;
        let ended = match event.kind {
            EventKind::GameOver => "over",
            EventKind::Forfeit { .. } => "forfeit",
            EventKind::Adjourned => "adjourned",
            EventKind::MasterMove { .. } | EventKind::OpponentMove { .. } => return,
        };
        if let Some(end) = self.ends.get_mut((event.board as usize).wrapping_sub(1)) {
            *end = Some(ended);
        }
        self.set(event.board, Board::Ended(ended));
    }

    fn apply_switch(&mut self, switch: &Switch) {
        self.t = switch.t;
        if !switch.queues.is_empty() {
            self.queues.clone_from(&switch.queues);
            self.queues_from = self.made + 1; // the frame this switch is about to make
        }
        let Some(board) = switch.board else { return };
        let paused = || switch.paused_at.clone();
        let now = match switch.kind {
            SwitchKind::Resume => Board::Running,
            SwitchKind::Suspend => Board::Waiting(paused()),
            SwitchKind::Block => Board::Blocked(paused()),
            SwitchKind::Wake => match self.get(board) {
                Some(Board::Waiting(at)) if switch.paused_at.is_none() => Board::Woken(at.clone()),
                _ => Board::Woken(paused()),
            },
            // The game's end event, when it came first, already says how it ended.
            SwitchKind::Finish => match self.ends.get((board as usize).wrapping_sub(1)) {
                Some(Some(how)) => Board::Ended(how),
                _ => Board::Ended("ended"),
            },
            SwitchKind::Idle => return,
        };
        self.set(board, now);
    }

    fn get(&self, board: u32) -> Option<&Board> {
        self.boards.get((board as usize).wrapping_sub(1))
    }

    fn set(&mut self, board: u32, now: Board) {
        if let Some(slot) = self.boards.get_mut((board as usize).wrapping_sub(1)) {
            *slot = now;
        }
    }
}

impl Iterator for Steps<'_> {
    type Item = Frame;

    fn next(&mut self) -> Option<Frame> {
        if self.made == self.of {
            return None;
        }
        let (events, switch) = self.advance();
        self.made += 1;
        Some(Frame {
            number: self.made,
            of: self.of,
            t: self.t,
            switch,
            events,
            queues: self.queues.clone(),
            queues_from: self.queues_from,
            boards: self.boards.clone(),
        })
    }
}

/// A frame as text, a fixed shape for a screen that redraws it in place:
///
/// ```text
/// step 9 of 30   clock 0:00:05
/// switch   suspend board 1: step(board 1) returned Pending { until: 0:01:00 }: into replies
/// events   master_move board 1 pair 1
/// queues   master_line [2] · replies [1 at 0:01:00]
/// ▸ board 1  waiting at AwaitingReply { pair: 1, until: 0:01:00 }
///   board 2  waiting at MasterToMove { pair: 1 }
/// ```
///
/// `▸` marks the board the switch was about.
impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "step {} of {}   clock {}", self.number, self.of, self.t)?;
        match &self.switch {
            Some(switch) => writeln!(f, "switch   {}", said(switch))?,
            None if self.number == 1 => {
                writeln!(f, "switch   none: this lane reports its events alone")?
            }
            None => writeln!(f, "switch   none: the events after the last switch")?,
        }
        self.write_events(f)?;
        let queues: Vec<String> = self.queues.iter().map(ToString::to_string).collect();
        match self.queues_from {
            0 => writeln!(f, "queues   none listed yet")?,
            now if now == self.number => writeln!(f, "queues   {}", queues.join(" · "))?,
            then => writeln!(f, "queues   as at step {then}: {}", queues.join(" · "))?,
        }
        let about = self.switch.as_ref().and_then(|switch| switch.board);
        let width = self.boards.len().to_string().len();
        for (board, now) in (1..).zip(&self.boards) {
            let mark = if about == Some(board) { '▸' } else { ' ' };
            writeln!(f, "{mark} board {board:>width$}  {now}")?;
        }
        Ok(())
    }
}

impl Frame {
    /// The events line(s): the latest [`EVENTS_SHOWN`], one a line, under one label.
    fn write_events(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.events.is_empty() {
            return writeln!(f, "events   none since the step before");
        }
        let hidden = self.events.len().saturating_sub(EVENTS_SHOWN);
        if hidden > 0 {
            writeln!(f, "events   … {hidden} earlier since the step before")?;
        }
        for (i, event) in self.events[hidden..].iter().enumerate() {
            let label = if i == 0 && hidden == 0 { "events" } else { "" };
            writeln!(f, "{label:<8} {}", happened(event))?;
        }
        Ok(())
    }
}

/// `suspend board 1: step(board 1) returned Pending ..`: the switch's kind, board and words.
fn said(switch: &Switch) -> String {
    match switch.board {
        Some(board) => format!("{} board {board}: {}", switch.kind.name(), switch.says),
        None => format!("{}: {}", switch.kind.name(), switch.says),
    }
}

/// `master_move board 1 pair 1`, `forfeit board 2: why`.
fn happened(event: &Event) -> String {
    let mut line = format!("{} board {}", event.name(), event.board);
    if let Some(pair) = event.pair() {
        line += &format!(" pair {pair}");
    }
    if let Some(message) = event.message() {
        line += &format!(": {message}");
    }
    line
}

#[cfg(test)]
mod tests;
