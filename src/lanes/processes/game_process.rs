//! [`GameProcess`]: one game in its own OS process, as the driver holds it: the child, and
//! the parent's end of the socket pair between them, one line of text per message.

use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::net::Shutdown;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use super::worker::{GAME_ENV, Order, WORKER_ARGS};
use crate::lanes::error::LaneError;
use crate::lanes::lane::Lane;

/// How long a child may take to say `ready` once started: far longer than any program takes
/// to reach the first line of its `main`, even with thousands starting at once.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// How long a game's process may take to answer the baton with its next call: far longer
/// than any move takes, so only a game stuck in a loop (or stopped) reaches it, and is killed
/// for it rather than hang the whole exhibition. In this crate's own tests, 5 s, so that the
/// test of a game that never answers takes seconds, not a minute.
const ANSWER_WITHIN: Duration = Duration::from_secs(if cfg!(test) { 5 } else { 60 });

/// What a game's process asks of the driver, as it blocks until the baton comes back: the
/// threads lane's requests, read from a line of text. A wait's `paused_at` is where the game
/// waits, as text (`at FILE:LINE` after the call), when the process was asked to say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Request {
    /// `master B P`: "the master, please, for my move `pair`".
    MasterMove { board: u32, pair: u32, paused_at: Option<String> },
    /// `reply B P`: "wake me when the reply to `pair` lands".
    AwaitReply { board: u32, pair: u32, paused_at: Option<String> },
    /// `over B`: "my game is over"; the process exits without waiting for the baton.
    GameOver { board: u32 },
    /// `panicked "MESSAGE"`: its game panicked, with this message; the process exits.
    Panicked(String),
}

impl Request {
    /// The board the call is for, which must be the board of the process that makes it.
    fn board(&self) -> Option<u32> {
        match *self {
            Request::MasterMove { board, .. }
            | Request::AwaitReply { board, .. }
            | Request::GameOver { board } => Some(board),
            Request::Panicked(_) => None,
        }
    }

    /// One line from a child, without its newline; `None` if it is not a call.
    fn parse(line: &str) -> Option<Request> {
        let (word, rest) = line.split_once(' ')?;
        if word == "panicked" {
            return serde_json::from_str(rest).ok().map(Request::Panicked);
        }
        let (rest, paused_at) = match rest.split_once(" at ") {
            Some((numbers, at)) => (numbers, Some(at.to_owned())),
            None => (rest, None),
        };
        let numbers: Vec<u32> = rest.split(' ').map_while(|n| n.parse().ok()).collect();
        match (word, &numbers[..]) {
            ("master", &[board, pair]) => Some(Request::MasterMove { board, pair, paused_at }),
            ("reply", &[board, pair]) => Some(Request::AwaitReply { board, pair, paused_at }),
            ("over", &[board]) => Some(Request::GameOver { board }),
            _ => None,
        }
    }
}

/// The driver's end of a game's process. Dropping it kills the process if it still runs and
/// waits for it, so that no child outlives the lane, whichever way the lane ends.
#[derive(Debug)]
pub(super) struct GameProcess {
    /// The board its game plays: every call it makes must name it.
    board: u32,
    child: Child,
    socket: BufReader<UnixStream>,
}

impl GameProcess {
    /// Starts `program` again as the process for `order`'s board, its standard input its end
    /// of a new socket pair; returns before the child is ready (see [`ready`](Self::ready)).
    pub(super) fn spawn(program: &Path, order: &Order) -> io::Result<GameProcess> {
        let (ours, theirs) = UnixStream::pair()?;
        let child = Command::new(program)
            .args(WORKER_ARGS)
            .env(GAME_ENV, order.to_env())
            .stdin(Stdio::from(OwnedFd::from(theirs)))
            .stdout(Stdio::null()) // a test harness's chatter; the game prints nothing
            .spawn()?;
        // `theirs` was moved into the command and closed with it: only the child holds it,
        // so the child's death is the end of the socket for the parent.
        Ok(GameProcess { board: order.board, child, socket: BufReader::new(ours) })
    }

