//! The engine with real parts: a real SQLite file, real PDFs from the corpus, office
//! files and scans made here from real text. Needs what scripts/test.sh provisions
//! (libpdfium, tesseract, poppler-utils, qpdf, the corpus); fails, never skips, without it.

mod bad_input;
mod common;
mod crash_loop;
mod crash_reader;
mod crash_shared_folder;
mod embeddings;
mod formats;
mod hostile;
mod hostile_files;
mod lifecycle;
mod metadata;
mod migrations;
mod one_sql_owner;
mod scale;
mod stages;
mod tables;
mod tiff;
mod viewer;
