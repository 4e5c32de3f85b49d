"""One dossier from ingest to destruction on a real S3 server: real OCR,
hold by search, release, four-eyes approval, destruction, certificate."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import pdfplumber
import pytest
from sqlalchemy import func, select, text

from archive import audit
from archive.db import unit_of_work
from archive.models import Document, FieldRow, Page, StoredObject
from archive.s3_store import S3Store
from core.errors import Conflict, Forbidden, ObjectNotFound
from core.textfold import fold
from ingest.pipeline import run_batch
from retention import destruction, disposition, holds, schedule
from retention.actor import Actor
from retention.certificate import find_font
from retention.due import due_list
from tests.retention.conftest import AN, BINH, LETTER, dossier, s3_context, utc

pytestmark = [pytest.mark.ocr, pytest.mark.s3, pytest.mark.slow]

CODE = "HS-000.00.00.H17-2020-1906"
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def walk(tmp_path_factory, corpus, s3):
    """Ingest the letter on a fresh bucket, once."""
    root = tmp_path_factory.mktemp("walk")
    store = S3Store(s3.endpoint, s3.access_key, s3.secret_key,
                    s3.new_bucket_name(), region=s3.region)
    ctx = s3_context(root / "data", store)
    ctx.settings.ocr.ocr_workers = 1
    scans = root / "scans"
    scans.mkdir()
    shutil.copy(corpus / LETTER, scans)
    report = run_batch(ctx, [scans], dossier_code=CODE, station="t1")
    steps: dict = {"report": report}
    with ctx.sessions() as session:
        steps["keys"] = sorted(session.scalars(select(StoredObject.key)))
    return ctx, s3, steps


def test_ingest_archived_the_letter_on_s3(walk):
    ctx, server, steps = walk
    assert steps["report"].documents == 1
    with ctx.sessions() as session:
        doc = session.scalar(select(Document))
        text_read = fold(session.scalar(select(Page.text)))
        (event,) = audit.events(session, action="document.archived")
    assert doc.doc_type == "Công văn" and doc.number.startswith("1906")
    assert "giao duc" in text_read and "covid" in text_read
    assert event.subject_id == doc.id
    names = {o.object_name for o in server.client().list_objects(
        ctx.store.bucket, recursive=True)}
    assert set(steps["keys"]) <= names and len(steps["keys"]) >= 5


def test_full_walk_to_destruction(walk):
    ctx, server, steps = walk
    store = ctx.store

    # Closed in 2010: a công văn is kept 10 years from 31/12/2010, so it is
    # due now and its objects get no lock date (test_locked covers that).
    with unit_of_work(ctx.sessions) as session:
        found = dossier(session, CODE)
        schedule.close_dossier(session, found, actor=AN,
                               trigger="end_of_year_closed",
                               closed_at=utc(2010, 8, 1), store=store)
        assert found.disposal_date == dt.date(2020, 12, 31)
        assert [d.code for d in due_list(session, today=TODAY).due] == [CODE]

    # Hold every dossier a search finds; the objects get a legal hold.
    with unit_of_work(ctx.sessions) as session:
        found = holds.dossiers_for_query(session, "phòng chống dịch COVID")
        assert [d.code for d in found] == [CODE]
        placed = holds.place_hold(session, store, found, actor=AN,
                                  reason="thanh tra phòng dịch",
                                  reference="TTr 45/2025", query="COVID")
        group = placed[0].group_id
    assert all(store.stat(k).legal_hold for k in steps["keys"])
    with unit_of_work(ctx.sessions) as session:
        assert due_list(session, today=TODAY).held == 1
        with pytest.raises(Conflict, match="legal hold"):
            disposition.propose(session, [dossier(session, CODE)], actor=AN,
                                today=TODAY)

    # Release: both the catalogue hold and the objects' hold go.
    with unit_of_work(ctx.sessions) as session:
        holds.release_hold(session, store, group, actor=BINH, reason="kết thúc")
    assert not any(store.stat(k).legal_hold for k in steps["keys"])

    # Propose; the proposer may not approve; another archivist does.
    with unit_of_work(ctx.sessions) as session:
        proposed = disposition.propose(session, [dossier(session, CODE)],
                                       actor=AN, today=TODAY, note="hết giá trị")
        dispo_id = proposed.id
    with unit_of_work(ctx.sessions) as session, pytest.raises(Forbidden):
        disposition.decide(session, dispo_id, approve=True,
                           actor=Actor("nguyễn văn  an", "admin", "ffff9999"))
    with unit_of_work(ctx.sessions) as session:
        disposition.decide(session, dispo_id, actor=BINH, approve=True)

    # Destroy: objects gone with every version, rows reduced to a tombstone.
    with unit_of_work(ctx.sessions) as session:
        done = destruction.destroy(session, store, dispo_id, actor=BINH,
                                   today=TODAY, font=find_font())
        assert done.state == "destroyed"
        cert = done.certificate_key
    left = [o.object_name for o in server.client().list_objects(
        store.bucket, recursive=True, include_version=True)]
    assert sorted(left) == [f"{cert}.json", f"{cert}.pdf"]
    for key in steps["keys"]:
        with pytest.raises(ObjectNotFound):
            store.stat(key)
    _check_tombstone(ctx)
    _check_certificate(ctx, cert, steps["keys"])

    # The log holds every step, intact; an edited past row is caught.
    with ctx.sessions() as session:
        actions = [e.action for e in reversed(audit.events(session, limit=50))]
        assert audit.verify(session).ok
    assert actions[actions.index("dossier.closed"):] == [
        "dossier.closed", "hold.placed", "hold.released", "disposition.proposed",
        "disposition.approved", "dossier.destroyed", "disposition.destroyed"]
    with unit_of_work(ctx.sessions) as session:
        session.execute(text("UPDATE audit_event SET detail = '{}' "
                             "WHERE action = 'hold.placed'"))
    with ctx.sessions() as session:
        assert audit.verify(session).broken.action == "hold.placed"


def _check_tombstone(ctx) -> None:
    with ctx.sessions() as session:
        doc = session.scalar(select(Document))
        assert session.scalar(select(func.count()).select_from(Page)) == 0
        assert session.scalar(select(func.count()).select_from(FieldRow)) == 0
        assert doc.state == "destroyed" and doc.summary is None
        assert doc.filename == f"{doc.id}.destroyed"
        assert doc.original_sha256.startswith(doc.id)
        assert doc.number.startswith("1906") and doc.archived_at is not None
        kept = session.scalars(select(StoredObject).where(
            StoredObject.document_id == doc.id)).all()
        assert kept and all(o.deleted_at and len(o.sha256) == 64 for o in kept)
        assert dossier(session, CODE).state == "destroyed"


def _check_certificate(ctx, cert: str, keys: list[str]) -> None:
    store = ctx.store
    with store.open(f"{cert}.json") as stream:
        body = json.load(stream)
    (item,) = body["dossiers"]
    assert item["code"] == CODE and item["outcome"] == "destroyed"
    assert sorted(o["key"] for o in item["objects"]) == keys
    with ctx.sessions() as session:
        rows = session.execute(select(StoredObject.key, StoredObject.sha256))
        sha = {row.key: row.sha256 for row in rows}
    assert all(o["sha256"] == sha[o["key"]] for o in item["objects"])
    assert body["proposed_by"] == AN.label and body["approved_by"] == BINH.label
    assert body["counts"]["destroyed"] == 1 and body["legal_basis"]
    with store.open(f"{cert}.pdf") as stream, pdfplumber.open(
            io.BytesIO(stream.read())) as pdf:
        words = "\n".join(p.extract_text() for p in pdf.pages)
    assert "BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ" in words
    assert CODE in words and "Trần Thị Bình" in words
    for key in (f"{cert}.json", f"{cert}.pdf"):
        info = store.stat(key)
        assert info.legal_hold and info.retain_until.year >= 2100
