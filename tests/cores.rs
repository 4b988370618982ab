//! `coro-simul cores`, run as a user would, on a small exhibition: a row per lane that thinks,
//! and a line for a lane that does not; and `coro-simul table`, the articles' table, whose
//! virtual-clock cells never change. Never a measured figure: those are the machine's.

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
fn the_lanes_asked_for_are_measured_in_that_order() {
    let text = cores(&["--lanes", "async-await,threads"]);
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("lane "))
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(rows, ["async-await", "threads"], "{text}");
}

#[test]
fn table_answers_every_question_for_processes_threads_and_async() {
    let output = Command::new(env!("CARGO_BIN_EXE_coro-simul")).arg("table").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let rows: Vec<&str> = text.lines().filter(|line| line.starts_with("| ")).collect();
    assert_eq!(rows[0], "| | processes | threads | async |");
    let questions: Vec<&str> = rows[1..].iter().filter_map(|row| row.split(" | ").next()).collect();
    assert_eq!(
        questions,
        [
            "| optimises waiting",
            "| uses all CPU cores",
            "| scalability (Python: low, medium, high)",
            "| can use the blocking standard library",
            "| the GIL interferes",
        ]
    );
    let waiting = "| optimises waiting | yes: 1:00:55, where one game at a time takes 12:00:00 | \
                   yes: 1:00:55 | yes: 1:00:55 |";
    assert_eq!(rows[1], waiting);
    assert!(
        rows[4].ends_with("takes 12:00:00, not 1:00:55 (`coro-simul pitfall blocking-wait`) |")
    );
    // The probe is labelled as one, whether the lanes played it or refused it.
    assert_eq!(rows[3].matches("| a probe of ").count(), 3, "{text}");
    // The cells not measured say so.
    assert_eq!(rows[4].matches("by construction").count(), 2, "{text}");
    assert_eq!(rows[5].matches("by construction").count(), 3, "{text}");
}
