//! Image sizes read from the file's header before any decoding, so an image that would
//! need gigabytes (a 20 KB PNG declaring 100,000 x 100,000 pixels) is refused with a
//! reason instead of being handed to leptonica. TIFF directories are walked here too:
//! that gives the page count without decoding every page, and catches directory loops.

use super::{Kind, Reason};
use crate::settings::EngineSettings;

/// One image (a TIFF page): where its directory starts (0 for the first, which is what
/// leptonica expects) and its size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    pub offset: usize,
    pub width: u64,
    pub height: u64,
}

/// The frames of an image, each checked against `max_image_pixels`, at most
/// `max_image_pages` of them.
pub fn frames(bytes: &[u8], kind: Kind, settings: &EngineSettings) -> Result<Vec<Frame>, Reason> {
    let frames = match kind {
        Kind::Png => vec![png(bytes)?],
        Kind::Jpeg => vec![jpeg(bytes)?],
        _ => tiff(bytes, settings.max_image_pages)?,
    };
    for (i, f) in frames.iter().enumerate() {
        if f.width == 0 || f.height == 0 {
            return Err("is an image whose header declares no pixels (damaged?)".into());
        }
        let pixels = f.width.saturating_mul(f.height);
        if pixels > settings.max_image_pixels {
            let page = if frames.len() > 1 { format!("page {} ", i + 1) } else { String::new() };
            return Err(format!(
                "is an image whose {page}declares {} x {} pixels ({} megapixels); the local engine reads \
                 images of at most {} megapixels (setting max_image_pixels)",
                f.width,
                f.height,
                pixels / 1_000_000,
                settings.max_image_pixels / 1_000_000
            ));
        }
    }
    Ok(frames)
}

fn truncated() -> Reason {
    "is an image cut short: its header is incomplete (damaged?)".into()
}

fn png(b: &[u8]) -> Result<Frame, Reason> {
    if b.len() < 24 || &b[12..16] != b"IHDR" {
        return Err(truncated());
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as u64;
    Ok(Frame { offset: 0, width: be(16), height: be(20) })
}

/// The first start-of-frame marker's size (SOF0-SOF15 except DHT, JPG and DAC).
fn jpeg(b: &[u8]) -> Result<Frame, Reason> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return Err("is a JPEG whose header is damaged".into());
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            if i + 9 > b.len() {
                return Err(truncated());
            }
            let height = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u64;
            let width = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u64;
            return Ok(Frame { offset: 0, width, height });
        }
        if len < 2 {
            return Err("is a JPEG whose header is damaged".into());
        }
        i += 2 + len;
    }
    Err(truncated())
}

/// Walks the chain of image file directories (classic TIFF; BigTIFF is left to
/// leptonica and counted as one page).
fn tiff(b: &[u8], max_pages: u32) -> Result<Vec<Frame>, Reason> {
    if b.len() < 8 {
        return Err(truncated());
    }
    let little = &b[..2] == b"II";
    let u16_at = |i: usize| -> Option<u64> {
        let s = b.get(i..i + 2)?;
        Some(if little { u16::from_le_bytes([s[0], s[1]]) } else { u16::from_be_bytes([s[0], s[1]]) } as u64)
    };
    let u32_at = |i: usize| -> Option<u64> {
        let s = b.get(i..i + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if little { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) } as u64)
    };
    if u16_at(2) == Some(43) {
        return Ok(vec![Frame { offset: 0, width: 1, height: 1 }]);
    }
    let mut frames = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut at = u32_at(4).ok_or_else(truncated)? as usize;
    while at != 0 {
        if !seen.insert(at) {
            return Err("is a TIFF whose pages loop back on themselves (damaged or crafted)".into());
        }
        if frames.len() as u32 >= max_pages {
            return Err(format!(
                "is a TIFF of more than {max_pages} pages; the local engine reads at most {max_pages} \
                 (setting max_image_pages)"
            ));
        }
        let count = u16_at(at).ok_or("is a TIFF whose page directory points outside the file (damaged?)")?;
        let (mut width, mut height) = (0, 0);
        for e in 0..count as usize {
            let entry = at + 2 + e * 12;
            let (Some(tag), Some(kind)) = (u16_at(entry), u16_at(entry + 2)) else {
                return Err(truncated());
            };
            let value = match kind {
                3 => u16_at(entry + 8),
                4 => u32_at(entry + 8),
                _ => None,
            };
            match (tag, value) {
                (256, Some(v)) => width = v,
                (257, Some(v)) => height = v,
                _ => {}
            }
        }
        frames.push(Frame { offset: if frames.is_empty() { 0 } else { at }, width, height });
        at = u32_at(at + 2 + count as usize * 12).ok_or_else(truncated)? as usize;
    }
    if frames.is_empty() {
        return Err("is a TIFF with no pages".into());
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiff_with_pages(n: usize, cycle: bool) -> Vec<u8> {
        let mut b = b"II*\0".to_vec();
        b.extend(8u32.to_le_bytes());
        for i in 0..n {
            let here = b.len();
            b.extend(2u16.to_le_bytes());
            for (tag, v) in [(256u16, 10u32), (257, 20)] {
                b.extend(tag.to_le_bytes());
                b.extend(4u16.to_le_bytes());
                b.extend(1u32.to_le_bytes());
                b.extend(v.to_le_bytes());
            }
            let next = if i + 1 < n {
                here + 30
            } else if cycle {
                8
            } else {
                0
            };
            b.extend((next as u32).to_le_bytes());
        }
        b
    }

    #[test]
    fn tiff_pages_are_counted_from_their_directories() {
        let s = EngineSettings { embeddings: None, ..Default::default() };
        let f = frames(&tiff_with_pages(3, false), Kind::Tiff, &s).unwrap();
        assert_eq!(f.iter().map(|f| (f.width, f.height)).collect::<Vec<_>>(), [(10, 20); 3]);
        assert_eq!(f[0].offset, 0);
        assert!(frames(&tiff_with_pages(3, true), Kind::Tiff, &s).unwrap_err().contains("loop"));
        assert!(frames(&tiff_with_pages(501, false), Kind::Tiff, &s).unwrap_err().contains("at most 500"));
    }

    #[test]
    fn a_png_declaring_ten_gigapixels_is_refused_before_decoding() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(100_000u32.to_be_bytes());
        png.extend(100_000u32.to_be_bytes());
        let s = EngineSettings { embeddings: None, ..Default::default() };
        let err = frames(&png, Kind::Png, &s).unwrap_err();
        assert!(err.contains("100000 x 100000") && err.contains("at most 50 megapixels"), "{err}");
        assert!(frames(&png[..20], Kind::Png, &s).unwrap_err().contains("cut short"));
    }
}
