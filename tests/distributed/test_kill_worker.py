"""The corpus batch through the HTTP API on two workers, one killed with
SIGKILL while it reads a page: the batch still completes, every page is
archived once, the bad file is quarantined, the objects in the bucket match
the catalogue and search finds the documents."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from api.app import create_app
from archive.apikeys import create_key
from archive.audit import AuditEvent
from archive.db import unit_of_work
from archive.models import Document, Page, PageOutcome, StoredObject
from ingest.dist_queue import OCR_PAGE, client_app
from tests.distributed.cluster import Cluster
from tests.servers.ports import free_port

pytestmark = [pytest.mark.db, pytest.mark.redis, pytest.mark.s3, pytest.mark.ocr,
              pytest.mark.slow]

DECISION = "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"
BAD = "B_ocrmypdf_invalid.pdf"
FILES = {  # name → pages
    DECISION: 2,
    "A_vn_congvan_1906_SGDDT_2020_p1.jpg": 1,
    "A_vn_congvan_1906_SGDDT_2020_p2.jpg": 1,
    "B_ocrmypdf_cardinal.pdf": 4,
    "C_paperless_multi-page-images-alpha.tiff": 3,
    BAD: 0,
}
FINAL = ("done", "partial", "failed")


@pytest.fixture
def api(cluster: Cluster) -> Iterator[httpx.Client]:
    """The API app (Celery dispatcher) served by uvicorn on loopback."""
    port = free_port()
    app = create_app(cluster.settings, context=cluster.ctx)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "API not up"
        time.sleep(0.05)
    keys = {}
    with unit_of_work(cluster.ctx.sessions) as session:
        for role in ("station", "officer"):
            keys[role] = create_key(session, name=f"test {role}", role=role)[1]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        client.keys = keys
        yield client
    server.should_exit = True
    thread.join(30)


def _auth(client: httpx.Client, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.keys[role]}"}


def _upload(client: httpx.Client, corpus) -> str:
    files = [("files", (name, (corpus / name).read_bytes())) for name in FILES]
    answer = client.post("/batches", files=files, data={"dossier": "HS-DIST"},
                         headers=_auth(client, "station"))
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def _progress(client: httpx.Client, batch_id: str) -> dict:
    answer = client.get(f"/batches/{batch_id}", headers=_auth(client, "officer"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _page_on(cluster: Cluster, node: str) -> dict | None:
    """The kwargs of the page task ``node`` is running, if any."""
    app = client_app(cluster.settings)
    try:
        active = app.control.inspect(timeout=1.0).active() or {}
    finally:
        app.close()
    for name, tasks in active.items():
        if name.startswith(f"{node}@"):
            for task in tasks:
                if task["name"] == OCR_PAGE:
                    return task["kwargs"]
    return None


def _kill_mid_page(cluster: Cluster, client: httpx.Client, batch_id: str) -> dict:
    """SIGKILL worker w1 once a page is done and w1 is reading another."""
    deadline = time.monotonic() + 240
    while True:
        progress = _progress(client, batch_id)
        assert progress["status"] not in FINAL, "the batch ended before the kill"
        assert time.monotonic() < deadline, cluster.log("w1")
        page = _page_on(cluster, "w1") if progress["pages_done"] >= 1 else None
        if page and _pending(cluster, page):
            os.killpg(cluster.workers["w1"].pid, signal.SIGKILL)
            cluster.workers["w1"].wait(10)
            return page
        time.sleep(0.2)


def _pending(cluster: Cluster, page: dict) -> bool:
    """True while the page is being read (started, not ended)."""
    with cluster.ctx.sessions() as session:
        status = session.scalar(select(PageOutcome.status).where(
            PageOutcome.document_id == page["document_id"],
            PageOutcome.number == page["number"]))
    return status == "pending"


def _wait_final(cluster: Cluster, client: httpx.Client, batch_id: str) -> dict:
    deadline = time.monotonic() + 300
    while (progress := _progress(client, batch_id))["status"] not in FINAL:
        assert time.monotonic() < deadline, cluster.log("w2")
        time.sleep(0.5)
    return progress


def test_batch_survives_a_killed_worker(cluster: Cluster, api, corpus):
    cluster.start_worker("w1")
    cluster.start_worker("w2")
    cluster.wait_for("w1", "w2")

    batch_id = _upload(api, corpus)
    killed_page = _kill_mid_page(cluster, api, batch_id)
    progress = _wait_final(cluster, api, batch_id)

    pages = sum(FILES.values())
    assert progress["status"] == "partial", cluster.log("w2")
    assert (progress["files_done"], progress["files_total"]) == (6, 6)
    assert (progress["pages_done"], progress["pages_total"]) == (pages, pages)
    assert progress["quarantined"] == 1
    assert [(q["filename"], q["page"]) for q in progress["quarantine"]] == [(BAD, 0)]
    assert progress["quarantine"][0]["code"].startswith("input.")
    assert len(progress["documents"]) == 5
    _assert_pages_once(cluster, killed_page, pages)
    _assert_objects_match(cluster)
    _assert_search(api)


def _assert_pages_once(cluster: Cluster, killed_page: dict, pages: int) -> None:
    with cluster.ctx.sessions() as session:
        docs = session.scalars(select(Document)).all()
        assert {d.filename: d.page_count for d in docs} == {
            k: v for k, v in FILES.items() if v}
        assert {d.state for d in docs} == {"archived"}
        for doc in docs:
            numbers = session.scalars(select(Page.number).where(
                Page.document_id == doc.id).order_by(Page.number)).all()
            assert numbers == list(range(1, doc.page_count + 1)), doc.filename
        outcomes = session.scalars(select(PageOutcome)).all()
        assert len(outcomes) == pages
        assert len({(o.document_id, o.number) for o in outcomes}) == pages
        assert {o.status for o in outcomes} == {"ok"}
        redone = session.scalars(select(PageOutcome).where(
            PageOutcome.document_id == killed_page["document_id"],
            PageOutcome.number == killed_page["number"])).one()
        assert redone.attempts >= 2
        archived = session.execute(
            select(AuditEvent.subject_id, func.count())
            .where(AuditEvent.action == "document.archived")
            .group_by(AuditEvent.subject_id)).all()
        assert sorted(archived) == sorted((d.id, 1) for d in docs)


def _assert_objects_match(cluster: Cluster) -> None:
    s3 = cluster.s3.client()
    bucket = cluster.settings.storage_cfg.s3_bucket
    with cluster.ctx.sessions() as session:
        rows = session.scalars(select(StoredObject)).all()
    kinds = {r.kind for r in rows}
    assert {"original", "searchable", "text", "words", "thumbnail",
            "manifest"} <= kinds
    assert sum(r.kind == "original" for r in rows) == 5
    for row in rows:
        response = s3.get_object(bucket, row.key)
        try:
            body = response.read()
        finally:
            response.close()
            response.release_conn()
        assert len(body) == row.size, row.key
        assert hashlib.sha256(body).hexdigest() == row.sha256, row.key
    leftovers = [o.object_name for o in s3.list_objects(bucket, recursive=True)
                 if o.object_name.startswith(("work/", "uploads/"))]
    assert leftovers == []


def _assert_search(client: httpx.Client) -> None:
    answer = client.get("/search", params={"q": "quyet dinh mot cua"},
                        headers=_auth(client, "officer"))
    assert answer.status_code == 200, answer.text
    hits = answer.json()["data"]
    assert hits and hits[0]["filename"] == DECISION
    answer = client.get("/search", params={"q": "COVID-19"},
                        headers=_auth(client, "officer"))
    names = {h["filename"] for h in answer.json()["data"]}
    assert "A_vn_congvan_1906_SGDDT_2020_p1.jpg" in names
