"""Uploads: safe names, size limit, 202 at once, background processing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.dispatch import run_job
from api.upload import safe_filename
from archive.models import Batch
from core.settings import OcrSettings
from ingest.batch import open_batch
from tests.api.conftest import ApiEnv, start_env


def wait_for_batch(env: ApiEnv, batch_id: str, timeout: float = 180.0) -> dict:
    """Poll the batch until it leaves queued/running; return its last state."""
    deadline = time.monotonic() + timeout
    while True:
        answer = env.client.get(f"/batches/{batch_id}", headers=env.auth("station"))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        if body["status"] not in ("queued", "running"):
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"batch {batch_id} still {body['status']} after {timeout} s")
        time.sleep(0.5)


@pytest.mark.parametrize(("given", "expected"), [
    ("../../x.pdf", "x.pdf"),
    ("..\\..\\windows\\x.pdf", "x.pdf"),
    ("/etc/passwd", "passwd"),
    ("a\x00b.pdf", "a_b.pdf"),
    ("", "upload-1"),
    ("..", "upload-1"),
    ("  .hidden.pdf", "hidden.pdf"),
    ("Quyết định 1949.pdf", "Quyết định 1949.pdf"),
    ("Quye\u0302\u0301t.pdf", "Quyết.pdf"),
    ("a|b;c$d`e.tif", "a_b_c_d_e.tif"),
])
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given, fallback="upload-1") == expected


def test_long_names_keep_their_extension() -> None:
    name = safe_filename("x" * 400 + ".pdf", fallback="f")
    assert len(name) == 150 and name.endswith(".pdf")


def test_upload_answers_202_and_neutralises_traversal(
    api_env: ApiEnv, tmp_path: Path
) -> None:
    data_dir = api_env.settings.data_dir
    files = [("files", ("../../evil.pdf", b"not a pdf at all", "application/pdf")),
             ("files", ("", b"\x00" * 64, "application/octet-stream"))]
    answer = api_env.client.post("/batches", files=files,
                                 data={"dossier": "HS-UPLOAD-1"},
                                 headers=api_env.auth("station"))
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "queued" and body["files"] == 2
    assert body["progress_url"].endswith(f"/batches/{body['id']}")

    done = wait_for_batch(api_env, body["id"], timeout=60)
    assert done["status"] == "partial"
    assert done["files_done"] == 2 and done["quarantined"] == 2
    assert sorted(q["filename"] for q in done["quarantine"]) == [
        "evil.pdf", "upload-2"]
    assert done["station"] == "test station"
    assert not (data_dir.parent / "evil.pdf").exists()
    assert not (data_dir / "evil.pdf").exists()
    assert not list(data_dir.parent.glob("**/evil.pdf"))


def test_upload_without_files_is_422(api_env: ApiEnv) -> None:
    answer = api_env.client.post("/batches", data={"dossier": "X"},
                                 files={"other": (None, "y")},
                                 headers=api_env.auth("station"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "upload.invalid"
    answer = api_env.client.post("/batches", json={"files": []},
                                 headers=api_env.auth("station"))
    assert answer.status_code == 422
    assert "multipart" in answer.json()["message"]


def test_unknown_batch_is_404(api_env: ApiEnv) -> None:
    answer = api_env.client.get("/batches/" + "ab" * 16,
                                headers=api_env.auth("officer"))
    assert answer.status_code == 404
    assert answer.json()["code"] == "catalogue.not_found"


def test_failed_batch_is_marked_failed(api_env: ApiEnv, tmp_path: Path) -> None:
    batch_id = open_batch(api_env.ctx, station="s", files_total=1, status="queued")
    ok = run_job(api_env.ctx, batch_id, tmp_path / "gone", dossier_code=None,
                 station="s")
    assert ok is False
    with api_env.ctx.sessions() as session:
        assert session.get(Batch, batch_id).status == "failed"


@pytest.fixture(scope="module")
def small_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    """An app whose files may hold at most 1000 bytes."""
    yield from start_env(tmp_path_factory.mktemp("small"),
                         ocr=OcrSettings(max_file_bytes=1000))


def test_file_over_the_limit_is_413_and_leaves_nothing(small_env: ApiEnv) -> None:
    files = {"files": ("big.pdf", b"%PDF-" + b"0" * 5000, "application/pdf")}
    answer = small_env.client.post("/batches", files=files,
                                   headers=small_env.auth("station"))
    assert answer.status_code == 413
    body = answer.json()
    assert body["code"] == "upload.too_large"
    assert "big.pdf" in body["message"] and "SOHOA_MAX_FILE_BYTES" in body["message"]
    uploads = small_env.settings.data_dir / "uploads"
    assert list(uploads.iterdir()) == []
    with small_env.ctx.sessions() as session:
        assert session.query(Batch).count() == 0


def _part(name: str, filename: bytes | None, data: bytes) -> bytes:
    disposition = f'form-data; name="{name}"'.encode()
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    return (b"--XyZ\r\nContent-Disposition: " + disposition
            + b"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")


def test_raw_multipart_with_hostile_names(api_env: ApiEnv) -> None:
    body = b"".join([
        _part("files", b"", b"first file"),
        _part("files", b"..%2F..%2Fa\x00b.pdf", b"second file"),
        _part("files", "../../Hồ sơ/Tờ khai.pdf".encode(), b"third file"),
        _part("files", b"dup.pdf", b"fourth"),
        _part("files", b"dup.pdf", b"fifth"),
        _part("dossier", None, b"HS-RAW-1"),
    ]) + b"--XyZ--\r\n"
    answer = api_env.client.post(
        "/batches", content=body, headers={
            **api_env.auth("station"),
            "Content-Type": "multipart/form-data; boundary=XyZ"})
    assert answer.status_code == 202, answer.text
    done = wait_for_batch(api_env, answer.json()["id"], timeout=60)
    assert sorted(q["filename"] for q in done["quarantine"]) == sorted([
        "upload-1", "2F.._2Fa_b.pdf", "Tờ khai.pdf", "dup.pdf", "dup-2.pdf"])


def test_malformed_multipart_is_422(api_env: ApiEnv) -> None:
    answer = api_env.client.post(
        "/batches", content=b"--XyZ\r\nbroken\r\n\r\nxx", headers={
            **api_env.auth("station"),
            "Content-Type": "multipart/form-data; boundary=XyZ"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "upload.invalid"
