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
            (_, pair) => Wait::Reply { pair: pair.parse().ok()? },
        };
        Some((wait, at.to_owned()))
    }
}

/// A game's process's end of its socket to the parent: its standard input.
type Parent = BufReader<UnixStream>;

/// One game: for each move pair, the master's move, then the opponent's reply.
fn game(pairs: u32, parent: &mut Parent) {
    for pair in 1..=pairs {
        wait(parent, Wait::Master { pair }); // the master comes and makes her move
        wait(parent, Wait::Reply { pair }); // the opponent thinks, and replies
    }
}

#[track_caller] // so that `Location::caller()` is the game's line, not this one
fn wait(parent: &mut Parent, what: Wait) {
    let (kind, pair) = match what {
        Wait::Master { pair } => ("master", pair),
        Wait::Reply { pair } => ("reply", pair),
    };
    let asked = writeln!(parent.get_mut(), "{kind} {pair} at {}", Location::caller());
    asked.unwrap_or_else(|_| process::exit(1)); // the parent is gone
    baton(parent);
}

/// Blocks this whole process in `read` until the parent writes "play".
fn baton(parent: &mut Parent) {
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
    let Ok(mut parent) = socket.map(BufReader::new) else { process::exit(2) };
    baton(&mut parent);
    game(pairs, &mut parent);
    process::exit(0); // its socket closes: the parent reads its end
}

/// Starts this program again as a game's process, blocked until it first reads "play";
/// returns the child, and the parent's end of its socket.
fn spawn(pairs: u32) -> io::Result<(Child, Parent)> {
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

/// Every game, the boards waiting for the master (first come, first served) and the boards
/// waiting for a reply (due when it lands), each with the pair it is at.
struct Driver {
    exhibition: Exhibition,
    clock: VirtualClock,
    sink: Switches,
    /// Board `b`'s game is `games[b - 1]`: its process, and the parent's end of its socket.
    games: Vec<(Child, Parent)>,
    master_line: VecDeque<(u32, u32)>,
    replies: TimerQueue<(u32, u32)>,
}

fn play(exhibition: &Exhibition) -> Switches {
    let games = (1..=exhibition.opponents()).map(|_| spawn(exhibition.pairs()));
    let games = games.collect::<io::Result<_>>().expect("the OS starts a process per board");
    let (clock, sink) = (VirtualClock::new(), Switches::new(exhibition));
    let (master_line, replies) = (VecDeque::new(), TimerQueue::new());
    let mut driver = Driver { exhibition: *exhibition, clock, sink, games, master_line, replies };
    (1..=exhibition.opponents()).for_each(|board| driver.resume(board, Time::ZERO));
    driver.run()
}

impl Driver {
    /// The loop: every reply due lands before the master moves again; she serves the boards
    /// in the order they asked; when there is nothing to do, the clock jumps to the next reply.
    fn run(mut self) -> Switches {
        loop {
            let now = self.clock.now();
            if let Some((landed, (board, pair))) = self.replies.pop_due(now) {
                // Landed at `landed`, even if the master was busy elsewhere then.
                self.sink.record(Event::opponent_move(landed, board, pair));
                self.resume(board, landed);
            } else if let Some((board, pair)) = self.master_line.pop_front() {
                self.sink.record(Event::master_move(now, board, pair));
                // She is busy: nothing else runs.
                self.clock.advance_by(self.exhibition.master_move());
                self.resume(board, now);
            } else if let Some(next) = self.replies.next_deadline() {
                self.sink.switch_with(|| {
                    let says = format!(
                        "master_line empty, every process blocked in read: clock jumps to {next}"
                    );
                    Switch::new(now, None, SwitchKind::Idle, says)
                });
                self.clock.advance_to(next);
            } else {
                return self.sink; // every game is over
            }
        }
    }

    /// Runs `board`'s game until it waits again, and files it where it waits; or, if its game
    /// returns, records it over at `at`, when its last reply landed.
    fn resume(&mut self, board: u32, at: Time) {
        let now = self.clock.now();
        self.sink.switch_with(|| {
            let says = format!("parent: \"play\" → process {board}, then blocks in read");
            Switch::new(now, board, SwitchKind::Resume, says)
        });
        let (child, socket) = &mut self.games[board as usize - 1];
        let mut line = String::new();
        let asked = writeln!(socket.get_mut(), "play").and_then(|()| socket.read_line(&mut line));
        let Some((what, place)) = asked.ok().and_then(|_| Wait::parse(&line)) else {
            let status = child.wait().expect("a child of this process");
            assert!(status.success(), "board {board}'s process failed: {status}");
            self.sink.record(Event::game_over(at, board));
            return self.sink.switch_with(|| {
                let says = format!("process {board}: its game returned, it exits, reaped");
                Switch::new(now, board, SwitchKind::Finish, says)
            });
        };
        let queue = match what {
            Wait::Master { pair } => {
                self.master_line.push_back((board, pair));
                "master_line"
            }
            Wait::Reply { pair } => {
                self.replies.push(now + self.exhibition.opponent_move(), (board, pair));
                "replies"
            }
        };
        self.sink.suspended(board);
        self.sink.switch_with(|| {
            let says = format!("process {board} → {what:?} from game → wait → read, into {queue}");
            Switch::new(now, board, SwitchKind::Suspend, says)
                .paused_at(PausedAt::State(format!("{place}, as the process wrote it")))
        });
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
    let small = two_by_two();
    let ours: Vec<Event> = (play(&small).lines().iter())
        .filter_map(|line| match line {
            coro_simul::trace::Line::Event(event) => Some(event.clone()),
            coro_simul::trace::Line::Switch(_) => None,
        })
        .collect();
    let lane = Lane::Processes.trace(&small).expect("the lane plays 2 × 2");
    assert_eq!(ours, lane.events());
    let summary = Lane::Processes.summary(&Exhibition::default()).expect("and the default");
    assert_eq!(summary.total().as_secs(), 3655); // 1:00:55
}

/// A test binary's `main` is the test harness's: a game's process runs this test alone
/// (`spawn` names it) and plays here. Run with the others, it does nothing.
#[test]
fn coro_simul_processes_worker() {
    play_if_game_process();
}
