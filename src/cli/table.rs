//! `coro-simul table`: the articles' table (processes, threads, async). Measured in this run:
//! every total and the async blocking cell (virtual clock), the cores and the probe (this
//! machine); by construction: the GIL row and the blocking cells of processes and threads.

use std::io::Write;

use coro_simul::articles;

use super::error::CliError;

/// Measures what the table needs in this process (a few seconds) and prints it.
pub(crate) fn table(out: &mut impl Write) -> Result<(), CliError> {
    let answers = articles::measure()?;
    writeln!(
        out,
        "The articles' table, each verdict derived from this run's measurements (the totals and \
         the blocking-wait pitfall on the virtual clock; the cores and the probe on this \
         machine), or marked \"by construction\" where it follows from how the lanes are built.\n"
    )?;
    Ok(write!(out, "{}", articles::markdown(&answers))?)
}
