//! Multipart bodies as the SDK (urllib3) writes them: the text fields first, in the
//! SDK's order, then one part named `files` per file with its basename and a content
//! type guessed from the extension. Files are streamed from disk in 64 KiB chunks with
//! a known length, so the request has a Content-Length and memory stays flat.

use crate::encode::multipart_filename;
use crate::error::AiHubError;
use crate::limits::LocalFile;
use reqwest::multipart::{Form, Part};
use tokio_util::io::ReaderStream;

/// Python's `str(bool)`: AI Hub's SDK sends `True` / `False` (contract section 6, item 1).
pub fn python_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

/// The form and roughly how many bytes it will send (for the upload deadline).
pub async fn build(fields: &[(&'static str, String)], files: &[LocalFile]) -> Result<(Form, u64), AiHubError> {
    // urllib3 writes filenames as they are (HTML5 escaping only); reqwest would
    // percent-encode spaces and non-ASCII by default.
    let mut form = Form::new().percent_encode_noop();
    for (name, value) in fields {
        form = form.text(*name, value.clone());
    }
    for file in files {
        let handle = tokio::fs::File::open(&file.path)
            .await
            .map_err(|e| AiHubError::File { path: file.path.display().to_string(), detail: e.to_string() })?;
        let stream = ReaderStream::with_capacity(handle, 64 * 1024);
        let part = Part::stream_with_length(reqwest::Body::wrap_stream(stream), file.size)
            .file_name(multipart_filename(&file.file_name))
            .mime_str(&file.content_type)
            .map_err(|e| AiHubError::Input(format!("bad content type for {}: {e}", file.file_name)))?;
        form = form.part("files", part);
    }
    // reqwest computes the exact Content-Length itself; this estimate only sizes the deadline.
    let bytes =
        files.iter().map(|f| f.size + 512).sum::<u64>() + fields.iter().map(|(_, v)| v.len() as u64 + 128).sum::<u64>();
    Ok((form, bytes))
}
