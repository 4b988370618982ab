//! The child's half: how a program becomes one game's process ([`serve_if_child`]), the
//! order that tells it which game to play, and the [`ProcessHost`] the game sees there.

use std::env;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe, Location};
use std::process;
use std::time::Duration;

use crate::lanes::plain_game::{Adjourned, GameFn, Host, game};
use crate::{Exhibition, PlannedFailure};

/// The environment variable that makes a program a game's process: the lane sets it on every
/// child it starts, to a line that says which game, which board and which exhibition. A
/// program that finds it set plays that game in [`serve_if_child`] and exits.
pub const GAME_ENV: &str = "CORO_SIMUL_GAME";

/// The test a test binary runs as a game's process: the lane starts it with this name as the
/// test filter, so that the test harness runs that test, which calls [`serve_if_child`]. The
/// harness matches the filter as a substring of each test's name (the lane passes no
/// `--exact`, so the test may sit in any module): no other test's name should contain it.
pub const WORKER_TEST: &str = "coro_simul_processes_worker";

/// The arguments of every child: a test harness reads them as "run only the tests whose
/// names contain [`WORKER_TEST`], one at a time, quietly" (each on a thread the harness
/// spawns, even with one test thread); any other program never reads them, having called
/// [`serve_if_child`] before it parses its arguments.
pub(super) const WORKER_ARGS: [&str; 3] = [WORKER_TEST, "--test-threads=1", "--quiet"];

/// If this process was started by the processes lane to play one game, plays it and exits;
/// otherwise returns at once, having done nothing.
///
/// Call it first thing in `main` of every program that plays the processes lane — the
/// command line, each example — and, in a test binary (whose `main` the test harness
/// writes), from a test named [`WORKER_TEST`]:
///
/// ```ignore
/// #[test] // a test, in a test binary: not a doctest of its own
/// fn coro_simul_processes_worker() {
///     coro_simul::lanes::processes::serve_if_child();
/// }
/// ```
///
/// The child is this same program started again ([`std::env::current_exe`]), with
/// [`GAME_ENV`] saying which board to play; its standard input is its end of a socket pair to
/// the parent. It never returns then: it exits when its game has ended, when its game
/// panics (after telling the parent why), or as soon as the parent is gone.
pub fn serve_if_child() {
    let Some(order) = env::var(GAME_ENV).ok() else { return };
    let Some(order) = Order::parse(&order) else {
        eprintln!(
            "{GAME_ENV} is set to {order:?}, which is not an order this version of coro-simul \
             understands: unset {GAME_ENV} to run this program normally"
        );
        process::exit(2);
    };
    // Planned failures are expected: the parent's trace reports them, stderr need not.
    PlannedFailure::hush();
    match ProcessHost::from_stdin(&order) {
        Ok(host) => process::exit(host.serve(&order)),
        Err(error) => {
            eprintln!("a game's process could not talk to its parent: {error}");
            process::exit(2);
        }
    }
}

/// Which game a child plays: what the parent writes into [`GAME_ENV`], one line of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Order {
    /// The game's name: `plain`, or in this crate's tests, one of their faulty games.
    pub(super) game: String,
    /// The board the child plays.
    pub(super) board: u32,
    /// The whole exhibition, so the game sees what every other lane's game sees.
    pub(super) exhibition: Exhibition,
    /// Whether each wait also says where the game waits, `at FILE:LINE`, for a parent that
    /// watches its switches; otherwise the calls are the bare words.
    pub(super) says_where: bool,
}

impl Order {
    /// `GAME BOARD OPPONENTS MASTER_NS OPPONENT_NS PAIRS LIMIT_NS|- FAIL_BOARD/PAIR|- STEPS
    /// where|-`.
    pub(super) fn to_env(&self) -> String {
        let ex = &self.exhibition;
        let limit = ex.time_limit().map_or("-".to_owned(), |limit| limit.as_nanos().to_string());
        let failure = ex.failure().map_or("-".to_owned(), |f| format!("{}/{}", f.board, f.pair));
        format!(
            "{} {} {} {} {} {} {limit} {failure} {} {}",
            self.game,
            self.board,
            ex.opponents(),
            ex.master_move().as_nanos(),
            ex.opponent_move().as_nanos(),
            ex.pairs(),
            ex.thinking_steps(),
            if self.says_where { "where" } else { "-" },
        )
    }

