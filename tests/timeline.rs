//! The timeline picture, pinned by snapshots: what `coro-simul timeline LANE` draws.

mod common;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::timeline::Timeline;

fn picture(lane: Lane, exhibition: &Exhibition, width: usize) -> String {
    let mut timeline = Timeline::new(exhibition, 48);
    lane.play(exhibition, &mut timeline).unwrap();
    timeline.render(width)
}

#[test]
fn sync_default_is_a_staircase() {
    let drawn = picture(Lane::Sync, &Exhibition::default(), 72);
    // 72 columns of 10 minutes; each 30-minute game fills 3, one after another.
    assert!(drawn.contains("\nboard 1   ===      "));
    assert!(drawn.contains("\nboard 24  ....") && drawn.contains("....===|\n"));
    assert!(drawn.lines().all(|line| line.chars().count() <= 100), "fits 100 columns");
    let about = "`coro-simul timeline sync`: one game in play at a time, a staircase of 24 \
                 half-hour games over 12 hours, under a master busy less than a quarter of \
                 every column";
    common::assert_snapshot("timeline_sync_default", about, &drawn);
}

#[test]
fn sync_3x2_is_exact() {
    let drawn = picture(Lane::Sync, &common::three_by_two(), 72);
    // 360 s in 72 columns of 5 s = one master move: exact states, no zooming out.
    assert!(drawn.contains("\nboard 1   #-----------#-----------"));
    let about = "`coro-simul timeline sync --opponents 3 --pairs 2`: columns of 5 s, so every \
                 master move (#) and every opponent's think (-) is drawn as it happened";
    common::assert_snapshot("timeline_sync_3x2", about, &drawn);
}
