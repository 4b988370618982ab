//! Callbacks on an event loop: `call_soon`, `call_later` and `cancel`, then the whole simul.
//!
//!     cargo run --example callbacks
//!
//! First a few callbacks on a bare loop, to see the order it runs them in; then the default
//! exhibition played as callbacks, which takes the same 1:00:55 as every cooperative lane.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use coro_simul::Exhibition;
use coro_simul::lanes::Lane;
use coro_simul::lanes::callbacks::EventLoop;

/// Runs a few callbacks and returns what ran, and when, in order.
fn a_few_callbacks() -> Vec<String> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let say = |what: &'static str| {
        let log = Rc::clone(&log);
        move |lp: &mut EventLoop<'_>| log.borrow_mut().push(format!("{}  {what}", lp.time()))
    };
    let mut lp = EventLoop::new();
    let reply = lp.call_later(Duration::from_secs(60), say("board 1 replies"));
    let resign = lp.call_later(Duration::from_secs(90), say("board 2 resigns"));
    lp.call_soon(say("the master moves on board 1"));
    lp.call_soon(move |lp| {
        resign.cancel(); // board 2 thought better of it
        lp.call_later(Duration::from_secs(5), say("a callback scheduled by a callback"));
    });
    lp.run();
    assert!(!reply.cancelled());
    log.take()
}

fn main() {
    a_few_callbacks().iter().for_each(|line| println!("{line}"));
    println!("(\"board 2 resigns\" was cancelled while pending, so it never ran)");
    let summary = Lane::Callbacks.summary(&Exhibition::default()).expect("never fails");
    println!("\n{summary}");
}

#[test]
fn the_cancelled_callback_never_runs_and_the_simul_takes_1_00_55() {
    main();
    let log = a_few_callbacks();
    assert_eq!(
        log,
        [
            "0:00:00  the master moves on board 1",
            "0:00:05  a callback scheduled by a callback",
            "0:01:00  board 1 replies",
        ]
    );
    let summary = Lane::Callbacks.summary(&Exhibition::default()).unwrap();
    assert_eq!(summary.total().as_secs(), 3655);
}
