//! The processes lane from the outside: the command line's `trace processes` is `trace
//! threads` to the byte, with and without a time limit or a failing board; a refusal past the
//! cap and at the per-user process limit, one line each; a panicking sink that still leaves
//! no child behind; and Ctrl-C, after which no game's process survives. The tests that make a
//! game abort, be killed or exit are the lane's own, in `src/lanes/processes/tests.rs`.

mod common;

use std::any::Any;
use std::io::{BufRead, BufReader};
use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use coro_simul::Exhibition;
use coro_simul::lanes::{Lane, processes};
use coro_simul::trace::{Event, Sink, Trace};

/// This test binary's children, when the processes lane starts them, play their game here.
#[test]
fn coro_simul_processes_worker() {
    processes::serve_if_child();
}

/// The tests that count this process's children take turns.
static CHILDREN: Mutex<()> = Mutex::new(());

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().expect("the binary runs")
}

#[test]
fn trace_processes_is_trace_threads_with_or_without_a_limit_or_a_failure() {
    let _turn = CHILDREN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let small = ["--opponents", "5", "--pairs", "3", "--format", "jsonl"];
    for extra in
        [&[][..], &["--time-limit", "3m30s"], &["--fail-board", "2", "--fail-at-pair", "2"]]
    {
        let [processes, threads] = ["processes", "threads"].map(|lane| {
            let output = run(&[&["trace", lane], &small[..], extra].concat());
            assert!(output.status.success(), "{output:?}");
            output.stdout
        });
        assert_eq!(String::from_utf8(processes).unwrap(), String::from_utf8(threads).unwrap());
    }
}

#[test]
fn the_default_exhibition_takes_1_00_55() {
    let _turn = CHILDREN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let ex = Exhibition::default();
    let trace = Lane::Processes.trace(&ex).unwrap();
    assert_eq!(trace.summary().total(), Duration::from_secs(3655));
    assert_eq!(trace.events(), &common::concurrent_trace(&ex)[..]);
}

/// Past the cap the lane refuses before starting a single process, says why and what to do.
#[test]
fn more_boards_than_the_cap_is_an_error_before_any_event() {
    let crowd = Exhibition::builder().opponents(processes::MAX_PROCESSES + 1).build().unwrap();
    let mut trace = Trace::new(&crowd);
    let error = Lane::Processes.play(&crowd, &mut trace).unwrap_err();
    assert_eq!(error.lane(), Lane::Processes);
    assert!(error.to_string().contains("at most 2000"), "{error}");
    assert!(trace.events().is_empty());
}

