//! Virtual time: the exhibition's clock, which only moves when a lane moves it.
//!
//! Nothing in a lane reads the wall clock. A lane that "waits 55 seconds" asks its
//! [`VirtualClock`] to jump 55 seconds ahead, which costs nothing and gives the same
//! answer on every run — so traces are deterministic and snapshot-stable, and twelve hours
//! of exhibition simulate in microseconds.
//!
//! Two rules hold for every clock in the crate:
//!
//! - **Time never runs backwards.** [`VirtualClock::advance_to`] a moment that has already
//!   passed leaves the clock where it is (the deadline was simply missed, as a real timer can
//!   fire late but never early).
//! - **A [`Time`] is a moment, a [`Duration`] is a length.** A moment plus a length is a
//!   moment; two moments subtract to a length. This is `std::time::Instant`'s design, for a
//!   clock that starts at zero when the first move is made.
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
#![forbid(unsafe_code)]

use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

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

/// The exhibition's clock in virtual time: starts at zero, moves only when told, never back.
///
/// This is the only clock a lane needs: the master's move is
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_whole_and_fractional_moments() {
        assert_eq!(Time::from_start(Duration::from_secs(43_200)).to_string(), "12:00:00");
        assert_eq!(Time::from_start(Duration::from_millis(5_250)).to_string(), "0:00:05.250");
        assert_eq!(hms(Duration::from_secs(3_655), 3), "1:00:55.000");
        assert_eq!(hms(Time::MAX.since_start(), 0), "5124095:34:33");
        assert_eq!(decimal_seconds(Duration::from_millis(5_250)), "5.25");
        assert_eq!(decimal_seconds(Duration::from_nanos(1)), "0.000000001");
        assert_eq!(decimal_seconds(Duration::from_secs(120)), "120");
    }

    #[test]
    fn fraction_digits_are_just_enough() {
        assert_eq!(fraction_digits(Duration::from_secs(5)), 0);
        assert_eq!(fraction_digits(Duration::from_millis(250)), 3);
        assert_eq!(fraction_digits(Duration::from_micros(1)), 6);
        assert_eq!(fraction_digits(Duration::from_nanos(7)), 9);
    }

    #[test]
    fn the_clock_never_runs_backwards() {
        let mut clock = VirtualClock::new();
        clock.advance_to(Time::from_start(Duration::from_secs(60)));
        clock.advance_to(Time::from_start(Duration::from_secs(10)));
        assert_eq!(clock.now().since_start(), Duration::from_secs(60));
        clock.advance_by(Duration::from_secs(5));
        assert_eq!(clock.now() - Time::ZERO, Duration::from_secs(65));
    }

    #[test]
    #[should_panic(expected = "virtual time overflowed")]
    fn overflow_is_a_clear_panic() {
        let _ = Time::MAX + Duration::from_nanos(1);
    }
}
