//! Every kind of bad input fails its own document with a plain reason naming the file,
//! and nothing else is affected: a good document dropped with them is read as usual.

use crate::common::*;
use folio_core::{DocumentStage, NewConversation};

fn loop_pdf(out: &std::path::Path) {
    // The page tree's only kid is the tree itself.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in
        ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"].iter().enumerate()
    {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).into_bytes());
    }
    write_xref(&mut pdf, &offsets);
    std::fs::write(out, pdf).unwrap();
}

#[test]
fn each_bad_input_fails_alone_with_a_reason_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let f = |n: &str| files.path().join(n);
    let good = corpus("natnotes.pdf");

    std::fs::write(f("empty.txt"), b"").unwrap();
    let whole = std::fs::read(&good).unwrap();
    std::fs::write(f("truncated.pdf"), &whole[..whole.len() / 2]).unwrap();
    tool(
        "qpdf",
        &["--encrypt", "secret", "secret", "256", "--", good.to_str().unwrap(), f("locked.pdf").to_str().unwrap()],
    );
    loop_pdf(&f("loop.pdf"));
    std::fs::copy(scan(&good, 1, 30, "png", &f("really-png")), f("liar.pdf")).unwrap();
    // 300 MB of zeros compress to ~300 KB: a bomb dressed as a Word document.
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(f("bomb.docx")).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("word/document.xml", options).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..300 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 | 0x80)
        .map(|b| if b % 7 == 0 { 1 } else { b })
        .collect();
    std::fs::write(f("garbled.txt"), noise).unwrap();
    {
        use std::io::Write;
        let mut big = std::io::BufWriter::new(std::fs::File::create(f("one-line.txt")).unwrap());
        let chunk = "lorem ipsum ".repeat(1 << 16);
        while big.get_ref().metadata().unwrap().len() < 200 << 20 {
            big.write_all(chunk.as_bytes()).unwrap();
            big.flush().unwrap();
        }
    }
    // A corner of a page's margin: an image with no text in it.
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "60",
            "-H",
            "60",
            "-singlefile",
            good.to_str().unwrap(),
            f("blank").to_str().unwrap(),
        ],
    );
    std::fs::copy("/bin/true", f("tool.exe")).unwrap();

    let expected: &[(&str, &str)] = &[
        ("empty.txt", "is empty"),
        ("truncated.pdf", "cut short"),
        ("locked.pdf", "password"),
        ("loop.pdf", "page tree"),
        ("liar.pdf", "actually a PNG"),
        ("bomb.docx", "zip bomb"),
        ("garbled.txt", "not readable text"),
        ("one-line.txt", "at most 64 MB"),
        ("blank.png", "no text"),
        ("tool.exe", "cannot read"),
    ];
    let engine = open(dir.path());
    let mut paths: Vec<_> = expected.iter().map(|(n, _)| f(n)).collect();
    paths.push(good.clone());
    let gone = f("vanished.pdf");
    paths.push(gone.clone());
    let created = engine.create(&NewConversation { name: "bad".into(), files: paths, ..Default::default() }).unwrap();
    // A file gone before it could be copied is refused up front, by name.
    assert_eq!(created.upload.failed.len(), 1);
    assert_eq!(created.upload.failed[0].name, "vanished.pdf");
    assert!(created.upload.failed[0].reason.as_deref().unwrap().contains("vanished.pdf"));
    engine.wait_idle();
    let conversation = engine.store().get_conversation(&created.id).unwrap();
    for (name, why) in expected {
        let doc = doc_named(&conversation, name);
        assert_eq!(doc.stage, DocumentStage::Failed, "{name}: {doc:#?}");
        let reason = doc.failure_reason.as_deref().unwrap();
        assert!(reason.starts_with(name), "{name}: the reason names the file: {reason}");
        assert!(reason.contains(why), "{name}: {reason}");
        assert!(engine.store().search(&conversation.id, "lorem", Some(&[doc.id]), 5).unwrap().is_empty());
    }
    assert_eq!(doc_named(&conversation, "natnotes.pdf").stage, DocumentStage::Ready, "nothing else is affected");
}

#[test]
fn a_stored_copy_that_vanishes_fails_its_document_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut settings = settings();
        settings.start_workers = false;
        let engine = folio_engine::Engine::open(dir.path(), settings).unwrap();
        let created = engine
            .create(&NewConversation { name: "c".into(), files: vec![corpus("natnotes.pdf")], ..Default::default() })
            .unwrap();
        created.id
    };
    for entry in walk(&dir.path().join("files")) {
        std::fs::remove_file(entry).unwrap();
    }
    let engine = open(dir.path());
    engine.wait_idle();
    let doc = engine.store().get_conversation(&id).unwrap().documents.remove(0);
    assert_eq!(doc.stage, DocumentStage::Failed);
    assert!(doc.failure_reason.unwrap().starts_with("natnotes.pdf: its stored copy is missing"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}
