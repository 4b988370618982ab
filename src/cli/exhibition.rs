//! The exhibition's flags, shared by every command that plays, and the one place they become
//! an [`Exhibition`] or the error that names the flag whose rule was broken.

use std::time::Duration;

use clap::Args;
use coro_simul::{Exhibition, ExhibitionError};

use super::error::CliError;
use super::parse;

/// The exhibition flags, on every command that plays.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct ExhibitionArgs {
    /// Opponents, one board each.
    #[arg(long, value_name = "N", default_value = "24", value_parser = parse::count, allow_hyphen_values = true)]
    opponents: u32,
    /// How long the master takes for a move, e.g. 5s or 250ms.
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = parse::duration, allow_hyphen_values = true)]
    master_move: Duration,
    /// How long each opponent thinks before replying, e.g. 55s or 1m.
    #[arg(long, value_name = "DUR", default_value = "55s", value_parser = parse::duration, allow_hyphen_values = true)]
    opponent_move: Duration,
    /// Move pairs (master move, opponent reply) per game.
    #[arg(long, value_name = "N", default_value = "30", value_parser = parse::count, allow_hyphen_values = true)]
    pairs: u32,
    /// Stop the exhibition at this time and adjourn the unfinished games, e.g. 30m.
    #[arg(long, value_name = "DUR", value_parser = parse::duration, allow_hyphen_values = true)]
    time_limit: Option<Duration>,
    /// Make this board's game fail (panic), for teaching; needs --fail-at-pair.
    #[arg(long, value_name = "B", requires = "fail_at_pair", value_parser = parse::count, allow_hyphen_values = true)]
    fail_board: Option<u32>,
    /// The move pair at which --fail-board's game fails.
    #[arg(long, value_name = "K", requires = "fail_board", value_parser = parse::count, allow_hyphen_values = true)]
    fail_at_pair: Option<u32>,
}

impl ExhibitionArgs {
    /// The exhibition, or the error naming the flag whose rule was broken.
    pub(crate) fn build(&self) -> Result<Exhibition, CliError> {
        self.build_as("--opponents")
    }

    /// The same flags, but for `opponents`.
    pub(crate) fn with_opponents(self, opponents: u32) -> ExhibitionArgs {
        ExhibitionArgs { opponents, ..self }
    }

    /// [`build`](Self::build), for a command whose flag for the number of opponents is
    /// `opponents_flag` (`scale` counts boards with `--boards`).
    pub(crate) fn build_as(&self, opponents_flag: &str) -> Result<Exhibition, CliError> {
        let Self { opponents, master_move, opponent_move, pairs, .. } = *self;
        let mut builder = Exhibition::builder()
            .opponents(opponents)
            .master_move(master_move)
            .opponent_move(opponent_move)
            .pairs(pairs);
        if let Some(limit) = self.time_limit {
            builder = builder.time_limit(limit);
        }
        if let (Some(board), Some(pair)) = (self.fail_board, self.fail_at_pair) {
            builder = builder.failure(board, pair);
        }
        builder
            .build()
            .map_err(|rule| CliError::Exhibition { given: self.given(rule, opponents_flag), rule })
    }

    /// The flag that broke `rule` and its value as given (`--opponents 0`); `None` when no
    /// one flag is to blame.
    fn given(&self, rule: ExhibitionError, opponents_flag: &str) -> Option<String> {
        let show = humantime::format_duration;
        Some(match rule {
            ExhibitionError::NoOpponents => format!("{opponents_flag} {}", self.opponents),
            ExhibitionError::NoPairs => format!("--pairs {}", self.pairs),
            ExhibitionError::ZeroMasterMove => format!("--master-move {}", show(self.master_move)),
            ExhibitionError::ZeroOpponentMove => {
                format!("--opponent-move {}", show(self.opponent_move))
            }
            ExhibitionError::ZeroTimeLimit => "--time-limit 0s".to_owned(),
            ExhibitionError::TimeLimitTooLong => {
                format!("--time-limit {}", show(self.time_limit.unwrap_or_default()))
            }
            ExhibitionError::NoSuchFailBoard => {
                format!("--fail-board {} (of {})", self.fail_board.unwrap_or(0), self.opponents)
            }
            ExhibitionError::NoSuchFailPair => {
                format!("--fail-at-pair {} (of {})", self.fail_at_pair.unwrap_or(0), self.pairs)
            }
            _ => return None,
        })
    }
}
