//! Renderers: a trace as text for people, or as JSON Lines or CSV for machines.
//!
//! A [`Renderer`] is a [`Sink`]: it writes each event the moment a lane reports it, so a
//! trace of any size streams out without being stored. To render a stored [`Trace`], replay it
//! into a renderer, or call [`render`].
//!
//! The formats, for the event "board 1's master move of pair 2 starts at 120 s":
//!
//! | format | line |
//! |---|---|
//! | [`Format::Text`] | `0:02:00  board 1  pair 2  master moves` |
//! | [`Format::Jsonl`] | `{"t": 120, "board": 1, "pair": 2, "event": "master_move"}` |
//! | [`Format::Csv`] | `120,1,2,master_move` (after a `t,board,pair,event` header) |
//!
//! JSON Lines is the machine-readable form of the [trace contract](crate::trace#the-contract):
//! `t` in seconds, an exact decimal (`5.25`, never `5.250000001`), and no `pair` on
//! `game_over`. Text is aligned for the whole exhibition: its columns are as wide as the
//! longest time (at most the synchronous total), board and pair can be.
//!
//! A [switch trace](crate::trace#the-switch-trace) has its own text
//! ([`Switches::text`]) and JSON Lines ([`switches_jsonl`]): the events as above, and between
//! them one object per switch, its fields listed in the trace module's doc.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, render::{render, Format}};
//!
//! let exhibition = Exhibition::builder().opponents(3).pairs(2).build()?;
//! let jsonl = render(Format::Jsonl, &Lane::Sync.trace(&exhibition)?);
//! assert_eq!(
//!     jsonl.lines().next(),
//!     Some(r#"{"t": 0, "board": 1, "pair": 1, "event": "master_move"}"#),
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use crate::Exhibition;
use crate::clock::{Time, decimal_seconds, fraction_digits, hms};
use crate::trace::{Event, EventKind, Line, Queue, Sink, Switch, Switches, Trace};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned lines for people, times as `h:mm:ss`.
    #[default]
    Text,
    /// One JSON object per line: the trace contract.
    Jsonl,
    /// A header, then one comma-separated row per event.
    Csv,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 3] = [Format::Text, Format::Jsonl, Format::Csv];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == name)
            .ok_or_else(|| format!("unknown format '{name}' (choose one of: text, jsonl, csv)"))
    }
}

/// A sink that writes each event to `out` in one [`Format`].
///
/// Writing never panics: the first I/O error (a closed pipe, a full disk) stops the output and
/// is returned by [`finish`](Renderer::finish), which every user must call.
#[derive(Debug)]
#[must_use = "call `finish` to flush the output and see whether writing failed"]
pub struct Renderer<W: Write> {
    out: W,
    format: Format,
    widths: Widths,
    /// Whether anything was written yet: CSV's header goes out with the first event (or at
    /// `finish`), so a lane that fails before its first move leaves the output empty.
    started: bool,
    error: Option<io::Error>,
}

/// Column widths for text, fixed before the first event so every line aligns.
#[derive(Debug, Clone, Copy)]
struct Widths {
    time: usize,
    fraction: usize,
    board: usize,
    pair: usize,
}

impl Widths {
    fn for_exhibition(exhibition: &Exhibition) -> Widths {
        // Every time in the trace is a sum of master and opponent moves, so it needs no more
        // fraction digits than they do, and it is at most the synchronous total.
        let fraction = fraction_digits(exhibition.master_move())
            .max(fraction_digits(exhibition.opponent_move()));
        Widths {
            time: hms(exhibition.synchronous_total(), fraction).len(),
            fraction,
            board: exhibition.opponents().to_string().len(),
            pair: exhibition.pairs().to_string().len(),
        }
    }
}

impl<W: Write> Renderer<W> {
    /// A renderer of `exhibition`'s events to `out`. Nothing is written until the first event.
    pub fn new(format: Format, exhibition: &Exhibition, out: W) -> Renderer<W> {
        let widths = Widths::for_exhibition(exhibition);
        Renderer { out, format, widths, started: false, error: None }
    }

