//! The exhibition's clocks: virtual time, which only moves when a lane moves it, and a scaled
//! wall clock that keeps the same time while the real world keeps pace.
//!
//! Nothing in a lane reads the wall clock. A lane that "waits 55 seconds" asks its [`Clock`]
//! to move 55 seconds ahead. On the [`VirtualClock`] (the default) that costs nothing and
//! gives the same answer on every run — so traces are deterministic and snapshot-stable, and
//! twelve hours of exhibition simulate in microseconds. On a [`ScaledClock`] the lane's time
//! moves exactly the same way, and the thread then really sleeps until the wall clock has
//! caught up, at a chosen [`Speed`]: the race (`coro-simul race`) uses it to let people watch.
//!
//! Two rules hold for every clock in the crate:
//!
//! - **Time never runs backwards.** [`Clock::advance_to`] a moment that has already
//!   passed leaves the clock where it is (the deadline was simply missed, as a real timer can
//!   fire late but never early).
//! - **A [`Time`] is a moment, a [`Duration`] is a length.** A moment plus a length is a
//!   moment; two moments subtract to a length. This is `std::time::Instant`'s design, for a
//!   clock that starts at zero when the first move is made.
//!
//! And two ways to move it, which every lane uses the same way:
//! [`advance_by`](Clock::advance_by) is being *busy* (the master's move: whoever runs is
//! occupied for that long), [`advance_to`](Clock::advance_to) is being *idle until* a moment
//! (nothing to do until the next reply lands).
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::clock::{Time, VirtualClock};
//!
//! let mut clock = VirtualClock::new();
//! clock.advance_by(Duration::from_secs(5)); // the master's move
//! let reply = clock.now() + Duration::from_secs(55);
//! clock.advance_to(reply); // nothing else to do: jump to the reply
//! clock.advance_to(Time::ZERO); // the past: ignored
//! assert_eq!(clock.now().to_string(), "0:01:00");
//! ```
//!
//! The same moves on a scaled clock at 3600x (an exhibition hour per wall second) take a
//! sixtieth of a second of real time, and show the same time:
//!
//! ```
//! use std::time::{Duration, Instant};
//! use coro_simul::clock::{Clock, ScaledClock, Speed};
//!
//! let started = Instant::now();
//! let mut clock = ScaledClock::new("3600x".parse::<Speed>()?);
//! clock.advance_by(Duration::from_secs(5)); // sleeps about 1.4 ms
//! clock.advance_to(clock.now() + Duration::from_secs(55)); // sleeps the rest
//! assert_eq!(clock.now().to_string(), "0:01:00");
//! assert!(started.elapsed() >= Duration::from_secs(60) / 3600);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// A moment on the exhibition's clock: nanoseconds since the first move.
///
/// Displays as `h:mm:ss`, with a fraction only when the moment has one (`0:00:05.250`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(u64);

impl Time {
    /// The moment the exhibition starts.
    pub const ZERO: Time = Time(0);
    /// The last moment the clock can show, about 584 years in.
    pub const MAX: Time = Time(u64::MAX);

    /// The moment `since_start` after the start.
    ///
    /// # Panics
    ///
    /// If `since_start` is beyond [`Time::MAX`]; a valid [`Exhibition`](crate::Exhibition)
    /// never gets there.
    pub fn from_start(since_start: Duration) -> Time {
        Time::ZERO + since_start
    }

    /// How long after the start this moment is.
    pub fn since_start(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// Nanoseconds since the start.
    pub fn as_nanos(self) -> u64 {
        self.0
    }
}

impl Add<Duration> for Time {
    type Output = Time;

    /// # Panics
    ///
    /// If the sum is beyond [`Time::MAX`]; a valid [`Exhibition`](crate::Exhibition) never
    /// gets there.
    fn add(self, length: Duration) -> Time {
        u64::try_from(length.as_nanos())
            .ok()
            .and_then(|nanos| self.0.checked_add(nanos))
            .map(Time)
            .expect("virtual time overflowed: the exhibition is longer than the clock (584 years)")
    }
}

impl Sub for Time {
    type Output = Duration;

    /// The length from `earlier` to `self`.
    ///
    /// # Panics
    ///
    /// If `earlier` is later than `self`.
    fn sub(self, earlier: Time) -> Duration {
        let nanos =
            self.0.checked_sub(earlier.0).expect("subtracted a later Time from an earlier one");
        Duration::from_nanos(nanos)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let length = self.since_start();
        f.pad(&hms(length, fraction_digits(length)))
    }
}

/// `length` as `h:mm:ss`, with `digits` (0 to 9) digits of fraction: `hms(90.5 s, 3)` is
/// `0:01:30.500`. Hours are not wrapped: a 584-year clock shows `5124095:34:33`.
pub fn hms(length: Duration, digits: usize) -> String {
    let secs = length.as_secs();
    let clock = format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    match digits.min(9) {
        0 => clock,
        digits => {
            let fraction = format!("{:09}", length.subsec_nanos());
            format!("{clock}.{}", &fraction[..digits])
        }
    }
}

/// How many fraction digits (0, 3, 6 or 9) show `length` exactly: 0 for whole seconds, 3 for
/// whole milliseconds, and so on.
pub fn fraction_digits(length: Duration) -> usize {
    match length.subsec_nanos() {
        0 => 0,
        n if n % 1_000_000 == 0 => 3,
        n if n % 1_000 == 0 => 6,
        _ => 9,
    }
}

/// `length` in seconds as a plain decimal, exact, with no trailing zeros: `120`, `5.25`,
/// `0.000000001`. This is the trace contract's `t`.
pub fn decimal_seconds(length: Duration) -> String {
    let secs = length.as_secs();
    match length.subsec_nanos() {
        0 => secs.to_string(),
        nanos => {
            let fraction = format!("{nanos:09}");
            format!("{secs}.{}", fraction.trim_end_matches('0'))
        }
    }
}

/// What a lane needs from time: read it, be busy for a while, be idle until a moment.
///
/// Every lane's driver holds a `C: Clock` (a generic parameter, not a trait object, so the
/// virtual clock's path compiles to the same code as before there was a choice).
pub trait Clock {
    /// The current moment.
    fn now(&self) -> Time;

