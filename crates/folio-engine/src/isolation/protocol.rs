//! What the engine and its reader child say to each other over the child's stdin and
//! stdout: frames of a 4-byte little-endian length and a body. Bodies are JSON, except
//! the bytes of an attachment, which follow their announcement as raw frames (JSON
//! would quadruple them).

use crate::readers::{Kind, Page, Reason};
use crate::settings::EngineSettings;
use std::io::{self, Read, Write};
use std::path::PathBuf;

/// No honest frame comes near this (a page is text, an attachment is capped by the
/// e-mail's own size); a longer one means the stream is broken.
const MAX_FRAME: u32 = 1 << 30;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Request {
    Open { path: PathBuf, name: String, settings: Box<EngineSettings> },
    Page(u32),
    Attachments,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Reply {
    Opened {
        kind: Kind,
        pages: u32,
        ocr: bool,
    },
    Page(Box<Page>),
    /// Names and sizes; each attachment's bytes follow as one raw frame.
    Attachments(Vec<(String, u64)>),
    /// The reader refused the file or the page; the reason reads after the file's name.
    Refused(Reason),
}

pub fn write_frame(out: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len()).map_err(|_| io::Error::other("frame too long"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(body)?;
    out.flush()
}

/// Ok(None) at a clean end of the stream (the other side closed it between frames).
pub fn read_frame(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("a frame of {len} bytes")));
    }
    let mut body = vec![0u8; len as usize];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

pub fn write_json<T: serde::Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    let body = serde_json::to_vec(value).map_err(io::Error::other)?;
    write_frame(out, &body)
}

pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> io::Result<T> {
    serde_json::from_slice(body).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
