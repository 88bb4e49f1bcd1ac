//! The numbers retrieval and quoting are tuned by, in one place. Each was chosen on the
//! DEV half of the question sets with `folio eval --split dev` (crates/folio-answer/NOTES.md
//! has the figures). `FOLIO_TUNING="name=value,..."` overrides them for one run, so an
//! experiment needs no rebuild; nothing else reads it, and an unknown name or a value
//! that is not a number is reported on stderr and ignored.

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Weight of the keyword (BM25) list in the fusion.
    pub keywords: f64,
    /// Weight of the meaning (MiniLM) list in the fusion.
    pub meaning: f64,
    /// Weight of the list of passages holding a date the question names.
    pub dates: f64,
    /// Weight of the question's cosine with each passage in the re-ranking.
    pub rerank_meaning: f64,
    /// Share of the fused votes of a passage's page-mates added to its own: a page that
    /// several lists and passages point at is more likely the one that answers.
    pub page_vote: f64,
    /// Sentence score weights of the quoted answer: question's words, meaning, passage
    /// rank, and what the sentence adds beyond the question.
    pub quote_keywords: f64,
    pub quote_meaning: f64,
    pub quote_prior: f64,
    pub quote_new: f64,
    /// Added to a sentence's score when it holds a date the question names.
    pub quote_date: f64,
    /// Below this best sentence score nothing retrieved answers: Folio says so.
    pub min_quote_score: f64,
    /// Below this cosine between the question and its best sentence, likewise.
    pub min_quote_cosine: f64,
}

pub const DEFAULT: Tuning = Tuning {
    keywords: 1.0,
    meaning: 1.0,
    dates: 1.0,
    rerank_meaning: 0.45,
    page_vote: 0.0,
    quote_keywords: 0.4,
    quote_meaning: 0.5,
    quote_prior: 0.1,
    quote_new: 0.15,
    quote_date: 0.3,
    min_quote_score: 0.05,
    min_quote_cosine: 0.0,
};

pub fn tuning() -> &'static Tuning {
    static T: OnceLock<Tuning> = OnceLock::new();
    T.get_or_init(|| match std::env::var("FOLIO_TUNING") {
        Ok(spec) => parse(&spec),
        Err(_) => DEFAULT,
    })
}

fn parse(spec: &str) -> Tuning {
    let mut t = DEFAULT;
    for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = pair.split_once('=') else {
            eprintln!("FOLIO_TUNING: `{pair}` is not name=value; ignored");
            continue;
        };
        let Ok(v) = value.trim().parse::<f64>() else {
            eprintln!("FOLIO_TUNING: `{value}` is not a number; ignored");
            continue;
        };
        let slot = match name.trim() {
            "keywords" => &mut t.keywords,
            "meaning" => &mut t.meaning,
            "dates" => &mut t.dates,
            "rerank_meaning" => &mut t.rerank_meaning,
            "page_vote" => &mut t.page_vote,
            "quote_keywords" => &mut t.quote_keywords,
            "quote_meaning" => &mut t.quote_meaning,
            "quote_prior" => &mut t.quote_prior,
            "quote_new" => &mut t.quote_new,
            "quote_date" => &mut t.quote_date,
            "min_quote_score" => &mut t.min_quote_score,
            "min_quote_cosine" => &mut t.min_quote_cosine,
            other => {
                eprintln!("FOLIO_TUNING: no setting `{other}`; ignored");
                continue;
            }
        };
        *slot = v;
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn overrides_are_read_and_nonsense_is_ignored() {
        let t = super::parse("meaning=1.5, page_vote=0.3, nonsense=2, keywords=x");
        assert_eq!(t.meaning, 1.5);
        assert_eq!(t.page_vote, 0.3);
        assert_eq!(t.keywords, super::DEFAULT.keywords);
    }
}
