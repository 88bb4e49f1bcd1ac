#!/usr/bin/env bash
# Builds Folio and opens its window. Installs whatever is missing first (apt
# packages when run as root, npm packages), so on a fresh Debian/Ubuntu machine
# this one command is all it takes. Pass --release for an optimised build.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$FOLIO_ROOT"

profile=debug
cargo_flags=(--features custom-protocol)
if [ "${1:-}" = "--release" ]; then profile=release; cargo_flags+=(--release); fi

say "building the interface"
npm --prefix ui run build --silent
say "building Folio ($profile)"
cargo build "${cargo_flags[@]}" --bin folio-desktop
say "starting Folio"
exec "$CARGO_TARGET_DIR/$profile/folio-desktop"
