//! What a pitfall run reports: both versions' traces, the detector's findings, the waits,
//! and the text `coro-simul pitfall NAME` prints.

use std::fmt;
use std::time::Duration;

use super::pitfall::Pitfall;
use crate::Exhibition;
use crate::clock::{Time, fraction_digits, hms};
use crate::trace::{EventKind, Trace};

/// A pitfall played broken and fixed on one exhibition. Its `Display` is what
/// `coro-simul pitfall NAME` prints.
#[derive(Debug, Clone)]
pub struct Report {
    /// The pitfall.
    pub pitfall: Pitfall,
    /// The exhibition both versions played.
    pub exhibition: Exhibition,
    /// With the mistake.
    pub broken: Run,
    /// With the fix.
    pub fixed: Run,
}

/// One version of a pitfall, played.
#[derive(Debug, Clone)]
pub struct Run {
    /// The line of code that differs, in a few words.
    pub code: &'static str,
    /// Every event, and the summary.
    pub trace: Trace,
    /// What the slow-callback detector saw; `None` when it was off or there is no loop to
    /// watch (a generator driver has none).
    pub watched: Option<Watched>,
    /// Anything else the pitfall measured, in a sentence or two (a line each).
    pub note: Option<String>,
}

impl Run {
    /// How long the opponents' replies sat unanswered; see [`Waits`].
    pub fn waits(&self) -> Waits {
        Waits::of(&self.trace)
    }
}

/// What a slow-callback detector saw in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// What it timed, in the singular: `poll`, `switch`.
    pub what: &'static str,
    /// What was held meanwhile: `the executor`, `the hub`.
    pub holder: &'static str,
    /// Anything longer was reported.
    pub threshold: Duration,
    /// What was reported, in the order the steps ended.
    pub slow: Vec<Slow>,
}

/// One step of one game that held the loop longer than the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slow {
    /// The board whose game it was.
    pub board: u32,
    /// When the step began.
    pub started: Time,
    /// How long nothing else could run.
    pub took: Duration,
}

/// How long opponents' replies sat unanswered: for each reply, the time from its
/// `opponent_move` to the master's next `master_move` on that board (a game's last reply is
/// never answered, and does not count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waits {
    /// How many replies were answered.
    pub replies: u64,
    /// The longest any of them waited.
    pub longest: Duration,
    /// All their waits added up.
    pub total: Duration,
}

impl Waits {
    /// Measures every board of `trace`, taking its events in the contract's order.
    pub fn of(trace: &Trace) -> Waits {
        Waits::of_boards(trace, |_| true)
    }

    /// Measures the boards of `trace` for which `measured(board)` holds.
    pub fn of_boards(trace: &Trace, measured: impl Fn(u32) -> bool) -> Waits {
        let mut events = trace.events().to_vec();
        events.retain(|event| measured(event.board));
        events.sort_by_key(|event| event.order_key());
        let mut landed: Vec<Option<Time>> = Vec::new(); // board b's unanswered reply at b − 1
        let mut waits = Waits::default();
        for event in events {
            let index = event.board as usize - 1;
            if landed.len() <= index {
                landed.resize(index + 1, None);
            }
            match event.kind {
                EventKind::OpponentMove { .. } => landed[index] = Some(event.t),
                EventKind::MasterMove { .. } => {
                    if let Some(reply) = landed[index].take() {
                        waits.add(event.t - reply);
                    }
                }
                // Over, one way or another: no reply waits for the master any more.
                EventKind::GameOver | EventKind::Adjourned | EventKind::Forfeit { .. } => {
                    landed[index] = None;
                }
            }
        }
        waits
    }

    fn add(&mut self, wait: Duration) {
        self.replies += 1;
        self.longest = self.longest.max(wait);
        self.total += wait;
    }
}

impl fmt::Display for Report {
    /// The two versions one above the other; see `snapshots/pitfall_*.snap`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.pitfall, self.pitfall.about())?;
        writeln!(f, "exhibition   {}", self.exhibition)?;
        let show = shower(&self.exhibition);
        for (label, run) in [("broken", &self.broken), ("fixed", &self.fixed)] {
            writeln!(f, "\n{label}: {}", run.code)?;
            write_run(f, run, &show)?;
        }
        Ok(())
    }
}

/// Shows a length in `h:mm:ss`, with as many fraction digits as `exhibition` needs.
pub(super) fn shower(exhibition: &Exhibition) -> impl Fn(Duration) -> String + use<> {
    let digits =
        fraction_digits(exhibition.master_move()).max(fraction_digits(exhibition.opponent_move()));
    move |length| hms(length, digits)
}

/// One version: its summary (without the exhibition line, already shown), the waits, the
/// detector's findings and the note, each line indented.
fn write_run(
    f: &mut fmt::Formatter<'_>,
    run: &Run,
    show: &impl Fn(Duration) -> String,
) -> fmt::Result {
    let summary = run.trace.summary().to_string();
    for line in summary.lines().filter(|line| !line.starts_with("exhibition")) {
        writeln!(f, "  {line}")?;
    }
    let waits = run.waits();
    writeln!(
        f,
        "  unanswered   longest {}, all together {} ({} replies answered)",
        show(waits.longest),
        show(waits.total),
        waits.replies,
    )?;
    if let Some(watched) = &run.watched {
        for line in slow_lines(watched, show) {
            writeln!(f, "  {line}")?;
        }
    }
    if let Some(note) = &run.note {
        writeln!(f, "  note         {}", note.replace('\n', "\n               "))?;
    }
    Ok(())
}

/// `slow         720 polls held the executor over 0:00:10, the first:` and the first three,
/// a line each.
fn slow_lines(watched: &Watched, show: &impl Fn(Duration) -> String) -> Vec<String> {
    let Watched { what, holder, threshold, slow } = watched;
    let (count, what) = match slow.len() {
        0 => ("no".to_owned(), plural(what)),
        1 => ("1".to_owned(), what.to_string()),
        n => (n.to_string(), plural(what)),
    };
    let mut head = format!("slow         {count} {what} held {holder} over {}", show(*threshold));
    if !slow.is_empty() {
        head.push_str(if slow.len() == 1 { ":" } else { ", the first:" });
    }
    let mut lines = vec![head];
    for step in slow.iter().take(3) {
        let (took, from) = (show(step.took), show(step.started.since_start()));
        lines.push(format!("             board {} for {took} from {from}", step.board));
    }
    if slow.len() > 3 {
        lines.push(format!("             … and {} more", slow.len() - 3));
    }
    lines
}

/// `polls`, `switches`.
fn plural(word: &str) -> String {
    if word.ends_with("ch") { format!("{word}es") } else { format!("{word}s") }
}
