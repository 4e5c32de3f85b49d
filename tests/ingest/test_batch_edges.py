"""Batches that go wrong in ordinary ways: the same file twice, a file
that vanished, a link, a missing OCR language, a destroyed document sent
again, a file archived in another dossier."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from archive.models import Document, Quarantine
from core.errors import MissingDependency
from ingest.pipeline import run_batch
from ingest.receive import receive
from sohoa.output import shown
from tests.ingest.conftest import make_context

pytestmark = pytest.mark.ocr

PAGE = "A_vn_congvan_1906_SGDDT_2020_p2.jpg"


@pytest.fixture
def folder(tmp_path, corpus):
    path = tmp_path / "scans"
    path.mkdir()
    shutil.copy(corpus / PAGE, path / "a.jpg")
    return path


def test_same_file_twice_in_a_batch_is_one_document(ctx, folder):
    shutil.copy(folder / "a.jpg", folder / "b.jpg")
    report = run_batch(ctx, [folder], dossier_code="HS-E-1")
    assert (report.documents, report.duplicates, report.pages) == (1, 1, 1)
    assert report.duplicate_notes == ["b.jpg: same file as a.jpg in this batch"]
    with ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_vanished_file_is_reported_and_nothing_else_is_lost(ctx, tmp_path):
    rec = receive(ctx, tmp_path / "gone.jpg", batch_id="b", dossier_id="d")
    assert rec.status == "unreadable"
    assert rec.error.code == "input.unreadable"
    assert rec.error.message.startswith("gone.jpg: the file cannot be read")


def test_links_are_not_followed_but_reported(ctx, folder, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the archive")
    (folder / "link.jpg").symlink_to(secret)
    (folder / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    report = run_batch(ctx, [folder], dossier_code="HS-E-2")
    skipped = sorted(p.file for p in report.quarantined)
    assert skipped == ["dangling.pdf", "link.jpg"]
    assert {p.code for p in report.quarantined} == {"input.skipped"}
    assert report.documents == 1
    assert not list((ctx.settings.objects_dir / "quarantine").glob("*"))


def test_missing_language_stops_the_batch_without_quarantine(tmp_path, folder):
    ctx = make_context(tmp_path / "data", ocr_languages="klingon")
    with pytest.raises(MissingDependency, match="klingon"):
        run_batch(ctx, [folder], dossier_code="HS-E-3")
    with ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 0


def test_destroyed_document_is_not_revived(ctx, folder):
    run_batch(ctx, [folder], dossier_code="HS-E-4")
    with ctx.sessions.begin() as session:
        session.scalars(select(Document)).one().state = "destroyed"
    report = run_batch(ctx, [folder], dossier_code="HS-E-5")
    assert report.documents == 0
    [problem] = report.quarantined
    assert problem.code == "input.destroyed"
    assert "destroyed under an approved disposition" in problem.reason
    with ctx.sessions() as session:
        assert session.scalars(select(Document.state)).one() == "destroyed"


def test_duplicate_in_another_dossier_says_where(ctx, folder):
    run_batch(ctx, [folder], dossier_code="HS-E-6")
    report = run_batch(ctx, [folder], dossier_code="HS-E-7")
    assert report.duplicates == 1
    assert "in dossier HS-E-6" in report.duplicate_notes[0]


def test_names_cannot_forge_output_lines():
    assert shown("a\nb\u202ec.jpg") == "a\\u000ab\\u202ec.jpg"


def test_a_document_whose_pages_failed_is_read_again_next_time(tmp_path, folder):
    slow = make_context(tmp_path / "data", ocr_timeout=0.01)
    first = run_batch(slow, [folder], dossier_code="HS-E-8")
    assert first.documents == 0
    assert [p.code for p in first.quarantined] == ["ocr.failed"]
    again = run_batch(make_context(tmp_path / "data"), [folder],
                      dossier_code="HS-E-8")
    assert (again.documents, again.pages, again.quarantined) == (1, 1, [])
    with slow.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 0
        assert session.scalars(select(Document.state)).one() == "archived"


def test_two_runs_at_once_on_one_data_folder(tmp_path, corpus):
    import os
    import subprocess
    import sys

    folder = tmp_path / "scans"
    folder.mkdir()
    for name in (PAGE, "A_vn_congvan_1906_SGDDT_2020_p1.jpg",
                 "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"):
        shutil.copy(corpus / name, folder)
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp_path / "data"),
           "SOHOA_OCR_WORKERS": "1"}
    command = [sys.executable, "-m", "sohoa", "ingest", str(folder),
               "--dossier", "HS-E-9"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    ctx = make_context(tmp_path / "data")
    with ctx.sessions() as session:
        states = session.scalars(select(Document.state)).all()
        assert sorted(states) == ["archived"] * 3
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 0
