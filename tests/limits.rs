//! Operating-system limits are clear errors, never an abort: each case run under the limit that
//! would break it, in `sh -c 'ulimit ...; exec coro-simul ...'`. Each says which limit was hit,
//! in one line, with exit code 1; none exits by a signal or prints a backtrace.

use std::process::{Command, Output};

/// `coro-simul ARGS` under `limits` (shell `ulimit` flags, such as `-v 100000`).
fn under(limits: &str, args: &[&str]) -> Output {
    let script = format!("ulimit {limits} && exec \"$0\" \"$@\"");
    Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_coro-simul")])
        .args(args)
        .output()
        .expect("sh runs")
}

/// Exit code 1, one line on stderr that contains every one of `words`, no sign of a crash.
fn refused(output: &Output, words: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("memory allocation") && !stderr.contains("panicked"), "{stderr}");
    for word in words {
        assert!(stderr.contains(word), "expected {word:?} in {stderr}");
    }
    stderr
}

/// The `N` of "about N boards fit".
fn fits(refusal: &str) -> u32 {
    let (_, after) = refusal.rsplit_once("about ").expect("a count");
    after.split_whitespace().next().unwrap().parse().expect("a number")
}

const TINY_MOVES: [&str; 6] = ["--pairs", "1", "--master-move", "1ns", "--opponent-move", "1ns"];

#[test]
fn too_many_boards_for_the_address_space_is_refused_with_how_many_fit() {
    let args =
        [&["compare", "--lanes", "state-machine", "--opponents", "200000000"], &TINY_MOVES[..]];
    let output = under("-v 4000000", &args.concat());
    let stderr = refused(
        &output,
        &["state-machine: 200000000 boards need", "`ulimit -v`, here 4000000 KiB"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("cannot play: see below"), "compare still prints its row: {stdout}");
    assert!(fits(&stderr) > 1_000_000, "{stderr}");
}

#[test]
fn the_boards_said_to_fit_do_play() {
    // The threads lane's limit is larger: glibc may reserve 64 MiB for each thread's heap.
    let lanes =
        [("threads", "-v 1500000"), ("green-threads", "-v 100000"), ("callbacks", "-v 100000")];
    for (lane, limit) in lanes {
        let args =
            [&["trace", lane, "--format", "csv", "--opponents", "100000000"], &TINY_MOVES[..]];
        let stderr = refused(&under(limit, &args.concat()), &["boards fit", "ulimit -v"]);
        // "About": the search runs in a process whose address space is laid out a little
        // differently each time, so the very last boards may not fit in the next one.
        let fit = (fits(&stderr) * 9 / 10).to_string();
        let args = [&["compare", "--lanes", lane, "--opponents", &fit], &TINY_MOVES[..]];
        let output = under(limit, &args.concat());
        assert!(output.status.success(), "{lane} × {fit}: {output:?}");
    }
}

#[test]
fn the_threads_lane_under_an_address_space_limit_says_so() {
    let output = under("-v 100000", &["trace", "threads", "--opponents", "10000", "--pairs", "1"]);
    refused(&output, &["threads: 10000 boards need", "`ulimit -v`, here 100000 KiB"]);
    assert!(output.stdout.is_empty());
}

#[test]
fn green_threads_blame_the_address_space_not_max_map_count() {
    let output =
        under("-v 300000", &["trace", "green-threads", "--opponents", "30000", "--pairs", "1"]);
    let stderr = refused(&output, &["green-threads:", "`ulimit -v`, here 300000 KiB"]);
    assert!(!stderr.contains("max_map_count"), "{stderr}");
}

#[test]
fn a_pitfall_and_a_scale_child_refuse_too() {
    let args = [&["pitfall", "unprimed-generator", "--opponents", "100000000"], &TINY_MOVES[..]];
    refused(&under("-v 1000000", &args.concat()), &["generators:", "boards fit", "ulimit -v"]);
    let args = ["scale", "--lanes", "state-machine", "--boards", "200000000", "--runs", "1"];
    let output = under("-v 2000000", &[&args[..], &TINY_MOVES[2..]].concat());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("boards fit") && !stdout.contains("signal"), "{stdout}");
}

/// `race` when the OS refuses a thread: exit 1 naming `ulimit -u`, not "cannot write the
/// output". Root is not held to `ulimit -u`, so as root the race runs as nobody. (`bash`, as
/// a plain POSIX `sh` may have no `ulimit -u`.)
#[test]
fn a_race_whose_threads_are_refused_names_ulimit_u() {
    let program = env!("CARGO_BIN_EXE_coro-simul");
    let script = format!("ulimit -u 1 && exec {program} race --opponents 3 --pairs 1");
    let root =
        std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0);
    let output = if root.unwrap_or(false) {
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c", &script];
        let output = Command::new("setpriv").args(nobody).output();
        output.expect("setpriv runs: as root, this test needs it (util-linux) to drop to nobody")
    } else {
        Command::new("bash").args(["-c", &script]).output().expect("bash runs")
    };
    let stderr = refused(&output, &["the OS refused a thread", "`ulimit -u` (here 1)"]);
    assert!(!stderr.contains("cannot write the output"), "{stderr}");
}
