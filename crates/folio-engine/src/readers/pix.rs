//! The few leptonica calls leptess does not wrap: the pages of a multi-page TIFF, and
//! an image scaled and written as PNG for the page viewer. Each raw pointer is owned by
//! one `Pix` and freed once, in Drop.

use leptess::capi;
use std::ptr::null_mut;

pub struct Pix(*mut capi::PIX);

impl Drop for Pix {
    fn drop(&mut self) {
        // SAFETY: self.0 came from a leptonica constructor and is destroyed only here.
        unsafe { capi::pixDestroy(&mut self.0) }
    }
}

impl Pix {
    fn new(raw: *mut capi::PIX) -> Option<Pix> {
        (!raw.is_null()).then_some(Pix(raw))
    }

    /// Any image leptonica reads (PNG, JPEG, TIFF: its first page, PNM).
    pub fn decode(bytes: &[u8]) -> Option<Pix> {
        // SAFETY: leptonica reads `len` bytes from the slice and copies what it keeps.
        Pix::new(unsafe { capi::pixReadMem(bytes.as_ptr(), bytes.len()) })
    }

    /// The TIFF page that starts at `offset` (from `tiff_page_offsets`).
    pub fn decode_tiff_page(bytes: &[u8], offset: usize) -> Option<Pix> {
        let mut at = offset;
        // SAFETY: as `decode`; `at` is only written by leptonica.
        Pix::new(unsafe { capi::pixReadMemFromMultipageTiff(bytes.as_ptr(), bytes.len(), &mut at) })
    }

    pub fn width(&self) -> u32 {
        // SAFETY: self.0 is a live PIX.
        unsafe { capi::pixGetWidth(self.0) as u32 }
    }

    pub fn height(&self) -> u32 {
        // SAFETY: self.0 is a live PIX.
        unsafe { capi::pixGetHeight(self.0) as u32 }
    }

    /// Uncompressed PNM, which tesseract reads fastest.
    pub fn to_pnm(&self) -> Option<Vec<u8>> {
        self.write(|data, size, pix| unsafe { capi::pixWriteMemPnm(data, size, pix) })
    }

    /// PNG at `width` pixels wide (aspect kept); never scaled up past twice its size.
    pub fn to_png_width(&self, width: u32) -> Option<Vec<u8>> {
        let factor = (width.max(1) as f32 / self.width().max(1) as f32).min(2.0);
        let scaled = if (factor - 1.0).abs() < 1e-3 {
            None
        } else {
            // SAFETY: pixScale returns a new PIX (or null) and leaves self.0 untouched.
            Some(Pix::new(unsafe { capi::pixScale(self.0, factor, factor) })?)
        };
        let pix = scaled.as_ref().unwrap_or(self);
        pix.write(|data, size, pix| unsafe { capi::pixWriteMemPng(data, size, pix, 0.0) })
    }

    fn write(&self, f: impl FnOnce(*mut *mut u8, *mut usize, *mut capi::PIX) -> i32) -> Option<Vec<u8>> {
        let mut data: *mut u8 = null_mut();
        let mut size = 0usize;
        if f(&mut data, &mut size, self.0) != 0 || data.is_null() {
            return None;
        }
        // SAFETY: leptonica allocated `size` bytes at `data`; copied, then freed once.
        let out = unsafe { std::slice::from_raw_parts(data, size).to_vec() };
        unsafe { capi::lept_free(data.cast()) };
        Some(out)
    }
}

/// Where each page of a TIFF starts (one entry for a single-page TIFF); empty if the
/// bytes are not a TIFF leptonica can read.
pub fn tiff_page_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut at = 0usize;
    loop {
        let start = at;
        // SAFETY: as `Pix::decode_tiff_page`; the PIX is dropped (freed) right away.
        let pix = Pix::new(unsafe { capi::pixReadMemFromMultipageTiff(bytes.as_ptr(), bytes.len(), &mut at) });
        if pix.is_none() {
            break;
        }
        offsets.push(start);
        // leptonica sets the offset to 0 after the last page.
        if at == 0 || at <= start {
            break;
        }
    }
    offsets
}