    /// Reads back what [`to_env`](Self::to_env) wrote; `None` if it is not that.
    pub(super) fn parse(text: &str) -> Option<Order> {
        let words: Vec<&str> = text.split(' ').collect();
        let [game, board, opponents, master, opponent, pairs, limit, failure, think, says_where] =
            words[..]
        else {
            return None;
        };
        let nanos = |word: &str| word.parse().ok().map(Duration::from_nanos);
        let mut builder = Exhibition::builder()
            .opponents(opponents.parse().ok()?)
            .master_move(nanos(master)?)
            .opponent_move(nanos(opponent)?)
            .pairs(pairs.parse().ok()?)
            .opponents_think(think.parse().ok()?);
        if limit != "-" {
            builder = builder.time_limit(nanos(limit)?);
        }
        if let Some((board, pair)) = failure.split_once('/') {
            builder = builder.failure(board.parse().ok()?, pair.parse().ok()?);
        }
        let exhibition = builder.build().ok()?;
        let (game, board, says_where) =
            (game.to_owned(), board.parse().ok()?, says_where == "where");
        Some(Order { game, board, exhibition, says_where })
    }
}

/// The games a child can play, by the name in its order: the plain game, and in this crate's
/// own tests, games that fail in ways no lane but this one survives.
fn game_named(name: &str) -> Option<GameFn> {
    match name {
        "plain" => Some(game),
        #[cfg(test)]
        name => super::tests::faulty_game(name),
        #[cfg(not(test))]
        _ => None,
    }
}

/// A child's end of its socket: the [`Host`] its game is played against. Each host call
/// writes one line to the parent and blocks this whole process until the parent writes the
/// baton back.
struct ProcessHost {
    socket: BufReader<UnixStream>,
    /// For the CPU-bound exhibition, whose opponent thinks in this process.
    exhibition: Exhibition,
    /// Whether a wait also says where the game waits ([`Order::says_where`]).
    says_where: bool,
}

impl ProcessHost {
    /// The socket the parent passed as this process's standard input (a socket goes both
    /// ways, where a pipe would need a second one).
    fn from_stdin(order: &Order) -> io::Result<ProcessHost> {
        let socket = UnixStream::from(io::stdin().as_fd().try_clone_to_owned()?);
        let (exhibition, says_where) = (order.exhibition, order.says_where);
        Ok(ProcessHost { socket: BufReader::new(socket), exhibition, says_where })
    }

    /// The child's whole life: says it is ready, waits for the first baton, plays, and
    /// returns the exit status. A panic stops at `catch_unwind`, the process's boundary,
    /// and its message goes to the parent, for the forfeit; an abort or a signal stops the
    /// process before it can say anything, and the parent reports how it ended instead.
    fn serve(mut self, order: &Order) -> i32 {
        let Some(game) = game_named(&order.game) else { return 2 };
        self.say("ready");
        if self.baton() == Err(Adjourned) {
            return 0; // stopped before its first move: nothing to play
        }
        let played = panic::catch_unwind(AssertUnwindSafe(|| {
            game(order.board, &order.exhibition, &mut self)
        }));
        match played {
            // Over, or adjourned: the parent has recorded either.
            Ok(_over_or_adjourned) => 0,
            Err(payload) => {
                let message = PlannedFailure::message_of(&*payload);
                self.say(&format!("panicked {}", serde_json::Value::String(message)));
                101 // what a Rust program exits with when its main thread panics
            }
        }
    }

    /// Writes one line to the parent. If the parent is gone, nobody is left to play for:
    /// the process exits.
    fn say(&mut self, line: &str) {
        if writeln!(self.socket.get_mut(), "{line}").is_err() {
            process::exit(0);
        }
    }

    /// Writes a wait's `call` to the parent, and where the game waits if it is asked to:
    /// `master 3 1 at src/lanes/plain_game.rs:89`. A [`Location`] is a pointer into this
    /// process's memory, meaningless to the parent: what crosses the socket is its text.
    fn say_wait(&mut self, mut call: String, paused_at: &Location<'_>) {
        if self.says_where {
            let _ = write!(call, " at {}:{}", paused_at.file(), paused_at.line());
        }
        self.say(&call);
    }

    /// Blocks until the parent writes the baton: `Ok` to play on, `Err(Adjourned)` when the
    /// time limit has stopped the game. Exits if the parent is gone (its end closed).
    fn baton(&mut self) -> Result<(), Adjourned> {
        let mut line = String::new();
        match self.socket.read_line(&mut line) {
            Ok(_) if line == "play\n" => Ok(()),
            Ok(_) if line == "adjourned\n" => Err(Adjourned),
            _ => process::exit(0),
        }
    }
}

impl Host for ProcessHost {
    fn master_moves(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        self.say_wait(format!("master {board} {pair}"), Location::caller()); // the game's line
        self.baton()
    }

    fn await_reply(&mut self, board: u32, pair: u32) -> Result<(), Adjourned> {
        self.say_wait(format!("reply {board} {pair}"), Location::caller());
        // CPU-bound: the opponent thinks in this process, after the parent has the call, so
        // in parallel with the parent and with every other game process thinking meanwhile.
        self.exhibition.opponent_thinks(board, pair);
        self.baton()
    }

    fn game_over(&mut self, board: u32) {
        self.say(&format!("over {board}")); // the last word: nothing to wait for
    }
}
