#!/usr/bin/env bash
# The PDF half of the held-out evaluation set (crates/folio-answer/eval/pdf.jsonl):
# eleven public manuals from Debian 12 doc packages, six fields, 3 to 261 pages, plus
# one scanned PDF (no text layer) made from ten pages of another manual.
# Usage: bash pdf.sh DEST. Idempotent: files already in DEST that match their pinned
# sha256 are kept; anything else is fetched again. Needs apt-get, dpkg, poppler-utils
# (pdftoppm, pdftotext) and img2pdf.
set -euo pipefail

dest=${1:?usage: pdf.sh DEST}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# Output name, package=version, path inside the package (.gz is unpacked). Versions are
# Debian 12 "bookworm"; the PDFs themselves are pinned below.
documents="
r-intro.pdf            r-doc-pdf=4.2.2.20221110-2     usr/share/R/doc/manual/R-intro.pdf
asymptote.pdf          asymptote-doc=2.85+ds-1        usr/share/doc/asymptote/asymptote.pdf
asymptote-refcard.pdf  asymptote-doc=2.85+ds-1        usr/share/doc/asymptote/asyRefCard.pdf
glpk-gmpl.pdf          glpk-doc=5.0-1                 usr/share/doc/glpk-doc/gmpl.pdf
glpk-cnfsat.pdf        glpk-doc=5.0-1                 usr/share/doc/glpk-doc/cnfsat.pdf
debian-policy.pdf      debian-policy=4.6.2.0          usr/share/doc/debian-policy/policy.pdf.gz
fhs-3.0.pdf            debian-policy=4.6.2.0          usr/share/doc/debian-policy/fhs/fhs-3.0.pdf.gz
debian-reference.pdf   debian-reference-en=2.100      usr/share/debian-reference/debian-reference.en.pdf
gnu-coding-standards.pdf gnu-standards=2022.03.23-0.1 usr/share/doc/gnu-standards/standards.pdf.gz
sbcl-manual.pdf        sbcl-doc=2:2.2.9-1             usr/share/doc/sbcl/sbcl.pdf.gz
src/gnu-maintainers.pdf   gnu-standards=2022.03.23-0.1 usr/share/doc/gnu-standards/maintain.pdf.gz
"

pinned="
337ccd0b490b1e66f7e783b45f4588d0599730b4206c0c051edfe1419c568c51  r-intro.pdf
e17165321f74a5ec1b884cf20773cc43361df8f7fc707b071debf4ef707de051  asymptote.pdf
ead5a51e5a6b1c30697a1ec14ec5929122fddcd64c4f2bea6e65a8f1e35b64d8  asymptote-refcard.pdf
df54ba811d1fe3c041447b575997298d63b0a6366e39454ef2efc382f08203c2  glpk-gmpl.pdf
87520dcbde789ffad0b31ebcfb1466f1a6401fdf44b6a1790ed1d5105e7cace1  glpk-cnfsat.pdf
220f9366d6deb3984e84236f02f04bdd6275d6fe7b5587acd6c689dfeb99020f  debian-policy.pdf
53d239e569a2d7b31a74fa09d585368c0f5a164e4624723fa2894660dd10fd23  fhs-3.0.pdf
32775deeca0770ac25282b0c894cbaae83f4dd4ab00e891b94e8f009c0366728  debian-reference.pdf
7986330133c982d8b35e14c42f847bf7d19afdc2a080ebf8db9b223c0888021f  gnu-coding-standards.pdf
e423ff5cdb7576ad408f7b3d7abf61b568c56665e0b39f800deabe486495d856  sbcl-manual.pdf
aebd1a7558d33624f35b350cd9cbc00095501ae4333c4fc8719b325bb5128e2a  src/gnu-maintainers.pdf
"

# The scan: pages 6-15 of the GNU maintainers' guide (its legal chapter), at 150 dpi,
# wrapped as images only. Its input is pinned above (kept in DEST/src, out of the set).
# The output depends on the installed poppler's rasteriser, so instead of a pin it is
# checked to be deterministic (two runs, byte for byte: img2pdf's internal engine, as
# its pikepdf engine's streams differ run to run) and to have no text layer.
scan=gnu-maintainers-scanned.pdf
scan_pages="6 15"
scan_dpi=150

verify() { (cd "$dest" && echo "$pinned" | sed '/^$/d' | sha256sum -c --quiet --status - 2>/dev/null); }

make_scan() {
  local work=$1 out=$2 first last
  read -r first last <<<"$scan_pages"
  rm -rf "$work" && mkdir -p "$work"
  pdftoppm -r "$scan_dpi" -gray -png -f "$first" -l "$last" "$dest/src/gnu-maintainers.pdf" "$work/page"
  img2pdf --engine internal --nodate --output "$out" "$work"/page-*.png
}

if ! verify; then
  command -v apt-get >/dev/null || { echo "pdf.sh: apt-get is needed to fetch the documents" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  pkgs=$(echo "$documents" | awk 'NF {print $2}' | sort -u)
  (cd "$tmp" && for p in $pkgs; do apt-get download -qq "$p" 2>/dev/null || apt-get download "$p"; done) >&2
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
  echo "$documents" | while read -r name _ path; do
    [ -n "$name" ] || continue
    mkdir -p "$(dirname "$dest/$name")"
    if [[ $path == *.gz ]]; then gzip -dc "$tmp/root/$path" >"$dest/$name"; else cp "$tmp/root/$path" "$dest/$name"; fi
  done
  if ! verify; then
    (cd "$dest" && echo "$pinned" | sed '/^$/d' | sha256sum -c - >&2) || true
    echo "pdf.sh: a document in $dest does not match its pinned sha256 (see above)" >&2
    exit 1
  fi
fi

if [ ! -f "$dest/$scan" ]; then
  for tool in pdftoppm pdftotext img2pdf; do
    command -v "$tool" >/dev/null || { echo "pdf.sh: $tool is needed to make $scan (apt-get install img2pdf poppler-utils)" >&2; exit 1; }
  done
  work=$(mktemp -d)
  make_scan "$work/a" "$work/a.pdf"
  make_scan "$work/b" "$work/b.pdf"
  cmp -s "$work/a.pdf" "$work/b.pdf" || { echo "pdf.sh: $scan is not deterministic (two runs differ)" >&2; exit 1; }
  if [ -n "$(pdftotext "$work/a.pdf" - | tr -d '[:space:]')" ]; then
    echo "pdf.sh: $scan has a text layer; it must be images only" >&2
    exit 1
  fi
  mv "$work/a.pdf" "$dest/$scan"
  rm -rf "$work"
fi
echo "pdf.sh: $(ls "$dest"/*.pdf | wc -l) PDFs ready in $dest" >&2
