//! The command line's one error: what went wrong, the one line that says so, and the exit code
//! that goes with it.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use coro_simul::ExhibitionError;
use coro_simul::lanes::{Lane, LaneError};
use coro_simul::pitfalls::PitfallError;
use coro_simul::units;

/// Why a command stopped. Every variant is printed as one line on stderr and maps to one exit
/// code: 2 for bad input and for output that cannot be written, 1 for a lane that could not
/// play or anything else the operating system refused (a thread, say), 130 for a race stopped
/// by Ctrl-C.
#[derive(Debug)]
pub(crate) enum CliError {
    /// clap refused the arguments (an unknown flag, a value its parser refused, ...).
    Usage(clap::Error),
    /// A flag's value broke one of the exhibition's rules: the flag and its value as the
    /// user wrote them (`--opponents 0`), or `None` when no one flag is to blame (too long).
    Exhibition { given: Option<String>, rule: ExhibitionError },
    /// `scale --runs 0`.
    NoRuns,
    /// A pitfall cannot play this exhibition (it would not fit the clock, say): why.
    Unplayable(PitfallError),
    /// Two flags that do not go together (`--format csv with --switches`), and why.
    Clash { flags: &'static str, why: &'static str },
    /// `--lanes sync,sync`: a lane named twice.
    LaneTwice(Lane),
    /// A lane could not play: the operating system refused a stack or a thread.
    Lane(LaneError),
    /// Ctrl-C stopped a race after this long.
    Interrupted { after: Duration },
    /// Writing the output (stdout or a file) failed.
    Output(io::Error),
    /// The file a command was asked to write exists and is not a regular file (a directory,
    /// a device, a FIFO, a symbolic link): it is refused, and left as it was.
    NotAFile { path: PathBuf, kind: &'static str },
    /// The timeline could not be drawn as SVG.
    Drawing(String),
    /// The system refused something the command needed: what it was, and why.
    System { needed: &'static str, error: Box<dyn Error + Send + Sync> },
}

impl CliError {
    /// The exit code for this error.
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Lane(_) | CliError::System { .. } => 1,
            CliError::Interrupted { .. } => 130,
            _ => 2,
        }
    }

    /// The operating system refused a thread the command needed to `needed`: the error, and
    /// the limit that usually says no, with its value here where Linux shows it.
    pub(crate) fn no_thread(needed: &'static str, error: &io::Error) -> CliError {
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let soft = limits.lines().find_map(|line| line.strip_prefix("Max processes"));
        let here = soft.and_then(|line| line.split_whitespace().next());
        let here = here.map(|value| format!(" (here {value})")).unwrap_or_default();
        let why = format!(
            "the OS refused a thread ({error}); threads are limited per user by `ulimit -u`{here}"
        );
        CliError::System { needed, error: why.into() }
    }

    /// Prints the error's one line on stderr and returns its exit code.
    pub(crate) fn report(self) -> ExitCode {
        match &self {
            // `coro-simul trace sync | head`: the reader has seen enough; stop quietly.
            CliError::Output(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                return ExitCode::SUCCESS;
            }
            // Not a failure but the user's choice: the line says what happened, no `error:`.
            CliError::Interrupted { .. } => eprintln!("{self}"),
            _ => eprintln!("error: {self}"),
        }
        ExitCode::from(self.exit_code())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(error) => f.write_str(&one_line(error)),
            CliError::Exhibition { given: Some(given), rule } => {
                write!(f, "invalid {given}: {rule}")
            }
            CliError::Exhibition { given: None, rule } => {
                write!(f, "the exhibition is too long: {rule}")
            }
            CliError::NoRuns => f.write_str("invalid --runs 0: each lane must play at least once"),
            CliError::Unplayable(error) => write!(f, "{error}"),
            CliError::Clash { flags, why } => write!(f, "invalid {flags}: {why}"),
            CliError::LaneTwice(lane) => {
                write!(f, "invalid --lanes: {lane} is named twice; name each lane once")
            }
            CliError::Lane(error) => write!(f, "{error}"),
            CliError::Interrupted { after } => {
                write!(
                    f,
                    "interrupted: Ctrl-C stopped the race after {}",
                    units::seconds(*after, 1)
                )
            }
            CliError::Output(error) => write!(f, "cannot write the output: {error}"),
            CliError::NotAFile { path, kind } => write!(
                f,
                "cannot write {}: it is {kind}, not a regular file, and was left as it was \
                 (name a new file, a regular one, or - for standard output)",
                path.display()
            ),
            CliError::Drawing(error) => write!(f, "cannot draw the timeline: {error}"),
            CliError::System { needed, error } => write!(f, "cannot {needed}: {error}"),
        }
    }
}

