//! The `exhibition` module's unit tests.

use super::*;

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn each_rule_has_its_error() {
    let build = |n, m, o, p| Exhibition::new(n, m, o, p);
    assert_eq!(build(0, SECOND, SECOND, 1), Err(ExhibitionError::NoOpponents));
    assert_eq!(build(1, SECOND, SECOND, 0), Err(ExhibitionError::NoPairs));
    assert_eq!(build(1, Duration::ZERO, SECOND, 1), Err(ExhibitionError::ZeroMasterMove));
    assert_eq!(build(1, SECOND, Duration::ZERO, 1), Err(ExhibitionError::ZeroOpponentMove));
    assert_eq!(build(1, Duration::MAX, SECOND, 1), Err(ExhibitionError::TooLong));
    assert_eq!(build(u32::MAX, SECOND * 3600, SECOND, u32::MAX), Err(ExhibitionError::TooLong));
}

#[test]
fn the_clock_limit_is_exact() {
    // The largest total that fits: u64::MAX nanoseconds, split as 1 ns + (MAX - 1) ns.
    let fits = Exhibition::new(1, Duration::from_nanos(1), Duration::from_nanos(u64::MAX - 1), 1);
    assert!(fits.is_ok());
    let one_more =
        Exhibition::new(1, Duration::from_nanos(2), Duration::from_nanos(u64::MAX - 1), 1);
    assert_eq!(one_more, Err(ExhibitionError::TooLong));
}

#[test]
fn limits_and_failures_must_fit_the_exhibition() {
    let small = || Exhibition::builder().opponents(3).pairs(2);
    let zero = small().time_limit(Duration::ZERO).build();
    assert_eq!(zero, Err(ExhibitionError::ZeroTimeLimit));
    let beyond = small().time_limit(Time::MAX.since_start() + Duration::from_nanos(1)).build();
    assert_eq!(beyond, Err(ExhibitionError::TimeLimitTooLong));
    assert!(small().time_limit(Time::MAX.since_start()).build().is_ok());
    assert_eq!(small().failure(4, 1).build(), Err(ExhibitionError::NoSuchFailBoard));
    assert_eq!(small().failure(0, 1).build(), Err(ExhibitionError::NoSuchFailBoard));
    assert_eq!(small().failure(3, 3).build(), Err(ExhibitionError::NoSuchFailPair));
    let both = small().time_limit(SECOND * 90).failure(3, 2).build().unwrap();
    assert_eq!(both.failure(), Some(Failure { board: 3, pair: 2 }));
    assert_eq!(
        both.to_string(),
        "3 boards × 2 move pairs, master 5s a move, opponents 55s, time limit 1m 30s, \
         board 3 fails at pair 2"
    );
}

#[test]
fn a_planned_failure_panics_with_its_own_payload() {
    let ex = Exhibition::builder().opponents(3).pairs(2).failure(2, 2).build().unwrap();
    ex.fail_if_planned(2, 1); // not yet
    let payload = std::panic::catch_unwind(|| ex.fail_if_planned(2, 2)).unwrap_err();
    let failure = payload.downcast_ref::<PlannedFailure>().unwrap();
    assert_eq!(failure.to_string(), "board 2's game failed at pair 2 (a planned failure)");
}

#[test]
fn a_million_boards_is_representable() {
    let huge = Exhibition::builder().opponents(1_000_000).build().unwrap();
    assert_eq!(huge.synchronous_total(), Duration::from_secs(1_000_000 * 30 * 60));
}

#[test]
fn the_default_is_the_story() {
    let story = Exhibition::default();
    assert_eq!(Exhibition::builder().build(), Ok(story));
    assert_eq!(story.synchronous_total(), Duration::from_secs(12 * 3600));
    assert_eq!(story.to_string(), "24 boards × 30 move pairs, master 5s a move, opponents 55s");
}
