"""Runs one call of the official AI Hub SDK (instabase-aihub 0.13.0) against a test server.

Used by aihub_conformance.rs: argv[1] is a JSON object with api_root, token, ib_context
(or null), files (name -> path) and call, a Python expression over `client` and `F`.
The SDK may raise after its request was sent (it rejects some answers); the request is
what matters here, so errors are reported on stderr and the exit status stays 0 unless
the SDK itself is missing or the wrong version.
"""
import json
import sys
from importlib.metadata import version

spec = json.loads(sys.argv[1])
installed = version("instabase-aihub")
if installed != "0.13.0":
    sys.exit(f"instabase-aihub {installed} is installed; the conformance test needs 0.13.0")

from aihub import AIHub  # noqa: E402

client = AIHub(api_key=spec["token"], ib_context=spec["ib_context"], api_root=spec["api_root"])
F = spec["files"]
try:
    eval(spec["call"], {"client": client, "F": F})
except Exception as e:  # the request has been recorded; only the answer was refused
    print(f"sdk raised {type(e).__name__}: {e}", file=sys.stderr)
