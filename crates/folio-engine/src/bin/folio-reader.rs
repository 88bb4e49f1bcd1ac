//! A reader child and nothing else: what the engine's own tests start as
//! `ReaderMode::Process` (the app and `folio` start themselves with FOLIO_READER=1).

fn main() {
    std::process::exit(folio_engine::isolation::serve_as_reader())
}
