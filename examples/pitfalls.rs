//! Every pitfall of cooperative code, broken and fixed, on the story's exhibition.
//!
//!     cargo run --example pitfalls
//!
//! One line per version, with the measure that shows each pitfall's damage; `coro-simul
//! pitfall NAME` prints the whole report of one.

use coro_simul::Exhibition;
use coro_simul::clock::hms;
use coro_simul::pitfalls::unfair_lock::Service;
use coro_simul::pitfalls::{Options, Pitfall, Report, Run, Waits, cpu_hog};

/// Every pitfall's report, in `Pitfall::ALL`'s order.
fn reports() -> Vec<Report> {
    let (exhibition, options) = (Exhibition::default(), Options::default());
    Pitfall::ALL
        .iter()
        .map(|pitfall| pitfall.run(&exhibition, &options).expect("24 small stacks are granted"))
        .collect()
}

/// What `pitfall` damages, measured on `run`: a number (for the test) and a line (for people).
fn measure(pitfall: Pitfall, run: &Run) -> (u64, String) {
    let summary = run.trace.summary();
    let slow = run.watched.as_ref().map_or(0, |watched| watched.slow.len());
    match pitfall {
        Pitfall::BlockingWait | Pitfall::BlockingGreenThread => {
            let total = summary.total();
            (total.as_secs(), format!("total {}, {slow} slow steps", hms(total, 0)))
        }
        Pitfall::CpuHog => {
            let others = Waits::of_boards(&run.trace, |board| board != cpu_hog::HOG);
            let line = format!("other boards' replies wait up to {}", hms(others.longest, 0));
            (others.longest.as_secs(), line)
        }
        Pitfall::LazyFuture | Pitfall::UnprimedGenerator => {
            let moves = summary.master_moves();
            (moves, format!("{moves} master moves, total {}", hms(summary.total(), 0)))
        }
        Pitfall::UnfairLock => {
            let Service { out_of_turn, longest: (board, waited), .. } = Service::of(&run.trace);
            let line = format!(
                "{out_of_turn} moves out of turn, board {board} waits {} for the master",
                hms(waited, 0)
            );
            (out_of_turn, line)
        }
    }
}

fn main() {
    println!("{}\n", Exhibition::default());
    for report in reports() {
        println!("{}: {}", report.pitfall, report.pitfall.about());
        println!("  broken  {}", measure(report.pitfall, &report.broken).1);
        println!("  fixed   {}", measure(report.pitfall, &report.fixed).1);
    }
}

#[test]
fn every_broken_version_is_worse_than_its_fix() {
    main();
    let measured: Vec<(u64, u64)> = reports()
        .iter()
        .map(|report| {
            let [broken, fixed] =
                [&report.broken, &report.fixed].map(|run| measure(report.pitfall, run).0);
            (broken, fixed)
        })
        .collect();
    // blocking-wait: 12:00:00 against 1:00:55; cpu-hog: 0:11:00 against 0:01:05; lazy-future:
    // no move at all; unprimed-generator: pair 1 twice on 24 boards; blocking-green-thread:
    // 12:00:00 against 1:00:55; unfair-lock: 348 moves out of turn against none.
    let expected = [(43_200, 3655), (660, 65), (0, 720), (744, 720), (43_200, 3655), (348, 0)];
    assert_eq!(measured, expected);
}
