# The official AI Hub Python SDK, pinned to 0.13.0 (the last version with Conversations
# and Queries). folio-cli's conformance test runs it beside `folio aihub` against one
# recording server and compares the requests; it reads the interpreter from this variable.
FOLIO_AIHUB_SDK_VENV=$(folio_venv)
pip_need "$FOLIO_AIHUB_SDK_VENV" instabase-aihub==0.13.0
export FOLIO_AIHUB_SDK_PYTHON=$FOLIO_AIHUB_SDK_VENV/bin/python
