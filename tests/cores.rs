//! `coro-simul cores`, run as a user would, on a small exhibition: a row per lane that thinks,
//! and a line for a lane that does not. Never a figure: the cores are the machine's.

use std::process::Command;

use coro_simul::cores::{THINKING_LANES, THINKING_STEPS};

fn cores(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_coro-simul"))
        .args([&["cores", "--opponents", "4", "--pairs", "2"], args].concat())
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn a_row_per_lane_that_thinks_with_wall_cpu_and_cores() {
    let text = cores(&[]);
    assert!(text.starts_with("CPU-bound: 4 boards × 2 move pairs"), "{text}");
    let steps = format!("opponents think {THINKING_STEPS} steps a move");
    assert!(text.contains(&steps), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("lane "))
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let thinking: Vec<&str> = THINKING_LANES.iter().map(|lane| lane.name()).collect();
    assert_eq!(rows, thinking);
}

#[test]
fn a_lane_that_does_not_think_yet_is_named_not_measured() {
    let text = cores(&["--lanes", "threads,async-await"]);
    assert!(text.contains("\nthreads "), "{text}");
    assert!(text.ends_with("async-await: its code does not think yet, so it is not measured\n"));
}
