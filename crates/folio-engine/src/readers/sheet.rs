//! Tables: CSV, and XLSX/ODS workbooks. Cells are streamed and only the filled ones are
//! kept: calamine's `worksheet_range` builds a dense grid from the sheet's corners, and a
//! 1.5 KB file with cells at A1 and XFD1048576 asked for 512 GB and aborted the process.
//! ODS is read with quick-xml directly, because its "repeated" rows and columns would
//! be expanded the same way. Rows become lines through `table::TableText`.

use super::table::{clean_cell, Row, TableText};
use super::zipsafe::SafeZip;
use super::{decode_text, read_limited, Kind, Page, Reason};
use crate::settings::EngineSettings;
use calamine::{Data, DataRef, Reader};
use quick_xml::events::{BytesStart, Event};
use std::path::Path;

pub fn read_csv(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let bytes = read_limited(path, settings.max_text_bytes, "CSV", "max_text_bytes")?;
    let text = decode_text(&bytes)?;
    let first = text.lines().next().unwrap_or("");
    let delimiter =
        [b',', b';', b'\t', b'|'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut table = TableText::new(None, settings.max_table_cells);
    let mut record = csv::StringRecord::new();
    let mut number = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("is CSV that could not be read ({e})")),
        }
        number += 1;
        let cells = record
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(i, c)| (i as u32, clean_cell(c)))
            .collect();
        table.push(Row { number, cells })?;
    }
    let pages = table.finish();
    if pages.is_empty() {
        return Err("contains no data".into());
    }
    Ok(pages)
}

pub fn read_workbook(path: &Path, kind: Kind, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    // calamine unpacks on its own, so first prove the archive is not a bomb by
    // unpacking every entry through the cap.
    let mut zip = SafeZip::open(path, settings.max_unzipped_bytes)?;
    let mut ods_content = None;
    for name in zip.names() {
        let bytes = zip.read(&name)?;
        if name == "content.xml" {
            ods_content = bytes;
        }
    }
    let pages = if kind == Kind::Xlsx {
        read_xlsx(path, settings.max_table_cells)?
    } else {
        let content = ods_content.ok_or("is not a spreadsheet (content.xml is missing)")?;
        read_ods(&content, settings.max_table_cells)?
    };
    if pages.is_empty() {
        return Err("contains no data in any sheet".into());
    }
    Ok(pages)
}

fn read_xlsx(path: &Path, max_cells: usize) -> Result<Vec<Page>, Reason> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))?;
    let mut book = calamine::Xlsx::new(std::io::BufReader::new(file))
        .map_err(|e| format!("is a workbook that could not be read ({e})"))?;
    let mut pages = Vec::new();
    let mut used = 0;
    for name in book.sheet_names() {
        let bad = |e: calamine::XlsxError| format!("has a sheet \"{name}\" that could not be read ({e})");
        let mut cells = book.worksheet_cells_reader(&name).map_err(bad)?;
        let mut table = TableText::new(Some(&name), max_cells - used);
        let mut row = Row { number: 0, cells: Vec::new() };
        while let Some(cell) = cells.next_cell().map_err(bad)? {
            let (r, c) = cell.get_position();
            let text = ref_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            if row.number != r as usize + 1 {
                push_sorted(
                    &mut table,
                    std::mem::replace(&mut row, Row { number: r as usize + 1, cells: Vec::new() }),
                )?;
            }
            row.cells.push((c, text));
        }
        push_sorted(&mut table, row)?;
        used += table.cells();
        pages.extend(table.finish());
    }
    Ok(pages)
}

/// Cells of a row in column order (files written by hand need not keep it).
fn push_sorted(table: &mut TableText, mut row: Row) -> Result<(), Reason> {
    row.cells.sort_by_key(|c| c.0);
    table.push(row)
}

fn ref_text(value: &DataRef) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => clean_cell(s),
        DataRef::SharedString(s) => clean_cell(s),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => clean_cell(&Data::from(other.clone()).to_string()),
    }
}

/// An ODS sheet's rows from content.xml. Repeats of empty cells and rows only move the
/// position; repeats of filled ones are written out, and count against the cell cap.
fn read_ods(xml: &[u8], max_cells: usize) -> Result<Vec<Page>, Reason> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut pages = Vec::new();
    let mut used = 0;
    let mut table: Option<TableText> = None;
    let mut row_number = 0usize;
    let mut row_repeat = 1usize;
    let mut cells: Vec<(u32, String)> = Vec::new();
    let mut col = 0u32;
    let mut col_repeat = 1u32;
    let mut cell: Option<String> = None;
    let damaged = |reader: &quick_xml::Reader<&[u8]>, e: &dyn std::fmt::Display| {
        format!("is damaged (its content.xml is broken at byte {}: {e})", reader.buffer_position())
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| damaged(&reader, &e))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"table" if table.is_none() => {
                    let name = attr(&e, b"name").unwrap_or_default();
                    table = Some(TableText::new(Some(&name), max_cells - used));
                    row_number = 0;
                }
                b"table-row" => {
                    row_repeat = repeat(&e, b"number-rows-repeated");
                    cells.clear();
                    col = 0;
                }
                b"table-cell" | b"covered-table-cell" => {
                    col_repeat = repeat(&e, b"number-columns-repeated") as u32;
                    cell = Some(String::new());
                }
                b"p" | b"h" => {
                    if let Some(text) = cell.as_mut().filter(|t| !t.is_empty()) {
                        text.push(' ');
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"table-row" => row_number += repeat(&e, b"number-rows-repeated"),
                b"table-cell" | b"covered-table-cell" => {
                    col = col.saturating_add(repeat(&e, b"number-columns-repeated") as u32);
                }
                b"s" | b"tab" | b"line-break" => {
                    if let Some(text) = cell.as_mut() {
                        text.push(' ');
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(text) = cell.as_mut() {
                    text.push_str(&t.unescape().map_err(|e| damaged(&reader, &e))?);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"table-cell" | b"covered-table-cell" => {
                    let text = clean_cell(&cell.take().unwrap_or_default());
                    if !text.is_empty() {
                        for k in 0..col_repeat {
                            cells.push((col.saturating_add(k), text.clone()));
                            if cells.len() > max_cells {
                                break;
                            }
                        }
                    }
                    col = col.saturating_add(col_repeat);
                }
                b"table-row" => {
                    if let Some(t) = table.as_mut() {
                        if cells.is_empty() {
                            row_number += row_repeat;
                        } else {
                            for _ in 0..row_repeat {
                                row_number += 1;
                                t.push(Row { number: row_number, cells: cells.clone() })?;
                            }
                        }
                    }
                }
                b"table" => {
                    if let Some(t) = table.take() {
                        used += t.cells();
                        pages.extend(t.finish());
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(pages)
}

fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn repeat(e: &BytesStart, local: &[u8]) -> usize {
    attr(e, local).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).clamp(1, 1 << 24)
}