    /// Lets `length` pass while busy: work that occupies whoever is running, such as the
    /// master's move.
    fn advance_by(&mut self, length: Duration);

    /// Idles until `moment` if it is still ahead; a moment already past leaves the clock as
    /// it is, because time never runs backwards.
    fn advance_to(&mut self, moment: Time);
}

/// The exhibition's clock in virtual time: starts at zero, moves only when told, never back.
///
/// Every lane's default [`Clock`]: the master's move is
/// [`advance_by`](VirtualClock::advance_by) (she is busy, time passes), and "nothing to do
/// until the next reply lands" is [`advance_to`](VirtualClock::advance_to).
#[derive(Debug, Clone, Default)]
pub struct VirtualClock {
    now: Time,
}

impl VirtualClock {
    /// A clock at [`Time::ZERO`].
    pub fn new() -> VirtualClock {
        VirtualClock::default()
    }

    /// The current moment.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Lets `length` pass: work that occupies whoever is running, such as the master's move.
    pub fn advance_by(&mut self, length: Duration) {
        self.now = self.now + length;
    }

    /// Jumps to `moment` if it is still ahead; a moment already past leaves the clock as it
    /// is, because time never runs backwards.
    pub fn advance_to(&mut self, moment: Time) {
        self.now = self.now.max(moment);
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Time {
        VirtualClock::now(self)
    }

    fn advance_by(&mut self, length: Duration) {
        VirtualClock::advance_by(self, length);
    }

    fn advance_to(&mut self, moment: Time) {
        VirtualClock::advance_to(self, moment);
    }
}

/// How many times faster than real time a [`ScaledClock`] runs: `3600x` plays an exhibition
/// hour in a wall second, `1x` in real time.
///
/// Parsed from `3600x` or `3600` (a decimal is fine: `0.5x`); it must be a number from
/// 0.001 to 1 000 000 000, so every wall time it gives is a real, finite duration.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Speed(f64);

impl Speed {
    /// The slowest speed: a thousandth of real time.
    pub const MIN: f64 = 0.001;
    /// The fastest speed: a billion times real time (a 12-hour exhibition in 43 µs).
    pub const MAX: f64 = 1e9;

    /// `times` real time, if it is within [`Speed::MIN`] to [`Speed::MAX`].
    pub fn new(times: f64) -> Option<Speed> {
        (Speed::MIN..=Speed::MAX).contains(&times).then_some(Speed(times))
    }

    /// How many exhibition seconds pass in a wall second.
    pub fn times(self) -> f64 {
        self.0
    }

    /// How long `length` of exhibition time takes on the wall clock at this speed.
    pub fn wall(self, length: Duration) -> Duration {
        length.div_f64(self.0)
    }
}

impl FromStr for Speed {
    type Err = String;

    fn from_str(text: &str) -> Result<Speed, String> {
        let number = text.strip_suffix(['x', 'X']).unwrap_or(text);
        let times: f64 = number
            .parse()
            .map_err(|_| "not a speed; write it like 3600x (exhibition seconds per wall second)")?;
        Speed::new(times).ok_or_else(|| {
            format!("out of range: a speed is from {}x to {}x", Speed::MIN, Speed::MAX)
        })
    }
}

impl fmt::Display for Speed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x", self.0)
    }
}

/// A clock that keeps the [`VirtualClock`]'s time and makes the wall clock keep pace with it.
///
/// Its time moves exactly as a virtual clock's would, so a lane on it reports the very same
/// trace. After every move, the thread sleeps until the wall clock reads
/// `started + time / speed`, where `started` is when the clock was made: the master's move
/// really occupies the thread for its scaled length, and an idle wait really sleeps. Because
/// each sleep aims at a moment measured from `started`, not at a length, a late wake-up (the
/// OS oversleeps by tens of microseconds) is made up at the next sleep instead of adding up:
/// the lane finishes no earlier than its exhibition time divided by the speed, and only
/// later by what its own work costs.
#[derive(Debug, Clone)]
pub struct ScaledClock {
    logical: VirtualClock,
    speed: Speed,
    started: Instant,
}

impl ScaledClock {
    /// A clock at [`Time::ZERO`] that starts keeping pace with the wall clock now.
    pub fn new(speed: Speed) -> ScaledClock {
        ScaledClock { logical: VirtualClock::new(), speed, started: Instant::now() }
    }

    /// The clock's speed.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// Sleeps until the wall clock has caught up with the clock's time.
    fn keep_pace(&self) {
        let due = self.started + self.speed.wall(self.logical.now().since_start());
        if let Some(ahead) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(ahead);
        }
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> Time {
        self.logical.now()
    }

    fn advance_by(&mut self, length: Duration) {
        self.logical.advance_by(length);
        self.keep_pace();
    }

    fn advance_to(&mut self, moment: Time) {
        self.logical.advance_to(moment);
        self.keep_pace();
    }
}

#[cfg(test)]
mod tests;
