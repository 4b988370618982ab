//! The trace: what happened, when, on which board — the one output every lane must agree on.
//!
//! A lane reports each [`Event`] to a [`Sink`] as it happens. Which sink decides what is
//! kept:
//!
//! - [`Trace`] keeps every event (for printing, snapshots and comparing lanes);
//! - [`Summary`] keeps only counts and times, in constant memory, for exhibitions far too
//!   large to store (a million boards is 90 million events);
//! - a [`Renderer`](crate::render::Renderer) writes each event out as it arrives;
//! - [`Switches`] keeps every event and, between them, every transfer of control: the
//!   [switch trace](#the-switch-trace).
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
//! # The switch trace
//!
//! The events are the same in every lane, by design: that is how the lanes are compared. What
//! differs is *how* each lane got there, and the switch trace shows that: one [`Switch`] per
//! transfer of control, in the order it happened, between the events, in the lane's own
//! words (`poll task 3 → Pending`, `resume_with(Reply { .. })`, `baton → thread 3`). Each
//! switch has a [kind](SwitchKind) every lane shares:
//!
//! | kind | what happened |
//! |---|---|
//! | `resume` | a scheduler hands control to a game: calls its callback, steps its enum, resumes its generator, polls its task, switches to its stack, hands its thread the baton |
//! | `suspend` | the game gives control back, paused, to be resumed later (a [suspension](#suspensions)); it says where the game stopped: a line of code, or the state written down |
//! | `wake` | a scheduler learns a paused game may go on, and files it where it will be resumed from |
//! | `finish` | the game's code ended (over, failed or adjourned): nothing will resume it |
//! | `block` | the one thread blocks and nothing else runs meanwhile (the synchronous lane) |
//! | `idle` | the scheduler has nothing ready and moves its clock to the next deadline |
//!
//! Each switch may also carry the scheduler's [queues](Queue) just after it: the master's
//! line, the replies in flight, a run queue. As text (`coro-simul trace LANE --switches`),
//! one line a switch, the queues under it with `--queues`, and the events marked `==`:
//!
//! ```text
//!  0:00:05  suspend  board 1   step(board 1) returned Pending { until: 0:01:00 }: into replies  (paused at AwaitingReply { pair: 1, until: 0:01:00 })
//!                              master_line [2] · replies [1 at 0:01:00]
//!  0:00:05  resume   board 2   step(board 2) from MasterToMove { pair: 1 }
//!  0:00:05  == master_move board 2 pair 1
//! ```
//!
//! For tools, `--format jsonl` ([`switches_jsonl`](crate::render::switches_jsonl)): one JSON
//! object per line, in the same order; the events as in [the contract](#the-contract), and
//! each switch as an object with a `switch` key (where an event has `event`):
//!
//! ```text
//! {"t": 5, "board": 1, "switch": "suspend", "says": "step(board 1) returned Pending { until: 0:01:00 }: into replies", "paused_at": "AwaitingReply { pair: 1, until: 0:01:00 }", "queues": {"master_line": [2], "replies": [[1, 60]]}}
//! {"t": 10, "switch": "idle", "says": "master_line empty: clock jumps to 0:01:00"}
//! ```
//!
//! | field | what it holds |
//! |---|---|
//! | `t` | the time in seconds from the start, as for events |
//! | `board` | the game it is about; left out for the scheduler on its own (`idle`) |
//! | `switch` | its [kind](SwitchKind): `resume`, `suspend`, `wake`, `finish`, `block`, `idle` |
//! | `says` | what happened, in the lane's own words, as in the text |
//! | `paused_at` | where the game stopped: `"src/lanes/..rs:42"` or the state written down; left out when the switch says none |
//! | `queues` | only with `--queues`, and only when the switch lists them: an object, one member a queue, in the lane's order, its boards first-served first; a timer queue's entries are `[board, due]`, `due` in seconds |
//!
//! CSV has no switch trace (a switch has no fixed columns): `--switches --format csv` is
//! refused.
//!
//! Watching costs nothing when nobody watches: a lane builds a switch only when its sink
//! [watches switches](Sink::watches_switches), which only [`Switches`] does.
//!
//! # Suspensions
//!
//! One rule, counted the same way in every lane ([`Summary::suspensions`]): **a suspension
//! is one time a game's code stops at one of its waits and gives control back to its
//! scheduler, to be resumed later.** The scheduler runs whatever else is ready first, and
//! resumes the game at once if nothing is (a suspension is the handing back, not how long it
//! lasts). A game waits twice a
//! move pair, for the master and for the reply, so a lane whose games stop at every wait
//! suspends `2·n·p` times (1 440 on the default exhibition). The exceptions say something
//! about the technique:
//!
//! - the synchronous lane never suspends: it blocks, and nothing else runs meanwhile (0);
//! - a generator asks for both waits with one `yield` (its request names the master's move
//!   and the reply it waits for), and the driver does the rest, so it stops once a pair
//!   (`n·p`, 720).
//!
//! In the switch trace, every suspension is one `suspend` line.
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
mod switch;

pub use event::{Event, EventKind};
pub use sink::{Sink, Trace};
pub use summary::Summary;
pub use switch::{Line, PausedAt, Queue, Switch, SwitchKind, Switches};
