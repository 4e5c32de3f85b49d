"""The main job end to end on real scans: ingest, OCR, fields, archive,
search; bad files quarantined with their reason while the batch goes on."""

from __future__ import annotations

import hashlib
import json
import shutil

import pdfplumber
import pytest
from sqlalchemy import func, select

from archive.models import Document, Page, Quarantine, StoredObject
from archive.search import SearchFilters, search
from core.errors import ExitCode
from core.textfold import fold
from ingest.pipeline import run_batch
from tests.ingest.conftest import make_context, zero_size_page_pdf

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

DECISION = "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"
BAD = {
    "empty.pdf": "input.empty",
    "B_ocrmypdf_invalid.pdf": "input.corrupt",
    "B_pikepdf_graph-encrypted.pdf": "input.encrypted_pdf",
    "notes.pdf": "input.unsupported_format",
    "B_ocrmypdf_hugemono.pdf": "input.too_large",
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, corpus):
    """One batch: the 1949 decision, a letter page, and every kind of bad
    file, ingested once into a fresh embedded archive."""
    root = tmp_path_factory.mktemp("batch")
    folder = root / "scans"
    folder.mkdir()
    shutil.copy(corpus / DECISION, folder)
    shutil.copy(corpus / "A_vn_congvan_1906_SGDDT_2020_p1.jpg", folder)
    for name in ("B_ocrmypdf_invalid.pdf", "B_pikepdf_graph-encrypted.pdf",
                 "B_ocrmypdf_hugemono.pdf"):
        shutil.copy(corpus / name, folder)
    (folder / "empty.pdf").touch()
    (folder / "notes.pdf").write_text("không phải PDF", encoding="utf-8")
    zero_size_page_pdf(folder / "zero-page2.pdf", corpus)
    ctx = make_context(root / "data")
    report = run_batch(ctx, [folder], dossier_code="HS-TEST-0001", station="t1")
    return ctx, report, folder


def _doc(ctx, filename):
    with ctx.sessions() as session:
        return session.scalar(select(Document).where(Document.filename == filename))


def test_batch_summary_counts(batch):
    _, report, _ = batch
    assert report.files == 8
    assert report.documents == 3
    # 2 + 1 pages, plus page 1 of the copy whose page 2 has zero size.
    assert report.pages == 4
    assert report.exit_code == ExitCode.quarantined
    assert report.pages_per_minute > 0


def test_decision_fields_extracted(batch):
    ctx, _, _ = batch
    doc = _doc(ctx, DECISION)
    assert doc.state == "archived"
    assert doc.number == "1949/QĐ-UBND"
    assert str(doc.issued_date) == "2018-10-02"
    assert doc.doc_type == "Quyết định"
    assert "TỈNH TRÀ VINH" in doc.agency
    assert doc.summary.startswith("Ban hành Kế hoạch triển khai Nghị định")
    with ctx.sessions() as session:
        fields = {f.name: f for f in session.get(Document, doc.id).fields}
    assert fields["number"].page == 1
    assert 0.5 < fields["number"].confidence <= 1.0
    assert fields["signer_name"].value == "Trần Anh Dũng"
    assert fields["signer_name"].page == 2


def test_page_text_read_from_scan(batch):
    ctx, _, _ = batch
    doc = _doc(ctx, DECISION)
    with ctx.sessions() as session:
        pages = session.scalars(
            select(Page).where(Page.document_id == doc.id).order_by(Page.number)
        ).all()
    assert [p.number for p in pages] == [1, 2]
    assert "quyet dinh" in fold(pages[0].text)
    assert "mot cua lien thong" in fold(pages[0].text)
    assert pages[0].mean_conf > 70
    assert 0.3 < abs(pages[0].skew) < 1.5


