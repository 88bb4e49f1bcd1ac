//! Watching a model's answer as it streams, to stop it early: small models at greedy
//! decoding fall into loops ("[1][1][1]...", one phrase until the token limit), and a
//! runaway answer costs tens of seconds on 2 cores. The answer is cut as soon as its
//! tail repeats or it passes the length asked for.

/// Why the stream was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The text repeats itself.
    Loop,
    /// Longer than any one- or two-sentence answer.
    TooLong,
}

#[derive(Debug, Default)]
pub struct Guard {
    text: String,
    max_chars: usize,
    cut: Option<Cut>,
}

/// Shortest repeating tail that counts as a loop, and how many times it must repeat.
const LOOP_CHARS: usize = 24;
const LOOP_TIMES: usize = 3;
/// A run of words seen this many times anywhere in the answer is a loop too (the
/// repeats need not be back to back: "It is 10. The size is 10. It is 10. ...").
const NGRAM: usize = 4;
const NGRAM_TIMES: usize = 3;

impl Guard {
    pub fn new(max_chars: usize) -> Guard {
        Guard { text: String::new(), max_chars, cut: None }
    }

    /// Adds a piece; returns the reason to stop, once (and on every piece after it).
    pub fn push(&mut self, piece: &str) -> Option<Cut> {
        if self.cut.is_none() {
            self.text.push_str(piece);
            if is_loop(&self.text) {
                self.cut = Some(Cut::Loop);
            } else if self.text.chars().count() > self.max_chars {
                self.cut = Some(Cut::TooLong);
            }
        }
        self.cut
    }

    pub fn cut(&self) -> Option<Cut> {
        self.cut
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// True when the text ends in a unit repeated LOOP_TIMES times (covering at least
/// LOOP_CHARS characters), or a run of NGRAM words occurs NGRAM_TIMES times.
pub fn is_loop(text: &str) -> bool {
    let chars: Vec<char> = text.trim_end().chars().collect();
    let n = chars.len();
    for unit in 1..=n / LOOP_TIMES {
        let times = LOOP_TIMES.max(LOOP_CHARS.div_ceil(unit));
        if unit * times > n {
            continue;
        }
        let tail = &chars[n - unit * times..];
        if (unit..tail.len()).all(|i| tail[i] == tail[i - unit]) && tail.iter().any(|c| !c.is_whitespace()) {
            return true;
        }
    }
    let words: Vec<String> = crate::text::words(text).collect();
    if words.len() >= NGRAM * NGRAM_TIMES {
        let mut seen: std::collections::HashMap<&[String], usize> = std::collections::HashMap::new();
        for w in words.windows(NGRAM) {
            let c = seen.entry(w).or_default();
            *c += 1;
            if *c >= NGRAM_TIMES {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_loops_and_plain_answers_are_not() {
        assert!(is_loop("[1][1][1][1][1][1][1][1][1]"));
        assert!(is_loop("The answer is 10101010101010101010101010"));
        assert!(is_loop("The font size is 10. The font size is 10. The font size is 10."));
        assert!(is_loop("It is big. The page is turned by the package. Then the page is turned by the package and the page is turned by the package"));
        assert!(!is_loop(
            "The default font size of the title is 14 points, and it can be changed with the font option."
        ));
        assert!(!is_loop("Use 1000 or 2000."));
    }

    #[test]
    fn the_guard_cuts_once_too_long() {
        let mut g = Guard::new(20);
        assert_eq!(g.push("A short start, "), None);
        assert_eq!(g.push("then far too much more."), Some(Cut::TooLong));
        assert_eq!(g.push("ignored"), Some(Cut::TooLong));
        assert_eq!(g.text(), "A short start, then far too much more.");
    }
}
