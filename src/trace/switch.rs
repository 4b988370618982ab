//! [`Switch`]: one transfer of control, in the lane's own words; [`Switches`], the sink that
//! keeps them beside the events.

use std::fmt::{self, Write as _};
use std::panic::Location;

use super::event::Event;
use super::sink::Sink;
use super::summary::Summary;
use crate::Exhibition;
use crate::clock::Time;

/// One transfer of control: a scheduler runs a game, a game stops and hands control back, a
/// timer wakes a game, the one stack blocks. The [switch trace](crate::trace#the-switch-trace)
/// is these, in the order they happened, between the ordinary events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switch {
    /// The exhibition's clock when it happened.
    pub t: Time,
    /// The game it is about; `None` for the scheduler on its own (its clock jumps, say).
    pub board: Option<u32>,
    /// What kind of transfer it is, in words every lane shares.
    pub kind: SwitchKind,
    /// What happened, in the lane's own vocabulary: `poll task 3 → Pending`,
    /// `resume_with(Reply { board: 3, pair: 1 })`, `baton → thread 3`.
    pub says: String,
    /// Where the game stopped, for a [`Suspend`](SwitchKind::Suspend) or a
    /// [`Block`](SwitchKind::Block): the line of code, or the state it was written down as.
    pub paused_at: Option<PausedAt>,
    /// The scheduler's queues just after the transfer (the master's line, the replies in
    /// flight, a run queue): what the lane would do next.
    pub queues: Vec<Queue>,
}

/// The kinds of control transfer, the same words in every lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SwitchKind {
    /// A scheduler hands control to a game: calls its callback, steps its enum, resumes its
    /// generator, polls its task, switches to its stack, hands its thread the baton.
    Resume,
    /// A game gives control back, paused, to be resumed later: one
    /// [suspension](crate::trace#suspensions).
    Suspend,
    /// A scheduler learns that a paused game may go on (its reply landed, the master is
    /// free), and files it where it will be resumed from.
    Wake,
    /// A game's code ended: the game is over, forfeit or adjourned, and nothing will resume it.
    Finish,
    /// The one thread blocks and nothing else runs meanwhile: how the synchronous lane waits.
    Block,
    /// The scheduler has nothing ready and moves its clock on to the next deadline.
    Idle,
}

impl SwitchKind {
    /// The kind's name in the switch trace: `resume`, `suspend`, `wake`, `finish`, `block`,
    /// `idle`.
    pub fn name(self) -> &'static str {
        match self {
            SwitchKind::Resume => "resume",
            SwitchKind::Suspend => "suspend",
            SwitchKind::Wake => "wake",
            SwitchKind::Finish => "finish",
            SwitchKind::Block => "block",
            SwitchKind::Idle => "idle",
        }
    }
}

/// Where a paused game stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PausedAt {
    /// A line of the game's code: the suspension point, found by `#[track_caller]`.
    Line(&'static Location<'static>),
    /// The state a hand-written state machine wrote down instead of a line
    /// (`AwaitingReply { pair: 1, .. }`).
    State(String),
}

impl PausedAt {
    /// Where the caller of the function stands (that function must be `#[track_caller]`).
    #[track_caller]
    pub fn caller() -> PausedAt {
        PausedAt::Line(Location::caller())
    }
}

impl fmt::Display for PausedAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PausedAt::Line(location) => write!(f, "{}:{}", location.file(), location.line()),
            PausedAt::State(state) => f.write_str(state),
        }
    }
}

/// One of a scheduler's queues, as it stands: its name in the lane and the boards in it,
/// first to be served first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// The queue's name in the lane: `master_line`, `replies`, `run queue`.
    pub name: &'static str,
    /// The boards in it, in the order they will come out, each with its deadline if it is a
    /// timer queue.
    pub boards: Vec<(u32, Option<Time>)>,
}

impl Queue {
    /// A first-in, first-out queue of boards.
    pub fn fifo(name: &'static str, boards: impl IntoIterator<Item = u32>) -> Queue {
        Queue { name, boards: boards.into_iter().map(|board| (board, None)).collect() }
    }

    /// A timer queue: boards with the moment each is due, earliest first.
    pub fn timers(name: &'static str, timers: impl IntoIterator<Item = (Time, u32)>) -> Queue {
        Queue { name, boards: timers.into_iter().map(|(due, board)| (board, Some(due))).collect() }
    }
}

