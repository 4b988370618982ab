//! The timeline as an SVG picture, drawn with plotters: the same rows as the terminal picture,
//! at the resolution of a pixel instead of a character. Each pixel column shows the state its
//! board spent most of that moment in — never a short move widened to a whole pixel, which
//! would make a master busy 8% of the time look busy throughout.

use plotters::prelude::*;

use super::rows::{State, Timeline};
use crate::clock::{Time, hms};

const WIDTH: u32 = 1200;
const LABEL: i32 = 90;
const RIGHT: i32 = 20;
const TOP: i32 = 50;
const ROW: i32 = 18;
const LEGEND: i32 = 40;
/// The pixel columns of the time axis.
const SPAN: i32 = WIDTH as i32 - LABEL - RIGHT;
const MASTER: RGBColor = RGBColor(200, 40, 40);

/// The colour of each state; over is left blank.
fn colour(state: State) -> Option<RGBColor> {
    match state {
        State::NotStarted => Some(RGBColor(236, 236, 236)),
        State::Master => Some(MASTER),
        State::Thinking => Some(RGBColor(110, 160, 220)),
        State::Waiting => Some(RGBColor(245, 190, 80)),
        State::Over => None,
    }
}

impl Timeline {
    /// The picture as an SVG document, titled with `title`.
    ///
    /// # Errors
    ///
    /// If plotters fails to draw (it writes to a string, so this is not expected); the error
    /// is plotters' message.
    pub fn svg(&self, title: &str) -> Result<String, String> {
        let rows = self.changes.len() as i32 + 1; // the master's row, then the boards
        let height = (TOP + rows * ROW + LEGEND) as u32;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
            self.draw(&root, title).map_err(|error| error.to_string())?;
            root.present().map_err(|error| error.to_string())?;
        }
        Ok(svg)
    }

    fn draw(&self, root: &Area<'_>, title: &str) -> Result<(), DrawError> {
        root.fill(&WHITE)?;
        let font = ("sans-serif", 14).into_font();
        root.draw(&Text::new(title.to_owned(), (8, 6), font.clone()))?;
        let end = hms(self.end.since_start(), 0);
        root.draw(&Text::new(hms(Time::ZERO.since_start(), 0), (LABEL, 28), font.clone()))?;
        root.draw(&Text::new(end, (WIDTH as i32 - RIGHT - 60, 28), font.clone()))?;
        self.draw_master(root, &font)?;
        for (index, changes) in self.changes.iter().enumerate() {
            let y = TOP + (index as i32 + 1) * ROW;
            root.draw(&Text::new(format!("board {}", index + 1), (8, y + 2), font.clone()))?;
            self.draw_board(root, changes, y)?;
        }
        self.draw_legend(root, &font, TOP + (self.changes.len() as i32 + 1) * ROW + 12)
    }

    /// The master's row: each pixel column shaded by how busy she was in it, from white
    /// (idle) to her full colour (moving throughout).
    fn draw_master(&self, root: &Area<'_>, font: &FontDesc<'_>) -> Result<(), DrawError> {
        root.draw(&Text::new("master", (8, TOP + 2), font.clone()))?;
        let RGBColor(r, g, b) = MASTER;
        let mix = |full: u8, share: f64| (255.0 - (255.0 - f64::from(full)) * share.min(1.0)) as u8;
        for (i, share) in self.busy_shares(SPAN as usize).into_iter().enumerate() {
            if share <= 0.0 {
                continue; // idle: the white background shows through
            }
            let x = LABEL + i as i32;
            let colour = RGBColor(mix(r, share), mix(g, share), mix(b, share));
            root.draw(&Rectangle::new([(x, TOP + 2), (x + 1, TOP + ROW - 2)], colour.filled()))?;
        }
        Ok(())
    }

    fn draw_legend(&self, root: &Area<'_>, font: &FontDesc<'_>, y: i32) -> Result<(), DrawError> {
        let keys = [
            (State::Master, "master moving"),
            (State::Thinking, "opponent thinking"),
            (State::Waiting, "reply in, waiting for the master"),
            (State::NotStarted, "not started"),
        ];
        let note = "master row: darker = busier";
        let mut x = LABEL;
        for (state, name) in keys {
            let colour = colour(state).unwrap_or(WHITE);
            root.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], colour.filled()))?;
            root.draw(&Text::new(name, (x + 20, y), font.clone()))?;
            x += 40 + 8 * name.len() as i32;
        }
        root.draw(&Text::new(note, (x, y), font.clone()))?;
        Ok(())
    }

    /// One board's row: runs of pixel columns with the same dominant state, one bar each.
    fn draw_board(&self, root: &Area<'_>, changes: &[(Time, State)], y: i32) -> Draw {
        let width = SPAN as usize;
        let mut run_start = 0;
        let mut run_state = self.dominant(changes, 0, width, false);
        for column in 1..=width {
            let state = (column < width).then(|| self.dominant(changes, column, width, false));
            if state == Some(run_state) {
                continue;
            }
            if let Some(colour) = colour(run_state) {
                let (x0, x1) = (LABEL + run_start as i32, LABEL + column as i32);
                root.draw(&Rectangle::new([(x0, y + 2), (x1, y + ROW - 2)], colour.filled()))?;
            }
            (run_start, run_state) = (column, state.unwrap_or(State::Over));
        }
        Ok(())
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type DrawError = DrawingAreaErrorKind<std::io::Error>;
type Draw = Result<(), DrawError>;
