//! How a web page's markup becomes reading text. html2text's plain style writes links as
//! "[Sockets][4]" with a list of "[4]: #sockets" at the end, headings as "## ", and
//! images as "[Logo]": none of that is in what a reader sees, and all of it reached
//! search and quotes ("## Sockets[¶][26]"). Here links are their words, images their alt
//! text only when it is words, headings plain lines (html2text sets them apart with
//! blank lines), and list items keep a bullet, which the sentence splitter knows.

use html2text::render::{TaggedLine, TextDecorator};

#[derive(Clone, Debug, Default)]
pub struct ReadingDecorator;

impl TextDecorator for ReadingDecorator {
    type Annotation = ();

    fn decorate_link_start(&mut self, _url: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) {}
    fn decorate_preformat_cont(&self) {}
    fn decorate_image(&mut self, _src: &str, title: &str) -> (String, ()) {
        // "Logo", "python logo": decoration; a long alt text describes a figure.
        let words = title.split_whitespace().count();
        (if words >= 4 { title.to_string() } else { String::new() }, ())
    }
    fn header_prefix(&self, _level: usize) -> String {
        String::new()
    }
    fn quote_prefix(&self) -> String {
        String::new()
    }
    fn unordered_item_prefix(&self) -> String {
        "• ".to_string()
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        ReadingDecorator
    }
    fn finalise(&mut self, _urls: Vec<String>) -> Vec<TaggedLine<()>> {
        Vec::new()
    }
}
