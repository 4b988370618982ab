//! The `clock` module's unit tests.

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
fn speeds_parse_with_or_without_the_x() {
    assert_eq!("3600x".parse::<Speed>().map(Speed::times), Ok(3600.0));
    assert_eq!("3600".parse::<Speed>().map(Speed::times), Ok(3600.0));
    assert_eq!("1x".parse::<Speed>().map(Speed::times), Ok(1.0));
    assert_eq!("0.5X".parse::<Speed>().map(Speed::times), Ok(0.5));
    for bad in ["", "x", "fast", "-5x", "0", "0x", "NaNx", "infx", "1e10x", "3600xx"] {
        assert!(bad.parse::<Speed>().is_err(), "{bad:?} parsed");
    }
    let speed: Speed = "3600x".parse().unwrap();
    assert_eq!(speed.wall(Duration::from_secs(43_200)), Duration::from_secs(12));
    assert_eq!(speed.to_string(), "3600x");
}

#[test]
fn the_scaled_clock_keeps_virtual_time_and_real_pace() {
    let started = Instant::now();
    let mut scaled = ScaledClock::new(Speed::new(1000.0).unwrap());
    let mut virtual_clock = VirtualClock::new();
    let moves: [(bool, u64); 4] = [(true, 5), (false, 60), (false, 10), (true, 5)];
    for (busy, secs) in moves {
        let (length, moment) =
            (Duration::from_secs(secs), Time::from_start(Duration::from_secs(secs)));
        if busy {
            Clock::advance_by(&mut scaled, length);
            virtual_clock.advance_by(length);
        } else {
            Clock::advance_to(&mut scaled, moment);
            virtual_clock.advance_to(moment);
        }
        assert_eq!(Clock::now(&scaled), virtual_clock.now());
    }
    // 65 s of exhibition at 1000x: at least 65 ms of wall time.
    assert_eq!(Clock::now(&scaled).since_start(), Duration::from_secs(65));
    assert!(started.elapsed() >= Duration::from_millis(65));
}

#[test]
#[should_panic(expected = "virtual time overflowed")]
fn overflow_is_a_clear_panic() {
    let _ = Time::MAX + Duration::from_nanos(1);
}
