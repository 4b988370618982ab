//! `coro-simul table`: the articles' table (processes, threads, async), each cell measured.

use std::io::Write;

use coro_simul::articles;

use super::error::CliError;

/// Measures what the table needs in this process (a few seconds) and prints it.
pub(crate) fn table(out: &mut impl Write) -> Result<(), CliError> {
    let answers = articles::measure()?;
    writeln!(
        out,
        "The articles' table, answered by this crate's measurements (the totals and the pitfall \
         on the virtual clock; the cores and the probe on this machine, this run).\n"
    )?;
    Ok(write!(out, "{}", articles::markdown(&answers))?)
}
