//! The value parsers behind the flags: each refuses bad text with the words the user sees
//! after clap's `invalid value '…' for '--flag <N>':`.
//!
//! One rule for every number, duration and speed: it is written without a sign. A `-` is
//! refused as negative and a `+` as a sign, each with its own explanation, on every flag (the
//! flags let clap hand over values that start with `-`, so that a negative is explained rather
//! than taken for another flag). Leading zeros are fine: `0003` is 3, `05s` is 5 s.

use std::time::Duration;

use coro_simul::clock::Speed;
use coro_simul::lanes::{Lane, UnknownLane};
use coro_simul::render::Format;

use super::error::CliError;

/// A whole number of at least 0 that fits a `u32`; the exhibition's rules refuse 0 later,
/// naming the flag.
pub(crate) fn count(text: &str) -> Result<u32, String> {
    unsigned(text, "must be a whole number of at least 1, not negative")?.parse().map_err(
        |error: std::num::ParseIntError| match error.kind() {
            std::num::IntErrorKind::PosOverflow => format!("too large (at most {})", u32::MAX),
            _ => "not a whole number".into(),
        },
    )
}

/// A timeline's width in columns, from 10 to 1000.
pub(crate) fn width(text: &str) -> Result<usize, String> {
    let not_negative = unsigned(text, "must be from 10 to 1000 columns, not negative")?;
    match count(not_negative)? {
        width @ 10..=1000 => Ok(width as usize),
        _ => Err("must be from 10 to 1000 columns".into()),
    }
}

/// A duration written like `5s`, `1m30s` or `250ms`, never negative.
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(unsigned(text, "a duration cannot be negative")?)
        .map_err(|error| format!("not a duration ({error}); write it like 5s, 1m30s or 250ms"))
}

/// A lane's name, as `coro-simul list` shows it.
pub(crate) fn lane(text: &str) -> Result<Lane, String> {
    text.parse().map_err(|error: UnknownLane| error.to_string())
}

/// A trace format: `text`, `jsonl` or `csv`.
pub(crate) fn format(text: &str) -> Result<Format, String> {
    text.parse()
}

/// A race's speed, such as `3600x`.
pub(crate) fn speed(text: &str) -> Result<Speed, String> {
    unsigned(text, "a speed cannot be negative")?.parse()
}

/// The lanes `--lanes` names, in its order, or every lane when it names none.
///
/// # Errors
///
/// [`CliError::LaneTwice`] for a lane named twice: refused rather than quietly played twice
/// or dropped, since either would compare something the user did not ask for.
pub(crate) fn chosen_lanes(named: &[Lane]) -> Result<Vec<Lane>, CliError> {
    let twice = named.iter().enumerate().find(|&(i, lane)| named[..i].contains(lane));
    if let Some((_, &lane)) = twice {
        return Err(CliError::LaneTwice(lane));
    }
    Ok(if named.is_empty() { Lane::ALL.to_vec() } else { named.to_vec() })
}

/// `text`, if it has no sign; else `negative` for a `-`, or the same text without its `+`.
fn unsigned<'t>(text: &'t str, negative: &str) -> Result<&'t str, String> {
    if text.starts_with('-') {
        return Err(negative.to_owned());
    }
    match text.strip_prefix('+') {
        Some(rest) => Err(format!("write it without a sign, as {rest}")),
        None => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The one rule, for any value: leading zeros change nothing, a `+` is refused with
        /// the unsigned spelling, a `-` as negative, whichever parser reads it.
        #[test]
        fn a_sign_is_refused_and_zeros_are_not(n in 1u32..=100_000, zeros in 0usize..4, unit in prop::sample::select(vec!["s", "ms", "m", "h"])) {
            let padded = format!("{}{n}", "0".repeat(zeros));
            prop_assert_eq!(count(&padded), Ok(n));
            prop_assert_eq!(count(&format!("+{padded}")), Err(format!("write it without a sign, as {padded}")));
            let negative = count(&format!("-{padded}")).unwrap_err();
            prop_assert!(negative.ends_with("not negative"));
            let length = format!("{padded}{unit}");
            prop_assert_eq!(duration(&length), humantime::parse_duration(&format!("{n}{unit}")).map_err(|e| e.to_string()));
            prop_assert_eq!(duration(&format!("+{length}")), Err(format!("write it without a sign, as {length}")));
            prop_assert_eq!(duration(&format!("-{length}")), Err("a duration cannot be negative".to_owned()));
            let (plus, minus) = (speed(&format!("+{n}x")), speed(&format!("-{n}x")));
            prop_assert!(plus.is_err() && minus.is_err());
        }
    }

    #[test]
    fn a_lane_named_twice_is_refused_and_none_means_all() {
        assert_eq!(chosen_lanes(&[]).unwrap(), Lane::ALL);
        assert_eq!(
            chosen_lanes(&[Lane::Threads, Lane::Sync]).unwrap(),
            [Lane::Threads, Lane::Sync]
        );
        let twice = chosen_lanes(&[Lane::Sync, Lane::Threads, Lane::Sync]).unwrap_err();
        assert_eq!(twice.to_string(), "invalid --lanes: sync is named twice; name each lane once");
    }

    #[test]
    fn every_number_is_written_without_a_sign() {
        assert_eq!(count("0003"), Ok(3));
        assert_eq!(count("+3"), Err("write it without a sign, as 3".to_owned()));
        assert_eq!(duration("05s"), Ok(Duration::from_secs(5)));
        assert_eq!(duration("+5s"), Err("write it without a sign, as 5s".to_owned()));
        assert_eq!(duration("-5s"), Err("a duration cannot be negative".to_owned()));
        assert_eq!(width("-5"), Err("must be from 10 to 1000 columns, not negative".into()));
        assert!(speed("+3600x").unwrap_err().contains("without a sign, as 3600x"));
        assert_eq!(speed("-2x").unwrap_err(), "a speed cannot be negative");
    }
}
