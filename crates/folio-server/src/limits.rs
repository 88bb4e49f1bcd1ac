//! AI Hub's upload limits (seed001 "Create conversation": 50 MB per file, 100 MB per
//! request), enforced while the body streams in, before anything reaches the backend.

const MIB: u64 = 1024 * 1024;

/// What one request may carry. The seed's "MB" is read here as MiB, the lenient
/// reading: Folio's own client checks the stricter 10^6 reading, so whatever it (or the
/// SDK, within AI Hub's limits) sends is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file part.
    pub max_file_bytes: u64,
    /// Largest multipart body of one request; [`FRAMING_ALLOWANCE`] more is allowed
    /// for the boundaries and part headers, so files adding up to exactly this fit.
    pub max_request_bytes: u64,
    /// Largest JSON body (prompts, queries, delete-documents).
    pub max_json_bytes: u64,
    /// After refusing an oversized body, how much more of it is read and thrown away so
    /// that the client, still sending, gets to read the 413 instead of a reset
    /// connection. Past this the connection is simply closed.
    pub max_drain_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * MIB,
            max_request_bytes: 100 * MIB,
            max_json_bytes: MIB,
            max_drain_bytes: 1024 * MIB,
        }
    }
}

/// Room for multipart framing and text fields on top of `max_request_bytes`.
pub const FRAMING_ALLOWANCE: u64 = MIB;

impl Limits {
    /// The most body bytes a multipart request may have.
    pub fn request_body_cap(&self) -> u64 {
        self.max_request_bytes.saturating_add(FRAMING_ALLOWANCE)
    }

    pub fn describe(bytes: u64) -> String {
        if bytes >= MIB {
            format!("{} MB", bytes / MIB)
        } else {
            format!("{} KB", bytes.div_ceil(1024))
        }
    }
}