/// At the per-user process limit (`ulimit -u`), one line naming it, exit code 1, no hang.
/// Root is not held to that limit, so as root the command runs as `nobody`, through
/// `setpriv`. (`bash`, as a plain POSIX `sh` may have no `ulimit -u`.)
#[test]
fn at_the_process_limit_one_line_names_it() {
    let _turn = CHILDREN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let program = env!("CARGO_BIN_EXE_coro-simul");
    let script = format!("ulimit -u 4 && exec {program} trace processes --opponents 24");
    let root =
        std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0);
    let output = if root.expect("Linux /proc") {
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c", &script];
        let output = Command::new("setpriv").args(nobody).output();
        output.expect("setpriv runs: as root, this test needs it (util-linux) to drop to nobody")
    } else {
        Command::new("bash").args(["-c", &script]).output().expect("bash runs")
    };
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: processes: the OS refused the process for board "));
    assert!(stderr.contains("`ulimit -u` (here 4)"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// A sink that breaks on its fifth event, as a full disk might; at its fourth, it notes this
/// process's children, to show there were games' processes to leave behind.
#[derive(Default)]
struct Fragile {
    events: u32,
    children_at_the_fourth: Vec<u32>,
}

impl Sink for Fragile {
    fn record(&mut self, _: Event) {
        self.events += 1;
        if self.events == 4 {
            self.children_at_the_fourth = children_of(std::process::id());
        }
        assert!(self.events < 5, "the sink broke");
    }
}

/// The driver panics, not a game: every game's process is killed and reaped as the panic
/// leaves, and the sink's panic is the one that comes out.
#[test]
fn a_panicking_sink_leaves_no_child_behind() {
    let _turn = CHILDREN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let ex = common::three_by_two();
    let mut sink = Fragile::default();
    let played = panic::catch_unwind(AssertUnwindSafe(|| processes::play(&ex, &mut sink)));
    assert_eq!(message(played.unwrap_err()), "the sink broke");
    assert_eq!(sink.children_at_the_fourth.len(), 3, "a process per board, mid-game");
    assert_eq!(children_of(std::process::id()), Vec::<u32>::new());
}

/// A panic's message, as `assert!` with a plain message leaves it.
fn message(payload: Box<dyn Any + Send>) -> &'static str {
    payload.downcast_ref::<&str>().copied().unwrap_or_default()
}

/// Ctrl-C in the middle of a race: the command ends, and every game's process with it —
/// each reads the end of its socket and exits.
#[test]
fn after_ctrl_c_no_game_process_survives() {
    let _turn = CHILDREN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut race = Command::new(env!("CARGO_BIN_EXE_coro-simul"))
        .args(["race", "--lanes", "processes", "--speed", "360x"]) // 10 s: far from over
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut heading = String::new();
    BufReader::new(race.stdout.take().unwrap()).read_line(&mut heading).unwrap();
    let started = Instant::now();
    let mut games = children_of(race.id());
    while games.len() < 24 && started.elapsed() < Duration::from_secs(5) {
        thread::sleep(Duration::from_millis(20));
        games = children_of(race.id());
    }
    assert_eq!(games.len(), 24, "a process per board, before Ctrl-C");
    let sent = Command::new("kill").args(["-INT", &race.id().to_string()]).status();
    assert!(sent.unwrap().success());
    assert_eq!(race.wait().unwrap().code(), Some(130));
    let deadline = Instant::now() + Duration::from_secs(5);
    while games.iter().any(|&pid| alive(pid)) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    let survivors: Vec<u32> = games.into_iter().filter(|&pid| alive(pid)).collect();
    assert_eq!(survivors, Vec::<u32>::new(), "every game's process ended with the command");
}

/// The children of process `pid`, from `/proc`. Panics if a thread's list of children
/// cannot be read (a kernel without them, say), rather than report none: a thread that
/// ended while the lists were read is the only one skipped.
fn children_of(pid: u32) -> Vec<u32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("Linux /proc");
    let mut children: Vec<u32> = tasks
        .flatten()
        .filter_map(|task| match std::fs::read_to_string(task.path().join("children")) {
            Ok(list) => Some(list),
            Err(_) if !task.path().exists() => None, // the thread has ended meanwhile
            Err(error) => panic!("cannot read {}/children: {error}", task.path().display()),
        })
        .flat_map(|list| list.split_whitespace().filter_map(|n| n.parse().ok()).collect::<Vec<_>>())
        .collect();
    children.sort_unstable();
    children
}

/// Whether `pid` runs: a zombie, dead but not yet reaped by whoever adopted it, does not.
fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
    matches!(state, Some(Some(state)) if state != 'Z' && state != 'X')
}

/// The default exhibition's summary, beside sync's: the closed form's 1:00:55, the master
/// busy the same hour as in sync, and how many times this lane's games suspended.
#[test]
fn summary_of_the_default_exhibition() {
    let exhibition = coro_simul::Exhibition::default();
    let summary = coro_simul::lanes::Lane::Processes.summary(&exhibition).unwrap();
    assert_eq!(summary.total(), common::concurrent_total(&exhibition));
    let about = "The default exhibition (`coro-simul compare` shows this lane's row of it) \
                 played by the processes lane: \
                 (p−1)·R + n·m + o = 1:00:55, 11.82× faster than sync's 12:00:00, with the master \
                 busy the same n·p·m = 1:00:00; the last line counts the times its games suspended";
    common::assert_snapshot!("processes", "processes_summary_default", about, &summary.to_string());
}

#[test]
fn switches_2x2_snapshot() {
    let switches = Lane::Processes.switches(&common::two_by_two()).unwrap();
    let about = "`coro-simul trace processes --switches --queues --opponents 2 --pairs 2`. The threads \
        lane with every game in a process of its own (this program, started again), as the \
        parent sees it: resume is the parent writing \"play\" to a game's socket and blocking in \
        read; suspend is the game, deep in its plain loop, writing its call (\"master 1 1\") and \
        blocking in read on its side. The paused line crosses the socket as text after the call, \
        `as the process wrote it`: a pointer into another process's memory would mean nothing \
        to the parent. \"over 1\": the process exits, and the parent reaps it.";
    common::assert_snapshot!("processes", "switches_processes_2x2", about, &switches.text(true));
}
