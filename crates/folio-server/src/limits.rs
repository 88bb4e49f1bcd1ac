//! AI Hub's upload limits (seed001 "Create conversation": 50 MB per file, 100 MB per
//! request), enforced while the body streams in, before anything reaches the backend.

use std::time::Duration;

const MIB: u64 = 1024 * 1024;

/// What one request may carry. The seed's "MB" is read here as MiB, the lenient
/// reading: Folio's own client checks the stricter 10^6 reading, so whatever it (or the
/// SDK, within AI Hub's limits) sends is accepted.
/// What one request may carry, and how long and how many requests the server waits for.
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
    /// A connection must deliver a request's whole header within this (slowloris);
    /// idle keep-alive connections are closed after it too.
    pub header_read_timeout: Duration,
    /// The longest silence while a request body is being read; then 408 and close.
    pub body_idle_timeout: Duration,
    /// Requests handled at once; more are answered 503 with `Retry-After: 1`.
    pub max_in_flight: usize,
    /// Open connections at once; more are closed as soon as they are accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * MIB,
            max_request_bytes: 100 * MIB,
            max_json_bytes: MIB,
            max_drain_bytes: 1024 * MIB,
            header_read_timeout: Duration::from_secs(15),
            body_idle_timeout: Duration::from_secs(30),
            max_in_flight: 16,
            max_connections: 128,
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
