"""Runs one call of the official Airia SDK (airia 0.1.41) against a test server.

Used by airia_conformance.rs: argv[1] is a JSON object with base_url, api_key or
bearer_token (one of them), vars (values the call may use as V[...]) and call, a Python
expression over `client` and `V`. A streamed answer must be iterated for the SDK to
read it, so calls do that themselves. The SDK may raise after its request was sent (it
validates answers); the request is what matters here, so errors go to stderr and the
exit status stays 0 unless the SDK itself is missing or the wrong version.
"""
import json
import sys
from importlib.metadata import version

spec = json.loads(sys.argv[1])
installed = version("airia")
if installed != "0.1.41":
    sys.exit(f"airia {installed} is installed; the conformance test needs 0.1.41")

from airia import AiriaClient  # noqa: E402

if spec.get("bearer_token"):
    client = AiriaClient.with_bearer_token(bearer_token=spec["bearer_token"], base_url=spec["base_url"])
else:
    client = AiriaClient(base_url=spec["base_url"], api_key=spec["api_key"])
try:
    eval(spec["call"], {"client": client, "V": spec.get("vars", {})})
except Exception as e:  # the request has been recorded; only the answer was refused
    print(f"sdk raised {type(e).__name__}: {e}", file=sys.stderr)
