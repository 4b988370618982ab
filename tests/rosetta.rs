//! The learner's side-by-side pages stay true to the code: `docs/rosetta.md` quotes each lane's
//! game from its source file, word for word, and every lane's module doc has the same headings
//! in the same order.
//!
//! When a quoted function changes, regenerate the page's quotes (only the Rust between its
//! `<!-- rosetta: LANE -->` and `<!-- rosetta: end -->` lines; the prose and the Python are
//! written by hand) with:
//!
//! ```sh
//! ROSETTA_WRITE=1 cargo test --test rosetta
//! ```
//!
//! then read the page's words for that lane again: they may need to follow the code.

use std::env;
use std::fs;
use std::path::Path;

use coro_simul::lanes::Lane;

/// What the page quotes for each lane, in the order it shows them: the source file, and the
/// start of the line that opens each item there. An item runs from that line down to the `}`
/// that closes it at the same indentation; its doc comment is left out.
const QUOTES: &[(&str, &[(&str, &str)])] = &[
    (
        "sync",
        &[("src/lanes/plain_game.rs", "pub fn game("), ("src/lanes/sync.rs", "fn await_reply(")],
    ),
    (
        "callbacks",
        &[
            ("src/lanes/callbacks.rs", "fn game_starts<"),
            ("src/lanes/callbacks.rs", "fn master_moves<"),
            ("src/lanes/callbacks.rs", "fn reply_lands<"),
        ],
    ),
    (
        "state-machine",
        &[
            ("src/lanes/state_machine.rs", "pub enum Game {"),
            ("src/lanes/state_machine.rs", "pub fn step<"),
        ],
    ),
    (
        "generators",
        &[
            ("src/lanes/generators.rs", "pub async fn game("),
            ("src/lanes/generators.rs", "pub(crate) fn land<"),
        ],
    ),
    ("async-await", &[("src/lanes/async_await.rs", "async fn game<")]),
    (
        "green-threads",
        &[
            ("src/lanes/green_threads/green_thread.rs", "fn await_reply("),
            ("src/lanes/green_threads/green_thread.rs", "pub fn resume("),
        ],
    ),
    (
        "threads",
        &[
            ("src/lanes/threads/game_thread.rs", "fn await_reply("),
            ("src/lanes/threads/game_thread.rs", "fn baton("),
        ],
    ),
    (
        "processes",
        &[
            ("src/lanes/processes/worker.rs", "fn await_reply("),
            ("src/lanes/processes/worker.rs", "fn baton("),
        ],
    ),
];

/// The page, from the top of the repository.
const PAGE: &str = "docs/rosetta.md";

/// Where the quotes of `lane` end on the page.
const END: &str = "<!-- rosetta: end -->";

/// The headings every lane's module doc has, in this order.
const HEADINGS: [&str; 8] = [
    "How it works",
    "Python ↔ Rust",
    "Where the paused game lives",
    "When a game fails or time runs out",
    "What it costs",
    "When to use it",
    "Compared with the others",
    "Example",
];

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The item in `source` (the text of `file`) whose first line starts with `opening`, as it is
/// written there but for its indentation, which is taken off every line.
fn item(file: &str, source: &str, opening: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let starts: Vec<usize> =
        (0..lines.len()).filter(|&at| lines[at].trim_start().starts_with(opening)).collect();
    let [start] = starts[..] else {
        panic!(
            "{file}: expected exactly one line starting with `{opening}`, found {}: the page \
                quotes it; if it was renamed, update QUOTES in tests/rosetta.rs",
            starts.len()
        )
    };
    let indent = &lines[start][..lines[start].len() - lines[start].trim_start().len()];
    let closing = format!("{indent}}}");
    let length = lines[start..]
        .iter()
        .position(|line| *line == closing)
        .unwrap_or_else(|| panic!("{file}: `{opening}` is never closed by `{closing}`"));
    let body =
        lines[start..=start + length].iter().map(|line| line.strip_prefix(indent).unwrap_or(line));
    body.collect::<Vec<_>>().join("\n")
}

/// What the page must hold between `<!-- rosetta: LANE -->` and the end marker: each item,
/// under a comment naming its file, in one Rust block.
fn quotes(items: &[(&str, &str)]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|(file, opening)| format!("// {file}\n{}", item(file, &read(file), opening)))
        .collect();
    format!("```rust\n{}\n```", quoted.join("\n\n"))
}

fn start_marker(lane: &str) -> String {
    format!("<!-- rosetta: {lane} -->")
}

/// The page's quotes for `lane`, and where they sit in `page` (the bytes between the two
/// markers' lines).
fn quoted_on(page: &str, lane: &str) -> (std::ops::Range<usize>, String) {
    let marker = start_marker(lane);
    let begin = page.find(&marker).unwrap_or_else(|| {
        panic!("{PAGE} has no `{marker}` line: add one, and `{END}` after it, where the lane's Rust goes, then run `ROSETTA_WRITE=1 cargo test --test rosetta`")
    }) + marker.len() + 1;
    let end = begin
        + page[begin..]
            .find(END)
            .unwrap_or_else(|| panic!("{PAGE}: `{marker}` has no `{END}` after it"));
    (begin..end, page[begin..end].trim_end().to_owned())
}

#[test]
fn the_rosetta_page_quotes_every_lane_as_its_source_says() {
    let names: Vec<&str> = Lane::ALL.iter().map(|lane| lane.name()).collect();
    let quoted: Vec<&str> = QUOTES.iter().map(|(lane, _)| *lane).collect();
    assert_eq!(quoted, names, "QUOTES in tests/rosetta.rs names every lane, in Lane::ALL's order");

    let mut page = read(PAGE);
    let mut stale = Vec::new();
    for (lane, items) in QUOTES {
        let (at, on_page) = quoted_on(&page, lane);
        let wanted = quotes(items);
        if on_page != wanted {
            stale.push(*lane);
            page.replace_range(at, &format!("{wanted}\n"));
        }
    }
    if env::var_os("ROSETTA_WRITE").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE);
        fs::write(&path, &page).unwrap_or_else(|error| panic!("cannot write {PAGE}: {error}"));
        return;
    }
    assert!(
        stale.is_empty(),
        "{PAGE} no longer quotes the code of: {}. Regenerate its quotes with \
         `ROSETTA_WRITE=1 cargo test --test rosetta`, then check the page's words for those \
         lanes still say what the code does",
        stale.join(", "),
    );
}

#[test]
fn every_lane_doc_has_the_same_headings_in_the_same_order() {
    for lane in Lane::ALL {
        let file = format!("src/lanes/{}.rs", lane.name().replace('-', "_"));
        let source = read(&file);
        let module_doc = source.lines().filter(|line| line.starts_with("//!"));
        let mut in_code = false;
        let mut headings = Vec::new();
        for line in module_doc {
            let text = line.trim_start_matches("//!").trim_start();
            if text.starts_with("```") {
                in_code = !in_code;
            } else if let (false, Some(heading)) = (in_code, text.strip_prefix("# ")) {
                headings.push(heading);
            }
        }
        assert_eq!(headings, HEADINGS, "{file}: its module doc's `#` headings, in order");
    }
}
