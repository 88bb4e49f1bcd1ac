# The official Pieces OS Python SDK, pinned to 5.0.1 (the version the wire contract
# describes). folio-cli's Pieces conformance test runs it beside `folio pieces` against
# one recording server and compares the requests; it reads the interpreter from this variable.
FOLIO_PIECES_SDK_VENV=$(folio_venv)
pip_need "$FOLIO_PIECES_SDK_VENV" pieces-os-client==5.0.1
export FOLIO_PIECES_SDK_PYTHON=$FOLIO_PIECES_SDK_VENV/bin/python