    /// Waits for the child to say `ready`: it runs, and it is a game's process; from then on
    /// it has [`ANSWER_WITHIN`] for each answer. The error says why not, naming `program`:
    ///
    /// - it ended first: how (its exit status or signal). A program that exits with status 0
    ///   ran to its end without playing, a test binary without the worker test, say: it
    ///   never called `serve_if_child`, and the error says so;
    /// - it said anything else, or kept silent for [`READY_WITHIN`] (waiting, perhaps, for
    ///   input that never comes): it did not call `serve_if_child`.
    pub(super) fn ready(&mut self, program: &Path) -> Result<(), LaneError> {
        let board = self.board;
        let did_not_serve = || LaneError::not_a_game_process(program, board);
        let timed = self.socket.get_ref().set_read_timeout(Some(READY_WITHIN));
        match timed.and_then(|()| self.line()) {
            Ok(Some(line)) if line == "ready" => {}
            Ok(None) => match self.finish() {
                Ok(status) if status.success() => return Err(did_not_serve()),
                status => return Err(self.ended_before_ready(program, status)),
            },
            Ok(Some(_)) | Err(_) => return Err(did_not_serve()),
        }
        self.socket.get_ref().set_read_timeout(Some(ANSWER_WITHIN)).map_err(|_| did_not_serve())
    }

    /// The error for a child that ended before it said `ready`, by a signal or a failing
    /// exit: how it ended, and no more, since it may well have called `serve_if_child`.
    fn ended_before_ready(&self, program: &Path, status: io::Result<ExitStatus>) -> LaneError {
        let how = status.map_or_else(|error| format!("was lost ({error})"), ending);
        let message = format!(
            "{} was started again to play board {}, but its process {how} before it was ready",
            program.display(),
            self.board,
        );
        LaneError::new(Lane::Processes, message)
    }

    /// The resident memory this process accounts for: its proportional share (`Pss`, each
    /// shared page divided among the processes that map it), so that a sum over processes
    /// counts the program's code once. `None` where `/proc` does not say.
    pub(super) fn resident(&self) -> Option<u64> {
        let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", self.child.id()));
        let pss = rollup.ok()?.lines().find_map(|line| line.strip_prefix("Pss:"))?.to_owned();
        let kib: u64 = pss.trim().strip_suffix("kB")?.trim().parse().ok()?;
        Some(kib * 1024)
    }

    /// Hands the process the baton and blocks until its next call, a call for its own board.
    /// `Err` means it will never call again, and says why, for the forfeit: its game
    /// panicked (the message), it ended without a word (how), it named another board or said
    /// something that is not a call, or it did not answer within [`ANSWER_WITHIN`]. In the
    /// last three cases it has been killed; [`finish`](Self::finish) reaps it.
    pub(super) fn resume(&mut self) -> Result<Request, String> {
        let _ = self.send("play"); // if it has ended, reading its end says so
        match self.line() {
            Ok(Some(line)) => self.heard(&line),
            Ok(None) => Err(how_it_ended(self.finish())),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                let _ = self.child.kill(); // stuck, or stopped: it would hold the baton forever
                Err(format!("did not answer within {} s", ANSWER_WITHIN.as_secs()))
            }
            Err(_) => Err(how_it_ended(self.finish())),
        }
    }

    /// What the process said, once it had the baton: a call for its own board, or why its
    /// game is lost. Speaking for another board (or not in calls) is a broken game, not a
    /// reason for the driver to play a board it was not asked about: it is killed.
    fn heard(&mut self, line: &str) -> Result<Request, String> {
        match Request::parse(line) {
            Some(Request::Panicked(message)) => Err(message),
            Some(call) if call.board() == Some(self.board) => Ok(call),
            Some(call) => {
                let _ = self.child.kill();
                Err(format!("spoke out of turn: asked for board {}", call.board().unwrap_or(0)))
            }
            None => {
                let _ = self.child.kill();
                Err(format!("spoke out of turn: said {line:?}, which is not a call"))
            }
        }
    }

    /// The child's next line, without its newline; `Ok(None)` once the child has closed its
    /// end, which it does by exiting; an error of kind `WouldBlock` or `TimedOut` when the
    /// read timeout passed first.
    fn line(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        match self.socket.read_line(&mut line)? {
            0 => Ok(None),
            _ => Ok(Some(line.trim_end_matches('\n').to_owned())),
        }
    }

    /// Tells the process the time limit has stopped its game, then waits for it to exit.
    pub(super) fn adjourn(mut self) {
        let _ = self.send("adjourned"); // gone already if its game has ended
        let _ = self.finish();
    }

    /// Waits for a process that has said its last word (or nothing) to exit, and reaps it:
    /// how it ended. The socket is shut down first, not read to its end: a child that says
    /// more after its last word then reads the end of the stream and exits, instead of
    /// waiting for a baton that never comes, and a process the child started, holding a copy
    /// of its end, cannot keep the parent waiting.
    pub(super) fn finish(&mut self) -> io::Result<ExitStatus> {
        let _ = self.socket.get_ref().shutdown(Shutdown::Both); // already, if finished before
        self.child.wait()
    }

    fn send(&mut self, baton: &str) -> io::Result<()> {
        writeln!(self.socket.get_mut(), "{baton}")
    }
}

