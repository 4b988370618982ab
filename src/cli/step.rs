//! `coro-simul step LANE`: the switch trace one step at a time. On a terminal, a screen
//! redrawn at each key; off one (a pipe, a file, a test), every frame one after another, then
//! the summary, as `trace` ends.
//!
//! The frames are [`coro_simul::step`]'s, the same text on the screen and off it, so what a
//! test pins is what a reader sees. That is also why the screen is drawn with crossterm alone
//! (raw mode, keys, clear and print) and not a widget library: a frame is a few lines of
//! text, already laid out; the terminal only has to show them in place.

use std::io::{self, IsTerminal, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;
use coro_simul::lanes::Lane;
use coro_simul::step::{Frame, Steps};
use coro_simul::trace::Switches;
use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::Print;
use crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{execute, queue};

use super::error::CliError;
use super::exhibition::ExhibitionArgs;
use super::parse;

/// The flags of `coro-simul step`: the lane, and the exhibition flags with smaller defaults
/// (2 boards × 2 move pairs, set where the command is declared): a step a switch, the
/// default exhibition would take thousands of key presses.
#[derive(Debug, Args)]
pub(crate) struct StepArgs {
    /// The lane to step through (see `coro-simul list`).
    #[arg(value_parser = parse::lane)]
    lane: Lane,
    #[command(flatten)]
    exhibition: ExhibitionArgs,
}

/// The keys, on the screen's last line.
const KEYS: &str = "space/→ next · ←/b back · home/end first/last · q quit";

/// Plays the lane into a switch trace, then shows it a step at a time.
pub(crate) fn step(args: StepArgs, out: &mut impl Write) -> Result<(), CliError> {
    let exhibition = args.exhibition.build()?;
    let switches = args.lane.switches(&exhibition)?;
    let title = format!("{}, one switch a step: {exhibition}", args.lane);
    if io::stdout().is_terminal() {
        return browse(&title, &switches, out).map_err(CliError::from);
    }
    writeln!(out, "{title}")?;
    for frame in Steps::new(&switches) {
        write!(out, "\n{frame}")?; // a frame ends with its line break
    }
    writeln!(out, "\n{}", switches.summary())?;
    Ok(())
}

/// The screen: one frame at a time until `q`. The terminal is restored however this ends:
/// `q`, Ctrl-C (a key like any other in raw mode), an error, or a panic.
fn browse(title: &str, switches: &Switches, out: &mut impl Write) -> io::Result<()> {
    let total = Steps::new(switches).total();
    let _screen = Screen::enter()?;
    let mut shown = 0;
    loop {
        // Going back replays from the start: cheap, and no frame is kept but the one shown.
        let Some(frame) = Steps::new(switches).nth(shown) else { return Ok(()) };
        let end = (shown + 1 == total).then(|| switches.summary().to_string());
        draw(out, title, &frame, end.as_deref())?;
        shown = match key(event::read()?) {
            Key::Next => (shown + 1).min(total - 1),
            Key::Back => shown.saturating_sub(1),
            Key::First => 0,
            Key::Last => total - 1,
            Key::Quit => return Ok(()),
            Key::Other => shown,
        };
    }
}

/// What a key asks for.
enum Key {
    Next,
    Back,
    First,
    Last,
    Quit,
    /// Anything else, a resize included: draw the same frame again.
    Other,
}

fn key(event: Event) -> Key {
    let Event::Key(KeyEvent { code, modifiers, kind: KeyEventKind::Press, .. }) = event else {
        return Key::Other;
    };
    match code {
        KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => Key::Quit,
        KeyCode::Char('q') | KeyCode::Esc => Key::Quit,
        KeyCode::Char(' ' | 'n' | 'j') | KeyCode::Enter | KeyCode::Right | KeyCode::Down => {
            Key::Next
        }
        KeyCode::Char('b' | 'p' | 'k') | KeyCode::Backspace | KeyCode::Left | KeyCode::Up => {
            Key::Back
        }
        KeyCode::Home | KeyCode::Char('g') => Key::First,
        KeyCode::End | KeyCode::Char('G') => Key::Last,
        _ => Key::Other,
    }
}

/// Clears the screen and prints the title, the frame (and under the last one the summary),
/// and the keys on the bottom line; each line cut to the terminal's width, and lines that do
/// not fit its height left out with a note saying so.
fn draw(out: &mut impl Write, title: &str, frame: &Frame, end: Option<&str>) -> io::Result<()> {
    let (columns, rows) = terminal::size()?;
    let frame = frame.to_string();
    let mut lines: Vec<&str> = vec![title, ""];
    lines.extend(frame.lines());
    if let Some(summary) = end {
        lines.push("");
        lines.extend(summary.lines());
    }
    let room = usize::from(rows).saturating_sub(1);
    let left_out = lines.len().saturating_sub(room);
    let note = format!("… {} more lines: a taller terminal shows them", left_out + 1);
    if left_out > 0 {
        lines.truncate(room.saturating_sub(1));
        lines.push(&note);
    }
    queue!(out, Clear(ClearType::All))?;
    let bottom = [(rows.saturating_sub(1), KEYS)];
    for (row, line) in (0..).zip(lines).chain(bottom) {
        let cut: String = line.chars().take(usize::from(columns)).collect();
        queue!(out, MoveTo(0, row), Print(cut))?;
    }
    out.flush()
}

/// The terminal in the screen's mode (raw, alternate screen, no cursor) for as long as this
/// lives; dropping it restores the terminal, and so does a panic, through the panic hook.
struct Screen;

/// Whether the terminal is in the screen's mode now: restoring happens once, from whichever
/// path gets there first (the drop, or the panic hook before it).
static ON_SCREEN: AtomicBool = AtomicBool::new(false);

impl Screen {
    fn enter() -> io::Result<Screen> {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| {
            // The default hook prints the panic's message: restore the terminal first, so
            // the message lands on the ordinary screen, readable.
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
        });
        terminal::enable_raw_mode()?;
        ON_SCREEN.store(true, Ordering::SeqCst);
        let screen = Screen; // from here on, a failure below still restores the terminal
        execute!(io::stdout(), EnterAlternateScreen, Hide)?;
        Ok(screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the screen's mode if the terminal is in it; errors are ignored, there is nothing
/// left to do about them on the way out.
fn restore() {
    if ON_SCREEN.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), Show, LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn keys_step_on_back_and_out() {
        let none = KeyModifiers::NONE;
        assert!(matches!(key(press(KeyCode::Char(' '), none)), Key::Next));
        assert!(matches!(key(press(KeyCode::Left, none)), Key::Back));
        assert!(matches!(key(press(KeyCode::Char('q'), none)), Key::Quit));
        assert!(matches!(key(press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Key::Quit));
        assert!(matches!(key(press(KeyCode::Char('c'), none)), Key::Other));
        assert!(matches!(key(Event::Resize(80, 24)), Key::Other));
    }
}