def test_searchable_pdf_has_text_layer(batch, tmp_path):
    ctx, _, _ = batch
    doc = _doc(ctx, DECISION)
    out = tmp_path / "s.pdf"
    with ctx.store.open(f"derived/{doc.id}/searchable.pdf") as src:
        out.write_bytes(src.read())
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        text = pdf.pages[0].extract_text()
        words = pdf.pages[0].extract_words()
        width, height = pdf.pages[0].width, pdf.pages[0].height
    assert "1949" in text
    assert "tra vinh" in fold(text)
    assert words and all(0 <= w["x0"] < w["x1"] <= width + 1 for w in words)
    assert all(0 <= w["top"] < w["bottom"] <= height + 1 for w in words)


def test_objects_stored_and_verified(batch, corpus):
    ctx, _, _ = batch
    doc = _doc(ctx, DECISION)
    sha = hashlib.sha256((corpus / DECISION).read_bytes()).hexdigest()
    assert doc.original_sha256 == sha
    assert ctx.store.sha256_of(f"originals/{sha}") == sha
    with ctx.sessions() as session:
        keys = set(session.scalars(
            select(StoredObject.key).where(StoredObject.document_id == doc.id)))
    assert {f"originals/{sha}", f"derived/{doc.id}/searchable.pdf",
            f"derived/{doc.id}/text.txt", f"derived/{doc.id}/words.json",
            f"derived/{doc.id}/thumbs/1.webp"} <= keys
    for key in keys:
        assert ctx.store.exists(key)


def test_manifest_lists_checksums(batch):
    ctx, report, _ = batch
    key = f"manifests/{report.dossiers[0]}/0001.json"
    with ctx.store.open(key) as fh:
        manifest = json.loads(fh.read())
    assert manifest["dossier"]["code"] == "HS-TEST-0001"
    docs = {d["filename"]: d for d in manifest["documents"]}
    assert docs[DECISION]["number"] == "1949/QĐ-UBND"
    for obj in docs[DECISION]["objects"]:
        assert ctx.store.sha256_of(obj["key"]) == obj["sha256"]


@pytest.mark.parametrize(("name", "code"), sorted(BAD.items()))
def test_bad_files_quarantined_with_reason(batch, name, code):
    ctx, report, folder = batch
    problem = next(p for p in report.quarantined if p.file == name)
    assert problem.code == code
    assert problem.reason.startswith(name)
    sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    with ctx.sessions() as session:
        row = session.scalar(select(Quarantine).where(Quarantine.sha256 == sha))
    assert row.code == code
    # The original bytes are kept.
    with ctx.store.open(row.object_key) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == sha


def test_zero_size_page_quarantined_rest_archived(batch):
    ctx, report, _ = batch
    problem = next(p for p in report.quarantined if p.file == "zero-page2.pdf")
    assert (problem.page, problem.code) == (2, "input.empty_page")
    doc = _doc(ctx, "zero-page2.pdf")
    assert doc.state == "archived"
    with ctx.sessions() as session:
        numbers = session.scalars(
            select(Page.number).where(Page.document_id == doc.id)).all()
    assert numbers == [1]


def test_search_without_diacritics_finds_decision(batch):
    ctx, _, _ = batch
    with ctx.sessions() as session:
        result = search(session, "quyet dinh mot cua")
        # The copy with a zero-size page 2 carries the same page 1.
        top = {h.filename: h for h in result.hits[:2]}
        assert set(top) == {DECISION, "zero-page2.pdf"}
        assert 1 in [p.page for p in top[DECISION].pages]
        typed = search(session, "", filters=SearchFilters(doc_type="Quyết định"))
    assert sorted(h.filename for h in typed.hits) == [DECISION, "zero-page2.pdf"]


def test_reingest_adds_nothing(batch):
    ctx, _, folder = batch
    with ctx.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Page))
    again = run_batch(ctx, [folder], dossier_code="HS-TEST-0001")
    assert again.duplicates == 3
    assert again.documents == 0
    assert len(again.quarantined) == len(BAD) + 0  # whole files, said again
    with ctx.sessions() as session:
        after = session.scalar(select(func.count()).select_from(Page))
        quarantine_rows = session.scalar(select(func.count()).select_from(Quarantine))
    assert after == before
    assert quarantine_rows == len(BAD) + 1