impl Error for CliError {}

impl From<LaneError> for CliError {
    fn from(error: LaneError) -> CliError {
        CliError::Lane(error)
    }
}

impl From<PitfallError> for CliError {
    fn from(error: PitfallError) -> CliError {
        match error {
            PitfallError::Lane(error) => CliError::Lane(error),
            unplayable @ PitfallError::Unplayable { .. } => CliError::Unplayable(unplayable),
        }
    }
}

impl From<io::Error> for CliError {
    fn from(error: io::Error) -> CliError {
        CliError::Output(error)
    }
}

/// clap's error as one line: its first line, plus the valid values when it lists them.
fn one_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    if let Some(ContextValue::Strings(valid)) = error.get(ContextKind::ValidValue)
        && !valid.is_empty()
    {
        line.push_str(&format!(" (choose one of: {})", valid.join(", ")));
    }
    if let Some(ContextValue::Strings(missing)) = error.get(ContextKind::InvalidArg)
        && error.kind() == ErrorKind::MissingRequiredArgument
    {
        line.push_str(&format!(" {}", missing.join(", ")));
    }
    if matches!(error.kind(), ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand) {
        line.push_str(" (see --help)");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_exit_code() {
        let lane = CliError::Lane(LaneError::new(Lane::Threads, "the OS said no"));
        assert_eq!((lane.exit_code(), lane.to_string().as_str()), (1, "threads: the OS said no"));
        let stopped = CliError::Interrupted { after: Duration::from_millis(2_340) };
        assert_eq!(stopped.exit_code(), 130);
        assert_eq!(stopped.to_string(), "interrupted: Ctrl-C stopped the race after 2.3 s");
        assert_eq!(CliError::NoRuns.exit_code(), 2);
        let thread = CliError::no_thread("start the race", &io::Error::other("no"));
        assert_eq!(thread.exit_code(), 1, "the system said no; not bad input, not the output");
        assert!(thread.to_string().starts_with("cannot start the race: the OS refused a thread"));
        let kind = "a FIFO";
        let not_a_file = CliError::NotAFile { path: "pipe".into(), kind };
        assert_eq!(not_a_file.exit_code(), 2);
        assert!(not_a_file.to_string().starts_with("cannot write pipe: it is a FIFO, not a"));
        let clash = CliError::Clash { flags: "--a with --b", why: "pick one" };
        assert_eq!(
            (clash.exit_code(), clash.to_string().as_str()),
            (2, "invalid --a with --b: pick one")
        );
        let twice = CliError::LaneTwice(Lane::Sync);
        assert_eq!(twice.exit_code(), 2);
        let output = CliError::Output(io::Error::other("disk full"));
        assert_eq!(
            (output.exit_code(), output.to_string().as_str()),
            (2, "cannot write the output: disk full")
        );
    }

    #[test]
    fn an_exhibition_error_names_the_flag_unless_none_is_to_blame() {
        let rule = ExhibitionError::NoOpponents;
        let named = CliError::Exhibition { given: Some("--boards 0".to_owned()), rule };
        assert_eq!(
            named.to_string(),
            "invalid --boards 0: an exhibition needs at least one opponent"
        );
        let too_long = CliError::Exhibition { given: None, rule: ExhibitionError::TooLong };
        assert!(too_long.to_string().starts_with("the exhibition is too long: opponents × pairs"));
    }
}
