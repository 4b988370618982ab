//! The README's exercises each say "replace this line": a test that the line is still there,
//! in the file the exercise names, so that an edit to a lane cannot leave an exercise pointing
//! at code that no longer exists.

/// (the file an exercise edits, the line it tells the reader to replace)
const EXERCISES: &[(&str, &str)] = &[
    ("src/lanes/generators.rs", "let first = prime(&mut self.games[index(board)], self.sink);"),
    ("src/lanes/async_await.rs", "arbiter.timer.sleep_until(reply).await;"),
    (
        "src/lanes/callbacks.rs",
        "lp.call_later(delay, move |lp| reply_lands(lp, arbiter, board, pair, lands));",
    ),
    ("src/timers.rs", "(self.deadline, self.seq).cmp(&(other.deadline, other.seq))"),
];

#[test]
fn every_line_an_exercise_replaces_is_in_its_file() {
    let readme = include_str!("../README.md");
    for &(file, line) in EXERCISES {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let source = std::fs::read_to_string(&path).expect("the exercise's file exists");
        assert!(source.contains(line), "{file} no longer has the exercise's line `{line}`");
        assert!(readme.contains(file), "README.md's exercises no longer name {file}");
    }
}
