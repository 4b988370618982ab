//! The real-time race: the scaled clock changes when things happen on the wall clock, never
//! what happens; lanes race at a high speed, so these tests take a second, not hours.
//!
//! Wall times are never compared with exact values: only with what they must at least be,
//! and with each other where the gap is hundreds of milliseconds.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use coro_simul::Exhibition;
use coro_simul::clock::{ScaledClock, Speed};
use coro_simul::lanes::Lane;
use coro_simul::race::{Finish, Race};
use coro_simul::trace::Trace;

/// This test binary's children, when the processes lane starts them, play their game here.
#[test]
fn coro_simul_processes_worker() {
    coro_simul::lanes::processes::serve_if_child();
}

fn speed(text: &str) -> Speed {
    text.parse().expect("a valid speed")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().expect("the binary runs")
}

#[test]
fn on_a_scaled_clock_every_lane_plays_its_virtual_trace() {
    let idle_master = Exhibition::builder()
        .opponents(4)
        .pairs(3)
        .master_move(Duration::from_millis(250))
        .opponent_move(Duration::from_secs(1))
        .build()
        .expect("valid");
    for exhibition in [common::three_by_two(), idle_master] {
        for &lane in Lane::ALL {
            let mut scaled = Trace::new(&exhibition);
            lane.play_on(&exhibition, ScaledClock::new(speed("1000000x")), &mut scaled)
                .expect("a tiny exhibition");
            let virtual_trace = lane.trace(&exhibition).expect("a tiny exhibition");
            assert_eq!(scaled.events(), virtual_trace.events(), "{lane} on {exhibition}");
            assert_eq!(scaled.summary(), virtual_trace.summary(), "{lane}: the same suspensions");
        }
    }
}

/// 24 boards × 2 pairs, 1 s and 59 s moves: sync plays 2 880 s, every concurrent lane 143 s.
/// At 5000x that is 576 ms against 29 ms of wall time: a gap no scheduler hiccup closes.
fn raced() -> Vec<Finish> {
    let exhibition = Exhibition::builder()
        .opponents(24)
        .pairs(2)
        .master_move(Duration::from_secs(1))
        .opponent_move(Duration::from_secs(59))
        .build()
        .expect("valid");
    Race::start(&exhibition, Lane::ALL, speed("5000x")).expect("eight threads").finish()
}

#[test]
fn sync_finishes_last_and_no_lane_beats_its_clock() {
    let finishes = raced();
    let lanes: Vec<Lane> = finishes.iter().map(|finish| finish.lane).collect();
    assert_eq!(lanes, Lane::ALL, "the race reports the lanes in the order given");
    let (sync, concurrent) = finishes.split_first().expect("sync first");
    let total = |finish: &Finish| finish.outcome.as_ref().expect("plays").total().as_secs();
    assert_eq!(total(sync), 2880);
    let expected = sync.expected().expect("plays"); // 2 880 s / 5000, from its own summary
    assert!(expected.abs_diff(Duration::from_millis(576)) < Duration::from_micros(1));
    for finish in concurrent {
        let (lane, wall) = (finish.lane, finish.wall);
        assert_eq!(total(finish), 143, "{lane}");
        assert!(sync.wall > wall, "{lane} took {wall:?}, sync {:?}", sync.wall);
    }
    // Never early: each sleep aims at `start + time / speed` (a millisecond for rounding).
    for finish in &finishes {
        let (lane, wall, expected) = (finish.lane, finish.wall, finish.expected().expect("plays"));
        assert!(wall + Duration::from_millis(1) >= expected, "{lane}: {wall:?} < {expected:?}");
    }
    // And keeping pace: late wake-ups do not add up, so sync is late by one at most.
    assert!(sync.wall < sync.expected().unwrap() + Duration::from_millis(500), "{:?}", sync.wall);
}

#[test]
fn the_table_puts_each_wall_time_next_to_its_expected_time() {
    let finishes = raced();
    let table = coro_simul::race::table(&finishes);
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().expect("a header").split_whitespace().collect();
    assert_eq!(header, ["lane", "exhibition", "expected", "wall", "late", "by"]);
    let sync: Vec<&str> = lines.next().expect("a sync row").split_whitespace().collect();
    assert_eq!(sync[..4], ["sync", "0:48:00", "576.0", "ms"]);
    assert_eq!(lines.count(), Lane::ALL.len() - 1);
}

#[test]
fn piped_the_race_prints_plain_lines_then_the_table() {
    let output = run(&["race", "--speed", "1000000x", "--opponents", "3", "--pairs", "2"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!text.contains('\x1b'), "no terminal escapes when stdout is a pipe:\n{text}");
    assert!(text.starts_with("Race at 1000000x: 3 boards × 2 move pairs"), "{text}");
    for &lane in Lane::ALL {
        let done = format!("{:<14} done: 3/3 boards over, clock ", lane.name());
        let lines: Vec<&str> = text.lines().filter(|line| line.starts_with(&done)).collect();
        assert_eq!(lines.len(), 1, "one done line for {lane}:\n{text}");
        let clock = if lane == Lane::Sync { "0:06:00" } else { "0:02:10" };
        assert!(lines[0].contains(clock), "{}", lines[0]);
    }
    // At most one line per board (3 boards: every board is a tenth or more) and per lane.
    let progress_lines = text.lines().filter(|line| line.contains(" boards over, clock ")).count();
    assert!(progress_lines <= Lane::ALL.len() * 3, "{text}");
    let table = text.split_once("\n\nlane ").expect("a table after a blank line").1;
    assert_eq!(table.lines().count(), 1 + Lane::ALL.len(), "{table}");
}

#[test]
fn the_lanes_flag_picks_who_races() {
    let output = run(&["race", "--speed", "1e6", "--pairs", "1", "--lanes", "generators,sync"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("lane "))
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(rows, ["generators", "sync"]);
}

#[test]
fn a_bad_speed_is_one_line_and_exit_code_2() {
    for bad in ["0", "0x", "fast", "-5x", "1e12x", "", "3600xx", "infx"] {
        let output = run(&["race", "--speed", bad]);
        assert_eq!(output.status.code(), Some(2), "--speed {bad:?}");
        assert!(output.stdout.is_empty(), "--speed {bad:?}");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8");
        assert_eq!(stderr.lines().count(), 1, "--speed {bad:?}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains("--speed"), "{stderr}");
    }
}

/// Ctrl-C is SIGINT: the race stops at once with one line on stderr and exit code 130.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_race_with_one_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coro-simul"))
        .args(["race", "--speed", "3600x"]) // 12 s for sync: it must not get that far
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    // The heading is printed once the Ctrl-C handler is in place.
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut heading = String::new();
    stdout.read_line(&mut heading).expect("a heading");
    assert!(heading.starts_with("Race at 3600x"), "{heading}");
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    assert!(sent.expect("kill runs").success());
    let output = child.wait_with_output().expect("it ends");
    assert_eq!(output.status.code(), Some(130));
    assert!(started.elapsed() < Duration::from_secs(6), "stopped long before sync's 12 s");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("interrupted: Ctrl-C stopped the race after "), "{stderr}");
}
