"""Kill the ingest process mid-batch, ingest again: every page arrives once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from archive.models import Document, Page, StoredObject
from ingest.pipeline import run_batch
from tests.ingest.conftest import make_context

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

FILES = (
    "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf",
    "A_vn_congvan_1906_SGDDT_2020_p1.jpg",
    "A_vn_congvan_1906_SGDDT_2020_p2.jpg",
    "B_ocrmypdf_cardinal.pdf",
    "C_paperless_multi-page-images-alpha.tiff",
    "A_vn_nghidinh_28-2021-ND-CP_p1_scan.jpg",
)


def _archived(ctx) -> int:
    with ctx.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(Document)
            .where(Document.state == "archived")
        )


def test_kill_mid_batch_then_resume(tmp_path, corpus):
    folder = tmp_path / "scans"
    folder.mkdir()
    for name in FILES:
        shutil.copy(corpus / name, folder)
    data = tmp_path / "data"
    ctx = make_context(data)
    env = {**os.environ, "SOHOA_DATA_DIR": str(data), "SOHOA_OCR_WORKERS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sohoa", "ingest", str(folder), "--dossier", "HS-K"],
        env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    try:
        while _archived(ctx) < 1:
            assert proc.poll() is None, "ingest ended before it could be killed"
            assert time.monotonic() < deadline, "no document archived in 300 s"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    killed_at = _archived(ctx)
    assert killed_at < len(FILES), "the batch finished before the kill"

    report = run_batch(ctx, [folder], dossier_code="HS-K")

    assert report.duplicates == killed_at
    assert _archived(ctx) == len(FILES)
    with ctx.sessions() as session:
        docs = session.scalars(select(Document)).all()
        assert len(docs) == len(FILES)
        for doc in docs:
            numbers = session.scalars(
                select(Page.number).where(Page.document_id == doc.id)
                .order_by(Page.number)
            ).all()
            assert numbers == list(range(1, doc.page_count + 1)), doc.filename
        total = session.scalar(select(func.count()).select_from(Page))
        assert total == sum(d.page_count for d in docs) == 2 + 1 + 1 + 4 + 3 + 1
        for key in session.scalars(select(StoredObject.key)):
            assert ctx.store.exists(key), key
