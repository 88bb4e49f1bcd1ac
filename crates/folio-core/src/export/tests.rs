//! The exporters on the shapes real answers have: quoted, checked model answers, other
//! services' numbered markers, hostile names and text.

use super::*;
use crate::answer::{Answer, AnswerSentence};
use crate::conversation::ConversationState;
use crate::document::{Document, DocumentState};
use chrono::TimeZone;

fn conversation(name: &str, documents: &[&str]) -> Conversation {
    Conversation {
        id: "c1".into(),
        name: name.into(),
        description: Some("Ferry times".into()),
        state: ConversationState::Complete,
        documents: documents
            .iter()
            .enumerate()
            .map(|(i, d)| Document::from_state(i as i64 + 1, *d, DocumentState::Processed))
            .collect(),
        created_at: Some(Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()),
        updated_at: None,
    }
}

fn exported_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 10, 30, 0).unwrap()
}

fn source(name: &str, page: Option<u32>, label: Option<&str>, passage: Option<&str>) -> Source {
    Source {
        document_id: Some(1),
        document_name: name.into(),
        page,
        page_label: label.map(String::from),
        passage: passage.map(String::from),
        boxes: vec![],
    }
}

fn turn(question: &str, answer: Answer) -> ChatTurn {
    ChatTurn { question: question.into(), answer, asked_at: None }
}

/// A quoted answer as folio-answer writes it (`quoted_answer` + `quoted_sentences`).
fn quoted_turn() -> ChatTurn {
    let text = "Quoting your documents (no language model wrote this; these are their own words):\n\n\
                “The first ferry leaves pier 3 at 7:40.” (Ferry.pdf, page 2)\n\n\
                “Tickets are sold on board.” (Ferry.pdf, page 5)";
    let sources = vec![
        source("Ferry.pdf", Some(2), None, Some("The first ferry leaves pier 3 at 7:40.")),
        source("Ferry.pdf", Some(5), None, Some("Tickets are sold on board.")),
    ];
    let sentences = quoted_sentences(text, &sources);
    assert_eq!(sentences.len(), 2);
    turn(
        "When does the\nferry leave?",
        Answer { prompt_id: "1".into(), text: text.into(), sources, kind: AnswerKind::Quoted, sentences },
    )
}

/// A model's answer checked sentence by sentence: one found (with its `[1]`), one not.
fn written_turn() -> ChatTurn {
    let text = "The ferry leaves at **7:40** [1]. It is always on time.";
    let first = "The ferry leaves at **7:40** [1].";
    let second = "It is always on time.";
    let at = text.find(second).unwrap();
    let passage = "Island ferry timetable. The first ferry leaves pier 3 at 7:40 every weekday.";
    turn(
        "Is it early?",
        Answer {
            prompt_id: "2".into(),
            text: text.into(),
            sources: vec![source("Ferry.pdf", Some(2), None, Some(passage))],
            kind: AnswerKind::Generated,
            sentences: vec![
                AnswerSentence {
                    start: 0,
                    end: first.len() as u32,
                    text: first.into(),
                    source: Some(0),
                    support: Support::Supported,
                    evidence: Some("The first ferry leaves pier 3 at 7:40\nevery weekday.".into()),
                    boxes: vec![],
                },
                AnswerSentence {
                    start: at as u32,
                    end: text.len() as u32,
                    text: second.into(),
                    source: None,
                    support: Support::NotFound,
                    evidence: None,
                    boxes: vec![],
                },
            ],
        },
    )
}

#[test]
fn markdown_has_title_date_separated_turns_and_a_footnote_per_quote() {
    let md = conversation_markdown(
        &conversation("Island trip", &["Ferry.pdf"]),
        &[quoted_turn(), written_turn()],
        exported_at(),
    );
    assert_eq!(
        md,
        "# Island trip\n\nFerry times\n\nExported on 7 December 2026 · started 1 December 2026\n\n\
         Documents:\n\n- Ferry.pdf\n\n\
         ---\n\n## 1. When does the ferry leave?\n\n\
         Quoting your documents (no language model wrote this; these are their own words):\n\n\
         “The first ferry leaves pier 3 at 7:40.”[^1]\n\n“Tickets are sold on board.”[^2]\n\n\
         ---\n\n## 2. Is it early?\n\n\
         The ferry leaves at **7:40**.[^3] It is always on time. _(not found in your documents)_\n\n\
         ---\n\n\
         [^1]: “The first ferry leaves pier 3 at 7:40.” — Ferry.pdf, page 2\n\
         [^2]: “Tickets are sold on board.” — Ferry.pdf, page 5\n\
         [^3]: “The first ferry leaves pier 3 at 7:40 every weekday.” — Ferry.pdf, page 2\n"
    );
}

