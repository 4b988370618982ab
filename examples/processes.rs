//! The processes lane: a game waits by blocking its own OS process until the parent writes.
//!
//!     cargo run --example processes
//!
//! Holds the game as a plain loop of blocking calls, each game in a process of its own (this
//! program, started again), and a parent that hands them a baton, a line over a socket, one at
//! a time, on 2 boards × 2 pairs (no time limit, no failures: the lane's own file has those).
//! In the trace, each `suspend` is a process blocking deep inside the game, at the line of
//! this file that the process wrote down.

use std::collections::VecDeque;
use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::panic::Location;
use std::process::{self, Child, Command, Stdio};

use coro_simul::Exhibition;
use coro_simul::clock::{Time, VirtualClock};
use coro_simul::lanes::{Lane, processes};
use coro_simul::timers::TimerQueue;
use coro_simul::trace::{Event, PausedAt, Sink, Switch, SwitchKind, Switches};

// The technique: the game is a plain function that calls `wait`, and `wait` blocks: it writes
// the parent a line, what the game waits for and where ("master 1 at FILE:LINE:COLUMN"), then
// blocks reading its socket until the parent writes "play". The whole call stack (game →
// wait → read) waits in the game's own process.

/// Set in a game's process: how many move pairs its game plays.
const GAME_PAIRS: &str = "CORO_SIMUL_EXAMPLE_PAIRS";

/// What a game waits for: the master's move of a pair, or the opponent's reply to it.
#[derive(Debug, Clone, Copy)]
enum Wait {
    Master { pair: u32 },
    Reply { pair: u32 },
}

impl Wait {
    /// Reads back a line that `wait` wrote: what the game waits for, and where.
    fn parse(line: &str) -> Option<(Wait, String)> {
        let (asked, at) = line.trim_end().split_once(" at ")?;
        let wait = match asked.split_once(' ')? {
            ("master", pair) => Wait::Master { pair: pair.parse().ok()? },
            ("reply", pair) => Wait::Reply { pair: pair.parse().ok()? },
            _ => return None,
        };
        Some((wait, at.to_owned()))
    }
}

/// One end of the socket between the parent and a game's process, read a line at a time. The
/// process's end is its standard input: one socket goes both ways (pipes would need two), and
/// its standard output is left to a test harness's chatter.
type Socket = BufReader<UnixStream>;

/// One game: for each move pair, the master's move, then the opponent's reply.
fn game(pairs: u32, parent: &mut Socket) {
    for pair in 1..=pairs {
        wait(parent, Wait::Master { pair }); // the master comes and makes her move
        wait(parent, Wait::Reply { pair }); // the opponent thinks, and replies
    }
}

#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(parent: &mut Socket, what: Wait) {
    let (kind, pair) = match what {
        Wait::Master { pair } => ("master", pair),
        Wait::Reply { pair } => ("reply", pair),
    };
    let asked = writeln!(parent.get_mut(), "{kind} {pair} at {}", Location::caller());
    asked.unwrap_or_else(|_| process::exit(1)); // the parent is gone
    baton(parent);
}

/// Blocks this whole process in `read` until the parent writes "play".
fn baton(parent: &mut Socket) {
    let mut line = String::new();
    if parent.read_line(&mut line).is_err() || line != "play\n" {
        process::exit(1); // the parent is gone
    }
}

/// If this program was started as a game's process, plays the game and exits (the lane's
/// game processes, started for the summary `main` prints, play in `serve_if_child`).
fn play_if_game_process() {
    processes::serve_if_child();
    let Ok(pairs) = env::var(GAME_PAIRS) else { return };
    let Ok(pairs) = pairs.parse() else {
        eprintln!("{GAME_PAIRS}={pairs:?} is not a number of move pairs");
        process::exit(2);
    };
    let socket = io::stdin().as_fd().try_clone_to_owned().map(UnixStream::from);
    let Ok(mut parent) = socket.map(BufReader::new) else {
        eprintln!("a game's process needs a socket to its parent as its standard input");
        process::exit(2);
    };
    baton(&mut parent);
    game(pairs, &mut parent);
    process::exit(0); // its end of the socket closes: the parent reads no more lines
}

/// Starts this program again as a game's process, blocked until it first reads "play";
/// returns the child, and the parent's end of its socket.
fn spawn(pairs: u32) -> io::Result<(Child, Socket)> {
    let (ours, theirs) = UnixStream::pair()?;
    let child = Command::new(env::current_exe()?)
        .arg(processes::WORKER_TEST) // read by a test binary only: see the end of this file
        .env(GAME_PAIRS, pairs.to_string())
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .stdout(Stdio::null()) // a test binary's chatter
        .spawn()?;
    Ok((child, BufReader::new(ours)))
}

// The driver: 2 boards × 2 pairs, every event and every transfer of control reported to a
// `Switches` sink, in this technique's own words.

