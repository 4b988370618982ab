// The crate doc is the README, so the two cannot drift; a unit test below keeps its text
// pictures equal to what `coro-simul timeline` draws. The README links the performance notes
// by a reference definition at its end (`docs/performance.md`, for the repository page); the
// one below comes first, and in Markdown the first definition of a label wins, so in
// `cargo doc` the same link opens the notes rendered as the `performance` module.
//! [performance notes]: crate::performance
#![doc = include_str!("../README.md")]

pub mod articles;
pub mod clock;
pub mod compare;
pub mod cores;
pub mod exhibition;
pub mod lanes;
pub mod pitfalls;
pub mod race;
pub mod render;
pub mod scale;
pub mod step;
pub mod timeline;
pub mod timers;
pub mod trace;
pub mod units;

pub use exhibition::{Exhibition, ExhibitionError, Failure, PlannedFailure};

/// The performance notes (`docs/performance.md`): every measured table, how to reproduce it,
/// and what was tried to make each lane faster, with the date and the machine.
pub mod performance {
    #![doc = include_str!("../docs/performance.md")]
}

#[cfg(test)]
mod tests {
    use crate::Exhibition;
    use crate::compare::{compare, table};
    use crate::lanes::Lane;
    use crate::timeline::Timeline;

    /// What `coro-simul timeline LANE --opponents 3 --pairs 2` draws, without its title line.
    fn picture(lane: Lane) -> String {
        let exhibition = Exhibition::builder().opponents(3).pairs(2).build().expect("valid");
        let mut timeline = Timeline::new(&exhibition, 48);
        lane.play(&exhibition, &mut timeline).expect("three boards fit every lane");
        timeline.render(72)
    }

    /// The README's two text pictures are what the timeline draws today, to the character.
    #[test]
    fn the_readmes_pictures_are_the_timelines() {
        let readme = include_str!("../README.md");
        for lane in [Lane::Sync, Lane::Generators] {
            let drawn = format!("```text\n{}```", picture(lane));
            assert!(
                readme.contains(&drawn),
                "README.md lacks `timeline {}`:\n{drawn}",
                lane.name()
            );
        }
    }

    /// `line` with its `computed in` column blanked: the one column that changes between
    /// runs. The column is right-aligned, as wide as its header, ending under it.
    fn without_wall(line: &str, wall_ends: usize) -> String {
        let width = "computed in".len();
        let chars = line.chars().enumerate();
        chars
            .map(|(i, c)| if (wall_ends - width..wall_ends).contains(&i) { ' ' } else { c })
            .collect()
    }

    /// The README's table of `coro-simul` is what `compare` prints today, but for wall times.
    #[test]
    fn the_readmes_table_is_what_coro_simul_prints() {
        let printed = table(&compare(&Exhibition::default(), Lane::ALL));
        let header = printed.lines().find(|line| line.starts_with("lane")).expect("a header");
        let wall_ends = header.find("computed in").expect("a wall column") + "computed in".len();
        let readme = include_str!("../README.md");
        for line in printed.lines() {
            let line = without_wall(line, wall_ends);
            let shown = readme.lines().any(|shown| without_wall(shown, wall_ends) == line);
            assert!(shown, "README.md lacks this row of `coro-simul`:\n{line}");
        }
    }
}
