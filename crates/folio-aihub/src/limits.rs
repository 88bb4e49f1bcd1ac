//! AI Hub's upload limits (seed001 "Create conversation"), checked on this computer
//! before anything is sent, with messages that name the file: 50 MB and 800 pages per
//! file, 100 MB per request, 100 documents per conversation. Selections over 100 MB are
//! planned as several requests rather than refused.

use crate::error::AiHubError;
use std::path::{Path, PathBuf};
use tokio::io::AsyncReadExt;

/// The seed's "MB" is read as 10^6 bytes: the stricter reading, so Folio never sends
/// what a server counting either way would refuse.
const MB: u64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_pdf_pages: u32,
    /// Whole multipart body of one create or add-documents request.
    pub max_request_bytes: u64,
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 50 * MB, max_pdf_pages: 800, max_request_bytes: 100 * MB, max_documents: 100 }
    }
}

/// A file that passed the checks, ready to stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    pub path: PathBuf,
    /// The basename, as the SDK sends it.
    pub file_name: String,
    pub size: u64,
    /// Guessed from the extension, like Python's `mimetypes.guess_type`.
    pub content_type: String,
}

/// Files that go out together in one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadBatch {
    pub files: Vec<LocalFile>,
}

impl UploadBatch {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Room kept in every request for the multipart framing and text fields.
const REQUEST_OVERHEAD: u64 = 64 * 1024;

fn part_overhead(file: &LocalFile) -> u64 {
    // boundary line + Content-Disposition with the name + Content-Type + blank lines.
    200 + file.file_name.len() as u64 + file.content_type.len() as u64
}

impl Limits {
    /// Checks every file (exists, size, PDF pages) and that `existing + files` stays
    /// within the per-conversation count. Nothing is sent if any check fails.
    pub async fn check(&self, files: &[PathBuf], existing_documents: usize) -> Result<Vec<LocalFile>, AiHubError> {
        if files.is_empty() {
            return Err(AiHubError::Input("no files given".into()));
        }
        if existing_documents + files.len() > self.max_documents {
            return Err(AiHubError::Limit(if existing_documents == 0 {
                format!(
                    "{} files is more than the {} documents a conversation can hold",
                    files.len(),
                    self.max_documents
                )
            } else {
                format!(
                    "the conversation already has {existing_documents} documents; {} more would pass the limit of {}",
                    files.len(),
                    self.max_documents
                )
            }));
        }
        let mut checked = Vec::with_capacity(files.len());
        for path in files {
            checked.push(self.check_file(path).await?);
        }
        Ok(checked)
    }

    async fn check_file(&self, path: &Path) -> Result<LocalFile, AiHubError> {
        let shown = path.display().to_string();
        let meta = tokio::fs::metadata(path)
            .await
            .map_err(|e| AiHubError::File { path: shown.clone(), detail: e.to_string() })?;
        if !meta.is_file() {
            return Err(AiHubError::Input(format!("{shown} is not a file")));
        }
        if meta.len() > self.max_file_bytes {
            return Err(AiHubError::Limit(format!(
                "{shown} is {:.1} MB; AI Hub accepts files of up to {} MB",
                meta.len() as f64 / MB as f64,
                self.max_file_bytes / MB
            )));
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| AiHubError::Input(format!("{shown} has no file name")))?;
        if is_pdf(path) {
            if let Some(pages) = count_pdf_pages(path)
                .await
                .map_err(|e| AiHubError::File { path: shown.clone(), detail: e.to_string() })?
            {
                if pages > self.max_pdf_pages {
                    return Err(AiHubError::Limit(format!(
                        "{shown} has {pages} pages; AI Hub accepts PDFs of up to {} pages",
                        self.max_pdf_pages
                    )));
                }
            }
        }
        let content_type = guess_content_type(&file_name);
        Ok(LocalFile { path: path.to_path_buf(), file_name, size: meta.len(), content_type })
    }

