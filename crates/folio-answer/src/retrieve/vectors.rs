//! Vector search over a conversation's passages, exact (brute force) over an in-memory
//! copy of their embeddings quantised to i8. Exact search keeps retrieval deterministic
//! and needs no index to maintain; at i8, 100 documents x 800 pages (~200k passages) is
//! ~80 MB and one scan is a few tens of milliseconds on one core. The copy is rebuilt
//! when the conversation's searchable documents change, or (while the embedder is still
//! catching up) when it is more than a few seconds old.

use crate::error::Result;
use folio_core::DocumentId;
use folio_engine::Engine;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a copy made while some passages still lacked vectors is trusted.
const INCOMPLETE_TTL: Duration = Duration::from_secs(3);

pub struct ConversationVectors {
    ids: Vec<i64>,
    documents: Vec<DocumentId>,
    /// Per passage: `dims` i8 values; the vector is `values * scale`.
    values: Vec<i8>,
    scales: Vec<f32>,
    dims: usize,
    /// Every passage of every searchable document had its vector when this was made.
    complete: bool,
    key: (i64, i64),
    made: Instant,
}

impl ConversationVectors {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The `limit` passages closest to `query` (a unit vector), best first, as
    /// (passage id, cosine similarity).
    pub fn nearest(&self, query: &[f32], documents: Option<&[DocumentId]>, limit: usize) -> Vec<(i64, f32)> {
        if self.dims == 0 || query.len() != self.dims || limit == 0 {
            return Vec::new();
        }
        let (q, q_scale) = quantise(query);
        let by_score = |a: &(i64, f32), b: &(i64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        // Big conversations are scanned on every core, each part keeping its own best.
        let threads = if self.ids.len() > 20_000 {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4)
        } else {
            1
        };
        let per = self.ids.len().div_ceil(threads).max(1);
        let scan = |from: usize| -> Vec<(i64, f32)> {
            let to = (from + per).min(self.ids.len());
            let mut part: Vec<(i64, f32)> = Vec::with_capacity(to - from);
            for i in from..to {
                if let Some(ds) = documents {
                    if !ds.contains(&self.documents[i]) {
                        continue;
                    }
                }
                let dot = dot_i8(&self.values[i * self.dims..(i + 1) * self.dims], &q);
                part.push((self.ids[i], dot as f32 * self.scales[i] * q_scale));
            }
            if part.len() > limit {
                part.select_nth_unstable_by(limit - 1, by_score);
                part.truncate(limit);
            }
            part
        };
        let mut scored: Vec<(i64, f32)> = if threads == 1 {
            scan(0)
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || scan(t * per))).collect();
                // A scan thread cannot panic (no indexing outside its range), but if one
                // did its part is simply missing rather than taking the process down.
                handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
            })
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, by_score);
            scored.truncate(limit);
        }
        scored.sort_by(by_score);
        scored
    }
}

impl ConversationVectors {
    /// The cosine between `query` (a unit vector) and each of these passages that has a
    /// vector; the re-ranker weighs meaning for candidates keyword search brought in.
    pub fn cosines(&self, query: &[f32], ids: &[i64]) -> std::collections::HashMap<i64, f32> {
        let mut out = std::collections::HashMap::new();
        if self.dims == 0 || query.len() != self.dims || ids.is_empty() {
            return out;
        }
        let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
        let (q, q_scale) = quantise(query);
        for (i, id) in self.ids.iter().enumerate() {
            if wanted.contains(id) {
                let dot = dot_i8(&self.values[i * self.dims..(i + 1) * self.dims], &q);
                out.insert(*id, dot as f32 * self.scales[i] * q_scale);
            }
        }
        out
    }
}

/// The integer dot product, the inner loop of every search: with AVX2 (nearly every
/// x86-64 since 2013) 16 values a step; elsewhere the plain loop (which the compiler
/// vectorises on its own where it can, e.g. NEON on Apple silicon at opt-level 3).
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 was detected at run time just above.
            return unsafe { dot_i8_avx2(a, b) };
        }
    }
    a.iter().zip(b).map(|(x, y)| *x as i32 * *y as i32).sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_i8_avx2(a: &[i8], b: &[i8]) -> i32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let mut acc = _mm256_setzero_si256();
    let mut i = 0;
    while i + 16 <= n {
        // Sign-extend 16 i8 to i16, multiply pairwise and add adjacent pairs into i32.
        let va = _mm256_cvtepi8_epi16(_mm_loadu_si128(a.as_ptr().add(i) as *const __m128i));
        let vb = _mm256_cvtepi8_epi16(_mm_loadu_si128(b.as_ptr().add(i) as *const __m128i));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(va, vb));
        i += 16;
    }
    let mut lanes = [0i32; 8];
    _mm256_storeu_si256(lanes.as_mut_ptr() as *mut __m256i, acc);
    let mut sum: i32 = lanes.iter().sum();
    while i < n {
        sum += a[i] as i32 * b[i] as i32;
        i += 1;
    }
    sum
}

