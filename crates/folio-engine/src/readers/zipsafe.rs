//! Reading entries of zip containers (DOCX, PPTX, XLSX, ODS) without trusting them: a
//! zip bomb dressed as a .docx declares small sizes and expands to gigabytes, so every
//! entry is read through a hard cap on what it may expand to.

use super::Reason;
use std::io::Read;
use std::path::Path;

pub struct SafeZip {
    archive: zip::ZipArchive<std::fs::File>,
    limit: u64,
    total: u64,
}

impl SafeZip {
    pub fn open(path: &Path, limit: u64) -> Result<SafeZip, Reason> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))?;
        let archive =
            zip::ZipArchive::new(file).map_err(|e| format!("is damaged (its zip structure is broken: {e})"))?;
        if archive.len() > 100_000 {
            return Err(format!("holds {} files, far more than any real document", archive.len()));
        }
        let mut safe = SafeZip { archive, limit, total: 0 };
        // Declared sizes can lie (the cap in `read` is what really protects), but when
        // they already exceed the limit there is no need to start unpacking.
        let mut declared = 0u64;
        for i in 0..safe.archive.len() {
            if let Ok(entry) = safe.archive.by_index_raw(i) {
                declared = declared.saturating_add(entry.size());
            }
        }
        if declared > limit {
            return Err(safe.bomb());
        }
        Ok(safe)
    }

    fn bomb(&self) -> Reason {
        format!("expands to more than {} MB when unpacked, which no real document does (a zip bomb?)", self.limit >> 20)
    }

    pub fn names(&self) -> Vec<String> {
        self.archive.file_names().map(str::to_string).collect()
    }

    /// Reads one entry, failing as soon as the whole archive has expanded past the limit.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Reason> {
        let Some(index) = self.archive.index_for_name(name) else { return Ok(None) };
        let remaining = self.limit.saturating_sub(self.total);
        let entry = self.archive.by_index(index).map_err(|e| format!("is damaged ({name}: {e})"))?;
        let mut out = Vec::new();
        entry
            .take(remaining + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("is damaged ({name} could not be unpacked: {e})"))?;
        self.total += out.len() as u64;
        if out.len() as u64 > remaining {
            return Err(self.bomb());
        }
        Ok(Some(out))
    }
}
