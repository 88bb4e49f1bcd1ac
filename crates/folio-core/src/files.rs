//! Dropped or picked paths as the files a backend reads: a folder stands for the files
//! inside it, the way a person means it when they drop one on the window.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A folder holding more files than this is refused rather than read: dropping a home
/// folder by mistake must not start hours of work.
pub const MAX_FILES_PER_FOLDER: usize = 1000;

/// Each folder among `paths` replaced by the files inside it and its subfolders, in
/// name order; files and paths that do not exist pass through unchanged (the backend
/// says what is wrong with them, one by one). Hidden entries (a leading dot) are
/// skipped, and so are links to folders, which could lead in circles.
pub fn expand_folders(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        if path.is_dir() {
            let found = files_in(path)?;
            if found.is_empty() {
                return Err(Error::InvalidInput(format!("The folder {} holds no files", path.display())));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn files_in(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Error::InvalidInput(format!("The folder {} could not be read: {e}", dir.display())))?;
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // file_type() does not follow links: a link to a folder is neither.
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
                found.push(path);
                if found.len() > MAX_FILES_PER_FOLDER {
                    return Err(Error::LimitExceeded(format!(
                        "The folder {} holds more than {MAX_FILES_PER_FOLDER} files; drop a smaller folder or pick the files",
                        folder.display()
                    )));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn a_folder_becomes_its_files_and_subfolders_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Reports");
        touch(&root.join("b.pdf"));
        touch(&root.join("a.txt"));
        touch(&root.join("2025/q1.docx"));
        touch(&root.join(".DS_Store"));
        touch(&root.join(".git/config"));
        let loose = dir.path().join("loose.md");
        touch(&loose);
        let missing = dir.path().join("gone.pdf");

        let files = expand_folders(&[loose.clone(), root.clone(), missing.clone()]).unwrap();
        assert_eq!(files, vec![loose, root.join("2025/q1.docx"), root.join("a.txt"), root.join("b.pdf"), missing]);
    }

    #[test]
    fn an_empty_folder_and_a_huge_one_are_refused_with_the_folder_named() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("Empty");
        std::fs::create_dir_all(empty.join("nothing here")).unwrap();
        let err = expand_folders(&[empty]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains("Empty holds no files"), "{err}");

        let huge = dir.path().join("Huge");
        std::fs::create_dir_all(&huge).unwrap();
        for i in 0..=MAX_FILES_PER_FOLDER {
            std::fs::write(huge.join(format!("{i}.txt")), "x").unwrap();
        }
        let err = expand_folders(&[huge]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LimitExceeded);
        assert!(err.to_string().contains("Huge holds more than 1000 files"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_to_folders_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Loop");
        touch(&root.join("note.txt"));
        std::os::unix::fs::symlink(&root, root.join("again")).unwrap();
        assert_eq!(expand_folders(std::slice::from_ref(&root)).unwrap(), vec![root.join("note.txt")]);
    }
}
