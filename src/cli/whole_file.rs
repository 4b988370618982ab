//! The one way this program writes a file: whole or not at all, and never over anything but a
//! regular file, so a failed or refused write leaves every file as it was.
//!
//! The contents go to a temporary file with a fresh, unique name in the target's folder
//! (`tempfile` picks the name and creates it exclusively, so no file of the user's is ever
//! opened), which is then renamed over the target: a reader sees the old file or the new one,
//! never half of one. Before that, the target is looked at and refused unless it is absent or
//! a regular file: renaming over a device, a FIFO, a directory or a symbolic link would
//! replace it. `-` is standard output.

use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use super::error::CliError;

/// Where a command's file goes: standard output for `-`, else a file written whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// `-`: the contents go to standard output, like the command's other output.
    Stdout,
    /// A file, written whole by [`write_whole_file`].
    File(PathBuf),
}

impl Target {
    /// `-` is standard output; anything else names a file.
    pub(crate) fn new(path: PathBuf) -> Target {
        if path.as_os_str() == "-" { Target::Stdout } else { Target::File(path) }
    }
}

/// Writes `contents` to `target`: to `out` for standard output, else whole to the file.
///
/// # Errors
///
/// See [`write_whole_file`]; for standard output, when `out` cannot be written.
pub(crate) fn write_to(
    target: &Target,
    contents: &[u8],
    out: &mut impl Write,
) -> Result<(), CliError> {
    match target {
        Target::Stdout => Ok(out.write_all(contents)?),
        Target::File(path) => write_whole_file(path, contents),
    }
}

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`: `path`
/// is either left as it was or holds the whole new contents, never a part. An existing
/// file keeps its permissions; a new one gets the usual ones (read-write, less the umask).
///
/// # Errors
///
/// [`CliError::NotAFile`] when `path` exists and is not a regular file (nothing is
/// touched); [`CliError::Output`], naming `path`, when the file cannot be written or renamed
/// (the temporary file is removed).
pub(crate) fn write_whole_file(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let kept = match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => Some(metadata.permissions()),
        Ok(metadata) => {
            let kind = kind_of(&metadata.file_type());
            return Err(CliError::NotAFile { path: path.to_owned(), kind });
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(named(path, error)),
    };
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".coro-simul-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o666)) // a new file's: less the umask
        .tempfile_in(folder)
        .map_err(|error| named(path, error))?;
    if let Some(permissions) = kept {
        // Set on the open file, so the umask does not apply: the file keeps exactly its own.
        temporary.as_file().set_permissions(permissions).map_err(|error| named(path, error))?;
    }
    temporary.write_all(contents).map_err(|error| named(path, error))?;
    // Dropped on any error before this point, the temporary file removes itself.
    temporary.persist(path).map_err(|error| named(path, error.error))?;
    Ok(())
}

/// What a file that is not a regular one is, in words.
fn kind_of(file_type: &fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// `error`, with `path` in front so the one line says which file. The operating system's own
/// words, where there are some: `tempfile` adds the temporary file's name, which the user
/// never chose and need not see.
fn named(path: &Path, error: io::Error) -> CliError {
    let error = error.raw_os_error().map_or(error, io::Error::from_raw_os_error);
    CliError::Output(io::Error::new(error.kind(), format!("{}: {error}", path.display())))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What may be at the target before a write.
    #[derive(Debug, Clone)]
    enum Before {
        Absent,
        Regular(Vec<u8>),
        Directory,
        Link,
    }

    fn any_before() -> impl Strategy<Value = Before> {
        prop_oneof![
            Just(Before::Absent),
            prop::collection::vec(any::<u8>(), 0..64).prop_map(Before::Regular),
            Just(Before::Directory),
            Just(Before::Link),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Whatever was there, the write either leaves exactly the new contents in a regular
        /// file (when the target was absent or regular) or is refused with everything as it
        /// was; no other file ever appears in the folder.
        #[test]
        fn a_write_replaces_a_regular_file_whole_or_touches_nothing(
            before in any_before(),
            contents in prop::collection::vec(any::<u8>(), 0..256),
        ) {
            let folder = tempfile::tempdir().unwrap();
            let path = folder.path().join("target");
            match &before {
                Before::Absent => {}
                Before::Regular(old) => fs::write(&path, old).unwrap(),
                Before::Directory => fs::create_dir(&path).unwrap(),
                Before::Link => std::os::unix::fs::symlink("elsewhere", &path).unwrap(),
            }
            let written = write_whole_file(&path, &contents);
            let kind = fs::symlink_metadata(&path).unwrap().file_type();
            match before {
                Before::Absent | Before::Regular(_) => {
                    prop_assert!(written.is_ok());
                    prop_assert_eq!(fs::read(&path).unwrap(), contents);
                }
                Before::Directory => prop_assert!(written.is_err() && kind.is_dir()),
                Before::Link => prop_assert!(written.is_err() && kind.is_symlink()),
            }
            prop_assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);
        }
    }

    #[test]
    fn a_dash_is_standard_output() {
        assert_eq!(Target::new("-".into()), Target::Stdout);
        assert_eq!(Target::new("./-".into()), Target::File("./-".into()));
        let mut out = Vec::new();
        write_to(&Target::Stdout, b"<svg/>", &mut out).unwrap();
        assert_eq!(out, b"<svg/>");
    }

    #[test]
    fn a_regular_file_is_replaced_whole_and_keeps_its_permissions() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("picture.svg");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o666)).unwrap(); // the umask would cut it
        write_whole_file(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o666);
        let left: Vec<_> = fs::read_dir(folder.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn anything_but_a_regular_file_is_refused_and_left_alone() {
        let folder = tempfile::tempdir().unwrap();
        let directory = folder.path().join("folder.svg");
        fs::create_dir(&directory).unwrap();
        let link = folder.path().join("link.svg");
        std::os::unix::fs::symlink(&directory, &link).unwrap();
        for (path, kind) in [(&directory, "a directory"), (&link, "a symbolic link")] {
            let refused = write_whole_file(path, b"new").unwrap_err();
            let expected = format!("cannot write {}: it is {kind}", path.display());
            assert!(refused.to_string().starts_with(&expected), "{refused}");
        }
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_dir(&directory).unwrap().count(), 0);
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 2);
    }
}
