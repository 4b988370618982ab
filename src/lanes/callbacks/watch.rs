//! The callbacks lane as its switch trace shows it. The loop holds boxed closures it cannot
//! look into, so, for the trace alone, the lane writes down what each closure is as it hands
//! it over (asyncio's `Handle` keeps the callback's name and arguments for its debug output
//! the same way), and lists the loop's queues from those notes.

use std::collections::VecDeque;
use std::fmt;

use crate::clock::Time;
use crate::timers::TimerQueue;
use crate::trace::{PausedAt, Queue, Switch, SwitchKind};

/// One callback the lane hands the loop, named as the trace shows it, with what its closure
/// captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Callback {
    /// A game's first callback, queued by the lane for every board at the start.
    GameStarts {
        /// The game's board.
        board: u32,
    },
    /// The master's move of `pair` on `board`, queued with `call_soon`.
    MasterMoves {
        /// The game's board.
        board: u32,
        /// The move pair she plays.
        pair: u32,
    },
    /// The reply to `pair` on `board`, due at `lands`, set with `call_later`.
    ReplyLands {
        /// The game's board.
        board: u32,
        /// The move pair it answers.
        pair: u32,
        /// When it is due.
        lands: Time,
    },
}

impl Callback {
    pub(super) fn board(self) -> u32 {
        match self {
            Callback::GameStarts { board }
            | Callback::MasterMoves { board, .. }
            | Callback::ReplyLands { board, .. } => board,
        }
    }

    /// Where the paused game lives: the captures of the closure that will carry it on.
    fn captures(self) -> PausedAt {
        let captured = match self {
            Callback::GameStarts { board } => format!("board: {board}"),
            Callback::MasterMoves { board, pair } => format!("board: {board}, pair: {pair}"),
            Callback::ReplyLands { board, pair, lands } => {
                format!("board: {board}, pair: {pair}, lands: {lands}")
            }
        };
        PausedAt::State(format!("the closure's captures {{ {captured}, arbiter: Rc }}"))
    }
}

/// `master_moves[board 1, pair 2]`: the function the closure calls, and for which game.
impl fmt::Display for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Callback::GameStarts { board } => write!(f, "game_starts[board {board}]"),
            Callback::MasterMoves { board, pair } => {
                write!(f, "master_moves[board {board}, pair {pair}]")
            }
            Callback::ReplyLands { board, pair, .. } => {
                write!(f, "reply_lands[board {board}, pair {pair}]")
            }
        }
    }
}

/// The loop's queues as the lane's notes say they stand, and what the loop runs. Its rules:
/// every callback the lane hands the loop is noted here as it is handed over, and taken out
/// as the loop calls it, in the loop's own order (ready first come first served, timers by
/// due time, ties in the order they were set), so the notes and the loop hold the same.
/// Only the switch trace reads or writes it: when nobody watches, it stays empty.
#[derive(Debug, Default)]
pub(super) struct LoopView {
    /// The loop's ready queue (`call_soon`): the games waiting for the master.
    ready: VecDeque<Callback>,
    /// The loop's timers (`call_later`): the replies in flight.
    timers: TimerQueue<Callback>,
    /// The callback the loop runs now, or ran last.
    running: Option<Callback>,
    /// When the last callback returned to the loop: the clock moves between two callbacks
    /// only when the loop, with nothing ready, jumps it to the next timer.
    returned_at: Time,
}

impl LoopView {
    /// The lane queued `game_starts` for `board` before the loop ran: no switch yet.
    pub(super) fn starts(&mut self, board: u32) -> Vec<Switch> {
        self.ready.push_back(Callback::GameStarts { board });
        Vec::new()
    }

    /// The loop calls `callback` at `now`, from its timers or its ready queue; first, if the
    /// clock moved since the last callback returned, the loop idled.
    pub(super) fn runs(&mut self, now: Time, callback: Callback) -> Vec<Switch> {
        let mut switches = self.idled(now, "clock jumps to the next timer");
        let (taken, from) = match callback {
            Callback::ReplyLands { .. } => (self.timers.pop().map(|(_, taken)| taken), "timer due"),
            _ => (self.ready.pop_front(), "ready"),
        };
        debug_assert_eq!(taken, Some(callback), "the notes and the loop disagree");
        self.running = Some(callback);
        let says = format!("loop: {from} → {callback}");
        switches.push(Switch::new(now, callback.board(), SwitchKind::Resume, says));
        switches
    }

