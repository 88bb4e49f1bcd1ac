#!/usr/bin/env bash
# The non-PDF half of Folio's held-out evaluation set (issue 13 item 1): HTML, DOCX, CSV, XLSX, EML, text and
# Markdown documents a person might really drop into Folio, fetched only from Debian bookworm's archive and PyPI
# at pinned versions, and checked against pinned sha256 sums so every run asks about exactly the same bytes.
# Questions about them: crates/folio-answer/eval/formats.jsonl.
#
#   bash scripts/eval-corpus/formats.sh DEST
#
# Idempotent: when DEST already holds every document with the pinned sum, nothing is downloaded.
# No native DOCX ships in a Debian or PyPI package we could find, so the two DOCX files are real Python HOWTOs
# (HTML from python3.11-doc) converted by Debian's pandoc 2.17.1.1 with SOURCE_DATE_EPOCH fixed: the output was
# checked to be byte-identical across runs, so the output itself is pinned below.
# Left out on purpose (Folio 2026-12 cannot read them whole, so they would test the reader, not the answers):
# readxl's datasets.xlsx (its "quakes" sheet fails with "Parse float error"), and CPython's test e-mails with a
# GIF or message/delivery-status attachment (the attachment becomes a failed document).
set -euo pipefail

DEST=${1:?usage: bash formats.sh DEST}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)

# The documents and their pinned sums (sha256sum -c format, names relative to DEST).
PINS='
ec7b7bf0ff681b5bb1f2eb3d2c1714face8fb61eda2e12d440ec81570124ad95  base-files-faq.txt
fee37e8caeeb3df571d6a469d56c7d493ca1e63ebb014adc2506f01ded356c74  debian-reference-authentication.html
f9a5440d1dd99f60e876c4231c775501630d4096d8eb9e374dd0513c3f8d1ae8  gtube-test-spam.eml
115d5a8f6d3a6a3979999055b28196f774c344e7f478cfd9154e12ce37184b15  libfuse-readme.md
a4a1877d2fc23ad40a2cc849bb63e1360a18545eddc1bb5c9a86499f19818247  python-logging-howto.docx
8cb419f59842bbfc9240bd3f1c3c20bf9d1f89837db31eb92892876a9514f335  python-sockets-howto.html
65d73148be28f2f9443c1f4a9b6e20a5cd90d7ded4b35450689ebee12f0f2c53  python-unicode-howto.docx
0469b75be78da0ca9b956d81e2338f32fa3f45b00622cef5e6d7a278897eb80a  readxl-deaths.xlsx
62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b  seattle-weather.csv
f9953ac6693e587476b4ebf2f0b00d9bb95371ca8c39da4cc6155077b3e417cd  stocks.csv
ea6d871ca7ae375f20bebc2a136e88f4006f8044e50fc92aae6deeac02fde7af  tbtf-ping-2001-04-20.eml
'

pins_ok() { (cd "$DEST" && printf '%s\n' "$PINS" | grep -v '^$' | sha256sum -c --quiet --status 2>/dev/null); }
if pins_ok; then
  exit 0
fi

# Debian bookworm packages (name=version) and what each gives.
DEBS='python3.11-doc=3.11.2-6+deb12u9
debian-reference-en=2.100
r-cran-readxl=1.4.2-1
spamassassin=4.0.1-1~deb12u1
base-files=12.4+deb12u15
libfuse3-3=3.14.0-4
pandoc=2.17.1.1-2~deb12u1
pandoc-data=2.17.1.1-2~deb12u1
liblua5.3-0=5.3.6-2'
VEGA=vega_datasets==0.9.0

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/deb" "$WORK/x" "$WORK/pip" "$WORK/conv"
# shellcheck disable=SC2086
if ! (cd "$WORK/deb" && apt-get download -q $DEBS >"$WORK/apt.log" 2>&1); then
  echo "formats.sh: apt-get download failed (run apt-get update first?):" >&2
  tail -5 "$WORK/apt.log" >&2
  exit 1
fi
for deb in "$WORK"/deb/*.deb; do
  dpkg -x "$deb" "$WORK/x"
done
python3 -m pip download -q --no-deps "$VEGA" -d "$WORK/pip" >"$WORK/pip.log" 2>&1 || {
  echo "formats.sh: pip download $VEGA failed:" >&2
  tail -5 "$WORK/pip.log" >&2
  exit 1
}
python3 -m zipfile -e "$WORK"/pip/vega_datasets-*.whl "$WORK/pip/whl"

X=$WORK/x
put() { cp "$1" "$DEST/$2"; }
put "$X/usr/share/doc/python3.11/html/howto/sockets.html" python-sockets-howto.html
put "$X/usr/share/debian-reference/ch04.en.html" debian-reference-authentication.html
put "$WORK/pip/whl/vega_datasets/_data/seattle-weather.csv" seattle-weather.csv
put "$WORK/pip/whl/vega_datasets/_data/stocks.csv" stocks.csv
put "$X/usr/lib/R/site-library/readxl/extdata/deaths.xlsx" readxl-deaths.xlsx
put "$X/usr/share/doc/spamassassin/examples/sample-nonspam.txt" tbtf-ping-2001-04-20.eml
put "$X/usr/share/doc/spamassassin/examples/sample-spam.txt" gtube-test-spam.eml
put "$X/usr/share/doc/base-files/FAQ" base-files-faq.txt
put "$X/usr/share/doc/libfuse3-3/README.md" libfuse-readme.md

# DOCX: pandoc from the extracted packages (Debian's pandoc finds its data through pandoc_datadir), run in a
# folder holding only the HTML so the images it cannot fetch are replaced the same way every time.
for howto in logging unicode; do
  cp "$X/usr/share/doc/python3.11/html/howto/$howto.html" "$WORK/conv/"
  (cd "$WORK/conv" && SOURCE_DATE_EPOCH=1700000000 pandoc_datadir="$X/usr/share/pandoc" \
    LD_LIBRARY_PATH="$X/usr/lib/x86_64-linux-gnu" "$X/usr/bin/pandoc" -f html -t docx \
    -o "$DEST/python-$howto-howto.docx" "$howto.html" 2>"$WORK/pandoc-$howto.log") || {
    echo "formats.sh: pandoc could not convert $howto.html:" >&2
    tail -5 "$WORK/pandoc-$howto.log" >&2
    exit 1
  }
done

if ! pins_ok; then
  echo "formats.sh: documents in $DEST do not match their pinned sha256:" >&2
  (cd "$DEST" && printf '%s\n' "$PINS" | grep -v '^$' | sha256sum -c 2>&1 | grep -v ': OK$') >&2 || true
  exit 1
fi
