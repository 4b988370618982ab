//! The processes lane's switch trace: each handoff of the baton between the parent and a
//! game's process, as the parent sees it (it owns the sink, and serialises the handoffs),
//! and its queues after it. Called only inside `switch_with`, so none of it runs unless
//! someone watches.

use std::collections::VecDeque;

use super::game_process::Request;
use crate::clock::Time;
use crate::lanes::plain_game::queues;
use crate::timers::TimerQueue;
use crate::trace::{PausedAt, Switch, SwitchKind};

/// The parent writes `board`'s process the baton, then blocks reading its next line: the
/// kernel wakes that process, whose host call reads `play`, returns, and runs on.
pub(super) fn resume(now: Time, board: u32) -> Switch {
    let says = format!("parent: \"play\" → process {board}, then blocks in read until it asks");
    Switch::new(now, board, SwitchKind::Resume, says)
}

/// The parent read `request`, and the process that wrote it is blocked: reading its socket
/// for a wait (a suspension), or exiting, for the game's last word.
pub(super) fn suspend(
    now: Time,
    request: &Request,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let (board, paused_at, says) = match request {
        Request::MasterMove { board, pair, paused_at } => {
            let call = format!("master {board} {pair}");
            (*board, paused_at, from_game(*board, &call, "master_moves", "master_line"))
        }
        Request::AwaitReply { board, pair, paused_at } => {
            let call = format!("reply {board} {pair}");
            (*board, paused_at, from_game(*board, &call, "await_reply", "replies"))
        }
        Request::GameOver { board } => {
            let says =
                format!("process {board} → \"over {board}\" from game → game_over: exits, reaped");
            let finish = Switch::new(now, *board, SwitchKind::Finish, says);
            return finish.queues(queues(master_line, replies));
        }
        Request::Panicked(_) => unreachable!("a panic is a forfeit, never served"),
    };
    Switch::new(now, board, SwitchKind::Suspend, says)
        .paused_at(in_its_words(paused_at))
        .queues(queues(master_line, replies))
}

/// The call chain in the game's process, down to the `read` of its socket, where the kernel
/// parks the whole process until the parent writes the baton back.
fn from_game(board: u32, call: &str, host_call: &str, queue: &str) -> String {
    format!(
        "process {board} → \"{call}\" from game → {host_call} → read: blocks on its socket, \
         into {queue}"
    )
}

/// Where the game waits, as the process wrote it after its call: text, not the
/// [`Location`](std::panic::Location) the other lanes hold, which is a pointer into the
/// memory of the process it was made in.
fn in_its_words(paused_at: &Option<String>) -> PausedAt {
    match paused_at {
        Some(at) => PausedAt::State(format!("{at}, as the process wrote it")),
        None => PausedAt::State("a wait the process did not place".to_owned()),
    }
}

/// `board`'s process answered the baton with no call: its game panicked (and said so),
/// aborted, was killed, exited, or broke the protocol; the parent reaps it.
pub(super) fn failed(
    now: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!("process {board} answered with no call: its game lost, reaped");
    Switch::new(now, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}

/// Nothing for the master to do: every game still playing has its process blocked reading
/// its socket, waiting for a reply (the processes of games over are reaped).
pub(super) fn idle(
    now: Time,
    next: Time,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let blocked = "parent: master_line empty, every game still playing is blocked in read";
    let says = format!("{blocked}: clock jumps to {next}");
    Switch::new(now, None, SwitchKind::Idle, says).queues(queues(master_line, replies))
}

/// At the limit: instead of the baton, `board`'s process reads `adjourned`; its host call
/// returns `Err(Adjourned)`, the game leaves its loop with `?`, and the process exits.
pub(super) fn adjourn(
    limit: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says =
        format!("the limit: \"adjourned\" → process {board}: its host call returns Err, reaped");
    Switch::new(limit, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}
