//! Reading in a child process: a reader that aborts, runs out of its memory, takes too
//! long or is killed fails only its document, with a reason naming the file; the engine
//! and every other document go on.

use crate::common::*;
use folio_core::{Document, DocumentStage, NewConversation};
use folio_engine::{Engine, EngineSettings, ReaderMode};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The engine's tests read through the crate's own reader binary.
pub fn isolated_settings() -> EngineSettings {
    EngineSettings { reader: ReaderMode::Process(env!("CARGO_BIN_EXE_folio-reader").into()), ..settings() }
}

/// The workbook from issue 14: two cells, at A1 and at XFD1048576 (the last cell a
/// sheet can have), 1.5 KB on disk; a reader that sizes its grid by them asks for 512 GB.
pub fn corner_cells_xlsx(path: &Path) {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>last</t></is></c></row></sheetData></worksheet>"#;
    write_zip(
        path,
        &[
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Corners" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", sheet.to_string()),
        ],
    );
}

fn note(dir: &Path) -> PathBuf {
    let path = dir.join("ferry.txt");
    std::fs::write(&path, "The ferry to the island leaves at 7:40 from pier 3.\n").unwrap();
    path
}

fn named<'a>(docs: &'a [Document], name: &str) -> &'a Document {
    docs.iter().find(|d| d.name == name).unwrap_or_else(|| panic!("{name} is not among {docs:?}"))
}

/// The workbook that aborted every start now reads cell by cell (two cells, two lines),
/// inside the reader child; the folder opens again and both documents answer.
#[test]
fn the_corner_cells_workbook_reads_as_two_cells_and_the_next_open_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let big = files.path().join("big.xlsx");
    corner_cells_xlsx(&big);
    assert!(std::fs::metadata(&big).unwrap().len() < 4096, "the workbook is small on disk");
    let id = {
        let engine = Engine::open(dir.path(), isolated_settings()).unwrap();
        let conversation = ingest(&engine, &[big, note(files.path())]);
        let workbook = named(&conversation.documents, "big.xlsx");
        assert_eq!(workbook.stage, DocumentStage::Ready, "{workbook:?}");
        assert_eq!(named(&conversation.documents, "ferry.txt").stage, DocumentStage::Ready);
        conversation.id
    };
    // Before this round every later open aborted the same way; now it opens and both answer.
    let engine = Engine::open(dir.path(), isolated_settings()).unwrap();
    engine.wait_idle();
    let again = engine.store().get_conversation(&id).unwrap();
    assert_eq!(named(&again.documents, "big.xlsx").stage, DocumentStage::Ready);
    let last = engine.search(&id, "last", None, 5).unwrap();
    assert!(last.iter().any(|hit| hit.text.contains("last")), "the far corner cell is searchable: {last:?}");
    assert!(!engine.search(&id, "ferry island", None, 5).unwrap().is_empty());
}

#[test]
fn a_reader_over_its_memory_limit_fails_its_document_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // 40 MB of real text: within max_text_bytes, so the reader holds it in memory, which
    // a 24 MB reader cannot. (A scan is no good here: leptonica reports its failed
    // allocation as an undecodable image, which is what the person would then read.)
    let text = real_paragraphs().join("\n");
    let big = files.path().join("minutes.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    let mut written = 0;
    while written < 40 << 20 {
        std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
        written += text.len();
    }
    drop(out);
    let settings = EngineSettings { reader_memory_bytes: 24 << 20, ..isolated_settings() };
    let engine = Engine::open(dir.path(), settings).unwrap();
    let conversation = ingest(&engine, &[big, note(files.path())]);
    let failed = named(&conversation.documents, "minutes.txt");
    let reason = failed.failure_reason.clone().unwrap_or_default();
    assert_eq!(failed.stage, DocumentStage::Failed, "{failed:?}");
    assert!(
        // std's fs::read asks with try_reserve and the reader reports "out of memory" itself;
        // an allocation that aborts the child gets the engine's "needed more memory" reason.
        reason == "minutes.txt could not be read: reading it needed more memory than Folio allows (24 MB)"
            || reason == "minutes.txt could not be read: out of memory",
        "{reason}"
    );
    assert_eq!(named(&conversation.documents, "ferry.txt").stage, DocumentStage::Ready);
}

#[test]
fn a_reader_that_sends_no_page_in_time_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let scan = scan(&corpus("natnotes.pdf"), 1, 300, "png", &files.path().join("slow"));
    // Recognising a 300 dpi page takes seconds; 150 ms is not enough for any page of it.
    let settings = EngineSettings { reader_timeout: Duration::from_millis(150), ..isolated_settings() };
    let engine = Engine::open(dir.path(), settings).unwrap();
    let conversation = ingest(&engine, &[scan]);
    let failed = &conversation.documents[0];
    let reason = failed.failure_reason.clone().unwrap_or_default();
    assert_eq!(failed.stage, DocumentStage::Failed, "{failed:?}");
    assert!(reason.starts_with("slow.png could not be read: reading it took longer than 150 ms"), "{reason}");
}

