//! Downloads whose file name is known only once the server answers, saved without clobbering:
//! each lands first in a private directory inside the destination (`.spark-download-<random>`,
//! removed on every way out), then moves into the destination under its name. A file already
//! there is refused, or replaced when forced; the move is a rename (a hard link when refusing,
//! so that a file appearing meanwhile is not replaced either), never a copy.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{CliError, CliResult};

/// The private directory, removed with what is left in it when dropped.
pub(crate) struct Staging {
    dir: PathBuf,
}

impl Staging {
    /// Creates the destination `dest` if needed, and a new private directory inside it.
    pub(crate) fn new(dest: &Path) -> CliResult<Staging> {
        std::fs::create_dir_all(dest).map_err(|error| {
            CliError::Other(format!("cannot create {}: {error}", dest.display()))
        })?;
        for _ in 0..8 {
            let dir = dest.join(format!(".spark-download-{:016x}", fastrand::u64(..)));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Staging { dir }),
                Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
                Err(error) => {
                    return Err(CliError::Other(format!(
                        "cannot write in {}: {error}",
                        dest.display()
                    )));
                }
            }
        }
        Err(CliError::Other(format!(
            "cannot make a private directory in {}",
            dest.display()
        )))
    }

    /// Where downloads land.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Moves the finished file `from` to `to`. Without `force`, an existing `to` is left as it is
/// and the move refused (exit code 1, saying `--force` replaces it).
pub(crate) fn place(from: &Path, to: &Path, force: bool) -> CliResult {
    let failed =
        |error: std::io::Error| CliError::Other(format!("cannot save {}: {error}", to.display()));
    if force {
        return std::fs::rename(from, to).map_err(failed);
    }
    let refused = || {
        CliError::Other(format!(
            "{} exists already; it was left as it is (--force replaces it)",
            to.display()
        ))
    };
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            let _ = std::fs::remove_file(from);
            Ok(())
        }
        Err(error) if error.kind() == ErrorKind::AlreadyExists => Err(refused()),
        // A file system without hard links: check, then rename.
        Err(_) if to.exists() => Err(refused()),
        Err(_) => std::fs::rename(from, to).map_err(failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_placed_once_then_refused_unless_forced() {
        let dest = std::env::temp_dir().join(format!("spark-cli-staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dest);
        let target = dest.join("a.txt");
        {
            let staging = Staging::new(&dest).unwrap();
            let first = staging.dir().join("a.txt");
            std::fs::write(&first, "one").unwrap();
            place(&first, &target, false).unwrap();
            assert!(!first.exists());

            std::fs::write(&first, "two").unwrap();
            let refused = place(&first, &target, false).unwrap_err();
            assert!(refused.to_string().contains("--force"), "{refused}");
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "one");

            place(&first, &target, true).unwrap();
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "two");
            std::fs::write(staging.dir().join("left.part"), "x").unwrap();
        }
        let left: Vec<_> = std::fs::read_dir(&dest)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("a.txt")]);
        std::fs::remove_dir_all(&dest).unwrap();
    }
}
