//! What the generators lane's switch trace says: the driver primes each game, sends it each
//! reply, and gets back the game's next request or its end. One yield a pair: the request
//! asks for the master's move and the reply at once, and the driver does both waits.

use crate::clock::Time;
use crate::trace::{Switch, SwitchKind};

/// The number of the first line of `source` that starts, after its indent, with `start`.
///
/// # Panics
///
/// At compile time, when used in a `const`, if no line does.
pub(super) const fn line_starting(source: &str, start: &[u8]) -> u32 {
    let (source, mut at, mut line) = (source.as_bytes(), 0, 1);
    while at < source.len() {
        while at < source.len() && source[at] == b' ' {
            at += 1;
        }
        let mut matched = 0;
        while matched < start.len()
            && at + matched < source.len()
            && source[at + matched] == start[matched]
        {
            matched += 1;
        }
        if matched == start.len() {
            return line;
        }
        while at < source.len() && source[at] != b'\n' {
            at += 1;
        }
        (at, line) = (at + 1, line + 1);
    }
    panic!("no line starts so")
}

/// The driver's `next(gen)` for the game on `board`, at the start.
pub(super) fn primes(board: u32) -> Switch {
    let says = format!(
        "resume_with(Reply {{ board: 0, pair: 0, .. }}): priming board {board}'s generator, \
         next(gen): the value is dropped"
    );
    Switch::new(Time::ZERO, board, SwitchKind::Resume, says)
}

/// The driver's `gen.send(reply)`, as the reply to `pair` on `board` lands at `landed`.
pub(super) fn sends(landed: Time, board: u32, pair: u32) -> Switch {
    let says = format!(
        "resume_with(Reply {{ board: {board}, pair: {pair}, landed: {landed} }}): gen.send(reply)"
    );
    Switch::new(landed, board, SwitchKind::Resume, says)
}

/// The game on `board` yielded its request for `pair` at `t`: paused at its `yield`.
pub(super) fn yielded(t: Time, board: u32, pair: u32) -> Switch {
    let says = format!(
        "→ Yielded(Request {{ board: {board}, pair: {pair} }}): one yield for both waits, into \
         master_line"
    );
    Switch::new(t, board, SwitchKind::Suspend, says)
}

/// The game on `board` returned at `t`: its last reply is in.
pub(super) fn completed(t: Time, board: u32) -> Switch {
    let says =
        format!("→ Complete(GameOver {{ board: {board}, at: {t} }}): the generator returned");
    Switch::new(t, board, SwitchKind::Finish, says)
}

/// The game on `board` panicked inside `resume_with`, at `at`.
pub(super) fn panicked(at: Time, board: u32) -> Switch {
    let says = "resume_with(..) panicked: unwound to play's catch_unwind, never resumed again";
    Switch::new(at, board, SwitchKind::Finish, says.to_owned())
}

/// At the `limit`, the paused game on `board` is dropped.
pub(super) fn dropped(limit: Time, board: u32) -> Switch {
    let says = "the limit: the generator is dropped, paused at its yield (Python's gen.close())";
    Switch::new(limit, board, SwitchKind::Finish, says.to_owned())
}

/// Nothing for the master from `now`: the driver jumps its clock to `next`, the next reply's
/// `deadline` or the limit before it.
pub(super) fn idles(now: Time, next: Time, deadline: Time) -> Switch {
    let what = if next == deadline { "the next reply" } else { "the limit" };
    let says = format!("no request to serve: clock jumps to {next}, {what}");
    Switch::new(now, None, SwitchKind::Idle, says)
}

#[cfg(test)]
mod tests {
    use super::line_starting;

    #[test]
    fn finds_the_first_line_that_starts_so_after_its_indent() {
        let source = "fn game() {\n    // let reply = co.yield_(..) in a comment\n    let reply = co.yield_(1);\n}\n";
        assert_eq!(line_starting(source, b"let reply = co.yield_("), 3);
        assert_eq!(line_starting(source, b"fn game"), 1);
    }
}
