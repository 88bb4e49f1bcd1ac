# The Tauri desktop shell: WebKitGTK and friends, and the UI's npm packages.
need_apt libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev \
  librsvg2-dev libayatana-appindicator3-dev build-essential pkg-config libssl-dev file libdbus-1-dev

if [ ! -d "$FOLIO_ROOT/ui/node_modules" ] || [ "$FOLIO_ROOT/ui/package-lock.json" -nt "$FOLIO_ROOT/ui/node_modules/.package-lock.json" ]; then
  say "installing the UI's npm packages"
  (cd "$FOLIO_ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
fi