    /// Flushes and returns the output, or the first error writing it met.
    pub fn finish(mut self) -> io::Result<W> {
        self.start();
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn start(&mut self) {
        if !self.started {
            self.started = true;
            if self.format == Format::Csv {
                self.write(|out, _| writeln!(out, "t,board,pair,event,message"));
            }
        }
    }

    fn write(&mut self, line: impl FnOnce(&mut W, Widths) -> io::Result<()>) {
        if self.error.is_none() {
            self.error = line(&mut self.out, self.widths).err();
        }
    }
}

impl<W: Write> Sink for Renderer<W> {
    fn record(&mut self, event: Event) {
        self.start();
        match self.format {
            Format::Text => self.write(|out, widths| text_line(out, widths, &event)),
            Format::Jsonl => self.write(|out, _| jsonl_line(out, &event)),
            Format::Csv => self.write(|out, _| csv_line(out, &event)),
        }
    }
}

fn text_line(out: &mut impl Write, widths: Widths, event: &Event) -> io::Result<()> {
    let Widths { time, fraction, board, pair } = widths;
    let t = hms(event.t.since_start(), fraction);
    let pair = match event.pair() {
        Some(k) => format!("pair {k:>pair$}"),
        None => " ".repeat("pair ".len() + pair),
    };
    let what = match &event.kind {
        EventKind::MasterMove { .. } => "master moves".into(),
        EventKind::OpponentMove { .. } => "opponent replies".into(),
        EventKind::GameOver => "game over".into(),
        EventKind::Adjourned => "adjourned: the time limit".into(),
        EventKind::Forfeit { message } => format!("forfeit: {message}"),
    };
    writeln!(out, "{t:>time$}  board {:>board$}  {pair}  {what}", event.board)
}

fn jsonl_line(out: &mut impl Write, event: &Event) -> io::Result<()> {
    let t = decimal_seconds(event.t.since_start());
    write!(out, r#"{{"t": {t}, "board": {}, "#, event.board)?;
    if let Some(pair) = event.pair() {
        write!(out, r#""pair": {pair}, "#)?;
    }
    write!(out, r#""event": "{}""#, event.name())?;
    if let Some(message) = event.message() {
        write!(out, r#", "message": {}"#, quoted(message))?;
    }
    writeln!(out, "}}")
}

fn csv_line(out: &mut impl Write, event: &Event) -> io::Result<()> {
    let t = decimal_seconds(event.t.since_start());
    let pair = event.pair().map(|pair| pair.to_string()).unwrap_or_default();
    // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    let message = match event.message() {
        Some(m) if m.contains([',', '"', '\n', '\r']) => format!("\"{}\"", m.replace('"', "\"\"")),
        Some(m) => m.to_owned(),
        None => String::new(),
    };
    writeln!(out, "{t},{},{pair},{},{message}", event.board, event.name())
}

/// A switch trace as JSON Lines: each event as its [contract](crate::trace#the-contract) line,
/// each switch as one object (`t`, `board`, `switch`, `says`, `paused_at`, and when
/// `with_queues` its `queues`; the fields are listed in the trace module's doc, section
/// [the switch trace](crate::trace#the-switch-trace)).
///
/// ```
/// use coro_simul::{Exhibition, lanes::Lane, render::switches_jsonl};
///
/// let exhibition = Exhibition::builder().opponents(2).pairs(2).build()?;
/// let jsonl = switches_jsonl(&Lane::StateMachine.switches(&exhibition)?, true);
/// let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap())?;
/// assert_eq!((&first["switch"], &first["board"]), (&"resume".into(), &1.into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn switches_jsonl(switches: &Switches, with_queues: bool) -> String {
    let mut out = Vec::new();
    for line in switches.lines() {
        match line {
            Line::Event(event) => jsonl_line(&mut out, event),
            Line::Switch(switch) => switch_jsonl_line(&mut out, switch, with_queues),
        }
        .expect("writing to a Vec cannot fail");
    }
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// `{"t": 65, "board": 3, "switch": "suspend", "says": "..", "paused_at": "..", "queues": {..}}`:
/// the keys in that order; `board`, `paused_at` and `queues` left out when the switch has none
/// (as the text leaves out its queue line).
fn switch_jsonl_line(out: &mut impl Write, switch: &Switch, with_queues: bool) -> io::Result<()> {
    let t = decimal_seconds(switch.t.since_start());
    write!(out, r#"{{"t": {t}, "#)?;
    if let Some(board) = switch.board {
        write!(out, r#""board": {board}, "#)?;
    }
    write!(out, r#""switch": "{}", "says": {}"#, switch.kind.name(), quoted(&switch.says))?;
    if let Some(at) = &switch.paused_at {
        write!(out, r#", "paused_at": {}"#, quoted(&at.to_string()))?;
    }
    if with_queues && !switch.queues.is_empty() {
        let queues: Vec<String> = switch.queues.iter().map(queue_json).collect();
        write!(out, r#", "queues": {{{}}}"#, queues.join(", "))?;
    }
    writeln!(out, "}}")
}

/// One queue as a JSON member, in the order it will be served: `"master_line": [2, 1]`, a
/// timer queue's entries as `[board, due]` (`"replies": [[1, 120]]`).
fn queue_json(queue: &Queue) -> String {
    let entry = |&(board, due): &(u32, Option<Time>)| match due {
        Some(due) => format!("[{board}, {}]", decimal_seconds(due.since_start())),
        None => board.to_string(),
    };
    let entries: Vec<String> = queue.boards.iter().map(entry).collect();
    format!("{}: [{}]", quoted(queue.name), entries.join(", "))
}

/// `text` as a JSON string, quotes and escapes included.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// A stored trace rendered to a string (what the snapshot tests compare).
pub fn render(format: Format, trace: &Trace) -> String {
    let mut renderer = Renderer::new(format, trace.summary().exhibition(), Vec::new());
    trace.replay(&mut renderer);
    let bytes = renderer.finish().expect("writing to a Vec cannot fail");
    String::from_utf8(bytes).expect("renderers write UTF-8")
}

#[cfg(test)]
mod tests;
