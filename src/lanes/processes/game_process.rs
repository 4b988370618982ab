//! [`GameProcess`]: one game in its own OS process, as the driver holds it: the child, and
//! the parent's end of the socket pair between them, one line of text per message.

use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use super::worker::{GAME_ENV, Order, WORKER_ARGS};

/// How long a child may take to say `ready` once started: far longer than any program takes
/// to reach the first line of its `main`, even with thousands starting at once.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// What a game's process asks of the driver, as it blocks until the baton comes back: the
/// threads lane's calls, read from a line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Call {
    /// `master B P`: "the master, please, for my move `pair`".
    Master { board: u32, pair: u32 },
    /// `reply B P`: "wake me when the reply to `pair` lands".
    Reply { board: u32, pair: u32 },
    /// `over B`: "my game is over"; the process exits without waiting for the baton.
    Over { board: u32 },
    /// `panicked "MESSAGE"`: its game panicked, with this message; the process exits.
    Panicked(String),
}

impl Call {
    /// One line from a child, without its newline; `None` if it is not a call.
    fn parse(line: &str) -> Option<Call> {
        let (word, rest) = line.split_once(' ')?;
        let numbers: Vec<u32> = rest.split(' ').map_while(|n| n.parse().ok()).collect();
        match (word, &numbers[..]) {
            ("master", &[board, pair]) => Some(Call::Master { board, pair }),
            ("reply", &[board, pair]) => Some(Call::Reply { board, pair }),
            ("over", &[board]) => Some(Call::Over { board }),
            ("panicked", _) => serde_json::from_str(rest).ok().map(Call::Panicked),
            _ => None,
        }
    }
}

/// The driver's end of a game's process. Dropping it kills the process if it still runs and
/// waits for it, so that no child outlives the lane, whichever way the lane ends.
#[derive(Debug)]
pub(super) struct GameProcess {
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
        Ok(GameProcess { child, socket: BufReader::new(ours) })
    }

    /// Waits for the child to say `ready`: it runs, and it is a game's process. `false` if
    /// it ended, said anything else, or kept silent for [`READY_WITHIN`] (the program never
    /// called `serve_if_child`, and may be waiting for input that never comes).
    pub(super) fn ready(&mut self) -> bool {
        let timed = self.socket.get_ref().set_read_timeout(Some(READY_WITHIN));
        let ready = timed.is_ok() && self.line().as_deref() == Some("ready");
        ready && self.socket.get_ref().set_read_timeout(None).is_ok()
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

    /// Hands the process the baton and blocks until its next call. `None` means it will
    /// never call again: it has ended, or it said something that is not a call, and has
    /// been killed for it.
    pub(super) fn resume(&mut self) -> Option<Call> {
        self.send("play").ok()?;
        let call = Call::parse(&self.line()?);
        if call.is_none() {
            let _ = self.child.kill(); // talking out of turn: stop it
        }
        call
    }

    /// The child's next line, without its newline; `None` once the child has closed its
    /// end, which it does by exiting.
    fn line(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.socket.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches('\n').to_owned()),
        }
    }

    /// Tells the process the time limit has stopped its game, then waits for it to exit.
    pub(super) fn adjourn(mut self) {
        let _ = self.send("adjourned"); // gone already if its game has ended
        let _ = self.finish();
    }

    /// Waits for a process that has said its last word (or nothing) to exit, and reaps it:
    /// how it ended.
    pub(super) fn finish(&mut self) -> io::Result<ExitStatus> {
        while self.line().is_some() {} // its end closes as it exits
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
    let status = match status {
        Ok(status) => status,
        Err(error) => return format!("the game's process was lost ({error})"),
    };
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
        return format!("the game's process was killed by signal {signal}{name}");
    }
    match status.code() {
        Some(code) => format!("the game's process exited with status {code} mid-game"),
        None => format!("the game's process ended mid-game ({status})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_one_line_of_words() {
        assert_eq!(Call::parse("master 3 1"), Some(Call::Master { board: 3, pair: 1 }));
        assert_eq!(Call::parse("reply 12 30"), Some(Call::Reply { board: 12, pair: 30 }));
        assert_eq!(Call::parse("over 7"), Some(Call::Over { board: 7 }));
        let said = r#"panicked "board 2's game\nfailed""#;
        assert_eq!(Call::parse(said), Some(Call::Panicked("board 2's game\nfailed".to_owned())));
        assert_eq!(Call::parse("master 3"), None);
        assert_eq!(Call::parse("hello"), None);
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
