//! The recommended models: small instruct models that run on an ordinary laptop's CPU,
//! in GGUF, with licences that allow use in any app. A table in code (no network needed
//! to show it); `ModelManager` adds each one's state on this machine.
//!
//! Checksums: this machine cannot reach Hugging Face, so no real file's sha256 could be
//! read here and none is written down (none is invented). `sha256: None` means: the
//! download takes the checksum Hugging Face publishes for the file (its LFS object id, sent
//! as the `X-Linked-ETag` header of the download) and verifies the bytes against it; a
//! server that publishes none is refused. Pin a value here once it is read from the
//! model's page ("Files" -> the file -> "SHA256").

/// One downloadable model.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueEntry {
    /// Stable id used by the CLI, the settings and the active-model file.
    pub id: &'static str,
    pub name: &'static str,
    /// Name on disk in the models folder (also how an installed file is recognised).
    pub file_name: &'static str,
    /// Path under the download base (https://huggingface.co or a mirror).
    pub url_path: &'static str,
    /// Approximate size in bytes, for the list and the first disk check; the server's
    /// Content-Length decides.
    pub size_bytes: u64,
    /// Pinned sha256 of the file (lowercase hex); None: the server's published one (see above).
    pub sha256: Option<&'static str>,
    pub licence: &'static str,
    /// Memory the model needs while answering (weights + an 8k-token context), roughly.
    pub memory_bytes: u64,
    pub good_for: &'static str,
    /// The one offered in the chat when no model is installed.
    pub recommended: bool,
}

const MB: u64 = 1_000_000;

/// Sizes are from the publishers' file lists (rounded); URLs follow Hugging Face's
/// `resolve/main` form. Neither could be checked from this machine (no access).
pub const CATALOGUE: &[CatalogueEntry] = &[
    CatalogueEntry {
        id: "qwen2.5-0.5b-instruct",
        name: "Qwen2.5 0.5B Instruct (Q4_K_M)",
        file_name: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
        url_path: "Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
        size_bytes: 491 * MB,
        sha256: None,
        licence: "Apache-2.0",
        memory_bytes: 900 * MB,
        good_for:
            "Short answers from your documents on any laptop; follows the citation instructions well for its size",
        recommended: true,
    },
    CatalogueEntry {
        id: "smollm2-135m-instruct",
        name: "SmolLM2 135M Instruct (Q8_0)",
        file_name: "SmolLM2-135M-Instruct-Q8_0.gguf",
        url_path: "bartowski/SmolLM2-135M-Instruct-GGUF/resolve/main/SmolLM2-135M-Instruct-Q8_0.gguf",
        size_bytes: 145 * MB,
        sha256: None,
        licence: "Apache-2.0",
        memory_bytes: 350 * MB,
        good_for: "Old or very small machines: fastest, but answers are simple and may miss details",
        recommended: false,
    },
    CatalogueEntry {
        id: "llama-3.2-1b-instruct",
        name: "Llama 3.2 1B Instruct (Q4_K_M)",
        file_name: "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
        url_path: "bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf",
        size_bytes: 808 * MB,
        sha256: None,
        licence: "Llama 3.2 Community License",
        memory_bytes: 1_500 * MB,
        good_for: "Better written answers and summaries; needs a recent laptop",
        recommended: false,
    },
    CatalogueEntry {
        id: "qwen2.5-1.5b-instruct",
        name: "Qwen2.5 1.5B Instruct (Q4_K_M)",
        file_name: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
        url_path: "Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf",
        size_bytes: 1_120 * MB,
        sha256: None,
        licence: "Apache-2.0",
        memory_bytes: 2_000 * MB,
        good_for: "The best answers of this list (several languages, longer documents); slower on 2-4 cores",
        recommended: false,
    },
];

/// The default download base; `FOLIO_MODEL_MIRROR` (or `ModelManager::with_base_url`)
/// replaces it, e.g. with a company mirror or, in the tests, a loopback file server.
pub const DEFAULT_BASE_URL: &str = "https://huggingface.co";

pub fn find<'a>(catalogue: &'a [CatalogueEntry], id: &str) -> Option<&'a CatalogueEntry> {
    catalogue.iter().find(|e| e.id == id || e.file_name == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_consistent() {
        assert_eq!(CATALOGUE.iter().filter(|e| e.recommended).count(), 1, "exactly one recommended model");
        for e in CATALOGUE {
            assert!(e.file_name.ends_with(".gguf"), "{}", e.id);
            assert!(e.url_path.ends_with(e.file_name), "{}: the URL names another file", e.id);
            assert!(e.memory_bytes > e.size_bytes, "{}", e.id);
            if let Some(sha) = e.sha256 {
                assert!(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()), "{}", e.id);
            }
        }
        let mut ids: Vec<_> = CATALOGUE.iter().map(|e| e.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), CATALOGUE.len());
    }
}
