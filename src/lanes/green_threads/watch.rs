//! The green-threads lane's switch trace: each switch between the driver's stack and a green
//! thread's, in corosensei's words, and the driver's queues after it. Called only inside
//! `switch_with`, so none of it runs unless someone watches.

use std::collections::VecDeque;

use super::green_thread::Request;
use crate::clock::Time;
use crate::lanes::plain_game::queues;
use crate::timers::TimerQueue;
use crate::trace::{PausedAt, Switch, SwitchKind};

/// The driver switches to `board`'s stack: its game runs on from where it suspended.
pub(super) fn resume(now: Time, board: u32) -> Switch {
    let says = format!("resume(board {board}) → switch to its stack");
    Switch::new(now, board, SwitchKind::Resume, says)
}

/// The green thread suspended with `request`, two calls deep in its game, and the driver,
/// back on its own stack, filed the board: a wait, a suspension. The game's last word,
/// `GameOver`, is no wait and has no line of its own: it is told in [`returned`].
pub(super) fn suspend(
    now: Time,
    request: Request,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let (board, paused_at, says) = match request {
        Request::MasterMove { board, pair, paused_at } => {
            (board, paused_at, from_game("MasterMove", pair, "master_moves", "master_line"))
        }
        Request::AwaitReply { board, pair, paused_at } => {
            (board, paused_at, from_game("AwaitReply", pair, "await_reply", "replies"))
        }
        Request::GameOver { .. } => unreachable!("game_over is no wait: the driver runs on"),
    };
    Switch::new(now, board, SwitchKind::Suspend, says)
        .paused_at(PausedAt::Line(paused_at))
        .queues(queues(master_line, replies))
}

/// The call chain on the green thread's stack, from the game down to corosensei's
/// `Yielder::suspend`, all of it kept as it stands while the driver runs.
fn from_game(request: &str, pair: u32, host_call: &str, queue: &str) -> String {
    format!(
        "suspend({request} {{ pair: {pair} }}) from game → {host_call} → Yielder::suspend: \
         back to the driver's stack, into {queue}"
    )
}

/// `board`'s game said `game_over` (handing it to the driver, which recorded it and resumed
/// the game at once), then its green thread returned: done, its stack kept spare. The one
/// line that ends a game that played to its end.
pub(super) fn returned(
    now: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!(
        "game_over said; resume(board {board}) returned: green thread done, its stack kept spare"
    );
    Switch::new(now, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}

/// `board`'s game panicked: the panic unwound its green thread's stack, then came out of
/// `resume` on the driver's; the stack is kept spare.
pub(super) fn failed(
    now: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!("resume(board {board}) panicked: its stack unwound, then kept spare");
    Switch::new(now, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}

/// Nothing for the master to do: every game still playing is suspended, waiting for a reply.
pub(super) fn idle(
    now: Time,
    next: Time,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!(
        "master_line empty, every game still playing suspended in await_reply: clock jumps to \
         {next}"
    );
    Switch::new(now, None, SwitchKind::Idle, says).queues(queues(master_line, replies))
}

/// At the limit: `board`'s green thread is dropped where it is suspended, and corosensei
/// unwinds its stack from that `suspend`.
pub(super) fn adjourn(
    limit: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!("the limit: green thread {board} dropped, its stack unwound from suspend");
    Switch::new(limit, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}