fn quantise(v: &[f32]) -> (Vec<i8>, f32) {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-12);
    let scale = max / 127.0;
    (v.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect(), scale)
}

#[derive(Default)]
pub struct VectorCache {
    by_conversation: Mutex<HashMap<String, Arc<ConversationVectors>>>,
}

impl VectorCache {
    /// The vectors of the conversation's searchable documents, from memory when still valid.
    pub fn get(&self, engine: &Engine, conversation_id: &str) -> Result<Arc<ConversationVectors>> {
        let key = documents_key(engine, conversation_id)?;
        if let Some(found) = self.lock().get(conversation_id) {
            if found.key == key && (found.complete || found.made.elapsed() < INCOMPLETE_TTL) {
                return Ok(found.clone());
            }
        }
        let fresh = Arc::new(load(engine, conversation_id, key)?);
        self.lock().insert(conversation_id.to_string(), fresh.clone());
        Ok(fresh)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<ConversationVectors>>> {
        self.by_conversation.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Changes whenever a document of the conversation becomes searchable or goes away.
fn documents_key(engine: &Engine, conversation_id: &str) -> Result<(i64, i64)> {
    Ok(engine.store().searchable_key(conversation_id)?)
}

fn load(engine: &Engine, conversation_id: &str, key: (i64, i64)) -> Result<ConversationVectors> {
    let mut out = ConversationVectors {
        ids: Vec::new(),
        documents: Vec::new(),
        values: Vec::new(),
        scales: Vec::new(),
        dims: 0,
        complete: true,
        key,
        made: Instant::now(),
    };
    engine.store().for_each_vector(conversation_id, |row| {
        let Some(bytes) = row.embedding else {
            out.complete = false;
            return;
        };
        // An empty vector marks a passage the model failed on: keywords still find it.
        let v = folio_engine::embed::from_bytes(&bytes);
        if v.is_empty() || (out.dims != 0 && v.len() != out.dims) {
            return;
        }
        out.dims = v.len();
        let (q, scale) = quantise(&v);
        out.ids.push(row.passage_id);
        out.documents.push(row.document_id);
        out.values.extend_from_slice(&q);
        out.scales.push(scale);
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_dot_product_equals_the_plain_one() {
        let a: Vec<i8> = (0..389).map(|i| ((i * 37) % 255 - 127) as i8).collect();
        let b: Vec<i8> = (0..389).map(|i| ((i * 91 + 5) % 255 - 127) as i8).collect();
        let plain: i32 = a.iter().zip(&b).map(|(x, y)| *x as i32 * *y as i32).sum();
        assert_eq!(dot_i8(&a, &b), plain);
    }

    #[test]
    fn quantised_search_keeps_the_order_of_exact_cosine() {
        let dims = 8;
        // Distinct pseudo-random vectors (a fixed LCG, so the test is the same every run).
        let mut seed: u64 = 42;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % 2001) as f32 / 1000.0 - 1.0
        };
        let raw: Vec<Vec<f32>> = (0..50)
            .map(|_| {
                let v: Vec<f32> = (0..dims).map(|_| next()).collect();
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.into_iter().map(|x| x / n).collect()
            })
            .collect();
        let mut cv = ConversationVectors {
            ids: (0..50).collect(),
            documents: (0..50).map(|i| i % 2).collect(),
            values: Vec::new(),
            scales: Vec::new(),
            dims,
            complete: true,
            key: (0, 0),
            made: Instant::now(),
        };
        for v in &raw {
            let (q, s) = quantise(v);
            cv.values.extend(q);
            cv.scales.push(s);
        }
        let query = raw[13].clone();
        let best = cv.nearest(&query, None, 3);
        assert_eq!(best[0].0, 13);
        assert!((best[0].1 - 1.0).abs() < 0.02, "{best:?}");
        let only_even = cv.nearest(&query, Some(&[0]), 10);
        assert!(only_even.iter().all(|(id, _)| id % 2 == 0));
        assert_eq!(only_even.len(), 10);
    }
}
