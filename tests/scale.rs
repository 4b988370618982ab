//! `coro-simul scale`, run as a user would, on small exhibitions: the shape of its table and
//! JSON, a lane that is refused, and bad input. Never a timing: the numbers are the machine's.

use std::process::{Command, Output};

use coro_simul::lanes::Lane;
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let output = run(&[&["scale", "--format", "json"], args].concat());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn json_has_a_row_per_lane_with_its_medians_and_runs() {
    let report = json(&["--boards", "100", "--runs", "1"]);
    let rows = report["lanes"].as_array().expect("an array of lanes");
    let names: Vec<&str> = rows.iter().map(|row| row["lane"].as_str().unwrap()).collect();
    let all: Vec<&str> = Lane::ALL.iter().map(|lane| lane.name()).collect();
    assert_eq!(names, all);
    for row in rows {
        assert_eq!(row["most_games_held"], 100, "{row}");
        assert_eq!(row["refused"], Value::Null, "{row}");
        assert!(row["wall_seconds"].as_f64().unwrap() > 0.0, "{row}");
        assert!(row["peak_rss_bytes"].as_u64().unwrap() > 0, "{row}");
    }
    let row = |name: &str| rows.iter().find(|row| row["lane"] == name).unwrap();
    assert_eq!(row("state-machine")["wall_ratio_to_state_machine"], 1.0);
    // The sync lane never pauses a game: no bytes per paused game to show.
    assert_eq!(row("sync")["bytes_per_paused_game"], Value::Null);
    assert!(row("generators")["bytes_per_paused_game"].is_u64());
    assert_eq!(row("generators")["runs"][0]["suspensions"], 100 * 30);
    assert_eq!(report["pairs"], 30);
    assert!(report["machine"].as_str().unwrap().contains("cores"));
}

#[test]
fn the_largest_size_is_played_runs_times_and_the_floor_always_plays() {
    let report = json(&["--lanes", "generators", "--boards", "200,100", "--runs", "2"]);
    let rows = report["lanes"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|row| row["lane"].as_str().unwrap()).collect();
    assert_eq!(names, ["generators", "state-machine"]);
    let sizes: Vec<u64> = rows[0]["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["boards"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [100, 200, 200]); // smallest first, then the largest again
    assert_eq!(rows[0]["boards"], 200);
}

#[test]
fn markdown_is_a_table_under_the_machine_with_refusals_as_notes() {
    let output = run(&["scale", "--lanes", "threads", "--boards", "20,10001", "--runs", "1"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Machine: ") && lines[0].contains(" cores, "), "{text}");
    assert!(lines[1].starts_with("Exhibition: 30 move pairs, master 5s, opponents 55s"), "{text}");
    assert_eq!(
        lines[3],
        "| lane | boards | wall | per move pair | × state-machine | peak RSS | per paused game \
         | most games held |"
    );
    let threads = lines.iter().find(|line| line.starts_with("| threads |")).expect("a row");
    assert!(threads.starts_with("| threads | 20 | "), "{threads}");
    assert!(threads.ends_with("| 20; 10 001 refused (1) |"), "{threads}");
    let floor = lines.iter().find(|line| line.starts_with("| state-machine |")).unwrap();
    assert!(floor.contains("| 1.00× |"), "{floor}");
    assert!(floor.ends_with("| 10 001, no limit up to the largest size tried |"), "{floor}");
    let note = lines.last().unwrap();
    assert!(note.starts_with("(1) threads at 10 001 boards: 10001 boards would need"), "{note}");
    assert!(note.contains("at most 10000 threads"), "{note}");
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["--boards", "0"], "invalid --boards 0: an exhibition needs at least one opponent"),
        (&["--boards", "100,0"], "invalid --boards 0: an exhibition needs at least one opponent"),
        (&["--boards", "ten"], "not a whole number"),
        (&["--boards", "-5"], "not negative"),
        (&["--runs", "0"], "invalid --runs 0: each lane must play at least once"),
        (&["--format", "xml"], "(choose one of: markdown, json)"),
    ];
    for (args, expected) in cases {
        let output = run(&[&["scale"], args].concat());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn the_child_measures_one_lane_and_is_hidden_from_help() {
    let output = run(&["measure", "state-machine", "--opponents", "10", "--pairs", "2"]);
    assert!(output.status.success());
    let measured: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(measured["boards"], 10);
    assert_eq!(measured["suspensions"], 10 * 2 * 2); // every wait, the first for the master too
    let help = String::from_utf8(run(&["--help"]).stdout).unwrap();
    let command = |name: &str| help.lines().any(|line| line.trim_start().starts_with(name));
    assert!(command("scale ") && !command("measure "), "{help}");
}
