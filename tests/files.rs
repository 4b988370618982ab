//! Writing a file never destroys anything: `timeline --svg FILE` replaces FILE only
//! when it is absent or a regular file, leaves every other file as it was, and writes `-` to
//! standard output.

use std::fs;
use std::os::unix::fs::FileTypeExt as _;
use std::path::Path;
use std::process::{Command, Output};

/// `coro-simul timeline sync --opponents 2 --pairs 1 --svg FILE`, in `folder`.
fn draw(folder: &Path, file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coro-simul"))
        .args(["timeline", "sync", "--opponents", "2", "--pairs", "1", "--svg", file])
        .current_dir(folder)
        .output()
        .expect("the binary runs")
}

/// The names in `folder`, sorted: what a command left there.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn refused(output: &Output, message: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(message), "expected {message:?} in {stderr}");
}

#[test]
fn a_new_file_and_a_regular_one_are_written_whole() {
    let folder = tempfile::tempdir().unwrap();
    let output = draw(folder.path(), "new.svg");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "wrote new.svg\n");
    fs::write(folder.path().join("old.svg"), "old").unwrap();
    assert!(draw(folder.path(), "old.svg").status.success());
    let (new, old) = (folder.path().join("new.svg"), folder.path().join("old.svg"));
    assert_eq!(fs::read(&new).unwrap(), fs::read(&old).unwrap());
    assert!(fs::read_to_string(&new).unwrap().starts_with("<svg"));
    assert_eq!(names(folder.path()), ["new.svg", "old.svg"], "no temporary file left");
}

#[test]
fn a_fifo_a_directory_and_a_link_are_refused_and_left_alone() {
    let folder = tempfile::tempdir().unwrap();
    let made = Command::new("mkfifo").arg(folder.path().join("fifo")).status();
    assert!(made.expect("mkfifo runs").success());
    fs::create_dir(folder.path().join("dir.svg")).unwrap();
    std::os::unix::fs::symlink("elsewhere.svg", folder.path().join("link.svg")).unwrap();
    refused(&draw(folder.path(), "fifo"), "cannot write fifo: it is a FIFO, not a regular file");
    refused(&draw(folder.path(), "dir.svg"), "cannot write dir.svg: it is a directory");
    refused(&draw(folder.path(), "link.svg"), "cannot write link.svg: it is a symbolic link");
    assert!(fs::metadata(folder.path().join("fifo")).unwrap().file_type().is_fifo());
    assert_eq!(fs::read_dir(folder.path().join("dir.svg")).unwrap().count(), 0);
    let link = fs::read_link(folder.path().join("link.svg")).unwrap();
    assert_eq!(link, Path::new("elsewhere.svg"));
    assert_eq!(names(folder.path()), ["dir.svg", "fifo", "link.svg"]);
}

#[test]
fn a_users_own_partial_file_or_folder_is_never_touched() {
    let folder = tempfile::tempdir().unwrap();
    fs::write(folder.path().join("a.svg.partial"), "mine").unwrap();
    fs::create_dir(folder.path().join("b.svg.partial")).unwrap();
    assert!(draw(folder.path(), "a.svg").status.success());
    assert!(draw(folder.path(), "b.svg").status.success());
    assert_eq!(fs::read_to_string(folder.path().join("a.svg.partial")).unwrap(), "mine");
    assert!(folder.path().join("b.svg.partial").is_dir());
    let expected = ["a.svg", "a.svg.partial", "b.svg", "b.svg.partial"];
    assert_eq!(names(folder.path()), expected);
}

#[test]
fn a_dash_is_standard_output_and_a_missing_folder_is_named() {
    let folder = tempfile::tempdir().unwrap();
    let output = draw(folder.path(), "-");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("<svg"));
    assert!(names(folder.path()).is_empty(), "no file named -");
    refused(
        &draw(folder.path(), "missing/a.svg"),
        "cannot write the output: missing/a.svg: No such file or directory (os error 2)",
    );
}
