# The official Airia Python SDK, pinned to 0.1.41 (the version the wire contract was
# written from). folio-cli's airia conformance test runs it beside `folio airia` against
# one recording server and compares the requests; it reads the interpreter from this
# variable. Same venv as the AI Hub SDK: the two packages do not conflict.
FOLIO_AIRIA_SDK_VENV=$(folio_venv)
pip_need "$FOLIO_AIRIA_SDK_VENV" airia==0.1.41
export FOLIO_AIRIA_SDK_PYTHON=$FOLIO_AIRIA_SDK_VENV/bin/python
