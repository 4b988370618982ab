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
    common::assert_snapshot!("sync", "timeline_sync_default", about, &drawn);
}

#[test]
fn concurrent_default_is_one_block() {
    let drawn = picture(Lane::Generators, &Exhibition::default(), 72);
    // 72 columns of 50 s: every board is in play from its first move to the last minute.
    assert!(drawn.contains("\nboard 1   ======"));
    assert!(drawn.contains("\nboard 24  ..====="));
    assert!(drawn.contains("\nmaster    ████████"));
    let about = "`coro-simul timeline generators` (any cooperative lane draws the same): all 24 \
                 games in play at once for an hour, under a master busy throughout";
    common::assert_snapshot!("generators", "timeline_concurrent_default", about, &drawn);
}

#[test]
fn sync_3x2_is_exact() {
    let drawn = picture(Lane::Sync, &common::three_by_two(), 72);
    // 360 s in 72 columns of 5 s = one master move: exact states, no zooming out.
    assert!(drawn.contains("\nboard 1   #-----------#-----------"));
    let about = "`coro-simul timeline sync --opponents 3 --pairs 2`: columns of 5 s, so every \
                 master move (#) and every opponent's think (-) is drawn as it happened";
    common::assert_snapshot!("sync", "timeline_sync_3x2", about, &drawn);
}

/// In the 3 × 2 sync SVG (3 px per second), every master move and every think is its own bar:
/// six of each, in the legend's colours, plus one legend swatch each.
#[test]
fn svg_draws_each_interval_of_a_small_exhibition() {
    let exhibition = common::three_by_two();
    let mut timeline = Timeline::new(&exhibition, 48);
    Lane::Sync.play(&exhibition, &mut timeline).unwrap();
    let svg = timeline.svg("sync 3 × 2").unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    let bars = |fill: &str| svg.matches(&format!("fill=\"{fill}\"")).count();
    assert_eq!(bars("#6EA0DC"), 6 + 1, "thinking bars");
    assert_eq!(bars("#F5BE50"), 1, "no board ever waits for the master in sync, only the legend");
    assert!(svg.contains(">\nboard 3\n<"));
}
