//! Calendar dates, however they are written. People ask "on 7 December 2013" or "on the
//! second of January 2015"; tables store "2013/12/07" or "Dec 7 2013". A date found in
//! the question becomes every common written form of it, searched as exact phrases (a
//! table row is found by its date, the key people ask it by), and a sentence holding the
//! same date is the one that answers.

/// A day of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[rustfmt::skip]
const ORDINALS: [&str; 31] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
    "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third", "twenty-fourth", "twenty-fifth",
    "twenty-sixth", "twenty-seventh", "twenty-eighth", "twenty-ninth", "thirtieth", "thirty-first",
];

/// The full dates (year, month and day) written in `text`, in order, without repeats.
/// Numeric forms are read year first ("2013/12/07", "2013-12-07"); day-first and
/// month-first numerals ("07/12/2013") are ambiguous and left alone.
pub fn find(text: &str) -> Vec<Date> {
    let tokens: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != '-').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    let mut out: Vec<Date> = Vec::new();
    let mut push = |d: Option<Date>| {
        if let Some(d) = d.filter(Date::is_valid) {
            if !out.contains(&d) {
                out.push(d);
            }
        }
    };
    for (i, t) in tokens.iter().enumerate() {
        push(numeric(t));
        let at = |k: usize| tokens.get(i + k).map(String::as_str).unwrap_or("");
        if let Some(month) = month_of(t) {
            // "December 7 2013", "Dec 7th, 2013"
            push(day_of(at(1)).zip(year_of(at(2))).map(|(day, year)| Date { year, month, day }));
        }
        if let Some(day) = day_of(t) {
            // "7 December 2013"
            push(month_of(at(1)).zip(year_of(at(2))).map(|(month, year)| Date { year, month, day }));
            // "the 7th of December 2013", "the second of January 2015"
            if at(1) == "of" {
                push(month_of(at(2)).zip(year_of(at(3))).map(|(month, year)| Date { year, month, day }));
            }
        }
    }
    out
}

impl std::fmt::Display for Date {
    /// "7 December 2013": the form a person reads in a sentence.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let month = MONTHS[self.month as usize - 1];
        let mut name = month.chars();
        let capital: String = name.next().map(|c| c.to_uppercase().chain(name).collect()).unwrap_or_default();
        write!(f, "{} {capital} {}", self.day, self.year)
    }
}

impl Date {
    fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month) && (1..=31).contains(&self.day) && (1000..=2999).contains(&self.year)
    }

    /// The date as FTS5 phrases of its common written forms (the index splits "2013/12/07"
    /// into 2013, 12, 07, so the numeric forms are token sequences).
    pub fn phrases(&self) -> Vec<String> {
        let (y, m, d) = (self.year, self.month, self.day);
        let name = MONTHS[m as usize - 1];
        let short = &name[..3];
        let mut out = vec![
            format!("{y} {m:02} {d:02}"),
            format!("{y} {m} {d}"),
            format!("{m:02} {d:02} {y}"),
            format!("{d:02} {m:02} {y}"),
            format!("{m} {d} {y}"),
            format!("{d} {m} {y}"),
            format!("{name} {d} {y}"),
            format!("{d} {name} {y}"),
            format!("{short} {d} {y}"),
            format!("{d} {short} {y}"),
        ];
        out.dedup();
        out
    }
}

fn numeric(token: &str) -> Option<Date> {
    let parts: Vec<&str> = token.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return None;
    }
    Some(Date { year: parts[0].parse().ok()?, month: parts[1].parse().ok()?, day: parts[2].parse().ok()? })
}

fn month_of(token: &str) -> Option<u8> {
    let t = token.trim_end_matches('.');
    if t.len() < 3 {
        return None;
    }
    // "sept" and "sep" for September; a prefix of three letters or more otherwise.
    MONTHS.iter().position(|m| m.starts_with(t) || (t == "sept" && *m == "september")).map(|i| i as u8 + 1)
}

fn day_of(token: &str) -> Option<u8> {
    if let Some(i) = ORDINALS.iter().position(|o| *o == token) {
        return Some(i as u8 + 1);
    }
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &token[digits.len()..];
    if !["", "st", "nd", "rd", "th"].contains(&suffix) || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(token: &str) -> Option<u16> {
    (token.len() == 4).then(|| token.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (u16, u8, u8) {
        let found = find(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (found[0].year, found[0].month, found[0].day)
    }

    #[test]
    fn written_and_numeric_forms_are_the_same_day() {
        assert_eq!(one("How cold was it on 7 December 2013?"), (2013, 12, 7));
        assert_eq!(one("How much did it rain on the second of January 2015?"), (2015, 1, 2));
        assert_eq!(one("What was the MSFT price on Dec 1 2004?"), (2004, 12, 1));
        assert_eq!(one("What was the price on December 1st, 2004?"), (2004, 12, 1));
        assert_eq!(one("date: 2012/01/04; precipitation: 20.3"), (2012, 1, 4));
        assert_eq!(one("released 2000-07-20."), (2000, 7, 20));
    }

    #[test]
    fn months_alone_and_ambiguous_numerals_are_not_dates() {
        assert!(find("Where did Amazon shares stand in September 2001?").is_empty());
        assert!(find("on 07/12/2013").is_empty());
        assert!(find("May I set 3 of them in 2020?").is_empty());
    }

    #[test]
    fn phrases_cover_the_forms_tables_use() {
        let p = Date { year: 2013, month: 12, day: 7 }.phrases();
        assert!(p.contains(&"2013 12 07".to_string()));
        assert!(p.contains(&"dec 7 2013".to_string()));
        assert_eq!(Date { year: 2013, month: 12, day: 7 }.to_string(), "7 December 2013");
    }
}
