//! The trace: what happened, when, on which board — the one output every lane must agree on.
//!
//! A lane reports each [`Event`] to a [`Sink`] as it happens. Which sink decides what is
//! kept:
//!
//! - [`Trace`] keeps every event (for printing, snapshots and comparing lanes);
//! - [`Summary`] keeps only counts and times, in constant memory, for exhibitions far too
//!   large to store (a million boards is 90 million events);
//! - a [`Renderer`](crate::render::Renderer) writes each event out as it arrives.
//!
//! Sinks are generic parameters, not trait objects, so the summary-only path costs a few
//! additions per event and nothing more.
//!
//! # The contract
//!
//! Events, with their virtual time from the start:
//!
//! | event | when |
//! |---|---|
//! | `master_move` (board, pair) | the master starts her move |
//! | `opponent_move` (board, pair) | the opponent's reply lands: master start + m + o |
//! | `game_over` (board) | the last reply of that game landed |
//! | `adjourned` (board) | the exhibition's time limit stopped the unfinished game |
//! | `forfeit` (board, message) | the game's code failed (panicked); the others play on |
//!
//! Order: by time; at equal times `opponent_move`, then `game_over`, then `forfeit`, then
//! `adjourned`, then `master_move`; then by board. [`Event::order_key`] is that order; every
//! lane emits its events already in it.
//!
//! The same events, machine-readable ([`Format::Jsonl`](crate::render::Format::Jsonl), the
//! command line's `--format jsonl`), one JSON object per line:
//!
//! ```text
//! {"t": 120, "board": 1, "pair": 2, "event": "master_move"}
//! {"t": 3655, "board": 24, "event": "game_over"}
//! {"t": 65, "board": 2, "event": "forfeit", "message": "board 2's game failed at pair 2 (a planned failure)"}
//! ```
//!
//! `t` is the time in seconds from the start, a JSON number (fractional where the durations
//! are); boards and pairs count from 1; `game_over`, `adjourned` and `forfeit` carry no
//! `pair`, and `forfeit` carries the failure's `message`.
//!
//! A planned failure ([`Exhibition::failure`](crate::Exhibition::failure)) makes board `B`'s
//! game panic when its code reaches pair `K`, before it asks for the master's move: when the
//! game starts for `K = 1` (in the concurrent lanes every game starts at 0:00:00; in the
//! synchronous lane a game starts when the one before it ends), else the moment its reply to
//! pair `K − 1` lands. The lane catches the panic at its boundary, records `forfeit` at that
//! moment with the panic's message, and the other games play on.
//!
//! A time limit `L` ([`Exhibition::time_limit`](crate::Exhibition::time_limit)) stops the
//! exhibition at `L`: replies due by `L` still land (and their games run on until they next
//! wait, so they may finish or fail), but no master move starts at `L` or later; then, at
//! `L`, every game neither over nor forfeit is `adjourned`, in board order. An exhibition
//! that ends before `L` never notices its limit.
//!
//! # Example
//!
//! ```
//! use coro_simul::{Exhibition, lanes::Lane, trace::{Trace, EventKind}};
//!
//! let exhibition = Exhibition::builder().opponents(2).pairs(1).build()?;
//! let trace: Trace = Lane::Sync.trace(&exhibition)?;
//! let kinds: Vec<EventKind> = trace.events().iter().map(|e| e.kind.clone()).collect();
//! assert_eq!(kinds[..3], [
//!     EventKind::MasterMove { pair: 1 },
//!     EventKind::OpponentMove { pair: 1 },
//!     EventKind::GameOver,
//! ]);
//! assert!(trace.is_in_contract_order());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod event;
mod sink;
mod summary;

pub use event::{Event, EventKind};
pub use sink::{Sink, Trace};
pub use summary::Summary;