#[test]
fn the_same_quote_cited_twice_is_one_footnote() {
    let md = conversation_markdown(&conversation("Trip", &[]), &[quoted_turn(), quoted_turn()], exported_at());
    assert_eq!(md.matches("[^1]:").count(), 1);
    assert_eq!(md.matches("[^1]").count(), 3, "cited in both answers, defined once");
    assert!(!md.contains("[^3]"));
}

#[test]
fn a_quoted_answer_recorded_before_sentences_were_checked_still_gets_its_footnotes() {
    let mut old = quoted_turn();
    old.answer.sentences.clear();
    let md = conversation_markdown(&conversation("Trip", &["Ferry.pdf"]), &[old], exported_at());
    assert!(md.contains("“The first ferry leaves pier 3 at 7:40.”[^1]\n"), "{md}");
    assert!(!md.contains("(Ferry.pdf, page 2)"), "the footnote replaces the written place: {md}");
}

#[test]
fn a_services_markers_become_footnotes_quoting_the_passage() {
    let long = format!("Books may be borrowed for three weeks. {}", "Renewals are possible online. ".repeat(20));
    let answer = Answer {
        prompt_id: "3".into(),
        text: "Three weeks [1], renewable twice [1, 2]. See [the rules] too.".into(),
        sources: vec![
            source("Library rules.txt", Some(1), Some("lines 1-2"), Some(&long)),
            source("Rules (old).pdf", None, None, None),
        ],
        kind: AnswerKind::Generated,
        sentences: vec![],
    };
    let md = conversation_markdown(&conversation("Library", &[]), &[turn("How long?", answer)], exported_at());
    assert!(md.contains("Three weeks[^1], renewable twice[^1][^2]. See [the rules] too."), "{md}");
    let note = md.lines().find(|l| l.starts_with("[^1]: ")).unwrap();
    assert!(note.starts_with("[^1]: “Books may be borrowed for three weeks. Renewals"), "{note}");
    assert!(note.ends_with("…” — Library rules.txt, lines 1-2"), "a long passage is cut: {note}");
    assert!(note.chars().count() < 360, "{note}");
    assert!(md.contains("[^2]: Rules (old).pdf\n"), "no passage and no page: the name alone: {md}");
}

#[test]
fn an_answer_without_markers_ends_with_a_note_per_source_and_one_without_sources_has_none() {
    let cited = Answer {
        prompt_id: "4".into(),
        text: "Twelve euros an hour.\n".into(),
        sources: vec![source("Boat hire.txt", Some(1), None, Some("Rowing boats cost 12 euros an hour."))],
        kind: AnswerKind::Generated,
        sentences: vec![],
    };
    let bare = Answer { prompt_id: "5".into(), text: "At 7:40.".into(), sources: vec![], ..cited.clone() };
    let md =
        conversation_markdown(&conversation("Boats", &[]), &[turn("Cost?", cited), turn("When?", bare)], exported_at());
    assert!(md.contains("Twelve euros an hour.[^1]\n"), "{md}");
    assert!(md.contains("## 2. When?\n\nAt 7:40.\n"), "{md}");
    assert!(md.ends_with("[^1]: “Rowing boats cost 12 euros an hour.” — Boat hire.txt, page 1\n"), "{md}");
}

#[test]
fn html_is_one_self_contained_page_with_footnotes_and_a_print_stylesheet() {
    let html = conversation_html(
        &conversation("Island trip", &["Ferry.pdf"]),
        &[quoted_turn(), written_turn()],
        exported_at(),
    );
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<h1>Island trip</h1>"));
    assert!(html.contains("Exported on 7 December 2026"));
    assert!(
        html.contains("<h2 class=\"question\"><span class=\"number\">1.</span> When does the<br />\nferry leave?</h2>")
    );
    assert!(html.contains(
        "“The first ferry leaves pier 3 at 7:40.”<sup class=\"ref\"><a href=\"#note-1\" id=\"ref-1-1\" aria-label=\"Source 1\">1</a></sup>"
    ));
    assert!(html.contains("The ferry leaves at <strong>7:40</strong>.<sup class=\"ref\">"), "{html}");
    assert!(html.contains("<span class=\"not-found\">(not found in your documents)</span>"));
    assert!(html.contains(
        "<li id=\"note-1\"><span class=\"quote\">“The first ferry leaves pier 3 at 7:40.”</span> — <span class=\"place\">Ferry.pdf, page 2</span>"
    ));
    // Print: no background colours, answers kept whole, sources after the last answer.
    let print = &html[html.find("@media print").expect("a print stylesheet")..];
    assert!(print.contains("background: none !important"));
    assert!(print.contains("break-inside: avoid"));
    assert!(html.find("<footer class=\"footnotes\">").unwrap() > html.rfind("</article>").unwrap());
    // Nothing runs and nothing is fetched.
    let lower = html.to_lowercase();
    for banned in ["<script", "src=", "href=\"http", "@import", "url(", "<link", "<iframe", "<img"] {
        assert!(!lower.contains(banned), "{banned} in the page");
    }
    well_formed(&html);
}

