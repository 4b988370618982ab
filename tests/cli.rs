//! The `coro-simul` binary, run as a user would: what it prints, and how it refuses bad input.

mod common;

use std::process::{Command, Output};

use coro_simul::lanes::Lane;
use coro_simul::render::{Format, render};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("UTF-8 output")
}

#[test]
fn no_arguments_compares_the_lanes_on_the_default_exhibition() {
    let output = run(&[]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("Simultaneous exhibition: 24 boards × 30 move pairs"), "{text}");
    let sync_row = text.lines().find(|line| line.starts_with("sync ")).expect("a sync row");
    assert!(sync_row.contains("12:00:00"), "{sync_row}");
    // `compare` is the default; only the measured wall-clock column may differ.
    let without_wall = |text: &str| -> Vec<String> {
        text.lines()
            .map(|line| {
                let columns: Vec<&str> = line.split_whitespace().collect();
                match columns.iter().position(|c| ["µs", "ms", "s"].contains(c)) {
                    Some(unit) => [&columns[..unit - 1], &columns[unit + 1..]].concat().join(" "),
                    None => columns.join(" "),
                }
            })
            .collect()
    };
    assert_eq!(without_wall(stdout(&run(&["compare"]))), without_wall(text));
}

#[test]
fn compare_json_has_an_object_per_chosen_lane() {
    let output =
        run(&["compare", "--format", "json", "--lanes", "sync,generators", "--pairs", "2"]);
    assert!(output.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rows = rows.as_array().expect("an array");
    let lanes: Vec<&str> = rows.iter().map(|row| row["lane"].as_str().unwrap()).collect();
    assert_eq!(lanes, ["sync", "generators"]);
    // 24 boards × 2 pairs: sync 24·2·60 s; concurrent (2−1)·120 + 24·5 + 55 s.
    assert_eq!(rows[0]["total_seconds"], 2880.0);
    assert_eq!(rows[1]["total_seconds"], 295.0);
    assert_eq!(rows[0]["suspensions"], 0);
    assert_eq!(rows[1]["suspensions"], 48);
}

#[test]
fn compare_draws_both_timelines_only_for_the_default_exhibition() {
    let default = stdout(&run(&["compare", "--lanes", "sync,generators"])).to_owned();
    assert!(default.contains("\nsync: 24 boards") && default.contains("\ngenerators: 24 boards"));
    let other =
        stdout(&run(&["compare", "--lanes", "sync,generators", "--opponents", "3"])).to_owned();
    assert!(!other.contains("board 1 "), "{other}");
}

#[test]
fn trace_jsonl_prints_the_contract_lines() {
    let output = run(&["trace", "sync", "--format", "jsonl", "--opponents", "3", "--pairs", "2"]);
    assert!(output.status.success());
    let expected = render(Format::Jsonl, &Lane::Sync.trace(&common::three_by_two()).unwrap());
    assert_eq!(stdout(&output), expected);
    assert_eq!(
        stdout(&output).lines().nth(4),
        Some(r#"{"t": 120, "board": 1, "event": "game_over"}"#)
    );
}

#[test]
fn trace_text_ends_with_the_summary() {
    let output = run(&["trace", "sync", "--opponents", "3", "--pairs", "2", "--master-move", "1m"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("0:00:00  board 1  pair 1  master moves\n"), "{text}");
    assert!(text.contains("\ntotal        0:11:30  (1.00× the synchronous 0:11:30)\n"), "{text}");
}

#[test]
fn trace_switches_text_is_the_switch_trace_then_the_summary() {
    let output = run(&["trace", "state-machine", "--switches", "--opponents", "2", "--pairs", "2"]);
    assert!(output.status.success());
    let switches = Lane::StateMachine.switches(&common::two_by_two()).unwrap();
    let expected = format!("{}\n{}\n", switches.text(false), switches.summary());
    assert_eq!(stdout(&output), expected);
    let with_queues = run(&["trace", "state-machine", "--switches", "--queues", "--pairs", "2"]);
    assert!(stdout(&with_queues).contains("\n                             master_line ["));
}

/// One JSON object a line: the events exactly as the ordinary `--format jsonl` writes them,
/// in the same order, and between them the switches, one per `Switch`, a `suspend` for every
/// suspension the summary counts.
#[test]
fn trace_switches_jsonl_is_the_events_and_one_object_per_switch() {
    let lane_args = ["state-machine", "--format", "jsonl", "--opponents", "2", "--pairs", "2"];
    let output = run(&[&["trace", "--switches", "--queues"], &lane_args[..]].concat());
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> =
        stdout(&output).lines().map(|line| serde_json::from_str(line).expect("JSON")).collect();
    let plain = run(&[&["trace"], &lane_args[..]].concat());
    let events: Vec<&str> =
        stdout(&output).lines().filter(|line| line.contains(r#""event": "#)).collect();
    assert_eq!(events, stdout(&plain).lines().collect::<Vec<_>>());
    let switches = Lane::StateMachine.switches(&common::two_by_two()).unwrap();
    let objects: Vec<&serde_json::Value> =
        lines.iter().filter(|line| line.get("switch").is_some()).collect();
    assert_eq!(objects.len(), switches.switches().count());
    let suspends: Vec<_> = objects.iter().filter(|object| object["switch"] == "suspend").collect();
    assert_eq!(suspends.len() as u64, switches.summary().suspensions());
    assert!(suspends.iter().all(|s| s["paused_at"].is_string() && s["queues"].is_object()));
}

#[test]
fn trace_switches_refuses_csv_and_queues_need_switches() {
    for args in [
        &["trace", "sync", "--switches", "--format", "csv"][..],
        &["trace", "sync", "--queues"][..],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("--switches"), "{stderr}");
    }
}

#[test]
fn timeline_draws_a_row_per_board_under_a_heading() {
    let output = run(&["timeline", "sync", "--opponents", "3", "--pairs", "2", "--width", "24"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("sync: 3 boards × 2 move pairs, master 5s a move, opponents 55s\n"));
    assert_eq!(text.lines().filter(|line| line.starts_with("board ")).count(), 3);
}

#[test]
fn list_names_every_lane() {
    let output = run(&["list"]);
    let names: Vec<&str> =
        stdout(&output).lines().map(|line| line.split_whitespace().next().unwrap()).collect();
    let expected: Vec<&str> = Lane::ALL.iter().map(|lane| lane.name()).collect();
    assert_eq!(names, expected);
}

#[test]
fn help_goes_to_stdout_and_succeeds() {
    let output = run(&["trace", "--help"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("--opponent-move <DUR>"));
}
