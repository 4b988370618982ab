use std::collections::VecDeque;
use std::time::Instant;
use coro_simul::{Exhibition, clock::VirtualClock, timers::TimerQueue, trace::{Event, Sink, Summary}, lanes::Lane};

fn sm<S: Sink>(ex: &Exhibition, sink: &mut S) {
    let mut clock = VirtualClock::new();
    let mut ready: VecDeque<u32> = (1..=ex.opponents()).collect();
    let mut pair = vec![0u32; ex.opponents() as usize + 1];
    let mut timers = TimerQueue::new();
    loop {
        while let Some((t, b)) = timers.pop_due(clock.now()) {
            let k = pair[b as usize];
            sink.record(Event::opponent_move(t, b, k));
            if k == ex.pairs() { sink.record(Event::game_over(t, b)) } else { ready.push_back(b) }
        }
        if let Some(b) = ready.pop_front() {
            pair[b as usize] += 1;
            sink.record(Event::master_move(clock.now(), b, pair[b as usize]));
            clock.advance_by(ex.master_move());
            timers.push(clock.now() + ex.opponent_move(), b);
        } else if let Some(t) = timers.next_deadline() { clock.advance_to(t) } else { break }
    }
}

fn main() {
    let ex = Exhibition::builder().opponents(1000).pairs(30).build().unwrap();
    let n = 30_000.0;
    let (mut best_a, mut best_b) = (f64::MAX, f64::MAX);
    for _ in 0..15 {
        let t = Instant::now();
        for _ in 0..10 { let mut s = Summary::new(&ex); sm(&ex, &mut s); std::hint::black_box(&s); }
        best_a = best_a.min(t.elapsed().as_nanos() as f64 / 10.0 / n);
        let t = Instant::now();
        for _ in 0..10 { std::hint::black_box(Lane::AsyncAwait.summary(&ex).unwrap()); }
        best_b = best_b.min(t.elapsed().as_nanos() as f64 / 10.0 / n);
    }
    println!("best: sm {best_a:.1} ns/pair, async {best_b:.1} ns/pair, ratio {:.2}", best_b / best_a);
}