impl fmt::Display for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [", self.name)?;
        for (i, (board, due)) in self.boards.iter().enumerate() {
            let comma = if i > 0 { ", " } else { "" };
            match due {
                Some(due) => write!(f, "{comma}{board} at {}", due)?,
                None => write!(f, "{comma}{board}")?,
            }
        }
        f.write_str("]")
    }
}

impl Switch {
    /// A transfer of `kind` at `t` about `board`, saying `says`; no paused point, no queues.
    pub fn new(t: Time, board: impl Into<Option<u32>>, kind: SwitchKind, says: String) -> Switch {
        Switch { t, board: board.into(), kind, says, paused_at: None, queues: Vec::new() }
    }

    /// The same switch, saying where the game stopped.
    pub fn paused_at(mut self, at: PausedAt) -> Switch {
        self.paused_at = Some(at);
        self
    }

    /// The same switch, with the scheduler's queues after it.
    pub fn queues(mut self, queues: Vec<Queue>) -> Switch {
        self.queues = queues;
        self
    }
}

/// One line of the switch trace: an ordinary event or a switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// An event of the [contract](crate::trace#the-contract).
    Event(Event),
    /// A transfer of control.
    Switch(Switch),
}

/// A sink that keeps every event and every switch, in the order the lane reported them: the
/// exhibition as the lane's scheduler saw it.
#[derive(Debug, Clone)]
pub struct Switches {
    lines: Vec<Line>,
    summary: Summary,
}

impl Switches {
    /// An empty switch trace for `exhibition`.
    pub fn new(exhibition: &Exhibition) -> Switches {
        Switches { lines: Vec::new(), summary: Summary::new(exhibition) }
    }

    /// Every event and switch, in the order they happened.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The switches alone.
    pub fn switches(&self) -> impl Iterator<Item = &Switch> {
        self.lines.iter().filter_map(|line| match line {
            Line::Switch(switch) => Some(switch),
            Line::Event(_) => None,
        })
    }

    /// The summary of the events.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The switch trace as text for people, one line each, the queues under each switch when
    /// `with_queues`; see [the format](crate::trace#the-switch-trace).
    pub fn text(&self, with_queues: bool) -> String {
        let mut text = String::new();
        for line in &self.lines {
            match line {
                Line::Event(event) => writeln!(text, "{}", EventLine(event)),
                Line::Switch(switch) => write_switch(&mut text, switch, with_queues),
            }
            .expect("writing to a String cannot fail");
        }
        text
    }
}

/// One switch as text: `0:01:05  suspend  board 3  says  (paused at …)`, then its queues.
fn write_switch(text: &mut String, switch: &Switch, with_queues: bool) -> fmt::Result {
    let board = match switch.board {
        Some(board) => format!("board {board}"),
        None => String::new(),
    };
    write!(text, "{:>8}  {:<7}  {board:<8}  {}", switch.t, switch.kind.name(), switch.says)?;
    if let Some(at) = &switch.paused_at {
        write!(text, "  (paused at {at})")?;
    }
    writeln!(text)?;
    if with_queues && !switch.queues.is_empty() {
        let queues: Vec<String> = switch.queues.iter().map(ToString::to_string).collect();
        writeln!(text, "{:>8}  {:<7}  {:<8}  {}", "", "", "", queues.join(" · "))?;
    }
    Ok(())
}

/// An ordinary event among the switches, marked off from them by its `==`.
struct EventLine<'a>(&'a Event);

impl fmt::Display for EventLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let event = self.0;
        write!(f, "{:>8}  == {} board {}", event.t, event.name(), event.board)?;
        if let Some(pair) = event.pair() {
            write!(f, " pair {pair}")?;
        }
        if let Some(message) = event.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl Sink for Switches {
    fn record(&mut self, event: Event) {
        self.summary.record(event.clone());
        self.lines.push(Line::Event(event));
    }

    fn suspended(&mut self, board: u32) {
        self.summary.suspended(board);
    }

    fn watches_switches(&self) -> bool {
        true
    }

    fn switch(&mut self, switch: Switch) {
        self.lines.push(Line::Switch(switch));
    }
}