    /// Splits checked files, in order, into requests of at most `max_request_bytes`
    /// (framing included). Every file fits alone, since files are capped at 50 MB.
    pub fn plan(&self, files: Vec<LocalFile>) -> Vec<UploadBatch> {
        let budget = self.max_request_bytes.saturating_sub(REQUEST_OVERHEAD);
        let mut batches: Vec<UploadBatch> = Vec::new();
        let mut current = UploadBatch { files: Vec::new() };
        let mut used = 0;
        for file in files {
            let cost = file.size + part_overhead(&file);
            if !current.files.is_empty() && used + cost > budget {
                batches.push(std::mem::replace(&mut current, UploadBatch { files: Vec::new() }));
                used = 0;
            }
            used += cost;
            current.files.push(file);
        }
        if !current.files.is_empty() {
            batches.push(current);
        }
        batches
    }
}

fn is_pdf(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// Python's `mimetypes.guess_type(name)[0] or 'application/octet-stream'`.
pub fn guess_content_type(file_name: &str) -> String {
    mime_guess::from_path(file_name).first_raw().unwrap_or("application/octet-stream").to_string()
}

/// Counts a PDF's pages by streaming it (never whole in memory): the largest `/Count`
/// (the root of the page tree holds the total) or, without one, the `/Type /Page`
/// objects. A PDF whose page tree sits in compressed object streams shows neither;
/// then the count is unknown (None) and AI Hub's own check applies.
pub async fn count_pdf_pages(path: &Path) -> std::io::Result<Option<u32>> {
    const LOOKAHEAD: usize = 64;
    let mut file = tokio::fs::File::open(path).await?;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let (mut page_objects, mut max_count) = (0u32, None::<u32>);
    loop {
        let n = file.read(&mut chunk).await?;
        let eof = n == 0;
        let mut buf = std::mem::take(&mut carry);
        buf.extend_from_slice(&chunk[..n]);
        let limit = if eof { buf.len() } else { buf.len().saturating_sub(LOOKAHEAD) };
        let (objects, count) = scan_pdf(&buf, limit);
        page_objects += objects;
        max_count = max_count.max(count);
        if eof {
            break;
        }
        carry = buf[limit..].to_vec();
    }
    Ok(match (max_count, page_objects) {
        (Some(count), _) => Some(count),
        (None, 0) => None,
        (None, objects) => Some(objects),
    })
}

/// Finds `/Type /Page` (not `/Pages`) and `/Count N` starting before `limit`.
fn scan_pdf(buf: &[u8], limit: usize) -> (u32, Option<u32>) {
    let (mut objects, mut max_count) = (0, None::<u32>);
    let mut i = 0;
    while i < limit {
        if buf[i] != b'/' {
            i += 1;
            continue;
        }
        let rest = &buf[i..];
        if let Some(after) = rest.strip_prefix(b"/Type") {
            let after = skip_ws(after);
            if let Some(tail) = after.strip_prefix(b"/Page") {
                if !tail.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
                    objects += 1;
                }
            }
        } else if let Some(after) = rest.strip_prefix(b"/Count") {
            let after = skip_ws(after);
            let digits: Vec<u8> = after.iter().take_while(|c| c.is_ascii_digit()).copied().collect();
            if let Ok(n) = std::str::from_utf8(&digits).unwrap_or("").parse::<u32>() {
                max_count = max_count.max(Some(n));
            }
        }
        i += 1;
    }
    (objects, max_count)
}

fn skip_ws(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

/// A minimal valid PDF with `pages` empty pages, for tests of the page limit.
pub fn tiny_pdf(pages: u32) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut out = format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [{}] /Count {pages} >>\nendobj\n",
        kids.join(" ")
    );
    for i in 0..pages {
        out.push_str(&format!("{} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n", i + 3));
    }
    out.push_str("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, size: u64) -> LocalFile {
        LocalFile { path: name.into(), file_name: name.into(), size, content_type: "application/pdf".into() }
    }

    #[test]
    fn plans_requests_of_at_most_100_mb() {
        let limits = Limits::default();
        let batches = limits.plan(vec![file("a", 45 * MB), file("b", 45 * MB), file("c", 45 * MB), file("d", 1)]);
        let sizes: Vec<usize> = batches.iter().map(|b| b.files.len()).collect();
        assert_eq!(sizes, vec![2, 2]);
        assert!(batches.iter().all(|b| b.bytes() <= limits.max_request_bytes));
    }

    #[test]
    fn small_selections_stay_one_request() {
        assert_eq!(Limits::default().plan(vec![file("a", 10), file("b", 10)]).len(), 1);
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(guess_content_type("a.pdf"), "application/pdf");
        assert_eq!(guess_content_type("b.txt"), "text/plain");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
    }

    #[tokio::test]
    async fn counts_pdf_pages_across_chunk_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        for pages in [1, 3, 801, 2000] {
            let path = dir.path().join(format!("p{pages}.pdf"));
            std::fs::write(&path, tiny_pdf(pages)).unwrap();
            assert_eq!(count_pdf_pages(&path).await.unwrap(), Some(pages));
        }
        // Without a /Count, page objects are counted; `/Pages` is not a page.
        let path = dir.path().join("nocount.pdf");
        std::fs::write(&path, b"%PDF-1.4 /Type /Pages /Type/Page /Type /Page\n/Type /Page").unwrap();
        assert_eq!(count_pdf_pages(&path).await.unwrap(), Some(3));
    }
}
