//! Rows of a table (a CSV file, a sheet of a workbook) as pages of text. When the first
//! row looks like a header, each row becomes one line naming its columns
//! ("Region: North; Quarter: Q3; Revenue: 1.2 M"), so a search for that row's meaning
//! finds it and a quote of it can be read alone; otherwise cells stay tab-separated.
//! A row is always one line, and pages hold whole rows, so a passage never cuts a row
//! (unless one row alone is longer than a page).

use super::{Page, Reason};

/// A page holds at most this many rows ...
pub const ROWS_PER_PAGE: usize = 100;
/// ... and at most this many characters (a row longer than this is cut into pieces).
pub const PAGE_CHARS: usize = 4000;
/// Header cells longer than this are sentences, not column names.
const HEADER_CELL_CHARS: usize = 80;
/// Runs of empty cells wider than this are one tab: a sparse sheet with cells at A1 and
/// XFD1 is two words, not 16,383 tabs.
const MAX_EMPTY_GAP: u32 = 16;

/// One row: its number in the file (1-based) and its non-empty cells by column.
pub struct Row {
    pub number: usize,
    pub cells: Vec<(u32, String)>,
}

/// Rows looked at for a header before deciding there is none: people write notes,
/// titles and merged cells above a sheet's column names.
const HEADER_LOOKAHEAD: usize = 10;

/// Builds pages from rows as they stream in; the header is decided within the first
/// `HEADER_LOOKAHEAD` rows.
pub struct TableText {
    /// "sheet Sales, " for workbooks, empty for CSV.
    label_prefix: String,
    max_cells: usize,
    cells: usize,
    header: Option<Vec<Option<String>>>,
    /// The first rows, held until a header shows among them (or cannot any more).
    leading: Vec<Row>,
    decided: bool,
    pages: Vec<Page>,
    text: String,
    text_chars: usize,
    rows_in_page: usize,
    first_row: usize,
    last_row: usize,
}

impl TableText {
    pub fn new(sheet: Option<&str>, max_cells: usize) -> Self {
        TableText {
            label_prefix: sheet.map(|s| format!("sheet {s}, ")).unwrap_or_default(),
            max_cells,
            cells: 0,
            header: None,
            leading: Vec::new(),
            decided: false,
            pages: Vec::new(),
            text: String::new(),
            text_chars: 0,
            rows_in_page: 0,
            first_row: 0,
            last_row: 0,
        }
    }

    /// Cells counted so far (across rows), for a cap shared by the sheets of one file.
    pub fn cells(&self) -> usize {
        self.cells
    }

