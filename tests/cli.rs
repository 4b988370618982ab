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

/// Each bad input: exit code 2, nothing on stdout, one line on stderr that says what was wrong.
#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["--opponents", "0"], "--opponents 0: an exhibition needs at least one opponent"),
        (&["--pairs", "0"], "--pairs 0: a game needs at least one move pair"),
        (
            &["--master-move", "0s"],
            "--master-move 0s: the master's move must take longer than zero",
        ),
        (&["--opponent-move", "0ms"], "--opponent-move 0s: the opponent's move must take longer"),
        (&["--master-move", "five"], "'five' for '--master-move <DUR>': not a duration"),
        (
            &["--master-move", "5"],
            "'5' for '--master-move <DUR>': not a duration (time unit needed",
        ),
        (&["--master-move", "-5s"], "a duration cannot be negative"),
        (
            &["--opponents", "99999999999999999999"],
            "'--opponents <N>': too large (at most 4294967295)",
        ),
        (&["--opponents", "-3"], "'--opponents <N>': must be a whole number of at least 1"),
        (&["--pairs", "two"], "'--pairs <N>': not a whole number"),
        (&["--opponents", "4000000000", "--pairs", "4000000000"], "the exhibition is too long"),
        (&["--format", "xml"], "unknown format 'xml' (choose one of: text, jsonl, csv)"),
        (&["--bogus"], "unexpected argument '--bogus' found (see --help)"),
    ];
    for (flags, message) in cases {
        let args: Vec<&str> = ["trace", "sync"].iter().chain(flags.iter()).copied().collect();
        assert_refused(&args, message);
    }
    assert_refused(&["trace", "nope"], "unknown lane 'nope' (choose one of: sync");
    assert_refused(&["trace"], "the following required arguments were not provided: <LANE>");
    assert_refused(&["compare", "--opponents", "0"], "--opponents 0:");
    assert_refused(&["frob"], "unrecognized subcommand 'frob'");
    assert_refused(&["timeline", "sync", "--width", "5"], "must be from 10 to 1000 columns");
    // Issue 11's flags: each rule, and the flags that need each other.
    assert_refused(&["trace", "sync", "--time-limit", "0s"], "invalid --time-limit 0s");
    assert_refused(&["trace", "sync", "--time-limit", "600years"], "invalid --time-limit 600years");
    assert_refused(&["trace", "sync", "--time-limit", "soon"], "not a duration");
    assert_refused(&["trace", "sync", "--fail-board", "2"], "not provided: --fail-at-pair <K>");
    assert_refused(&["trace", "sync", "--fail-at-pair", "2"], "not provided: --fail-board <B>");
    let failing = ["trace", "sync", "--opponents", "3", "--fail-board", "4", "--fail-at-pair", "1"];
    assert_refused(&failing, "invalid --fail-board 4 (of 3): the failing board must be one of");
    let failing = ["trace", "sync", "--pairs", "2", "--fail-board", "1", "--fail-at-pair", "3"];
    assert_refused(&failing, "invalid --fail-at-pair 3 (of 2)");
    assert_refused(&["pitfall", "nope"], "unknown pitfall 'nope' (choose one of:");
    assert_refused(&["compare", "--lanes", "sync,nope"], "unknown lane 'nope'");
}

fn assert_refused(args: &[&str], message: &str) {
    let output = run(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: not one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}: expected {message:?} in {stderr}");
}

#[test]
fn help_goes_to_stdout_and_succeeds() {
    let output = run(&["trace", "--help"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("--opponent-move <DUR>"));
}
