//! Which measurement comes when: each lane climbs the sizes until one is refused, plays its
//! largest size again until it has played it `runs` times, and the floor follows it there.

use super::measure::Measurement;
use super::plan::Plan;
use super::report::{Report, Row};
use crate::Exhibition;
use crate::lanes::Lane;
use crate::units::{grouped, seconds};

/// Measures `plan`, every lane at every size, smallest first, telling `progress` about each
/// measurement as it finishes.
///
/// `child` makes one measurement of a lane on an exhibition, in a fresh process as [the
/// module docs](super#what-is-measured) say, or says why the lane could not play it. How it
/// starts that process and reads its answer is the caller's business: the command line's
/// `scale` passes a closure that starts the program again. A size the exhibition's rules
/// refuse never reaches `child`: it is reported as refused.
pub fn run(
    plan: &Plan,
    mut child: impl FnMut(Lane, &Exhibition) -> Result<Measurement, String>,
    mut progress: impl FnMut(&str),
) -> Report {
    let machine = machine(); // before the children load it
    let sizes = plan.sizes();
    let mut measure = |lane: Lane, boards: u32| {
        let measured = plan.sized(boards).map_err(|rule| rule.to_string());
        let measured = measured.and_then(|exhibition| child(lane, &exhibition));
        let at = format!("{lane} at {} boards", grouped(boards));
        progress(&match &measured {
            Ok(run) => format!("{at}: {}", seconds(run.wall, 3)),
            Err(reason) => format!("{at}: refused: {reason}"),
        });
        measured
    };
    let mut rows: Vec<Row> =
        plan.lanes_with_floor().into_iter().map(|lane| climb(lane, &sizes, &mut measure)).collect();
    for row in &mut rows {
        let Some(boards) = row.most_held() else { continue };
        repeat(row, boards, plan.runs, &mut measure);
    }
    // The floor, at every other lane's largest size, as often as the lane itself played.
    let floors: Vec<u32> = rows.iter().filter_map(Row::most_held).collect();
    if let Some(floor) = rows.iter_mut().find(|row| row.lane == Lane::StateMachine) {
        for boards in floors {
            repeat(floor, boards, plan.runs, &mut measure);
        }
    }
    Report { machine, plan: plan.clone(), rows }
}

/// One lane, each size once, smallest first, until a size is refused.
fn climb(
    lane: Lane,
    sizes: &[u32],
    measure: &mut impl FnMut(Lane, u32) -> Result<Measurement, String>,
) -> Row {
    let mut row = Row { lane, runs: Vec::new(), refused: None };
    for &boards in sizes {
        match measure(lane, boards) {
            Ok(run) => row.runs.push(run),
            Err(reason) => {
                row.refused = Some((boards, reason));
                break;
            }
        }
    }
    row
}

/// Plays `boards` in `row`'s lane until it has played it `runs` times. A refusal stops it
/// quietly: the lane played this size before, so the refusal was transient.
fn repeat(
    row: &mut Row,
    boards: u32,
    runs: u32,
    measure: &mut impl FnMut(Lane, u32) -> Result<Measurement, String>,
) {
    while row.runs_at(boards) < runs as usize {
        match measure(row.lane, boards) {
            Ok(run) => row.runs.push(run),
            Err(_) => break,
        }
    }
}

/// CPU model, cores, kernel, and the load average as the measuring starts.
fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, v)| v.trim()))
        .unwrap_or("an unknown CPU");
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    let kernel = read("/proc/sys/kernel/osrelease");
    let loadavg = read("/proc/loadavg");
    let load = loadavg.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let kernel = kernel.trim();
    format!("{model}, {cores} cores, Linux {kernel}, load average {load} at the start")
}