    pub fn push(&mut self, row: Row) -> Result<(), Reason> {
        if row.cells.is_empty() {
            return Ok(());
        }
        self.cells += row.cells.len();
        if self.cells > self.max_cells {
            return Err(format!(
                "has more than {} filled cells; the local engine reads at most that many per file \
                 (setting max_table_cells)",
                self.max_cells
            ));
        }
        if self.decided {
            self.add_line(row);
            return Ok(());
        }
        self.leading.push(row);
        // A header is a header-like row followed by a row filling at least half of its
        // columns: the column names, then the data under them.
        let found = self.leading.windows(2).position(|w| looks_like_header(&w[0]) && fills_columns_of(&w[1], &w[0]));
        if let Some(at) = found {
            self.decided = true;
            let mut rows = std::mem::take(&mut self.leading).into_iter();
            for note in rows.by_ref().take(at) {
                self.add_line(note);
            }
            let names_row = rows.next().expect("the header row is held");
            let width = names_row.cells.last().map_or(0, |c| c.0 as usize + 1);
            let mut names = vec![None; width];
            for (col, name) in names_row.cells {
                names[col as usize] = Some(name);
            }
            self.header = Some(names);
            for data in rows {
                self.add_line(data);
            }
        } else if self.leading.len() >= HEADER_LOOKAHEAD {
            self.decided = true;
            for plain in std::mem::take(&mut self.leading) {
                self.add_line(plain);
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> Vec<Page> {
        for plain in std::mem::take(&mut self.leading) {
            self.add_line(plain);
        }
        self.flush();
        self.pages
    }

    fn add_line(&mut self, row: Row) {
        let line = self.line(&row.cells);
        let chars = line.chars().count();
        if self.rows_in_page > 0 && (self.rows_in_page >= ROWS_PER_PAGE || self.text_chars + chars + 1 > PAGE_CHARS) {
            self.flush();
        }
        if chars > PAGE_CHARS {
            // One row longer than a page (a CSV with a million columns): its own pages.
            self.flush();
            for piece in split_long(&line, PAGE_CHARS) {
                self.pages.push(Page {
                    text: format!("{piece}\n"),
                    label: Some(format!("{}row {}", self.label_prefix, row.number)),
                    ..Default::default()
                });
            }
            return;
        }
        if self.rows_in_page == 0 {
            self.first_row = row.number;
        }
        self.last_row = row.number;
        self.text.push_str(&line);
        self.text.push('\n');
        self.text_chars += chars + 1;
        self.rows_in_page += 1;
    }

    fn line(&self, cells: &[(u32, String)]) -> String {
        let mut line = String::new();
        match &self.header {
            Some(names) => {
                for (col, value) in cells {
                    if !line.is_empty() {
                        line.push_str("; ");
                    }
                    if let Some(Some(name)) = names.get(*col as usize) {
                        line.push_str(name);
                        line.push_str(": ");
                    }
                    line.push_str(value);
                }
            }
            None => {
                let mut next = 0u32;
                for (col, value) in cells {
                    let gap = col.saturating_sub(next).min(MAX_EMPTY_GAP);
                    if next > 0 {
                        line.push('\t');
                    }
                    for _ in 0..gap {
                        line.push('\t');
                    }
                    line.push_str(value);
                    next = col + 1;
                }
            }
        }
        line
    }

    fn flush(&mut self) {
        if self.rows_in_page == 0 {
            return;
        }
        let (first, last) = (self.first_row, self.last_row);
        let rows = if first == last { format!("row {first}") } else { format!("rows {first}-{last}") };
        self.pages.push(Page {
            text: std::mem::take(&mut self.text),
            label: Some(format!("{}{rows}", self.label_prefix)),
            ..Default::default()
        });
        self.text_chars = 0;
        self.rows_in_page = 0;
    }
}

/// A header: at least two cells, no gaps between them, all distinct, short, and mostly
/// words rather than numbers.
fn looks_like_header(row: &Row) -> bool {
    let cells = &row.cells;
    if cells.len() < 2 {
        return false;
    }
    let span = cells[cells.len() - 1].0 - cells[0].0 + 1;
    if span as usize != cells.len() || cells.iter().any(|(_, c)| c.chars().count() > HEADER_CELL_CHARS) {
        return false;
    }
    let mut names: Vec<String> = cells.iter().map(|(_, c)| c.to_lowercase()).collect();
    names.sort();
    names.dedup();
    if names.len() != cells.len() {
        return false;
    }
    let numeric = cells.iter().filter(|(_, c)| is_number(c)).count();
    numeric * 4 <= cells.len()
}

/// Whether `row` has cells in at least half of the header's columns.
fn fills_columns_of(row: &Row, header: &Row) -> bool {
    let filled = header.cells.iter().filter(|(col, _)| row.cells.iter().any(|(c, _)| c == col)).count();
    filled * 2 >= header.cells.len()
}

fn is_number(cell: &str) -> bool {
    let t = cell.trim().trim_start_matches(['$', '€', '£', '-', '+']).trim_end_matches('%').replace([',', ' '], "");
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// A cell as one line of text: tabs and line breaks inside it become spaces.
pub fn clean_cell(cell: &str) -> String {
    let trimmed = cell.trim();
    if trimmed.contains(['\t', '\n', '\r']) {
        trimmed.replace(['\t', '\n', '\r'], " ")
    } else {
        trimmed.to_string()
    }
}

/// Cuts a line into pieces of at most `max` characters, at a separator in the second
/// half of each piece where there is one; linear in the line's length.
pub fn split_long(line: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some((mut cut, _)) = rest.char_indices().nth(max) {
        if let Some(at) = rest[..cut].rfind([' ', '\t', ';']) {
            if at > cut / 2 {
                cut = at + 1;
            }
        }
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: usize, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .map(|(i, c)| (i as u32, c.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_header_names_each_cell_and_labels_count_data_rows() {
        let mut t = TableText::new(Some("Sales"), 1000);
        t.push(row(1, &["Region", "Quarter", "Revenue"])).unwrap();
        t.push(row(2, &["North", "Q3", "1.2 M"])).unwrap();
        t.push(row(3, &["South", "", "0.8 M"])).unwrap();
        let pages = t.finish();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].text, "Region: North; Quarter: Q3; Revenue: 1.2 M\nRegion: South; Revenue: 0.8 M\n");
        assert_eq!(pages[0].label.as_deref(), Some("sheet Sales, rows 2-3"));
    }

    #[test]
    fn notes_above_the_column_names_stay_plain_lines() {
        let mut t = TableText::new(Some("Deaths"), 1000);
        t.push(row(1, &["Lots of people"])).unwrap();
        t.push(row(2, &["simply cannot resist writing", "", "some notes"])).unwrap();
        t.push(row(3, &["Name", "Profession", "Age"])).unwrap();
        t.push(row(4, &["Vera Rubin", "scientist", "88"])).unwrap();
        let pages = t.finish();
        assert_eq!(
            pages[0].text,
            "Lots of people\nsimply cannot resist writing\t\tsome notes\nName: Vera Rubin; Profession: scientist; Age: 88\n"
        );
    }

    #[test]
    fn numbers_in_the_first_row_mean_no_header() {
        let mut t = TableText::new(None, 1000);
        t.push(row(1, &["1", "2", "3"])).unwrap();
        t.push(row(2, &["4", "", "6"])).unwrap();
        let pages = t.finish();
        assert_eq!(pages[0].text, "1\t2\t3\n4\t\t6\n");
        assert_eq!(pages[0].label.as_deref(), Some("rows 1-2"));
    }

    #[test]
    fn pages_hold_at_most_a_hundred_rows_and_the_cell_cap_is_a_reason() {
        let mut t = TableText::new(None, 1000);
        for n in 1..=250 {
            t.push(row(n, &[&n.to_string(), "x"])).unwrap();
        }
        let pages = t.finish();
        let labels: Vec<_> = pages.iter().map(|p| p.label.clone().unwrap()).collect();
        assert_eq!(labels, ["rows 1-100", "rows 101-200", "rows 201-250"]);
        let mut t = TableText::new(None, 10);
        let err = (1..=6).map(|n| t.push(row(n, &["a", "b"]))).find_map(Result::err).unwrap();
        assert!(err.contains("more than 10 filled cells"), "{err}");
    }

    #[test]
    fn sparse_rows_do_not_spell_out_their_gaps() {
        let mut t = TableText::new(None, 1000);
        t.push(Row { number: 1, cells: vec![(0, "left".into())] }).unwrap();
        t.push(Row { number: 1_048_576, cells: vec![(16_383, "far".into())] }).unwrap();
        let pages = t.finish();
        assert_eq!(pages[0].text.lines().nth(1).unwrap().len(), MAX_EMPTY_GAP as usize + 3);
    }
}
