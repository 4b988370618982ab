//! Bad input never panics: the library's constructor and the command line, driven with
//! arbitrary input (issue 11).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use proptest::prelude::*;

/// Any duration at all, from zero to `Duration::MAX`, weighted towards the edges.
fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        (0u64..1_000, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
    ]
}

fn any_count() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), Just(u32::MAX), 0u32..50, any::<u32>()]
}

proptest! {
    /// Whatever the parameters, the builder returns an exhibition that plays (a small one is
    /// played here, into the state machine's summary) or a typed error; it never panics.
    #[test]
    fn the_builder_returns_a_playable_exhibition_or_a_typed_error(
        n in any_count(), m in any_duration(), o in any_duration(), p in any_count(),
        limit in prop::option::of(any_duration()),
        failure in prop::option::of((any_count(), any_count())),
    ) {
        let mut builder = Exhibition::builder().opponents(n).master_move(m).opponent_move(o).pairs(p);
        if let Some(limit) = limit {
            builder = builder.time_limit(limit);
        }
        if let Some((board, pair)) = failure {
            builder = builder.failure(board, pair);
        }
        match builder.build() {
            Ok(ex) => {
                prop_assert!(ex.synchronous_total() >= ex.master_move());
                if u64::from(ex.opponents()) * u64::from(ex.pairs()) <= 2_000 {
                    coro_simul::PlannedFailure::hush();
                    let summary = Lane::StateMachine.summary(&ex).unwrap();
                    prop_assert!(summary.total() <= ex.synchronous_total());
                }
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }
}

/// Words the command line knows, and values that break its rules, mixed at random.
fn any_argument() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "trace",
        "compare",
        "timeline",
        "list",
        "pitfall",
        "race",
        "scale",
        "sync",
        "state-machine",
        "threads",
        "--opponents",
        "--pairs",
        "--master-move",
        "--opponent-move",
        "--time-limit",
        "--fail-board",
        "--fail-at-pair",
        "--format",
        "--lanes",
        "--width",
        "--speed",
        "jsonl",
        "csv",
        "0",
        "-1",
        "5s",
        "0s",
        "1h",
        "99999999999999999999",
        "5",
    ];
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Arbitrary arguments: the binary exits 0, 1 or 2 — never a panic (101) — and a refusal
    /// is one line on stderr with nothing on stdout. A valid exhibition that would play for
    /// long is stopped after two seconds: playing is an acceptable outcome.
    #[test]
    fn arbitrary_arguments_never_panic(args in prop::collection::vec(any_argument(), 0..6)) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coro-simul"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let started = Instant::now();
        while child.try_wait().expect("a child").is_none() {
            if started.elapsed() > Duration::from_secs(2) {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(()); // still playing: an Ok that plays
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let output = child.wait_with_output().expect("its output");
        let stderr = String::from_utf8_lossy(&output.stderr);
        prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let code = output.status.code();
        prop_assert!(matches!(code, Some(0..=2)), "{args:?} exited {code:?}: {stderr}");
        if code == Some(2) {
            prop_assert_eq!(stderr.lines().count(), 1, "{:?}: {}", args, stderr);
            prop_assert!(output.stdout.is_empty(), "{:?} printed to stdout", args);
        }
    }
}
