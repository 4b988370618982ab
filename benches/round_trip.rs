//! What one suspension costs in each lane: every lane plays the same exhibition into the
//! summary-only sink, and criterion reports the time per move pair — one suspend + resume of
//! a game, plus the bookkeeping every lane shares (the timer queue, three counters).
//!
//!     cargo bench --bench round_trip
//!
//! Compare lanes within one run: the sync lane's figure is the floor (it never suspends),
//! and the async-await lane is held to at most 3× the state-machine lane's.
#![allow(missing_docs)] // criterion's macros write undocumented public functions

use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// 1 000 boards × 30 pairs: enough games that the run queue and the timers hold many.
fn exhibition() -> Exhibition {
    Exhibition::builder().opponents(1_000).pairs(30).build().expect("a valid exhibition")
}

fn round_trip(c: &mut Criterion) {
    let exhibition = exhibition();
    let mut group = c.benchmark_group("round_trip");
    group.throughput(Throughput::Elements(u64::from(exhibition.opponents() * exhibition.pairs())));
    for &lane in Lane::ALL {
        group.bench_function(BenchmarkId::from_parameter(lane), |b| {
            b.iter(|| lane.summary(&exhibition).expect("the lane can play"));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs: a few seconds a lane keeps `cargo bench` within minutes on two cores.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = round_trip
}
criterion_main!(benches);