#[test]
fn html_shows_script_in_names_questions_and_answers_as_inert_text() {
    let hostile = "<script>alert('x')</script>";
    let mut conversation = conversation(&format!("Trip {hostile}"), &["<script>evil()</script>.pdf"]);
    conversation.description = Some("<img src=x onerror=\"alert(1)\">".into());
    let answer = Answer {
        prompt_id: "6".into(),
        text: format!("The code is {hostile} [1]. **<b>bold</b>** `<i>`"),
        sources: vec![source("<script>evil()</script>.pdf", Some(3), None, Some("</li><script>x()</script>"))],
        kind: AnswerKind::Generated,
        sentences: vec![],
    };
    let html = conversation_html(&conversation, &[turn(&format!("What is {hostile}?"), answer)], exported_at());
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"), "{html}");
    assert!(!lower.contains("<b>") && !lower.contains("<i>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("<li>&lt;script&gt;evil()&lt;/script&gt;.pdf</li>"));
    assert!(html.contains("<strong>&lt;b&gt;bold&lt;/b&gt;</strong> <code>&lt;i&gt;</code>"), "{html}");
    assert!(html.contains("“&lt;/li&gt;&lt;script&gt;x()&lt;/script&gt;”"));
    well_formed(&html);
    // Private-use characters in the text cannot forge a footnote mark.
    let forged = Answer {
        prompt_id: "7".into(),
        text: format!("Plain {REF}9{END} text {UNFOUND}"),
        sources: vec![],
        kind: AnswerKind::Generated,
        sentences: vec![],
    };
    let md = conversation_markdown(&conversation, &[turn("Q", forged)], exported_at());
    assert!(md.contains("Plain 9 text"), "{md}");
    assert!(!md.contains("[^9]") && !md.contains(NOT_FOUND_WORDS));
}

#[test]
fn a_models_markdown_becomes_lists_headings_and_paragraphs() {
    let answer = Answer {
        prompt_id: "8".into(),
        text: "### Times\nFerries leave:\n- at *7:40*\n- at 9:10\n\n1. Buy a ticket\n2. Board\n\nA * B * C".into(),
        sources: vec![],
        kind: AnswerKind::Generated,
        sentences: vec![],
    };
    let html = conversation_html(&conversation("T", &[]), &[turn("Q", answer)], exported_at());
    assert!(
        html.contains(
            "<h3>Times</h3>\n<p>Ferries leave:</p>\n<ul>\n<li>at <em>7:40</em></li>\n<li>at 9:10</li>\n</ul>\n\
         <ol>\n<li>Buy a ticket</li>\n<li>Board</li>\n</ol>\n<p>A * B * C</p>\n"
        ),
        "{html}"
    );
    well_formed(&html);
}

#[test]
fn the_chosen_file_name_picks_the_format() {
    assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip.html")), ExportFormat::Html);
    assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip.HTM")), ExportFormat::Html);
    assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip.md")), ExportFormat::Markdown);
    assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip")), ExportFormat::Markdown);
    let c = conversation("T", &[]);
    assert!(export_at(ExportFormat::Html, &c, &[], exported_at()).starts_with("<!DOCTYPE html>"));
    assert!(export_at(ExportFormat::Markdown, &c, &[], exported_at()).starts_with("# T\n"));
}

/// Every tag closed in order (void elements written `<x />`), every `&` an entity.
fn well_formed(html: &str) {
    let body = &html[html.find("<html").unwrap()..];
    let mut open: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').expect("an unclosed tag") + at;
        let tag = &rest[at + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "</{name}> closes the wrong element");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap().to_string();
            if name == "style" {
                let close = rest.find("</style>").unwrap();
                rest = &rest[close + "</style>".len()..];
                continue;
            }
            open.push(name);
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "left open: {open:?}");
    for (i, _) in html.match_indices('&') {
        let entity = &html[i..html[i..].find(';').map_or(html.len(), |e| i + e + 1)];
        assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&entity), "a bare & at {i}: {entity}");
    }
}