/// Starts every game's process and runs it to its first wait, then: every reply due lands (its
/// game written "play") before the master moves again; she serves the boards in the order
/// they asked; when there is nothing to do, the clock jumps to the next reply.
fn play(exhibition: &Exhibition) -> Switches {
    let (mut clock, mut sink) = (VirtualClock::new(), Switches::new(exhibition));
    let pairs = exhibition.pairs();
    let games = (1..=exhibition.opponents()).map(|_| spawn(pairs));
    let mut games: Vec<_> = games.collect::<io::Result<_>>().expect("a process per board");
    // Boards waiting for the master, first come first served; boards waiting for a reply, by
    // deadline; each with the pair it is at. At first every board is started, in turn.
    let (mut master_line, mut replies) = (VecDeque::new(), TimerQueue::new());
    let mut starting = 1..=exhibition.opponents();
    loop {
        let now = clock.now();
        let (board, at) = if let Some(board) = starting.next() {
            (board, now)
        } else if let Some((landed, (board, pair))) = replies.pop_due(now) {
            // Landed at `landed`, even if the master was busy elsewhere then.
            sink.record(Event::opponent_move(landed, board, pair));
            (board, landed)
        } else if let Some((board, pair)) = master_line.pop_front() {
            sink.record(Event::master_move(now, board, pair));
            // She is busy: nothing else runs.
            clock.advance_by(exhibition.master_move());
            (board, now)
        } else if let Some(next) = replies.next_deadline() {
            sink.switch_with(|| {
                let says = format!(
                    "master_line empty, every process blocked in read: clock jumps to {next}"
                );
                Switch::new(now, None, SwitchKind::Idle, says)
            });
            clock.advance_to(next);
            continue;
        } else {
            return sink; // every game is over
        };
        let now = clock.now();
        match resume(&mut games[board as usize - 1], board, at, now, &mut sink) {
            Some(Wait::Master { pair }) => master_line.push_back((board, pair)),
            Some(Wait::Reply { pair }) => {
                replies.push(now + exhibition.opponent_move(), (board, pair));
            }
            None => {} // its game returned
        }
    }
}

/// Writes `board`'s process "play" and blocks reading until its game waits again, and says
/// what for; or until it returns (the process exits), over at `at`, when its last reply landed.
fn resume(
    (process, socket): &mut (Child, Socket),
    board: u32,
    at: Time,
    now: Time,
    sink: &mut Switches,
) -> Option<Wait> {
    sink.switch_with(|| {
        let says = format!("parent: \"play\" → process {board}, then blocks in read");
        Switch::new(now, board, SwitchKind::Resume, says)
    });
    let mut line = String::new();
    let asked = writeln!(socket.get_mut(), "play").and_then(|()| socket.read_line(&mut line));
    match asked.ok().and_then(|_| Wait::parse(&line)) {
        Some((what, place)) => {
            sink.suspended(board);
            sink.switch_with(|| {
                let queue =
                    if matches!(what, Wait::Master { .. }) { "master_line" } else { "replies" };
                let says =
                    format!("process {board} → {what:?} from game → wait → read, into {queue}");
                Switch::new(now, board, SwitchKind::Suspend, says)
                    .paused_at(PausedAt::State(format!("{place}, as the process wrote it")))
            });
            Some(what)
        }
        None => {
            let status = process.wait().expect("a child of this process");
            assert!(status.success(), "board {board}'s process failed: {status}");
            sink.record(Event::game_over(at, board));
            sink.switch_with(|| {
                let says = format!("process {board}: its game returned, it exits, reaped");
                Switch::new(now, board, SwitchKind::Finish, says)
            });
            None
        }
    }
}

/// Two boards, two pairs each: small enough to read every switch.
fn two_by_two() -> Exhibition {
    Exhibition::builder().opponents(2).pairs(2).build().expect("a valid exhibition")
}

fn main() {
    play_if_game_process(); // a game's process plays here, and exits
    println!("This example's driver, 2 boards × 2 pairs, every switch:\n");
    print!("{}", play(&two_by_two()).text(false));
    println!("\nThe default exhibition, as the lane plays it:\n");
    let summary = Lane::Processes.summary(&Exhibition::default());
    println!("{}", summary.expect("the lane plays the default exhibition"));
}

#[test]
fn plays_the_lanes_events_and_the_lanes_total() {
    main();
    let (small, ours) = (two_by_two(), play(&two_by_two()));
    let events: Vec<Event> = (ours.lines().iter())
        .filter_map(|line| match line {
            coro_simul::trace::Line::Event(event) => Some(event.clone()),
            coro_simul::trace::Line::Switch(_) => None,
        })
        .collect();
    let lane = Lane::Processes.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(events, lane.events());
    // Every `suspend` line is one suspension, counted in the summary too, as in the lane.
    let suspends = ours.switches().filter(|switch| switch.kind == SwitchKind::Suspend).count();
    let suspensions = Lane::Processes.summary(&small).expect("its summary").suspensions();
    assert_eq!((suspends as u64, ours.summary().suspensions()), (suspensions, suspensions));
    let summary = Lane::Processes.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}

/// A test binary's `main` is the test harness's: a game's process runs this test alone
/// (`spawn` names it) and plays here. Run with the others, it does nothing.
#[test]
fn coro_simul_processes_worker() {
    play_if_game_process();
}
