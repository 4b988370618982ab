//! The `coro-simul` command line: parse the arguments, hand the command to its function in
//! the `cli` module tree, and turn its error into one line on stderr and an exit code.
//!
//! The library never sees the command line: `cli` is this binary's own module tree.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, CliError, Command};

fn main() -> ExitCode {
    // Started again by the processes lane to play one game: play it and exit, before any
    // argument is read.
    coro_simul::lanes::processes::serve_if_child();
    // A planned failure (--fail-board) is expected: the trace reports it, stderr need not.
    coro_simul::PlannedFailure::hush();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version: stdout, 0
        Err(error) => return CliError::Usage(error).report(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let done = run(cli.command, &mut out).and_then(|()| Ok(out.flush()?));
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}

/// Runs `command`; no command is `compare` on the story's own exhibition.
fn run(command: Option<Command>, out: &mut impl Write) -> Result<(), CliError> {
    match command {
        None => cli::compare::story(out),
        Some(Command::Compare(args)) => cli::compare::compare(args, out),
        Some(Command::Trace(args)) => cli::trace::trace(args, out),
        Some(Command::Step(args)) => cli::step::step(args, out),
        Some(Command::Timeline(args)) => cli::timeline::timeline(args, out),
        Some(Command::Race(args)) => cli::race::race(args, out),
        Some(Command::Pitfall(args)) => cli::pitfall::pitfall(args, out),
        Some(Command::Scale(args)) => cli::scale::scale(args, out),
        Some(Command::Measure(args)) => cli::scale::measure(args, out),
        Some(Command::Cores(args)) => cli::cores::cores(args, out),
        Some(Command::Table) => cli::table::table(out),
        Some(Command::List) => cli::list::list(out),
    }
}

#[cfg(test)]
mod tests {
    use coro_simul::Exhibition;
    use coro_simul::lanes::Lane;

    use super::*;

    /// The contract of `scale`, both halves at once: the arguments the parent gives a child
    /// parse back into the `measure` command, on the very same exhibition.
    #[test]
    fn a_scale_child_parses_what_its_parent_passes() {
        let exhibition = Exhibition::builder().opponents(7).pairs(3).build().unwrap();
        let args = cli::scale::child_args(Lane::Generators, &exhibition);
        let cli = Cli::try_parse_from(["coro-simul"].into_iter().map(String::from).chain(args));
        let Some(Command::Measure(measure)) = cli.unwrap().command else { panic!("not measure") };
        assert_eq!(measure.lane(), Lane::Generators);
        assert_eq!(measure.exhibition().unwrap(), exhibition);
    }
}
