//! The threads lane's switch trace: each handoff of the baton between the coordinator and a
//! game thread, as the coordinator sees it (it owns the sink, and serialises the handoffs),
//! and its queues after it. Called only inside `switch_with`, so none of it runs unless
//! someone watches.

use std::collections::VecDeque;

use super::game_thread::Request;
use crate::clock::Time;
use crate::lanes::plain_game::queues;
use crate::timers::TimerQueue;
use crate::trace::{PausedAt, Switch, SwitchKind};

/// The coordinator hands `board`'s thread the baton, then blocks until the thread asks again:
/// the kernel wakes that thread, which returns from its host call and runs on.
pub(super) fn resume(now: Time, board: u32) -> Switch {
    let says = format!("coordinator: baton → thread {board}, then blocks in recv until it asks");
    Switch::new(now, board, SwitchKind::Resume, says)
}

/// The coordinator received `request`, and the thread that sent it is blocked: on its
/// baton channel for a wait (a suspension), or ending, for the game's last word.
pub(super) fn suspend(
    now: Time,
    request: Request,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let (board, paused_at, says) = match request {
        Request::MasterMove { board, pair, paused_at } => {
            (board, paused_at, from_game(board, "MasterMove", pair, "master_moves", "master_line"))
        }
        Request::AwaitReply { board, pair, paused_at } => {
            (board, paused_at, from_game(board, "AwaitReply", pair, "await_reply", "replies"))
        }
        Request::GameOver { board } => {
            let says = format!("thread {board} → GameOver from game → game_over: it ends, joined");
            let finish = Switch::new(now, board, SwitchKind::Finish, says);
            return finish.queues(queues(master_line, replies));
        }
    };
    Switch::new(now, board, SwitchKind::Suspend, says)
        .paused_at(PausedAt::Line(paused_at))
        .queues(queues(master_line, replies))
}

/// The call chain on the game thread's own stack, down to the channel's `recv`, where the
/// kernel parks the thread until the coordinator sends the baton back.
fn from_game(board: u32, request: &str, pair: u32, host_call: &str, queue: &str) -> String {
    format!(
        "thread {board} → {request} {{ pair: {pair} }} from game → {host_call} → recv: \
         blocks on its baton channel, into {queue}"
    )
}

/// `board`'s thread ended without a word: its game panicked, unwinding its own stack, and
/// the coordinator, finding its channel closed, joined it.
pub(super) fn failed(
    now: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!("thread {board}'s channel closed: joined, its panic out of join");
    Switch::new(now, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}

/// Nothing for the master to do: every game still playing has its thread blocked on its
/// baton channel, waiting for a reply (the threads of games over are joined).
pub(super) fn idle(
    now: Time,
    next: Time,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let blocked = "coordinator: master_line empty, every game still playing is blocked in recv";
    let says = format!("{blocked}: clock jumps to {next}");
    Switch::new(now, None, SwitchKind::Idle, says).queues(queues(master_line, replies))
}

/// At the limit: instead of the baton, `board`'s thread is sent the news; its host call
/// returns `Err(Adjourned)`, the game leaves its loop with `?`, and the thread is joined.
pub(super) fn adjourn(
    limit: Time,
    board: u32,
    master_line: &VecDeque<(u32, u32)>,
    replies: &TimerQueue<(u32, u32)>,
) -> Switch {
    let says = format!("the limit: Adjourned → thread {board}: its host call returns Err, joined");
    Switch::new(limit, board, SwitchKind::Finish, says).queues(queues(master_line, replies))
}
