"""Runs one operation through the official Pieces OS SDK (pieces-os-client 5.0.1)
against a recording server, the way its wrapper (PiecesClient, Copilot) does it:
probe the health endpoint, register with POST /connect, set the `application` header,
then the operation. The wrapper itself starts eight background WebSockets and needs a
signed-in user, so its steps are replayed here with the SDK's own generated client
and models; the answer stream uses websocket-client, as the wrapper's AskStreamWS does.

usage: sdk_runner.py BASE_URL FOLIO_VERSION CASES_JSON
CASES_JSON is a list of Python statements using api, app_id, model_id(), ask_stream().
Each case starts with a marker request (GET /__case__/N) so the test can split what the
server recorded; the SDK is imported once (importing it takes seconds).
"""
import json
import platform
import sys
import urllib.error
import urllib.request

import websocket
from pieces_os_client.api_client import ApiClient
from pieces_os_client.configuration import Configuration
from pieces_os_client.api.connector_api import ConnectorApi
from pieces_os_client.api.conversation_api import ConversationApi
from pieces_os_client.api.conversations_api import ConversationsApi
from pieces_os_client.api.models_api import ModelsApi
from pieces_os_client.api.qgpt_api import QGPTApi
from pieces_os_client.models.qgpt_question_input import QGPTQuestionInput
from pieces_os_client.models.qgpt_stream_input import QGPTStreamInput
from pieces_os_client.models.qgpt_stream_output import QGPTStreamOutput
from pieces_os_client.models.qgpt_stream_enum import QGPTStreamEnum
from pieces_os_client.models.relevant_qgpt_seeds import RelevantQGPTSeeds
from pieces_os_client.models.seeded_connector_connection import SeededConnectorConnection
from pieces_os_client.models.seeded_tracked_application import SeededTrackedApplication

base, version, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])


def start():
    """A fresh client, found and registered as PiecesClient does it."""
    # The wrapper's port scan probe (wrapper/client.py _port_scanning).
    with urllib.request.urlopen(urllib.request.Request(base + "/.well-known/health", method="HEAD"), timeout=5) as r:
        assert r.status == 200
    # The wrapper's platform rule and registration (PiecesClient.__init__ and _startup).
    local_os = platform.system().upper() if platform.system().upper() in ["WINDOWS", "LINUX", "DARWIN"] else "WEB"
    local_os = "MACOS" if local_os == "DARWIN" else local_os
    api = ApiClient(Configuration(base))
    connector = SeededConnectorConnection(application=SeededTrackedApplication(name="OPEN_SOURCE", platform=local_os, version=version))
    app_id = ConnectorApi(api).connect(seeded_connector_connection=connector).application.id
    api.set_default_header("application", app_id)
    return api, app_id


def model_id():
    # PiecesClient.get_models: models in the cloud or downloaded, by name; its default
    # name when offered, else (Folio's rule where the wrapper would raise) the first.
    models = {m.name: m.id for m in ModelsApi(api).models_snapshot().iterable if m.cloud or m.downloaded}
    return models.get("GPT-3.5-turbo Chat Model") or next(iter(models.values()))


def ask_stream(conversation, query):
    # AskStreamWS: ws:// on the same host, QGPTStreamInput.to_json() out, frames read
    # while IN-PROGRESS (Copilot._return_on_message).
    question = QGPTQuestionInput(query=query, model=model_id(), application=app_id, relevant=RelevantQGPTSeeds(iterable=[]))
    ws = websocket.create_connection(base.replace("http", "ws") + "/qgpt/stream", timeout=10)
    ws.send(QGPTStreamInput(conversation=conversation, question=question).to_json())
    text = ""
    while True:
        out = QGPTStreamOutput.from_json(ws.recv())
        if out.question:
            text += "".join(a.text for a in out.question.answers.iterable)
        if out.status not in (QGPTStreamEnum.IN_MINUS_PROGRESS, QGPTStreamEnum.INITIALIZED):
            break
    ws.close()
    return text


for i, statement in enumerate(cases):
    try:
        urllib.request.urlopen(base + "/__case__/%d" % i, timeout=5)
    except urllib.error.HTTPError:
        pass  # the marker is answered 404; only its arrival matters
    api, app_id = start()
    exec(statement)
