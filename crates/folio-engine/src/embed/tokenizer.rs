//! BERT's uncased WordPiece tokenizer (what all-MiniLM-L6-v2 was trained with),
//! written out instead of pulling in the `tokenizers` crate and its C regex engine:
//! lower-case, strip accents, split on whitespace and punctuation (and around CJK
//! characters), then greedy longest-match word pieces from vocab.txt. No padding: each
//! batch is padded to its own longest passage (the packaged tokenizer.json pads to 128).

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

pub struct WordPiece {
    vocab: HashMap<String, i64>,
    unk: i64,
    pub cls: i64,
    pub sep: i64,
}

impl WordPiece {
    pub fn from_vocab_txt(text: &str) -> Result<WordPiece, String> {
        let vocab: HashMap<String, i64> = text.lines().enumerate().map(|(i, t)| (t.to_string(), i as i64)).collect();
        let id = |t: &str| vocab.get(t).copied().ok_or_else(|| format!("vocab.txt has no {t}"));
        Ok(WordPiece { unk: id("[UNK]")?, cls: id("[CLS]")?, sep: id("[SEP]")?, vocab })
    }

    /// Token ids with [CLS] and [SEP], at most `max_len` in all.
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<i64> {
        let mut ids = vec![self.cls];
        'words: for word in basic_tokens(text) {
            for id in self.word_pieces(&word) {
                if ids.len() + 1 >= max_len {
                    break 'words;
                }
                ids.push(id);
            }
        }
        ids.push(self.sep);
        ids
    }

    fn word_pieces(&self, word: &str) -> Vec<i64> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > 100 {
            return vec![self.unk];
        }
        let mut out = Vec::new();
        let mut start = 0;
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                let piece: String = chars[start..end].iter().collect();
                let key = if start > 0 { format!("##{piece}") } else { piece };
                if let Some(id) = self.vocab.get(&key) {
                    found = Some(*id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        out
    }
}

fn basic_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let lowered: String = text.to_lowercase().nfd().filter(|c| !is_mark(*c)).collect();
    for c in lowered.chars() {
        if c == '\0' || c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
        } else if is_punctuation(c) || is_cjk(c) {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            tokens.push(c.to_string());
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

fn is_mark(c: char) -> bool {
    // Combining marks (Unicode category Mn) left by NFD: the accents BERT strips.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_punctuation(c: char) -> bool {
    let u = c as u32;
    (33..=47).contains(&u)
        || (58..=64).contains(&u)
        || (91..=96).contains(&u)
        || (123..=126).contains(&u)
        || c.is_ascii_punctuation()
        || (!c.is_alphanumeric() && !c.is_whitespace() && (0x2000..=0x2BFF).contains(&u))
        || matches!(c, '¡' | '§' | '«' | '¶' | '·' | '»' | '¿')
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}
