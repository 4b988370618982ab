//! `coro-simul step`: the switch trace a frame at a time. Off a terminal the command prints
//! the frames one after another, so what a reader steps through on the screen is pinned here.

mod common;

use std::process::Command;

use coro_simul::lanes::Lane;
use coro_simul::step::{Board, Frame, Steps};
use coro_simul::trace::SwitchKind;

/// The frames as `coro-simul step` prints them off a terminal, each after a blank line.
fn frames_text(frames: impl Iterator<Item = Frame>) -> String {
    frames.map(|frame| format!("\n{frame}")).collect()
}

#[test]
fn step_frames_2x2_snapshot() {
    let switches = Lane::StateMachine.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul step state-machine` off a terminal (on one, a key shows the next frame). \
        Each frame is one switch and the exhibition it leaves: the clock, the events since the \
        frame before, the driver's queues (a `resume` lists none: they are shown `as at` the \
        step that last did), and every board's paused point — the enum variant its last step \
        returned (`waiting at MasterToMove`), `running` while the driver steps it, `over` at \
        the end; ▸ marks the board the switch is about. Watch the clock: it moves inside a step \
        (the master's 5 s move) and on `idle`, when no board is ready and the driver jumps it \
        to the next reply due.";
    let frames = frames_text(Steps::new(&switches));
    common::assert_snapshot!("state-machine", "step_state_machine_2x2", about, &frames);
}

#[test]
fn off_a_terminal_the_command_prints_every_frame_then_the_summary() {
    let output = Command::new(env!("CARGO_BIN_EXE_coro-simul"))
        .args(["step", "state-machine"]) // 2 boards × 2 pairs unless told
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    let switches = Lane::StateMachine.switches(&common::two_by_two()).unwrap();
    let expected = format!(
        "state-machine, one switch a step: {}\n{}\n{}\n",
        common::two_by_two(),
        frames_text(Steps::new(&switches)),
        switches.summary()
    );
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn bad_input_is_refused_in_one_line_before_any_frame() {
    for (args, names) in [
        (&["step", "nope"][..], "unknown lane 'nope'"),
        (&["step", "sync", "--opponents", "0"][..], "--opponents 0"),
        (&["step"][..], "<LANE>"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(names), "{stderr}");
    }
}

/// Whatever a lane reports (switches, or its events alone), stepping through it ends with
/// every board over, and the clock never goes back from one frame to the next.
#[test]
fn every_lane_steps_to_every_board_over() {
    let exhibition = common::two_by_two();
    for lane in Lane::ALL {
        let switches = lane.switches(&exhibition).unwrap();
        let frames: Vec<Frame> = Steps::new(&switches).collect();
        let switch_count = switches.switches().count();
        assert!(frames.len() >= switch_count.max(1), "{lane}: a frame per switch");
        assert!(frames.windows(2).all(|two| two[0].t <= two[1].t), "{lane}: the clock goes back");
        let last = frames.last().unwrap();
        assert_eq!(last.boards, [Board::Ended("over"), Board::Ended("over")], "{lane}");
    }
}

/// A board that suspends is shown waiting at the very point its `suspend` switch named.
#[test]
fn a_suspended_board_waits_where_its_switch_says() {
    let switches = Lane::StateMachine.switches(&common::two_by_two()).unwrap();
    let mut checked = 0;
    for frame in Steps::new(&switches) {
        let Some(switch) = frame.switch.filter(|s| s.kind == SwitchKind::Suspend) else {
            continue;
        };
        let board = switch.board.expect("a suspend is about a board") as usize;
        assert_eq!(frame.boards[board - 1], Board::Waiting(switch.paused_at), "{}", frame.number);
        checked += 1;
    }
    assert_eq!(checked, switches.summary().suspensions());
}

/// Under `cargo test`, the processes lane's children run this test alone, and play here.
#[test]
fn coro_simul_processes_worker() {
    coro_simul::lanes::processes::serve_if_child();
}
