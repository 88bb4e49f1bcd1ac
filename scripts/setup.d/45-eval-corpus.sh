# The held-out evaluation set's documents (crates/folio-answer/eval/*.jsonl; issue 13):
# every scripts/eval-corpus/*.sh fetches its pinned documents into one folder. Sourced by
# setup.sh after lib.sh; exports FOLIO_EVAL_CORPUS, which tests/eval_set.rs reads.

# img2pdf wraps the scanned PDF's page images; pdftoppm/pdftotext come with 40-engine.sh.
need_apt img2pdf poppler-utils

export FOLIO_EVAL_CORPUS=${FOLIO_EVAL_CORPUS:-$FOLIO_CACHE/eval-corpus}
# The marker names a hash of the scripts, so a changed script fetches again (each script
# keeps the files that still match their pins).
eval_corpus_hash=$(cat "$FOLIO_ROOT"/scripts/eval-corpus/*.sh | sha256sum | cut -c1-16)
if [ ! -f "$FOLIO_EVAL_CORPUS/.done-$eval_corpus_hash" ]; then
  say "fetching the evaluation documents into $FOLIO_EVAL_CORPUS"
  mkdir -p "$FOLIO_EVAL_CORPUS"
  for script in "$FOLIO_ROOT"/scripts/eval-corpus/*.sh; do
    bash "$script" "$FOLIO_EVAL_CORPUS" >&2 || die "$script could not fetch its documents into $FOLIO_EVAL_CORPUS"
  done
  rm -f "$FOLIO_EVAL_CORPUS"/.done-*
  touch "$FOLIO_EVAL_CORPUS/.done-$eval_corpus_hash"
fi
unset eval_corpus_hash
