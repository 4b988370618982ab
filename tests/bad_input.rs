//! Bad input never panics: the library's constructor and the command line, driven with
//! arbitrary input; and the table of bad inputs, each refused in one line with exit
//! code 2.

use std::process::{Command, Output, Stdio};
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
        // Signs, a lane twice, the flags that explain negatives, a pitfall, the processes
        // lane and the thinking opponents' flag. (Not `--svg`: a random value would write a
        // file; not `cores` or `table`: seconds of real work a case.)
        "processes",
        "--steps",
        "+3",
        "+5s",
        "1ns",
        "--rows",
        "--slow-threshold",
        "sync,sync",
        "cpu-hog",
        // The switch trace's flags and the command that steps through it.
        "step",
        "--switches",
        "--queues",
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
    // The time limit's and failure's flags: each rule, and the flags that need each other.
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
    for (args, message) in ISSUE_23 {
        assert_refused(args, message);
    }
}

/// More bad inputs, each a command of its own: one rule for signs on every number,
/// duration and speed; a lane named twice; every size of `scale` checked; a file that is not a
/// regular one; a pitfall that cannot play its exhibition.
const ISSUE_23: &[(&[&str], &str)] = &[
    (&["trace", "sync", "--opponents", "+3"], "'--opponents <N>': write it without a sign, as 3"),
    (&["trace", "sync", "--pairs", "+2"], "write it without a sign, as 2"),
    (&["trace", "sync", "--master-move", "+5s"], "write it without a sign, as 5s"),
    (&["trace", "sync", "--time-limit", "+1h"], "write it without a sign, as 1h"),
    (&["race", "--speed", "+3600x"], "write it without a sign, as 3600x"),
    (&["race", "--speed", "-3600x"], "a speed cannot be negative"),
    (
        &["timeline", "sync", "--width", "-5"],
        "'--width <N>': must be from 10 to 1000 columns, not negative",
    ),
    (
        &["timeline", "sync", "--rows", "-5"],
        "'--rows <N>': must be a whole number of at least 1, not negative",
    ),
    (&["timeline", "sync", "--width", "+50"], "write it without a sign, as 50"),
    (
        &["pitfall", "cpu-hog", "--slow-threshold", "-1s"],
        "a duration cannot be negative; or `off` for none",
    ),
    (&["pitfall", "cpu-hog", "--slow-threshold", "+1s"], "write it without a sign, as 1s"),
    (
        &["compare", "--lanes", "sync,sync"],
        "invalid --lanes: sync is named twice; name each lane once",
    ),
    (&["race", "--lanes", "threads,sync,threads"], "invalid --lanes: threads is named twice"),
    (&["scale", "--lanes", "sync,sync"], "invalid --lanes: sync is named twice"),
    (
        &["scale", "--boards", "10,20", "--fail-board", "15", "--fail-at-pair", "1"],
        "invalid --fail-board 15 (of 10)",
    ),
    (
        &["scale", "--boards", "20,10", "--fail-board", "15", "--fail-at-pair", "1"],
        "invalid --fail-board 15 (of 10)",
    ),
    (&["timeline", "sync", "--svg", "/"], "cannot write /: it is a directory, not a regular file"),
    (&["timeline", "sync", "--svg", "."], "cannot write .: it is a directory"),
    (
        &["pitfall", "cpu-hog", "--master-move", "1ns", "--opponent-move", "1ns"],
        "pitfall cpu-hog cannot play this exhibition: its fix cuts the 10m analysis into pieces \
         of one master move, and --master-move 1ns makes 600000000000 of them (at most 100000): \
         give --master-move at least 6ms",
    ),
    (
        &[
            "pitfall",
            "cpu-hog",
            "--opponents",
            "1",
            "--pairs",
            "1",
            "--master-move",
            "584y",
            "--opponent-move",
            "285090min",
        ],
        "its 10m analysis on top of the exhibition would not fit the virtual clock's 584 years",
    ),
    (
        &[
            "pitfall",
            "unprimed-generator",
            "--opponents",
            "1",
            "--pairs",
            "1",
            "--master-move",
            "584y",
            "--opponent-move",
            "285090min",
        ],
        "its broken driver plays a pair more per game, and that would not fit the virtual clock",
    ),
];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().expect("the binary runs")
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
