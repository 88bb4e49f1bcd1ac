#!/usr/bin/env bash
# Every benchmark, one table: each Folio figure beside its reference measured in the
# same run on the same machine (release builds; debug figures mean nothing).
#
#   scripts/bench.sh            the full set: the aims' sizes (100 x 800 pages), and the 40
#                               largest corpus PDFs read and embedded (long: embedding
#                               ~5,000 pages alone took over 14 min on 2 busy cores)
#   scripts/bench.sh --quick    smaller sizes: a check that every row runs
#
# Rows: the window (start and idle memory of the whole process tree) against a blank
# Tauri 2 window built from the same tauri; reading PDFs to keyword-searchable against
# pdftotext; retrieval latency over many pages; the built-in runner's tokens/s with
# real weights (SmolLM2-135M) against one thread. JSON of each run goes to
# artifacts/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
need_apt xvfb xauth dbus-x11 gnome-keyring xdotool poppler-utils

quick=false
[[ ${1:-} == --quick ]] && quick=true
if $quick; then ingest_limit=6 documents=10 pages=200 idle=4 runs=2; else ingest_limit=40 documents=100 pages=800 idle=8 runs=5; fi

out=artifacts/bench
mkdir -p "$out"
say "building the interface and the release binaries"
npm --prefix ui run build --silent
cargo build --release --locked --features bench --bin folio-desktop --bin blank-tauri-window
cargo build --release --locked -p folio-cli --bin folio
bin=${CARGO_TARGET_DIR:-target}/release

say "the window against a blank Tauri window ($runs starts each, $idle s idle)"
# The keyring's start-up chatter goes to stdout too: the figures are the last line.
in_display() { xvfb-run -a dbus-run-session -- ui/e2e/with-keyring.sh "$@" 2>/dev/null | tail -n 1; }
in_display python3 scripts/bench/window.py "$bin/blank-tauri-window" "Blank Tauri window" --runs "$runs" --idle "$idle" >"$out/window-blank.json"
in_display python3 scripts/bench/window.py "$bin/folio-desktop" "Folio" --runs "$runs" --idle "$idle" >"$out/window-folio.json"

say "reading $ingest_limit PDFs against pdftotext"
"$bin/folio" bench ingest "$FOLIO_TEST_CORPUS" --limit "$ingest_limit" >"$out/ingest.json"

say "retrieval over $documents x $pages pages"
data=$(mktemp -d /tmp/folio-bench-latency-XXXX)
trap 'rm -rf "$data"' EXIT
"$bin/folio" eval crates/folio-answer/eval/pdf.jsonl crates/folio-answer/eval/formats.jsonl --data-dir "$data" \
  --split dev --mode default --latency --documents "$documents" --pages "$pages" --rounds 1 >"$out/latency.json"

say "the built-in runner with SmolLM2-135M (Q4_1, real weights)"
"$bin/folio" bench llm "$FOLIO_SMOLLM2_GGUF" >"$out/llm.json"

python3 scripts/bench/table.py "$out"
