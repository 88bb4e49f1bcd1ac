//! Tables: CSV, and XLSX/ODS workbooks (calamine). A sheet is a page; rows stay rows
//! (cells separated by tabs) so a passage keeps a row's cells together.

use super::zipsafe::SafeZip;
use super::{decode_text, read_limited, Kind, Page, Reason};
use crate::settings::EngineSettings;
use calamine::{Data, Reader};
use std::path::Path;

/// CSV pages hold this many rows, labelled "rows a-b".
const CSV_ROWS_PER_PAGE: usize = 100;

pub fn read_csv(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let bytes = read_limited(path, settings.max_text_bytes, "CSV")?;
    let text = decode_text(&bytes)?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut pages = Vec::new();
    let mut page = String::new();
    let mut first_row = 1;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("is CSV that could not be read ({e})"))?;
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        page.push_str(&cells.join("\t"));
        page.push('\n');
        if (i + 1) % CSV_ROWS_PER_PAGE == 0 {
            pages.push(rows_page(std::mem::take(&mut page), first_row, i + 1));
            first_row = i + 2;
        }
    }
    if !page.trim().is_empty() {
        let last = first_row + page.lines().count() - 1;
        pages.push(rows_page(page, first_row, last));
    }
    if pages.iter().all(|p| p.text.trim().is_empty()) {
        return Err("contains no data".into());
    }
    Ok(pages)
}

fn rows_page(text: String, first: usize, last: usize) -> Page {
    Page { text, label: Some(format!("rows {first}-{last}")), ..Default::default() }
}

pub fn read_workbook(path: &Path, kind: Kind, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    // calamine unpacks on its own, so first prove the archive is not a bomb by
    // unpacking every entry through the cap.
    let mut zip = SafeZip::open(path, settings.max_unzipped_bytes)?;
    for name in zip.names() {
        zip.read(&name)?;
    }
    let bytes = std::fs::read(path).map_err(|e| format!("could not be read: {e}"))?;
    let cursor = std::io::Cursor::new(bytes);
    let mut pages = Vec::new();
    let mut push_sheets = |names: Vec<String>, range: &mut dyn FnMut(&str) -> Result<calamine::Range<Data>, String>| -> Result<(), Reason> {
        for name in names {
            let range = range(&name).map_err(|e| format!("has a sheet \"{name}\" that could not be read ({e})"))?;
            let mut text = String::new();
            for row in range.rows() {
                let cells: Vec<String> = row.iter().map(cell_text).collect();
                let line = cells.join("\t");
                if !line.trim().is_empty() {
                    text.push_str(line.trim_end());
                    text.push('\n');
                }
            }
            pages.push(Page { text, label: Some(format!("sheet {name}")), ..Default::default() });
        }
        Ok(())
    };
    if kind == Kind::Xlsx {
        let mut book = calamine::Xlsx::new(cursor).map_err(|e| format!("is a workbook that could not be read ({e})"))?;
        let names = book.sheet_names();
        push_sheets(names, &mut |n| book.worksheet_range(n).map_err(|e| e.to_string()))?;
    } else {
        let mut book = calamine::Ods::new(cursor).map_err(|e| format!("is a spreadsheet that could not be read ({e})"))?;
        let names = book.sheet_names();
        push_sheets(names, &mut |n| book.worksheet_range(n).map_err(|e| e.to_string()))?;
    }
    if pages.iter().all(|p| p.text.trim().is_empty()) {
        return Err("contains no data in any sheet".into());
    }
    Ok(pages)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\t', '\n'], " "),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}
