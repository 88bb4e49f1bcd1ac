#!/usr/bin/env bash
# Runs every test Folio has, installing whatever is missing first (apt packages when
# run as root, npm packages, tauri-driver, pinned PyPI packages and test data):
#   0. Format and lint: rustfmt and clippy (warnings are errors)
#   1. Rust: every crate, including the desktop commands on Tauri's mock runtime
#   2. UI: lint and format check, type check and unit tests (Vitest, with Tauri's IPC mock)
#   3. End to end: the real app window under Xvfb, driven through tauri-driver
# Screenshots of the end-to-end run land in artifacts/e2e-screenshots/.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$FOLIO_ROOT"

need_apt xvfb xauth dbus-x11 webkit2gtk-driver gnome-keyring xdotool
need_cargo_bin tauri-driver 2.1.0

logs=$(mktemp -d)
started=$(date +%s)
stage() { say "$1 ($(( $(date +%s) - started )) s so far)"; }

# The app package embeds ui/dist by default (feature custom-protocol), so the interface
# is built before anything compiles the app (clippy compiles it too).
npm --prefix ui run build --silent

stage "Format and lint (rustfmt, clippy)"
for component in rustfmt clippy; do
  cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 || rustup component add "$component"
done
cargo fmt --all --check
# Warnings fail the run: a warning left today hides the one that matters tomorrow.
# The bench feature adds the blank reference window of scripts/bench.sh, so it is linted too.
cargo clippy --workspace --all-targets --locked --features folio-desktop/bench -- -D warnings

stage "Rust tests (whole workspace)"
cargo test --workspace --locked 2>&1 | tee "$logs/cargo.log"

stage "UI lint, type check and unit tests"
npm --prefix ui run lint --silent
npm --prefix ui run check --silent
npm --prefix ui test --silent 2>&1 | tee "$logs/vitest.log"

stage "End-to-end tests in the real window"
npm --prefix ui run build --silent
# The test build has its own identifier (so it never sees a person's data or
# keychain) and one extra capability that lets the suite simulate a file drop.
TAURI_CONFIG=$(cat src-tauri/e2e.conf.json) cargo build --locked --features custom-protocol --bin folio-desktop
# The AI Hub journey points the window at `folio serve` on loopback: the `folio` binary
# the workspace tests above already built (building it alone would resolve features
# differently and compile llama.cpp a second time). The Pieces and Airia journeys'
# stand-ins are examples those tests built too.
mkdir -p "$FOLIO_ROOT/artifacts/e2e-screenshots"
rm -f "$FOLIO_ROOT"/artifacts/e2e-screenshots/*.png
FOLIO_E2E_APP="$CARGO_TARGET_DIR/debug/folio-desktop" \
FOLIO_E2E_CLI="$CARGO_TARGET_DIR/debug/folio" \
FOLIO_E2E_PIECES="$CARGO_TARGET_DIR/debug/examples/pieces_stand_in" \
FOLIO_E2E_AIRIA="$CARGO_TARGET_DIR/debug/examples/airia_stand_in" \
FOLIO_E2E_SCREENSHOTS="$FOLIO_ROOT/artifacts/e2e-screenshots" \
  xvfb-run -a -s '-screen 0 1280x860x24' dbus-run-session -- ui/e2e/with-keyring.sh npm --prefix ui run e2e --silent 2>&1 | tee "$logs/e2e.log"

# One closing line over all three kinds of test.
# Colour codes are taken out first: Vitest colours its summary even into a pipe.
sum() { sed 's/\x1b\[[0-9;]*m//g' "${@:2}" | grep -oE "$1" | grep -oE "[0-9]+" | awk "{ n += \$1 } END { print n + 0 }"; }
passed=$(( $(sum '^test result: [a-zA-Z]+\. [0-9]+ passed' "$logs/cargo.log") \
  + $(sum 'Tests +[0-9]+ passed' "$logs/vitest.log") + $(sum '^# pass [0-9]+' "$logs/e2e.log") ))
failed=$(( $(sum 'passed; [0-9]+ failed' "$logs/cargo.log") + $(sum '^# fail [0-9]+' "$logs/e2e.log") ))
say "all tests finished in $(( $(date +%s) - started )) s; screenshots in artifacts/e2e-screenshots/"
echo "folio: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