impl Drop for GameProcess {
    fn drop(&mut self) {
        // Already reaped if the driver ended it; else the lane is being abandoned (its sink
        // panicked, or a later process could not start): stop the child, and reap it.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// How a game's process ended without a word, for its forfeit: the exit status, or the
/// signal that killed it, by name where it is a common one.
pub(super) fn how_it_ended(status: io::Result<ExitStatus>) -> String {
    match status {
        Err(error) => format!("the game's process was lost ({error})"),
        Ok(status) if status.signal().is_some() => format!("the game's process {}", ending(status)),
        Ok(status) => format!("the game's process {} mid-game", ending(status)),
    }
}

/// How a process ended, after "its process": "was killed by signal 6 (SIGABRT: it
/// aborted)", "exited with status 3".
fn ending(status: ExitStatus) -> String {
    if let Some(signal) = status.signal() {
        let name = match signal {
            2 => " (SIGINT)",
            4 => " (SIGILL)",
            6 => " (SIGABRT: it aborted)",
            7 => " (SIGBUS)",
            9 => " (SIGKILL)",
            11 => " (SIGSEGV: a bad memory access)",
            15 => " (SIGTERM)",
            _ => "",
        };
        return format!("was killed by signal {signal}{name}");
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => format!("ended ({status})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_one_line_of_words() {
        let master = Request::MasterMove { board: 3, pair: 1, paused_at: None };
        assert_eq!(Request::parse("master 3 1"), Some(master));
        let paused_at = Some("src/lanes/plain_game.rs:90".to_owned());
        assert_eq!(
            Request::parse("reply 12 30 at src/lanes/plain_game.rs:90"),
            Some(Request::AwaitReply { board: 12, pair: 30, paused_at })
        );
        assert_eq!(Request::parse("over 7"), Some(Request::GameOver { board: 7 }));
        let said = r#"panicked "board 2's game\nfailed""#;
        assert_eq!(
            Request::parse(said),
            Some(Request::Panicked("board 2's game\nfailed".to_owned()))
        );
        assert_eq!(Request::parse("master 3"), None);
        assert_eq!(Request::parse("hello"), None);
    }

    #[test]
    fn a_silent_end_is_its_status_or_its_signal() {
        let status = |raw| Ok(ExitStatus::from_raw(raw));
        let aborted = how_it_ended(status(6));
        assert_eq!(aborted, "the game's process was killed by signal 6 (SIGABRT: it aborted)");
        assert_eq!(
            how_it_ended(status(3 << 8)),
            "the game's process exited with status 3 mid-game"
        );
        assert_eq!(how_it_ended(status(31)), "the game's process was killed by signal 31");
    }
}