    /// The running callback returns at `now`, having handed the loop `rest`, the game's
    /// next callback: the game is suspended, and lives in `rest`'s captures.
    pub(super) fn parks(&mut self, now: Time, rest: Callback) -> Switch {
        let scheduled = match rest {
            Callback::ReplyLands { lands, .. } => {
                self.timers.push(lands, rest);
                format!("call_later({:?}, {rest})", lands - now)
            }
            _ => {
                self.ready.push_back(rest);
                format!("call_soon({rest})")
            }
        };
        let says = format!("{scheduled}; {} returns to the loop", self.running_name());
        let switch = Switch::new(now, rest.board(), SwitchKind::Suspend, says);
        self.returned(now, switch.paused_at(rest.captures()))
    }

    /// The running callback returns at `now` and schedules nothing: the game on `board` is
    /// over.
    pub(super) fn ends(&mut self, now: Time, board: u32) -> Vec<Switch> {
        let says = format!("{} returns, scheduling nothing: the game is over", self.running_name());
        vec![self.returned(now, Switch::new(now, board, SwitchKind::Finish, says))]
    }

    /// The running callback panicked, as its game on `board` failed at `at`; the loop's clock
    /// reads `now`.
    pub(super) fn panicked(&mut self, now: Time, board: u32, at: Time) -> Vec<Switch> {
        let says = format!(
            "{} panicked out of run_until to play's catch_unwind: it scheduled nothing, so \
             no closure holds the game",
            self.running_name()
        );
        let switch = self.returned(now, Switch::new(at, board, SwitchKind::Finish, says));
        vec![switch]
    }

    /// At the limit (the loop's clock at `now`, `limit` or past it), the game on `board` is
    /// adjourned: its closure is cancelled or dropped unrun.
    pub(super) fn adjourns(&mut self, now: Time, limit: Time, board: u32) -> Vec<Switch> {
        let mut switches = self.idled(now, "clock jumps to the limit");
        self.returned_at = now;
        let timers = self.timers.in_order();
        let reply = timers.iter().map(|(_, reply)| reply).find(|reply| reply.board() == board);
        let queued = self.ready.iter().find(|rest| rest.board() == board);
        let says = match (reply, queued) {
            (Some(reply), _) => format!("the limit: {reply}'s timer cancelled, never to run"),
            (None, Some(rest)) => format!("the limit: close() drops {rest} unrun"),
            (None, None) => "the limit: no closure holds the game".to_owned(),
        };
        switches.push(Switch::new(limit, board, SwitchKind::Finish, says));
        switches
    }

    /// An `idle` switch, if the clock moved from the last callback's return to `now`.
    fn idled(&mut self, now: Time, jumps: &str) -> Vec<Switch> {
        if now <= self.returned_at {
            return Vec::new();
        }
        let says = format!("loop: nothing ready: {jumps}, {now}");
        vec![Switch::new(self.returned_at, None, SwitchKind::Idle, says).queues(self.queues())]
    }

    /// `switch`, which ends the running callback at `now`, with the queues it leaves.
    fn returned(&mut self, now: Time, switch: Switch) -> Switch {
        self.returned_at = now;
        switch.queues(self.queues())
    }

    fn running_name(&self) -> String {
        self.running.map_or_else(|| "the callback".to_owned(), |callback| callback.to_string())
    }

    /// The loop's two queues: the ready callbacks (the master's line) and the timers (the
    /// replies in flight), each by board.
    fn queues(&self) -> Vec<Queue> {
        let timers = self.timers.in_order().into_iter().map(|(due, rest)| (due, rest.board()));
        vec![
            Queue::fifo("ready", self.ready.iter().map(|rest| rest.board())),
            Queue::timers("timers", timers),
        ]
    }
}
