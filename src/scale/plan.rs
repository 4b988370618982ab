//! What to measure: which lanes, at which sizes, how often.

use crate::lanes::Lane;
use crate::{Exhibition, ExhibitionError};

/// What to measure: which lanes, at which sizes, how often.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The lanes, in order; the state-machine lane is added if missing (it is the floor).
    pub lanes: Vec<Lane>,
    /// The exhibition sizes to try, in boards; played smallest first.
    pub boards: Vec<u32>,
    /// The move pairs and the moves' lengths; its number of opponents, time limit and planned
    /// failure are ignored.
    pub exhibition: Exhibition,
    /// How many times each lane plays its largest size (the row shows the medians).
    pub runs: u32,
}

impl Plan {
    /// The exhibition of `boards` boards, the plan's in everything else (no time limit, no
    /// planned failure); or the rule that size breaks.
    pub fn sized(&self, boards: u32) -> Result<Exhibition, ExhibitionError> {
        let rules = &self.exhibition;
        Exhibition::new(boards, rules.master_move(), rules.opponent_move(), rules.pairs())
    }

    /// The lanes in order, the state-machine lane added at the end if missing: it is the
    /// floor the other lanes' wall times are divided by.
    pub(super) fn lanes_with_floor(&self) -> Vec<Lane> {
        let mut lanes = self.lanes.clone();
        if !lanes.contains(&Lane::StateMachine) {
            lanes.push(Lane::StateMachine);
        }
        lanes
    }

    /// The sizes, smallest first, each once.
    pub(super) fn sizes(&self) -> Vec<u32> {
        let mut sizes = self.boards.clone();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    }
}
