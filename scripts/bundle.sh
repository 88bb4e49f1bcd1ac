#!/usr/bin/env bash
# Builds release bundles of Folio (.deb and .rpm on Linux) with the Tauri CLI from npm.
# Bundles land in $CARGO_TARGET_DIR/release/bundle/. Both formats build offline.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$FOLIO_ROOT"
"$FOLIO_ROOT/ui/node_modules/.bin/tauri" build "$@"
ls -la "$CARGO_TARGET_DIR"/release/bundle/*/ 2>/dev/null
