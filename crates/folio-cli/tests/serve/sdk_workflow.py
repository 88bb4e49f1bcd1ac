"""The official AI Hub SDK (instabase-aihub 0.13.0) drives `folio serve` through a whole
workflow, unchanged: only api_root and api_key point at Folio. Used by serve_sdk.rs.

argv[1] is a JSON object: api_root, token, pdfs (two paths), extra (a path), questions
(one per PDF: question, expected word, expected page), chatbot_id (a local chatbot made
from the same PDFs). Every SDK call must return without raising; each step's
outcome is checked here and summarised as JSON on stdout. Any failure exits non-zero
with the reason on stderr.
"""
import json
import os
import sys
import time
from datetime import datetime
from importlib.metadata import version

spec = json.loads(sys.argv[1])
installed = version("instabase-aihub")
if installed != "0.13.0":
    sys.exit(f"instabase-aihub {installed} is installed; this test needs 0.13.0")

from aihub import AIHub  # noqa: E402
from aihub.exceptions import ApiException  # noqa: E402

client = AIHub(api_root=spec["api_root"], api_key=spec["token"])
report = {"steps": []}


def step(name, **facts):
    report["steps"].append(name)
    print(f"ok: {name} {facts if facts else ''}", file=sys.stderr)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def wait_complete(conversation_id, documents):
    """Polls like the seed's scripts do (bounded: 240 s)."""
    deadline = time.time() + 240
    while True:
        status = client.conversations.status(conversation_id)
        check(status is not None, "status returned None: the status code was not 200")
        if status.state == "COMPLETE" and len(status.documents or []) == documents:
            return status
        check(status.state in ("RUNNING", "COMPLETE"), f"unexpected state {status.state}")
        check(time.time() < deadline, f"still {status.state} after 240 s")
        time.sleep(0.5)


def poll_query(query_id):
    deadline = time.time() + 240
    while True:
        status = client.queries.status(query_id)
        check(status is not None, "query status returned None")
        if status.status != "RUNNING":
            check(status.status == "COMPLETE", f"query {query_id} {status.status}: {status.error}")
            return status
        check(time.time() < deadline, "query still RUNNING after 240 s")
        time.sleep(0.5)


def pages_of(status, document_name):
    pages = set()
    for result in status.results or []:
        for source in result.source_documents or []:
            if source.name == document_name:
                pages.update(int(p.page_number) for p in source.pages or [])
    return pages


pdfs = spec["pdfs"]
names = [os.path.basename(p) for p in pdfs]

# Create with two real PDFs and every flag the SDK has.
created = client.conversations.create(
    name="Folio SDK workflow",
    description="Two LaTeX manuals",
    files=pdfs,
    enable_object_detection=True,
    enable_entity_detection=False,
    write_converted_image=False,
    write_thumbnail=False,
    fast_mode=False,
    enable_multilanguage_support=False,
    enable_multilanguage_advanced_mode=False,
)
check(created is not None, "create returned None: the status code was not 201")
check(created.name == "Folio SDK workflow", f"name {created.name}")
check([f.name for f in created.upload_status.success] == names, f"uploaded {created.upload_status}")
check(not created.upload_status.failure, f"failures {created.upload_status.failure}")
cid = created.id
step("create", id=cid)

status = wait_complete(cid, 2)
check([d.name for d in status.documents] == names, f"documents {status.documents}")
for d in status.documents:
    check(isinstance(d.id, int), f"document id {d.id!r} is not an int")
    check(d.state == "PROCESSED", f"{d.name} is {d.state}")
    check(isinstance(d.upload_timestamp, datetime), f"uploadTimestamp {d.upload_timestamp!r}")
doc_ids = {d.name: d.id for d in status.documents}
step("status until COMPLETE", documents=len(status.documents))

# Converse with each document: the answer quotes the expected words or cites the page.
for pdf_name, q in zip(names, spec["questions"]):
    answer = client.conversations.converse(cid, q["question"], [doc_ids[pdf_name]])
    check(answer is not None and answer.prompt_id, f"converse returned {answer}")
    text = answer.answer or ""
    cited = q["word"].lower() in text.lower() or f"page {q['page']}" in text.lower()
    check(cited, f"the answer about {pdf_name} neither quotes {q['word']!r} nor cites page {q['page']}: {text}")
    step("converse", document=pdf_name)

# Add a document, read its metadata, delete it.
added = client.conversations.add_documents(cid, [spec["extra"]])
check(added is not None, "add_documents returned None: the status code was not 201")
extra_name = os.path.basename(spec["extra"])
check([f.name for f in added.upload_status.success] == [extra_name], f"added {added.upload_status}")
step("add_documents")
status = wait_complete(cid, 3)
extra_id = next(d.id for d in status.documents if d.name == extra_name)
meta = client.conversations.get_document_metadata(cid, extra_id)
check(meta is not None and meta.id == extra_id and meta.name == extra_name, f"metadata {meta}")
check(isinstance(meta.metadata, list) and meta.metadata, f"metadata list {meta.metadata}")
# A script walking the pages as on AI Hub (seed 001): each entry has its page's layout.
layouts = [m.get("layout") or {} for m in meta.metadata]
check(all(isinstance(l.get("width"), (int, float)) and isinstance(l.get("height"), (int, float)) for l in layouts), f"page layouts {layouts[:2]}")
check([l.get("original_page_number") for l in layouts] == list(range(len(layouts))), f"page numbers {layouts[:2]}")
check(meta.ibdoc_path and not os.path.isabs(meta.ibdoc_path), f"ibdoc_path names a place on this computer: {meta.ibdoc_path}")
step("get_document_metadata")
client.conversations.delete_documents(cid, [extra_id])
status = client.conversations.status(cid)
check(sorted(d.name for d in status.documents) == sorted(names), f"after delete_documents {status.documents}")
step("delete_documents")

# Rename, then list.
client.conversations.update(cid, name="Renamed & more", description="desc/é")
status = client.conversations.status(cid)
check((status.name, status.description) == ("Renamed & more", "desc/é"), f"after update {status.name!r} {status.description!r}")
step("update")
listed = client.conversations.list()
check(listed is not None, "list returned None")
mine = [c for c in listed.conversations if c.id == cid]
check(len(mine) == 1 and mine[0].name == "Renamed & more", f"list {listed}")
step("list", conversations=len(listed.conversations))

# A CONVERSE query over both documents, and a query of a local chatbot made from the
# same PDFs (`folio local chatbots create`), both with page-level source info.
converse_q, chatbot_q = spec["questions"]
runs = (
    ({"type": "CONVERSE", "id": cid}, converse_q, names[0]),
    ({"type": "CHATBOT", "id": spec["chatbot_id"]}, chatbot_q, names[1]),
)
for source_app, q, pdf_name in runs:
    started = client.queries.run(q["question"], source_app, include_source_info=True, model_name="multistep")
    check(started is not None and started.query_id, f"run returned {started}")
    done = poll_query(started.query_id)
    check(done.results and done.results[0].response, f"no answer: {done}")
    pages = pages_of(done, pdf_name)
    check(q["page"] in pages, f"sources of {pdf_name} give pages {pages}, expected {q['page']}: {done}")
    step("query", source=source_app["type"], pages=sorted(pages))

# Delete; the conversation is gone (404, which the SDK raises as NotFoundException).
client.conversations.delete(cid)
try:
    client.conversations.status(cid)
    raise AssertionError("the conversation is still there after delete")
except ApiException as e:
    check(e.status == 404, f"status after delete: {e.status}")
check(all(c.id != cid for c in client.conversations.list().conversations), "still listed after delete")
step("delete")

print(json.dumps(report))
