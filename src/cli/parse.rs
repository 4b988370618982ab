//! The value parsers behind the flags: each refuses bad text with the words the user sees
//! after clap's `invalid value '…' for '--flag <N>':`.

use std::time::Duration;

use coro_simul::clock::Speed;
use coro_simul::lanes::{Lane, UnknownLane};
use coro_simul::render::Format;

/// A whole number of at least 0 that fits a `u32`; the exhibition's rules refuse 0 later,
/// naming the flag.
pub(crate) fn count(text: &str) -> Result<u32, String> {
    if text.starts_with('-') {
        return Err("must be a whole number of at least 1, not negative".into());
    }
    text.parse().map_err(|error: std::num::ParseIntError| match error.kind() {
        std::num::IntErrorKind::PosOverflow => format!("too large (at most {})", u32::MAX),
        _ => "not a whole number".into(),
    })
}

/// A timeline's width in columns, from 10 to 1000.
pub(crate) fn width(text: &str) -> Result<usize, String> {
    match count(text)? {
        width @ 10..=1000 => Ok(width as usize),
        _ => Err("must be from 10 to 1000 columns".into()),
    }
}

/// A duration written like `5s`, `1m30s` or `250ms`, never negative.
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    if text.starts_with('-') {
        return Err("a duration cannot be negative".into());
    }
    humantime::parse_duration(text)
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
    text.parse()
}
