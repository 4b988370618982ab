//! Numbers the machine measures, for people: wall times, bytes and counts.
//!
//! Every table that shows a wall-clock reading or a memory figure (`compare`, `race`, `scale`)
//! formats it here, so the same quantity reads the same everywhere. Virtual time is not here:
//! it is the trace's, and [`clock::hms`](crate::clock::hms) writes it.
//!
//! ```
//! use std::time::Duration;
//! use coro_simul::units::{bytes, grouped, wall};
//!
//! assert_eq!(wall(Duration::from_micros(12_340), 2), "12.3 ms");
//! assert_eq!(bytes(4200), "4.1 KiB");
//! assert_eq!(grouped(1_000_000), "1 000 000");
//! ```

use std::time::Duration;

/// A wall time in the unit that shows its size: `840 µs`, `12.3 ms`, and from one second on
/// seconds with `second_decimals` decimals (`1.25 s` with 2, `12.004 s` with 3).
pub fn wall(length: Duration, second_decimals: usize) -> String {
    match length.as_secs_f64() {
        s if s < 1e-3 => format!("{:.0} µs", s * 1e6),
        s if s < 1.0 => format!("{:.1} ms", s * 1e3),
        _ => seconds(length, second_decimals),
    }
}

/// A wall time in seconds whatever its size, with `decimals` decimals: `0.250 s`.
pub fn seconds(length: Duration, decimals: usize) -> String {
    format!("{:.decimals$} s", length.as_secs_f64())
}

/// A short time given in nanoseconds, such as the cost of one move pair: `15.7 ns`,
/// `169.3 µs`.
pub fn nanoseconds(ns: f64) -> String {
    if ns < 1_000.0 { format!("{ns:.1} ns") } else { format!("{:.1} µs", ns / 1_000.0) }
}

/// A small byte count, in binary units: `184 B`, `4.1 KiB`.
pub fn bytes(count: u64) -> String {
    match count {
        0..1024 => format!("{count} B"),
        _ => format!("{:.1} KiB", count as f64 / 1024.0),
    }
}

/// A process's memory, in decimal megabytes: `12.3 MB`.
pub fn megabytes(count: u64) -> String {
    format!("{:.1} MB", count as f64 / 1e6)
}

/// A count with its thousands apart, as the tables print board counts: `1 000 000`.
pub fn grouped(number: u32) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_times_read_at_a_glance() {
        assert_eq!(wall(Duration::from_micros(840), 2), "840 µs");
        assert_eq!(wall(Duration::from_micros(12_340), 2), "12.3 ms");
        assert_eq!(wall(Duration::from_millis(1_250), 2), "1.25 s");
        assert_eq!(wall(Duration::from_micros(850), 3), "850 µs");
        assert_eq!(wall(Duration::from_micros(3_600), 3), "3.6 ms");
        assert_eq!(wall(Duration::from_millis(12_004), 3), "12.004 s");
        assert_eq!(seconds(Duration::from_millis(250), 3), "0.250 s");
        assert_eq!(seconds(Duration::from_millis(2_340), 1), "2.3 s");
    }

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(grouped(1_000_000), "1 000 000");
        assert_eq!(grouped(10_001), "10 001");
        assert_eq!(grouped(100), "100");
        assert_eq!(bytes(184), "184 B");
        assert_eq!(bytes(4200), "4.1 KiB");
        assert_eq!(megabytes(12_340_000), "12.3 MB");
        assert_eq!(nanoseconds(15.74), "15.7 ns");
        assert_eq!(nanoseconds(169_327.8), "169.3 µs");
    }
}
