//! The timeline: the exhibition as a picture, one row per board, time running left to right.
//!
//! Each board is, at every moment, in one of these states, read straight off its trace:
//!
//! | mark | state | from | to |
//! |---|---|---|---|
//! | `.` | not started: waiting for the master's first move | the start | her first move |
//! | `#` | the master is moving at this board | her `master_move` | `m` later |
//! | `-` | the opponent is thinking | the master's move ends | the `opponent_move` |
//! | `:` | the reply is in, waiting for the master | the reply lands | her next move |
//! | ` ` | the game is over | `game_over` | the end |
//!
//! A column is a slot of time: the whole exhibition divided by the width. When a slot is no
//! longer than one master move, the picture is exact: each column shows the state its board
//! spent most of that slot in. When slots are longer, a board switches between moving,
//! thinking and waiting faster than columns can show, and drawing one of them would be
//! noise; so the picture zooms out and draws the three together as `=`, "in play". The
//! default synchronous exhibition is then a staircase — one game in play at a time — and the
//! concurrent one a solid block.
//!
//! A row of its own shows the master: how much of each slot she was busy, from ` ` (idle) to
//! `█` (busy throughout).
//!
//! [`Timeline`] is a [`Sink`](crate::trace::Sink): it keeps only the state changes of the boards it
//! shows, so a timeline of a huge exhibition needs no stored trace.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, timeline::Timeline};
//!
//! let exhibition = Exhibition::builder().opponents(2).pairs(1).build()?;
//! let mut timeline = Timeline::new(&exhibition, 10);
//! Lane::Sync.play(&exhibition, &mut timeline)?;
//! let picture = timeline.render(24); // 24 columns of 5 s: exact
//! assert!(picture.contains("board 1   #-----------            |"));
//! assert!(picture.contains("board 2   ............#-----------|"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod rows;
mod svg;

pub use rows::Timeline;
