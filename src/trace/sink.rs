//! [`Sink`]: where a lane reports its events; [`Trace`], the sink that keeps them all.

use super::event::Event;
use super::summary::Summary;
use super::switch::Switch;
use crate::Exhibition;

/// Where a lane reports its events.
pub trait Sink {
    /// Takes one event; lanes call this in the contract's order.
    fn record(&mut self, event: Event);

    /// Notes that the game on `board` just gave control back to its driver (returned from a
    /// callback, yielded, returned `Pending`, switched stacks) to be resumed later. Not part
    /// of the trace: lanes that suspend differently still produce the same events, but the
    /// [`Summary`] counts these to show what each lane did to get there, by
    /// [the one rule](crate::trace#suspensions); a watched lane reports each as one `suspend`
    /// [switch](Sink::switch) too. A lane that blocks never calls it.
    fn suspended(&mut self, board: u32) {
        let _ = board;
    }

    /// Whether this sink keeps the [switch trace](crate::trace#the-switch-trace). A lane
    /// builds a [`Switch`] only when this says yes, so a sink that does not watch (every sink
    /// but [`Switches`](super::Switches)) costs the lane nothing: the compiler sees a constant
    /// `false` and drops the code.
    fn watches_switches(&self) -> bool {
        false
    }

    /// Takes one transfer of control; lanes call it only when
    /// [`watches_switches`](Sink::watches_switches) says yes.
    fn switch(&mut self, switch: Switch) {
        let _ = switch;
    }

    /// Reports the switch `make` builds, if this sink watches switches: the one call a lane
    /// makes at each transfer of control.
    fn switch_with(&mut self, make: impl FnOnce() -> Switch)
    where
        Self: Sized,
    {
        if self.watches_switches() {
            self.switch(make());
        }
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn record(&mut self, event: Event) {
        (**self).record(event);
    }

    fn suspended(&mut self, board: u32) {
        (**self).suspended(board);
    }

    fn watches_switches(&self) -> bool {
        (**self).watches_switches()
    }

    fn switch(&mut self, switch: Switch) {
        (**self).switch(switch);
    }
}

/// A pair of sinks is a tee: both get every event (the CLI renders and summarises at once).
impl<A: Sink, B: Sink> Sink for (A, B) {
    fn record(&mut self, event: Event) {
        self.0.record(event.clone());
        self.1.record(event);
    }

    fn suspended(&mut self, board: u32) {
        self.0.suspended(board);
        self.1.suspended(board);
    }

    fn watches_switches(&self) -> bool {
        self.0.watches_switches() || self.1.watches_switches()
    }

    fn switch(&mut self, switch: Switch) {
        if self.0.watches_switches() {
            self.0.switch(switch.clone());
        }
        if self.1.watches_switches() {
            self.1.switch(switch);
        }
    }
}

/// A sink that keeps every event, and the [`Summary`] of them.
#[derive(Debug, Clone)]
pub struct Trace {
    events: Vec<Event>,
    summary: Summary,
}

impl Trace {
    /// An empty trace for `exhibition` (which the summary needs for the master's busy time).
    pub fn new(exhibition: &Exhibition) -> Trace {
        Trace { events: Vec::new(), summary: Summary::new(exhibition) }
    }

    /// Every event, in the order the lane reported them.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The summary of the events.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Whether the events are in the contract's order: [`Event::order_key`] strictly
    /// increasing.
    pub fn is_in_contract_order(&self) -> bool {
        self.events.windows(2).all(|pair| pair[0].order_key() < pair[1].order_key())
    }

    /// Reports every stored event to another sink, such as a
    /// [`Renderer`](crate::render::Renderer).
    pub fn replay(&self, sink: &mut impl Sink) {
        self.events.iter().for_each(|event| sink.record(event.clone()));
    }
}

impl Sink for Trace {
    fn record(&mut self, event: Event) {
        self.summary.record(event.clone());
        self.events.push(event);
    }

    fn suspended(&mut self, board: u32) {
        self.summary.suspended(board);
    }
}
