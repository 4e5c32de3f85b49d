"""A page whose original vanished from the store is retried, then
quarantined; its document and batch end instead of looping."""

from __future__ import annotations

import time

import pytest
import redis
from sqlalchemy import select

from archive.models import Batch, Document, PageOutcome, Quarantine
from ingest.batch import open_batch
from ingest.dist_objects import put_uploads
from ingest.dist_queue import DEFAULT_QUEUE, CelerySender, client_app
from ingest.distributed import receive_uploads
from tests.distributed.cluster import MAX_RETRIES, Cluster

pytestmark = [pytest.mark.db, pytest.mark.redis, pytest.mark.s3, pytest.mark.slow]

FILE = "A_vn_congvan_1906_SGDDT_2020_p2.jpg"


def _batch(cluster: Cluster, batch_id: str) -> Batch:
    with cluster.ctx.sessions() as session:
        return session.get(Batch, batch_id)


def test_page_without_original_ends_in_quarantine(cluster: Cluster, corpus):
    ctx = cluster.ctx
    batch_id = open_batch(ctx, station="test", files_total=0, status="queued")
    put_uploads(ctx, batch_id, [corpus / FILE])
    app = client_app(cluster.settings)
    try:
        receive_uploads(ctx, batch_id, send=CelerySender(app))
    finally:
        app.close()
    with ctx.sessions() as session:
        doc = session.scalars(select(Document)).one()
    ctx.store.delete(f"originals/{doc.original_sha256}")

    cluster.start_worker("p1")
    deadline = time.monotonic() + 120
    while _batch(cluster, batch_id).status == "running":
        assert time.monotonic() < deadline, cluster.log("p1")
        time.sleep(0.3)

    batch = _batch(cluster, batch_id)
    assert batch.status == "partial"
    assert (batch.files_done, batch.files_total) == (1, 1)
    assert (batch.pages_done, batch.pages_total) == (1, 1)
    assert batch.quarantined == 1
    with ctx.sessions() as session:
        assert session.get(Document, doc.id).state == "quarantined"
        outcome = session.scalars(select(PageOutcome)).one()
        assert (outcome.number, outcome.status) == (1, "failed")
        assert outcome.attempts == MAX_RETRIES + 1
        assert outcome.detail["code"] == "storage.not_found"
        rows = session.scalars(select(Quarantine).order_by(Quarantine.page)).all()
        assert [(q.page, q.filename) for q in rows] == [(0, FILE), (1, FILE)]
        assert rows[1].code == "storage.not_found"
    # Nothing is left to loop: the queue and the unacked set are empty.
    time.sleep(1.0)
    broker = redis.Redis.from_url(cluster.settings.task_cfg.broker_url)
    try:
        assert broker.llen(DEFAULT_QUEUE) == 0
        assert broker.hlen("unacked") == 0
    finally:
        broker.close()
    assert cluster.log("p1").count("Retry in") == MAX_RETRIES