/// The process ids of this process's reader children started as `program`. Tests run in
/// parallel threads of one process, so each kill test starts its readers under a path of
/// its own (a symlink) and kills only those.
fn reader_children(program: &Path) -> Vec<i32> {
    let me = std::process::id();
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{me}/task")).unwrap().flatten() {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for pid in children.split_whitespace().filter_map(|p| p.parse::<i32>().ok()) {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
            if argv0 == program.as_os_str().as_encoded_bytes()
                && environ.split(|b| *b == 0).any(|v| v == b"FOLIO_READER=1")
            {
                out.push(pid);
            }
        }
    }
    out
}

#[test]
fn killing_the_reader_child_fails_only_its_document_and_retry_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let pdf = corpus("amsldoc.pdf");
    let total = pdfinfo_pages(&pdf);
    let program = files.path().join("reader-to-kill");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_folio-reader"), &program).unwrap();
    // One worker and whole-document slices: the manual's child reads it all.
    let settings =
        EngineSettings { workers: 1, slice_pages: 10_000, reader: ReaderMode::Process(program.clone()), ..settings() };
    let engine = Engine::open(dir.path(), settings).unwrap();
    let created = engine
        .create(&NewConversation { name: "kill".into(), files: vec![pdf, note(files.path())], ..Default::default() })
        .unwrap();
    let started = Instant::now();
    let victim = loop {
        let doc = engine.store().get_conversation(&created.id).unwrap().documents.remove(0);
        if doc.progress.is_some_and(|p| p.done >= 8) {
            if let Some(pid) = reader_children(&program).first() {
                break *pid;
            }
        }
        assert!(doc.stage != DocumentStage::Ready, "the manual was read before its reader could be killed");
        assert!(started.elapsed() < Duration::from_secs(60), "no reader child appeared: {doc:?}");
        std::thread::sleep(Duration::from_millis(5));
    };
    // SAFETY: a signal to a child process this test's engine started.
    assert_eq!(unsafe { libc::kill(victim, libc::SIGKILL) }, 0);
    engine.wait_idle();
    let conversation = engine.store().get_conversation(&created.id).unwrap();
    let manual = named(&conversation.documents, "amsldoc.pdf");
    let reason = manual.failure_reason.clone().unwrap_or_default();
    assert_eq!(manual.stage, DocumentStage::Failed, "{manual:?}");
    assert!(
        reason.starts_with("amsldoc.pdf could not be read: the reader stopped unexpectedly (it was killed"),
        "{reason}"
    );
    assert_eq!(named(&conversation.documents, "ferry.txt").stage, DocumentStage::Ready, "the other document goes on");

    engine.retry_document(&created.id, manual.id).unwrap();
    engine.wait_idle();
    let manual = named(&engine.store().get_conversation(&created.id).unwrap().documents, "amsldoc.pdf").clone();
    assert_eq!(manual.stage, DocumentStage::Ready, "{manual:?}");
    assert_eq!(engine.store().pages(manual.id).unwrap().len() as u32, total);
}

#[test]
fn a_document_read_in_a_child_is_stored_exactly_as_one_read_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let mail = files.path().join("mail.eml");
    std::fs::write(
        &mail,
        "From: a@example.com\r\nTo: b@example.com\r\nSubject: Ferry\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
         The ferry leaves at 7:40.\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; \
         filename=\"timetable.txt\"\r\n\r\nPier 3, every hour on the hour.\r\n--b--\r\n",
    )
    .unwrap();
    let inputs = [corpus("natnotes.pdf"), mail];
    let isolated = ingest(&Engine::open(dir.path(), isolated_settings()).unwrap(), &inputs);
    let in_process = ingest(&Engine::open(other.path(), settings()).unwrap(), &inputs);
    let engine = Engine::open(dir.path(), EngineSettings { start_workers: false, ..settings() }).unwrap();
    let reference = Engine::open(other.path(), EngineSettings { start_workers: false, ..settings() }).unwrap();
    assert_eq!(isolated.documents.len(), 3, "the attachment came back through the pipe: {:?}", isolated.documents);
    for (a, b) in isolated.documents.iter().zip(&in_process.documents) {
        assert_eq!((&a.name, a.stage), (&b.name, b.stage));
        let (pa, pb) = (engine.store().pages(a.id).unwrap(), reference.store().pages(b.id).unwrap());
        assert_eq!(pa.len(), pb.len(), "{}", a.name);
        for (x, y) in pa.iter().zip(&pb) {
            assert_eq!((&x.text, &x.label, x.width, x.height), (&y.text, &y.label, y.width, y.height), "{}", a.name);
        }
        let boxes = |e: &Engine, id: i64| -> Vec<String> {
            let conn = e.store().conn();
            let mut stmt = conn.prepare("SELECT boxes FROM passages WHERE document_id = ?1 ORDER BY id").unwrap();
            stmt.query_map([id], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(boxes(&engine, a.id), boxes(&reference, b.id), "{}: same passages and boxes", a.name);
    }
}
