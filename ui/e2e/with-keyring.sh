#!/usr/bin/env bash
# Runs a command with a real, unlocked GNOME Keyring (the Secret Service Folio keeps
# tokens in) on the current D-Bus session. The keyring lives in a throwaway folder,
# so tests never see or touch a person's own keyring. Use inside dbus-run-session.
set -euo pipefail
XDG_DATA_HOME=$(mktemp -d) eval "$(printf 'folio-e2e' | gnome-keyring-daemon --unlock --replace 2>/dev/null)"
exec "$@"
