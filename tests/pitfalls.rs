//! The pitfalls: each broken version is measurably worse than its fix, each fix is the lane it
//! comes from, the detectors see what they should, and `coro-simul pitfall` prints it all.

mod common;

use std::cell::Cell;
use std::process::Command;
use std::rc::Rc;
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::clock::Time;
use coro_simul::lanes::Lane;
use coro_simul::lanes::callbacks::{EventLoop, SlowCallback};
use coro_simul::pitfalls::unfair_lock::Service;
use coro_simul::pitfalls::{
    Options, Pitfall, PitfallError, Report, Slow, Version, Waits, blocking_wait, cpu_hog,
    unprimed_generator,
};
use coro_simul::render::{Format, render};
use coro_simul::trace::{Event, Sink, Trace};
use proptest::prelude::*;

fn report(pitfall: Pitfall, exhibition: &Exhibition) -> Report {
    pitfall.run(exhibition, &Options::default()).expect("the OS grants 24 small stacks")
}

fn secs(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

fn at(secs: u64) -> Time {
    Time::from_start(Duration::from_secs(secs))
}

/// Both versions' traces as text, one after the other, for a snapshot.
fn both_traces(report: &Report) -> String {
    let [broken, fixed] =
        [&report.broken, &report.fixed].map(|run| render(Format::Text, &run.trace));
    format!("broken: {}\n\n{broken}\nfixed: {}\n\n{fixed}", report.broken.code, report.fixed.code)
}

#[test]
fn every_trace_is_in_the_contract_order() {
    for exhibition in [Exhibition::default(), common::three_by_two()] {
        for &pitfall in Pitfall::ALL {
            let report = report(pitfall, &exhibition);
            for run in [&report.broken, &report.fixed] {
                assert!(run.trace.is_in_contract_order(), "{pitfall}: {}", run.code);
            }
        }
    }
}

#[test]
fn blocking_wait_takes_twelve_hours_and_every_poll_is_slow() {
    let report = report(Pitfall::BlockingWait, &Exhibition::default());
    assert_eq!(report.broken.trace.summary().total(), secs(12 * 3600));
    assert_eq!(report.fixed.trace.summary().total(), secs(3655));
    let slow = &report.broken.watched.as_ref().expect("on by default").slow;
    assert_eq!(slow.len(), 720); // each poll: the master's move and the opponent's, 60 s
    assert_eq!(slow[1], Slow { board: 2, started: at(60), took: secs(60) });
    assert!(report.fixed.watched.as_ref().expect("on by default").slow.is_empty());
    common::assert_snapshot!(
        "async-await",
        "pitfall_blocking_wait_default",
        "`coro-simul pitfall blocking-wait`: the same async games, but a blocking wait makes it \
         12:00:00 instead of 1:00:55, and the detector finds every poll holding the executor 60 s",
        &report.to_string(),
    );
}

#[test]
fn cpu_hog_keeps_the_other_replies_waiting_until_the_analysis_is_done() {
    let exhibition = Exhibition::default();
    let report = report(Pitfall::CpuHog, &exhibition);
    let others = |trace: &Trace| Waits::of_boards(trace, |board| board != cpu_hog::HOG);
    let (broken, fixed) = (others(&report.broken.trace), others(&report.fixed.trace));
    // One piece: replies that landed just after the analysis began waited it out, and more.
    assert!(broken.longest > cpu_hog::ANALYSIS, "{broken:?}");
    // In pieces: never much longer than the fair round of the lane (60 s here).
    assert!(fixed.longest <= secs(65), "{fixed:?}");
    assert!(broken.total > fixed.total + secs(3 * 3600), "{broken:?} {fixed:?}");
    let slow = &report.broken.watched.as_ref().expect("on by default").slow;
    assert_eq!(*slow, [Slow { board: 1, started: at(120), took: cpu_hog::ANALYSIS }]);
    assert!(report.fixed.watched.as_ref().expect("on by default").slow.is_empty());
    common::assert_snapshot!(
        "async-await",
        "pitfall_cpu_hog_default",
        "`coro-simul pitfall cpu-hog`: the same ten minutes of analysis; in one piece the other \
         boards' replies wait up to 0:11:00, in pieces with yield_now about a minute, while \
         board 1 itself waits longer (the fix is not free for the hog)",
        &report.to_string(),
    );
}

#[test]
fn cpu_hog_trace_on_three_boards() {
    let report = report(Pitfall::CpuHog, &common::three_by_two());
    common::assert_snapshot!(
        "async-await",
        "pitfall_cpu_hog_trace_3x2",
        "`coro-simul pitfall cpu-hog --opponents 3 --pairs 2 --trace`: broken, boards 2 and 3 \
         replied at 0:01:05 and 0:01:10 and the master comes back only at 0:11:05; fixed, she \
         answers them at once, between pieces of her analysis",
        &both_traces(&report),
    );
}

#[test]
fn lazy_futures_play_nothing() {
    let report = report(Pitfall::LazyFuture, &Exhibition::default());
    assert!(report.broken.trace.events().is_empty());
    assert_eq!(report.broken.trace.summary().total(), Duration::ZERO);
    assert_eq!(report.fixed.trace.summary().total(), secs(3655));
    common::assert_snapshot!(
        "async-await",
        "pitfall_lazy_future_default",
        "`coro-simul pitfall lazy-future`: futures that are never awaited play no move at all \
         (0 events), the same games run by the executor play the whole exhibition",
        &report.to_string(),
    );
}

#[test]
fn an_unprimed_generator_loses_its_first_reply() {
    let exhibition = Exhibition::default();
    let mut trace = Trace::new(&exhibition);
    let played = unprimed_generator::play(&exhibition, &mut trace, Version::Broken);
    assert_eq!(played.repeated, 24);
    assert_eq!(trace.summary().master_moves(), 24 * 31); // pair 1 twice on every board
    assert_eq!(trace.summary().total(), secs(3655 + 120)); // one round more
    let report = report(Pitfall::UnprimedGenerator, &exhibition);
    common::assert_snapshot!(
        "generators",
        "pitfall_unprimed_generator_default",
        "`coro-simul pitfall unprimed-generator`: without priming, each game's first reply is \
         dropped and it asks for pair 1 again: 744 master moves instead of 720, 1:02:55",
        &report.to_string(),
    );
    let small = crate::report(Pitfall::UnprimedGenerator, &common::three_by_two());
    common::assert_snapshot!(
        "generators",
        "pitfall_unprimed_generator_trace_3x2",
        "`coro-simul pitfall unprimed-generator --opponents 3 --pairs 2 --trace`: broken, every \
         board's pair 1 is played twice (its first reply was lost); fixed, the lane's trace",
        &both_traces(&small),
    );
}

#[test]
fn a_blocking_green_thread_blocks_them_all() {
    let report = report(Pitfall::BlockingGreenThread, &Exhibition::default());
    assert_eq!(report.broken.trace.summary().total(), secs(12 * 3600));
    assert_eq!(report.fixed.trace.summary().total(), secs(3655));
    let slow = &report.broken.watched.as_ref().expect("on by default").slow;
    assert_eq!((slow.len(), slow[0]), (720, Slow { board: 1, started: at(5), took: secs(55) }));
    common::assert_snapshot!(
        "green-threads",
        "pitfall_blocking_green_thread_default",
        "`coro-simul pitfall blocking-green-thread`: the same game function; an OS sleep in it \
         stops the hub and every green thread, 12:00:00 instead of 1:00:55",
        &report.to_string(),
    );
}

/// When `board`'s game ended (over, forfeit or adjourned), from `trace`.
fn game_end(trace: &Trace, board: u32) -> Time {
    let ends = trace.events().iter().filter(|e| e.board == board && e.pair().is_none());
    ends.map(|e| e.t).next().expect("every game ends")
}

#[test]
fn an_unfair_lock_starves_board_13_until_the_other_games_are_over() {
    let thirteen = Exhibition::builder().opponents(13).build().unwrap();
    let report = report(Pitfall::UnfairLock, &thirteen);
    let (broken, fixed) = (&report.broken.trace, &report.fixed.trace);
    assert_eq!(broken.summary().total(), secs(3600));
    assert_eq!(fixed.summary().total(), secs(2005));
    // Boards 1‥12 are served in a ring of 60 s, as if board 13 were not there, and end
    // early; board 13's first move comes when they are over, and it plays alone to 1:00:00.
    assert!((1..=12).all(|board| game_end(broken, board) < game_end(fixed, board)));
    assert_eq!(game_end(broken, 13), at(3600));
    let first = |trace: &Trace| trace.events().iter().find(|e| e.board == 13).unwrap().t;
    assert_eq!((first(broken), first(fixed)), (at(1800), at(60)));
    assert_eq!(Service::of(broken).longest, (13, secs(1800)));
    assert_eq!(Service::of(fixed).out_of_turn, 0);
    assert_eq!(Service::of(broken).out_of_turn, 12 * 29); // boards 1‥12 after their first moves
    common::assert_snapshot!(
        "async-await",
        "pitfall_unfair_lock_13_boards",
        "`coro-simul pitfall unfair-lock --opponents 13`: with futures::lock::Mutex as the \
         master's line, board 13 waits 0:30:00 for its first move and the exhibition ends at \
         1:00:00; the lane's fair line serves every board in the order it asked, 0:33:25",
        &report.to_string(),
    );
}

#[test]
fn an_unfair_lock_moves_twelve_games_of_the_default_exhibition() {
    let exhibition = Exhibition::default();
    let report = report(Pitfall::UnfairLock, &exhibition);
    let (broken, fixed) = (&report.broken.trace, &report.fixed.trace);
    assert_eq!((broken.summary().total(), fixed.summary().total()), (secs(3655), secs(3655)));
    let moved: Vec<u32> =
        (1..=24).filter(|&board| game_end(broken, board) != game_end(fixed, board)).collect();
    assert_eq!(moved, (1..=12).collect::<Vec<_>>());
    // By how long replies wait, the unfair line looks perfect: the starved boards wait for
    // their first move, which no reply measures.
    assert_eq!(Waits::of(broken).longest, Duration::ZERO);
    assert_eq!(Service::of(broken).longest, (24, secs(1855)));
    // The fix is the lane, but for waiting for her move: one suspension more a pair.
    let lane = Lane::AsyncAwait.trace(&exhibition).unwrap();
    assert_eq!(fixed.events(), lane.events());
    let suspensions = lane.summary().suspensions() + lane.summary().master_moves();
    assert_eq!(fixed.summary().suspensions(), suspensions);
    common::assert_snapshot!(
        "async-await",
        "pitfall_unfair_lock_default",
        "`coro-simul pitfall unfair-lock`: with futures::lock::Mutex as the master's line, the \
         total is still 1:00:55 but boards 13-24 wait half an hour for their first move and \
         twelve games end at other times (every reply is answered at once: only first moves \
         wait); the lane's fair line makes no move out of turn",
        &report.to_string(),
    );
}

#[test]
fn an_unfair_lock_trace_on_three_boards() {
    let exhibition =
        Exhibition::builder().opponents(3).pairs(3).opponent_move(secs(5)).build().unwrap();
    let report = report(Pitfall::UnfairLock, &exhibition);
    let first = |trace: &Trace| trace.events().iter().find(|e| e.board == 3).unwrap().t;
    assert_eq!((first(&report.broken.trace), first(&report.fixed.trace)), (at(30), at(10)));
    common::assert_snapshot!(
        "async-await",
        "pitfall_unfair_lock_trace_3x3_5s",
        "`coro-simul pitfall unfair-lock --opponents 3 --pairs 3 --opponent-move 5s --trace`: \
         two moves of 5 s are the 10 s a pair takes, so a reply lands each time a move ends; \
         broken, boards 1 and 2 take the master in turn and board 3, in line since 0:00:00, \
         gets her at 0:00:30 when their games are over; fixed, at 0:00:10, in the order it asked",
        &both_traces(&report),
    );
}

/// What "out of turn" counts, on a trace written by hand: two boards ask at 0:00:00, and the
/// master serves board 2 before board 1, which asked first (by number, as they start).
#[test]
fn service_counts_a_board_served_before_one_that_asked_first() {
    let exhibition = Exhibition::builder().opponents(2).pairs(1).build().unwrap();
    let mut trace = Trace::new(&exhibition);
    let events = [
        Event::master_move(at(0), 2, 1),
        Event::master_move(at(5), 1, 1),
        Event::opponent_move(at(60), 2, 1),
        Event::game_over(at(60), 2),
        Event::opponent_move(at(65), 1, 1),
        Event::game_over(at(65), 1),
    ];
    events.into_iter().for_each(|event| trace.record(event));
    assert_eq!(Service::of(&trace), Service { moves: 2, out_of_turn: 1, longest: (1, secs(5)) });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each fix is exactly the lane it comes from (but cpu-hog's, which still analyses).
    #[test]
    fn the_fixed_versions_are_the_lanes(exhibition in common::small_exhibitions()) {
        let expected = common::concurrent_trace(&exhibition);
        for &pitfall in Pitfall::ALL.iter().filter(|&&pitfall| pitfall != Pitfall::CpuHog) {
            let report = report(pitfall, &exhibition);
            prop_assert_eq!(report.fixed.trace.events(), &expected[..], "{}", pitfall);
        }
        let lane = Lane::AsyncAwait.trace(&exhibition).unwrap();
        let fixed = blocking_wait::run(&exhibition, Version::Fixed, &Options::default()).trace;
        prop_assert_eq!(fixed.summary(), lane.summary()); // the suspensions too
    }

    /// The unfair line plays every game to its end, and never sooner than the fair one. It
    /// changes nothing while the master keeps up (n·m ≤ m + o): then only the first round has
    /// a line, and the boards join it in board order, each in the next slot.
    #[test]
    fn an_unfair_line_matters_only_when_boards_wait_for_the_master(
        exhibition in common::small_exhibitions(),
    ) {
        let report = report(Pitfall::UnfairLock, &exhibition);
        let (broken, fixed) = (&report.broken.trace, &report.fixed.trace);
        prop_assert_eq!(broken.summary().games_over(), u64::from(exhibition.opponents()));
        prop_assert_eq!(broken.summary().master_moves(), fixed.summary().master_moves());
        prop_assert!(broken.summary().total() >= fixed.summary().total());
        prop_assert_eq!(Service::of(fixed).out_of_turn, 0);
        let (m, o) = (exhibition.master_move(), exhibition.opponent_move());
        if m * exhibition.opponents() <= m + o {
            prop_assert_eq!(broken.events(), fixed.events());
        }
    }

    /// The blocking versions are the synchronous total, whatever the exhibition.
    #[test]
    fn blocking_is_synchronous(exhibition in common::small_exhibitions()) {
        for pitfall in [Pitfall::BlockingWait, Pitfall::BlockingGreenThread] {
            let total = report(pitfall, &exhibition).broken.trace.summary().total();
            prop_assert_eq!(total, common::sync_total(&exhibition));
        }
    }
}

#[test]
fn the_detectors_are_off_unless_asked_and_then_see_each_master_move() {
    let exhibition = Exhibition::default();
    let off = Options { slow_threshold: None };
    assert!(blocking_wait::run(&exhibition, Version::Broken, &off).watched.is_none());
    // At 1 s even the working games trip it: the master's move is 5 s of CPU-bound work.
    let strict = Options { slow_threshold: Some(secs(1)) };
    let watched = blocking_wait::run(&exhibition, Version::Fixed, &strict).watched.unwrap();
    assert_eq!(watched.slow.len(), 720);
    assert!(watched.slow.iter().all(|slow| slow.took == secs(5)));
}

#[test]
fn the_event_loop_reports_slow_callbacks() {
    let ran = Rc::new(Cell::new(0));
    let mut lp = EventLoop::new();
    lp.report_slow_callbacks(secs(10));
    lp.call_soon(|lp| lp.work(secs(5))); // one master move: fine
    lp.call_later(secs(60), |lp| lp.work(secs(600))); // ten minutes of analysis: reported
    let counter = Rc::clone(&ran);
    lp.call_soon(move |_| counter.set(counter.get() + 1));
    lp.run();
    assert_eq!(ran.get(), 1);
    assert_eq!(lp.slow_callbacks(), [SlowCallback { started: at(60), took: secs(600) }]);
    let mut quiet = EventLoop::new();
    quiet.call_soon(|lp| lp.work(secs(600)));
    quiet.run();
    assert!(quiet.slow_callbacks().is_empty()); // off by default
}

fn run_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul")).args(args).output().expect("the binary runs")
}

#[test]
fn the_cli_runs_and_lists_pitfalls_and_refuses_unknown_ones() {
    let list = run_cli(&["pitfall", "--list"]);
    assert!(list.status.success());
    let names: Vec<String> = String::from_utf8(list.stdout)
        .unwrap()
        .lines()
        .map(|line| line.split_whitespace().next().unwrap().to_owned())
        .collect();
    let all: Vec<&str> = Pitfall::ALL.iter().map(|pitfall| pitfall.name()).collect();
    assert_eq!(names, all);

    let output = run_cli(&["pitfall", "blocking-green-thread", "--pairs", "2"]);
    let expected =
        report(Pitfall::BlockingGreenThread, &Exhibition::builder().pairs(2).build().unwrap());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected.to_string());

    let refused = run_cli(&["pitfall", "time-sleep"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("unknown pitfall 'time-sleep' (choose one of: blocking-wait, cpu-hog"));
}

/// How many forfeits a planned failure gives in a pitfall's `version`: one, as in the lanes —
/// but in the broken lazy futures, where no game's code runs at all, so none can fail.
fn forfeits_planned(pitfall: Pitfall, version: Version) -> usize {
    usize::from((pitfall, version) != (Pitfall::LazyFuture, Version::Broken))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A planned failure in a pitfall is the forfeit the lanes give, in both
    /// versions: the failing board forfeits once, with the planned failure's message, and
    /// every other board plays to its game over.
    #[test]
    fn a_failing_game_forfeits_in_every_pitfall_as_in_the_lanes(
        ex in common::small_exhibitions(),
        board in any::<u32>(),
        pair in any::<u32>(),
    ) {
        coro_simul::PlannedFailure::hush();
        let (board, pair) = (1 + board % ex.opponents(), 1 + pair % ex.pairs());
        let failing = common::with(&ex, None, Some((board, pair)));
        let message = format!("board {board}'s game failed at pair {pair} (a planned failure)");
        for &pitfall in Pitfall::ALL {
            let report = pitfall.run(&failing, &Options::default()).expect("small stacks");
            let runs = [(Version::Broken, &report.broken), (Version::Fixed, &report.fixed)];
            for (version, run) in runs {
                prop_assert!(run.trace.is_in_contract_order(), "{}", pitfall);
                if forfeits_planned(pitfall, version) == 0 {
                    prop_assert!(run.trace.events().is_empty(), "{}", pitfall);
                    continue;
                }
                let forfeits: Vec<_> =
                    run.trace.events().iter().filter(|e| e.name() == "forfeit").collect();
                prop_assert_eq!(forfeits.len(), 1, "{}", pitfall);
                prop_assert_eq!(forfeits[0].board, board);
                let shown = render(Format::Text, &run.trace);
                prop_assert!(shown.contains(&message), "{}: {}", pitfall, shown);
                let summary = run.trace.summary();
                let others = u64::from(ex.opponents()) - 1;
                prop_assert_eq!((summary.games_over(), summary.forfeits()), (others, 1));
            }
        }
    }

    /// Each fix, failing, is its lane failing: the forfeit at the same moment, in the same
    /// place among the other events (cpu-hog's fix still analyses, so it has no lane to match).
    #[test]
    fn the_fixed_versions_forfeit_as_their_lanes(
        ex in common::small_exhibitions(),
        board in any::<u32>(),
        pair in any::<u32>(),
    ) {
        coro_simul::PlannedFailure::hush();
        let (board, pair) = (1 + board % ex.opponents(), 1 + pair % ex.pairs());
        let failing = common::with(&ex, None, Some((board, pair)));
        let lanes = [
            (Pitfall::BlockingWait, Lane::AsyncAwait),
            (Pitfall::LazyFuture, Lane::AsyncAwait),
            (Pitfall::UnprimedGenerator, Lane::Generators),
            (Pitfall::BlockingGreenThread, Lane::GreenThreads),
        ];
        for (pitfall, lane) in lanes {
            let fixed = report(pitfall, &failing).fixed.trace;
            let expected = lane.trace(&failing).expect("small stacks");
            prop_assert_eq!(fixed.events(), expected.events(), "{}", pitfall);
            prop_assert_eq!(fixed.summary(), expected.summary(), "{}", pitfall); // suspensions too
        }
        // unfair-lock's fix awaits the master's move, holding her: the lane's events, with one
        // suspension more a pair.
        let fixed = report(Pitfall::UnfairLock, &failing).fixed.trace;
        let expected = Lane::AsyncAwait.trace(&failing).expect("small stacks");
        prop_assert_eq!(fixed.events(), expected.events());
    }
}

/// A planned failure on the command line, which once printed nothing and exited 101 for
/// `blocking-green-thread` (and was refused for the async pitfalls): in every pitfall, both
/// traces show the forfeit.
#[test]
fn a_planned_failure_in_any_pitfall_is_a_forfeit_not_a_crash() {
    let args = ["--opponents", "3", "--pairs", "2", "--fail-board", "2", "--fail-at-pair", "2"];
    for &pitfall in Pitfall::ALL {
        let expected = forfeits_planned(pitfall, Version::Broken) + 1;
        let pitfall = pitfall.name();
        let output = run_cli(&[&["pitfall", pitfall, "--trace"], &args[..]].concat());
        assert!(output.status.success(), "{pitfall}: {output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let forfeit =
            "board 2          forfeit: board 2's game failed at pair 2 (a planned failure)";
        assert_eq!(stdout.matches(forfeit).count(), expected, "{pitfall}: {stdout}");
    }
}

/// What a pitfall adds to the exhibition is checked before it plays; a library
/// caller gets the same refusal as the command line, never a panic.
#[test]
fn a_pitfall_refuses_up_front_what_it_cannot_play() {
    let long = Exhibition::builder()
        .opponents(1)
        .pairs(1)
        .master_move(Duration::from_secs(584 * 31_557_600))
        .opponent_move(Duration::from_secs(285_090 * 60))
        .build()
        .expect("it fits the clock for the lanes");
    for pitfall in [Pitfall::CpuHog, Pitfall::UnprimedGenerator] {
        let refused = pitfall.run(&long, &Options::default()).unwrap_err();
        assert!(matches!(refused, PitfallError::Unplayable { .. }), "{pitfall}: {refused}");
        assert!(refused.to_string().contains("584 years"), "{refused}");
    }
    let quick = Exhibition::builder().master_move(Duration::from_micros(1)).build().unwrap();
    let refused = Pitfall::CpuHog.check(&quick).unwrap_err().to_string();
    assert!(refused.ends_with("(at most 100000): give --master-move at least 6ms"), "{refused}");
    let shortest = cpu_hog::ANALYSIS / coro_simul::pitfalls::MAX_PIECES as u32;
    let fine = Exhibition::builder().master_move(shortest).build().unwrap();
    assert_eq!(Pitfall::CpuHog.check(&fine), Ok(()));
}
