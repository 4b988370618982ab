//! The report for people (a Markdown table) and for machines (JSON).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::measure::Measurement;
use super::report::{Report, Row};
use crate::units::{bytes, grouped, megabytes, nanoseconds, seconds};

/// The report as Markdown: the machine and the exhibition, the table, then the refusals.
pub fn markdown(report: &Report) -> String {
    let exhibition = &report.plan.exhibition;
    let mut out = format!(
        "Machine: {}.\nExhibition: {} move pairs, master {}, opponents {}; each lane in a fresh \
         process, the medians of {} runs at its largest size.\n\n",
        report.machine,
        exhibition.pairs(),
        humantime::format_duration(exhibition.master_move()),
        humantime::format_duration(exhibition.opponent_move()),
        report.plan.runs,
    );
    out.push_str(
        "| lane | boards | wall | per move pair | × state-machine | peak RSS | per paused game \
         | most games held |\n|---|--:|--:|--:|--:|--:|--:|---|\n",
    );
    let mut notes = Vec::new();
    for row in &report.rows {
        let _ = writeln!(out, "| {} | {} |", row.lane, cells(report, row, &mut notes).join(" | "));
    }
    for (number, note) in notes.iter().enumerate() {
        let _ = write!(out, "\n({}) {note}\n", number + 1);
    }
    for row in &report.rows {
        out.push_str(&process_cost(row).unwrap_or_default());
    }
    out
}

/// For a lane whose games are processes, what one cost: its start, its resident memory (in
/// the per-paused-game figure already, with the parent's share), at the lane's largest size.
fn process_cost(row: &Row) -> Option<String> {
    let boards = row.most_held()?;
    let start = row.median_start_per_process(boards)?;
    let start = format!("{:.1} ms", start.as_secs_f64() * 1e3);
    let resident = row.median_resident_per_process(boards).map_or_else(|| "—".to_owned(), bytes);
    Some(format!(
        "\n{}: at {} boards, a game's process took {} to start (fork, exec, and its main up to \
         the game) and held {resident} resident, its proportional share; most processes held: \
         {}.\n",
        row.lane,
        grouped(boards),
        start,
        grouped(boards),
    ))
}

/// A row's cells after the lane's name; a refusal's reason joins `notes`.
fn cells(report: &Report, row: &Row, notes: &mut Vec<String>) -> Vec<String> {
    let dash = || "—".to_owned();
    let mut held = match (row.most_held(), &row.refused) {
        (Some(boards), None) => {
            format!("{}, no limit up to the largest size tried", grouped(boards))
        }
        (Some(boards), Some((refused, _))) => {
            format!("{}; {} refused", grouped(boards), grouped(*refused))
        }
        (None, Some((refused, _))) => format!("none; {} refused", grouped(*refused)),
        (None, None) => dash(),
    };
    if let Some((refused, reason)) = &row.refused {
        notes.push(format!("{} at {} boards: {reason}", row.lane, grouped(*refused)));
        held.push_str(&format!(" ({})", notes.len()));
    }
    let Some(boards) = row.most_held() else {
        return [vec![dash(); 6], vec![held]].concat();
    };
    let wall = row.median_wall(boards).expect("a lane that held games has runs there");
    let pairs = f64::from(boards) * f64::from(report.plan.exhibition.pairs());
    vec![
        grouped(boards),
        seconds(wall, 3),
        nanoseconds(wall.as_secs_f64() * 1e9 / pairs),
        report.wall_ratio(row).map_or_else(dash, |ratio| format!("{ratio:.2}×")),
        row.median_peak_rss(boards).map_or_else(dash, megabytes),
        row.median_bytes_per_paused_game(boards).map_or_else(dash, bytes),
        held,
    ]
}

/// The report for machines: the machine, the exhibition, and per lane its medians, its
/// limit and every run.
pub fn json(report: &Report) -> String {
    let exhibition = &report.plan.exhibition;
    let row = |row: &Row| {
        let boards = row.most_held();
        let at = |f: &dyn Fn(u32) -> Option<Value>| boards.and_then(f).unwrap_or(Value::Null);
        json!({
            "lane": row.lane.name(),
            "boards": boards,
            "wall_seconds": at(&|b| row.median_wall(b).map(|wall| json!(wall.as_secs_f64()))),
            "wall_ratio_to_state_machine": report.wall_ratio(row),
            "peak_rss_bytes": at(&|b| row.median_peak_rss(b).map(Value::from)),
            "bytes_per_paused_game": at(&|b| row.median_bytes_per_paused_game(b).map(Value::from)),
            "most_games_held": boards,
            "start_per_process_seconds":
                at(&|b| row.median_start_per_process(b).map(|start| json!(start.as_secs_f64()))),
            "resident_per_process_bytes":
                at(&|b| row.median_resident_per_process(b).map(Value::from)),
            "refused": row.refused.as_ref().map(|(boards, reason)| {
                json!({ "boards": boards, "reason": reason })
            }),
            "runs": row.runs.iter().map(Measurement::to_json).collect::<Vec<_>>(),
        })
    };
    let value = json!({
        "machine": report.machine,
        "pairs": exhibition.pairs(),
        "master_move_seconds": exhibition.master_move().as_secs_f64(),
        "opponent_move_seconds": exhibition.opponent_move().as_secs_f64(),
        "runs": report.plan.runs,
        "lanes": report.rows.iter().map(row).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).expect("JSON values always serialise") + "\n"
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::Exhibition;
    use crate::lanes::Lane;
    use crate::scale::Plan;

    fn measured(boards: u32, wall_ms: u64, growth: u64) -> Measurement {
        Measurement {
            boards,
            wall: Duration::from_millis(wall_ms),
            baseline_rss: Some(1 << 20),
            peak_rss: Some((1 << 20) + growth),
            suspensions: 1,
            start_per_process: None,
            children_rss: None,
        }
    }

    #[test]
    fn a_refused_lane_keeps_its_row_and_gets_a_note() {
        let plan = Plan {
            lanes: vec![Lane::StateMachine, Lane::GreenThreads],
            boards: vec![10, 100],
            exhibition: Exhibition::default(),
            runs: 1,
        };
        let floor = Row {
            lane: Lane::StateMachine,
            runs: vec![measured(10, 1, 0), measured(100, 10, 4096)],
            refused: None,
        };
        let green = Row {
            lane: Lane::GreenThreads,
            runs: vec![measured(10, 3, 40960)],
            refused: Some((100, "the OS said no".to_owned())),
        };
        let report = Report { machine: "a test".to_owned(), plan, rows: vec![floor, green] };
        assert_eq!(report.wall_ratio(&report.rows[1]), Some(3.0)); // at its largest size, 10
        let table = markdown(&report);
        assert!(table.contains("| 100, no limit up to the largest size tried |"), "{table}");
        assert!(table.contains("| 4.0 KiB | 10; 100 refused (1) |"), "{table}");
        assert!(table.ends_with("\n(1) green-threads at 100 boards: the OS said no\n"), "{table}");
    }
}
