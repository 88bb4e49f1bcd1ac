//! Reciprocal rank fusion: each ranked list votes 1/(k + rank) for its items. Ranks, not
//! scores, are fused because BM25 and cosine scores live on scales that cannot be
//! compared; k = 60 is the value of the original paper (Cormack et al., 2009), which
//! keeps one list's top hit from outvoting agreement between lists.

use std::collections::HashMap;

pub const K: f64 = 60.0;

/// Fuses ranked lists of ids (best first), each with a weight; best first.
pub fn rrf(lists: &[(f64, Vec<i64>)]) -> Vec<(i64, f64)> {
    let mut scores: HashMap<i64, f64> = HashMap::new();
    for (weight, list) in lists {
        for (rank, id) in list.iter().enumerate() {
            *scores.entry(*id).or_default() += weight / (K + rank as f64 + 1.0);
        }
    }
    let mut fused: Vec<(i64, f64)> = scores.into_iter().collect();
    // Ties (same votes) keep the smaller id first so results are stable run to run.
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    fused
}

#[cfg(test)]
mod tests {
    #[test]
    fn agreement_beats_one_list_top_hit() {
        let fused = super::rrf(&[(1.0, vec![1, 2, 3]), (1.0, vec![4, 2, 3])]);
        assert_eq!(fused[0].0, 2, "second in both lists beats first in one: {fused:?}");
        assert_eq!(fused.len(), 4);
    }

    #[test]
    fn weights_tilt_the_vote() {
        let fused = super::rrf(&[(2.0, vec![1]), (1.0, vec![2])]);
        assert_eq!(fused[0].0, 1);
    }
}
