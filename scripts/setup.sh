#!/usr/bin/env bash
# Installs everything Folio's build, app and tests need on Debian/Ubuntu, then exports
# the environment they read. Sourced by run.sh and test.sh; safe to rerun.
# Each scripts/setup.d/*.sh adds what one part of Folio needs (and exports its paths).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v cargo >/dev/null || die "Rust is missing: install it from https://rustup.rs, then run this again"
command -v npm >/dev/null || need_apt nodejs npm

for part in "$FOLIO_ROOT"/scripts/setup.d/*.sh; do
  source "$part"
done
