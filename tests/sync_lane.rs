//! The synchronous lane, checked against its closed form and pinned by snapshots.

mod common;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};
use coro_simul::trace::{EventKind, SwitchKind};
use proptest::prelude::*;

use common::{assert_snapshot, small_exhibitions, sync_master_move, sync_total, three_by_two};

proptest! {
    /// Every master move starts exactly where `((b−1)·p + (k−1))·(m+o)` says, every board's
    /// moves come in order, and the exhibition ends at `n·p·(m+o)`.
    #[test]
    fn master_moves_and_total_match_the_closed_form(ex in small_exhibitions()) {
        let trace = Lane::Sync.trace(&ex).unwrap();
        let moves: Vec<_> = trace
            .events()
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::MasterMove { pair } => Some((e.board, pair, e.t)),
                _ => None,
            })
            .collect();
        prop_assert_eq!(moves.len() as u32, ex.opponents() * ex.pairs());
        let mut expected = (1..=ex.opponents()).flat_map(|b| (1..=ex.pairs()).map(move |k| (b, k)));
        for (board, pair, t) in moves {
            prop_assert_eq!(Some((board, pair)), expected.next());
            prop_assert_eq!(t, sync_master_move(&ex, board, pair));
        }
        prop_assert_eq!(trace.summary().total(), sync_total(&ex));
        prop_assert_eq!(trace.summary().games_over(), u64::from(ex.opponents()));
        prop_assert!(trace.is_in_contract_order());
    }

    /// The summary-only sink sees the same exhibition as the full trace.
    #[test]
    fn the_summary_sink_agrees_with_the_full_trace(ex in small_exhibitions()) {
        let trace = Lane::Sync.trace(&ex).unwrap();
        prop_assert_eq!(&Lane::Sync.summary(&ex).unwrap(), trace.summary());
    }
}

#[test]
fn text_trace_3x2() {
    let about = "`coro-simul trace sync --opponents 3 --pairs 2`: board 2 starts only when \
                 board 1's game is over, at 0:02:00, and nothing ever overlaps";
    assert_snapshot!(
        "sync",
        "sync_trace_3x2_text",
        about,
        &render(Format::Text, &Lane::Sync.trace(&three_by_two()).unwrap()),
    );
}

#[test]
fn jsonl_trace_3x2() {
    let about = "`coro-simul trace sync --format jsonl --opponents 3 --pairs 2`: the trace \
                 contract of the `trace` module, one JSON object per event";
    assert_snapshot!(
        "sync",
        "sync_trace_3x2_jsonl",
        about,
        &render(Format::Jsonl, &Lane::Sync.trace(&three_by_two()).unwrap()),
    );
}

#[test]
fn csv_trace_3x2() {
    let about = "`coro-simul trace sync --format csv --opponents 3 --pairs 2`: the same \
                 events as the jsonl snapshot; game_over has an empty pair, and the message column stays \
                 empty unless a game forfeits";
    assert_snapshot!(
        "sync",
        "sync_trace_3x2_csv",
        about,
        &render(Format::Csv, &Lane::Sync.trace(&three_by_two()).unwrap()),
    );
}

#[test]
fn summary_of_the_default_exhibition() {
    let summary = Lane::Sync.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total().as_secs(), 12 * 3600);
    let about = "The default exhibition played synchronously: n·p·(m+o) = 12:00:00, and the \
                 master busy for only n·p·m = 1:00:00 of it";
    assert_snapshot!("sync", "sync_summary_default", about, &summary.to_string());
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::Sync.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul trace sync --switches --queues --opponents 2 --pairs 2`. The contrast with every other lane: \
        no suspend, no idle, no queue of games waiting for the master. `play` calls game(board \
        1) like any function, and each time the game waits for a reply it blocks the one \
        thread for 55 s (`block`, paused at the await_reply line in the game's code) while \
        board 2 sits in `not started`; only when game 1 returns does play call game 2. The \
        master waits for nobody, so the game's only waits are the replies.";
    assert_snapshot!("sync", "switches_sync_2x2", about, &switches.text(true));
}

/// The synchronous lane never suspends: every wait for a reply is one `block` of the one
/// thread, which says where the game stopped, and no switch is a suspend.
#[test]
fn every_wait_blocks_and_none_suspends() {
    let ex = three_by_two();
    let switches = Lane::Sync.switches(&ex).unwrap();
    let kinds: Vec<SwitchKind> = switches.switches().map(|switch| switch.kind).collect();
    let blocks: Vec<_> =
        switches.switches().filter(|switch| switch.kind == SwitchKind::Block).collect();
    assert_eq!(blocks.len() as u32, ex.opponents() * ex.pairs());
    assert!(blocks.iter().all(|block| block.paused_at.is_some()));
    assert!(!kinds.contains(&SwitchKind::Suspend) && !kinds.contains(&SwitchKind::Idle));
    let resumes = kinds.iter().filter(|&&kind| kind == SwitchKind::Resume).count();
    assert_eq!(resumes as u32, ex.opponents(), "play calls each game once");
}

/// The closed-form concurrent trace the other lanes are held to is itself consistent: it
/// ends at `(p−1)·R + n·m + o` and is in the contract's order.
#[test]
fn the_concurrent_closed_form_is_consistent() {
    for ex in [Exhibition::default(), three_by_two()] {
        let events = common::concurrent_trace(&ex);
        assert_eq!(events.last().map(|e| e.t.since_start()), Some(common::concurrent_total(&ex)));
        assert!(events.windows(2).all(|w| w[0].order_key() < w[1].order_key()));
    }
    assert_eq!(common::concurrent_total(&Exhibition::default()).as_secs(), 3655);
}

/// A host whose reply never comes in time: the second wait is stopped by the time limit.
#[derive(Default)]
struct Stopping {
    calls: Vec<&'static str>,
}

impl coro_simul::lanes::plain_game::Host for Stopping {
    fn master_moves(
        &mut self,
        _board: u32,
        _pair: u32,
    ) -> Result<(), coro_simul::lanes::plain_game::Adjourned> {
        self.calls.push("master_moves");
        Ok(())
    }
    fn await_reply(
        &mut self,
        _board: u32,
        pair: u32,
    ) -> Result<(), coro_simul::lanes::plain_game::Adjourned> {
        self.calls.push("await_reply");
        if pair == 2 { Err(coro_simul::lanes::plain_game::Adjourned) } else { Ok(()) }
    }
    fn game_over(&mut self, _board: u32) {
        self.calls.push("game_over");
    }
}

/// Adjourning a blocked game: the wait fails, and the game leaves at once through `?` — no
/// further move, no game over; its stack frame is gone when `game` returns.
#[test]
fn an_adjourned_wait_ends_the_game_at_once() {
    let mut host = Stopping::default();
    let result = coro_simul::lanes::plain_game::game(1, &Exhibition::default(), &mut host);
    assert_eq!(result, Err(coro_simul::lanes::plain_game::Adjourned));
    assert_eq!(host.calls, ["master_moves", "await_reply", "master_moves", "await_reply"]);
}
