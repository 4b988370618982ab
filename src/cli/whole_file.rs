//! Writing a file whole or not at all, so an interrupted or failed write never leaves half an
//! SVG where the user expects a picture.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Writes `contents` to a temporary file beside `path`, then renames it into place: `path`
/// is either left as it was or holds the whole new contents, never a part.
///
/// # Errors
///
/// When the file cannot be written or renamed; the error names `path`.
pub(crate) fn write_whole_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = fs::write(&partial, contents).and_then(|()| fs::rename(&partial, path));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written.map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", path.display())))
}
