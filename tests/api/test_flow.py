"""A real batch through the API: upload, progress, search, read, correct."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from urllib.parse import unquote

import pdfplumber
import pytest
from PIL import Image

from tests.api.conftest import ApiEnv
from tests.api.test_upload import wait_for_batch

pytestmark = pytest.mark.ocr

DECISION = "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"
INVALID = "B_ocrmypdf_invalid.pdf"
VN_NAME = "Quyết định 1949 Trà Vinh.pdf"
DOSSIER = "HS-TRAVINH-1949"


@pytest.fixture(scope="module")
def batch(api_env: ApiEnv, corpus: Path) -> dict:
    """The two corpus files uploaded as one batch, processed to the end."""
    files = [
        ("files", (VN_NAME, (corpus / DECISION).read_bytes(), "application/pdf")),
        ("files", (INVALID, (corpus / INVALID).read_bytes(), "application/pdf")),
    ]
    answer = api_env.client.post("/batches", files=files,
                                 data={"dossier": DOSSIER, "station": "Trạm 1"},
                                 headers=api_env.auth("station"))
    assert answer.status_code == 202, answer.text
    return wait_for_batch(api_env, answer.json()["id"], timeout=180)


@pytest.fixture(scope="module")
def doc_id(batch: dict) -> str:
    assert len(batch["documents"]) == 1, batch
    return batch["documents"][0]


def test_batch_archives_one_and_quarantines_the_damaged(batch: dict) -> None:
    assert batch["status"] == "partial"
    # A station key records its own name; the form's "Trạm 1" is only logged.
    assert batch["station"] == "test station"
    assert batch["files_total"] == batch["files_done"] == 2
    assert batch["pages_total"] == batch["pages_done"] == 2
    assert batch["quarantined"] == 1 and len(batch["documents"]) == 1
    (problem,) = batch["quarantine"]
    assert problem["filename"] == INVALID
    assert "damaged" in problem["reason"].lower()
    assert batch["finished_at"] is not None


def test_search_without_diacritics_finds_pages(api_env: ApiEnv, doc_id: str) -> None:
    answer = api_env.client.get("/search", params={"q": "quyet dinh"},
                                headers=api_env.auth("officer"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    (hit,) = body["data"]
    assert hit["document_id"] == doc_id and hit["dossier_code"] == DOSSIER
    assert hit["filename"] == VN_NAME
    assert hit["pages"] and hit["pages"][0]["page"] in (1, 2)
    assert "«" in hit["pages"][0]["snippet"]


def test_search_filters(api_env: ApiEnv, doc_id: str) -> None:
    officer = api_env.auth("officer")
    by_number = api_env.client.get("/search", params={"number": "1949/QĐ-UBND"},
                                   headers=officer).json()
    assert [h["document_id"] for h in by_number["data"]] == [doc_id]
    other = api_env.client.get("/search", params={"q": "quyet dinh",
                                                  "dossier": "HS-OTHER"},
                               headers=officer).json()
    assert other == {"data": [], "count": 0, "fuzzy": False}
    dated = api_env.client.get("/search", params={"from": "2018-10-01",
                                                  "to": "2018-10-31"},
                               headers=officer).json()
    assert [h["document_id"] for h in dated["data"]] == [doc_id]


def test_document_metadata(api_env: ApiEnv, doc_id: str) -> None:
    answer = api_env.client.get(f"/documents/{doc_id[:12]}",
                                headers=api_env.auth("officer"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == doc_id and body["number"] == "1949/QĐ-UBND"
    assert body["dossier"]["code"] == DOSSIER and body["pages"] == 2
    assert body["state"] == "archived" and body["issued_date"] == "2018-10-02"
    names = {f["name"]: f["value"] for f in body["fields"]}
    assert names["number"] == "1949/QĐ-UBND"


def test_searchable_pdf_has_the_text(api_env: ApiEnv, doc_id: str) -> None:
    answer = api_env.client.get(f"/documents/{doc_id}/pdf",
                                headers=api_env.auth("officer"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(answer.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert len(pdf.pages) == 2
    assert "1949" in text


def test_original_is_byte_identical(api_env: ApiEnv, doc_id: str,
                                    corpus: Path) -> None:
    answer = api_env.client.get(f"/documents/{doc_id}/original",
                                headers=api_env.auth("officer"))
    assert answer.status_code == 200
    expected = hashlib.sha256((corpus / DECISION).read_bytes()).hexdigest()
    assert hashlib.sha256(answer.content).hexdigest() == expected
    assert answer.headers["content-type"] == "application/pdf"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="quyet dinh 1949 tra vinh.pdf"')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == VN_NAME
    assert disposition.isascii()


def test_thumbnail_and_page_image(api_env: ApiEnv, doc_id: str) -> None:
    officer = api_env.auth("officer")
    thumb = api_env.client.get(f"/documents/{doc_id}/pages/2/thumbnail",
                               headers=officer)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(thumb.content)).format == "WEBP"
    image = api_env.client.get(f"/documents/{doc_id}/pages/1/image", headers=officer)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    png = Image.open(io.BytesIO(image.content))
    # An A4 page (595 × 842 pt) at 150 dpi.
    assert png.format == "PNG"
    assert abs(png.width - 1240) <= 3 and abs(png.height - 1754) <= 3
    missing = api_env.client.get(f"/documents/{doc_id}/pages/3/image",
                                 headers=officer)
    assert missing.status_code == 404
    assert missing.json()["code"] == "catalogue.not_found"
    missing = api_env.client.get(f"/documents/{doc_id}/pages/9/thumbnail",
                                 headers=officer)
    assert missing.status_code == 404


def test_field_correction_round_trips(api_env: ApiEnv, doc_id: str) -> None:
    officer = api_env.auth("officer")
    answer = api_env.client.patch(f"/documents/{doc_id}/fields/number",
                                  json={"value": "1950/QĐ-UBND"}, headers=officer)
    assert answer.status_code == 200, answer.text
    field = answer.json()
    assert field["value"] == "1950/QĐ-UBND" and field["confidence"] == 1.0
    assert field["verified_by"].startswith("test officer (")
    assert field["verified_at"] is not None
    body = api_env.client.get(f"/documents/{doc_id}", headers=officer).json()
    assert body["number"] == "1950/QĐ-UBND"
    assert {f["name"]: f["verified_by"] for f in body["fields"]}["number"]
    found = api_env.client.get("/search", params={"number": "1950/QĐ-UBND"},
                               headers=officer).json()
    assert [h["document_id"] for h in found["data"]] == [doc_id]
    bad = api_env.client.patch(f"/documents/{doc_id}/fields/issued_date",
                               json={"value": "02/10/2018"}, headers=officer)
    assert bad.status_code == 422 and bad.json()["code"] == "input.invalid"
    unknown = api_env.client.patch(f"/documents/{doc_id}/fields/colour",
                                   json={"value": "red"}, headers=officer)
    assert unknown.status_code == 422


def test_citizen_ids_masked_for_officers_and_audited_for_archivists(
    api_env: ApiEnv, doc_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    officer, archivist = api_env.auth("officer"), api_env.auth("archivist")
    answer = api_env.client.patch(f"/documents/{doc_id}/fields/citizen_id",
                                  json={"value": "084123456789"}, headers=officer)
    assert answer.json()["value"] == "*********789"
    shown = api_env.client.get(f"/documents/{doc_id}", headers=officer).json()
    assert {f["name"]: f["value"] for f in shown["fields"]}["citizen_id"] == (
        "*********789")
    with caplog.at_level(logging.INFO, logger="api.audit_hook"):
        full = api_env.client.get(f"/documents/{doc_id}", headers=archivist).json()
    assert {f["name"]: f["value"] for f in full["fields"]}["citizen_id"] == (
        "084123456789")
    (record,) = [r for r in caplog.records if r.name == "api.audit_hook"]
    assert "citizen_id" in record.getMessage() and "test archivist" in (
        record.getMessage())
    assert "084123456789" not in record.getMessage()


def test_dossier_lists_its_document(api_env: ApiEnv, doc_id: str) -> None:
    answer = api_env.client.get(f"/dossiers/{DOSSIER}",
                                headers=api_env.auth("officer"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == DOSSIER
    assert [d["id"] for d in body["documents"]] == [doc_id]
    by_id = api_env.client.get(f"/dossiers/{body['id']}",
                               headers=api_env.auth("officer")).json()
    assert by_id["code"] == DOSSIER


def test_same_file_again_is_a_duplicate(api_env: ApiEnv, doc_id: str,
                                        corpus: Path) -> None:
    files = {"files": ("again.pdf", (corpus / DECISION).read_bytes(),
                       "application/pdf")}
    answer = api_env.client.post("/batches", files=files,
                                 headers=api_env.auth("station"))
    done = wait_for_batch(api_env, answer.json()["id"], timeout=60)
    assert done["status"] == "done" and done["duplicates"] == 1
    assert done["documents"] == []
