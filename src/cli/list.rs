//! `coro-simul list`: the lanes, one line each.

use std::io::Write;

use coro_simul::lanes::Lane;

use super::error::CliError;

/// Prints each lane: how it suspends, who resumes it, where a paused game lives.
pub(crate) fn list(out: &mut impl Write) -> Result<(), CliError> {
    for &lane in Lane::ALL {
        writeln!(
            out,
            "{:<14} suspends: {}; resumed by: {}; a paused game lives in {}",
            lane.name(),
            lane.suspends(),
            lane.resumed_by(),
            lane.paused_game_lives(),
        )?;
    }
    Ok(())
}
