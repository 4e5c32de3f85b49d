"""Uploads: safe names, size limit, 202 at once, background processing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.batch_form import validate_dossier_code
from api.dispatch import run_job
from api.upload import UploadInvalid, safe_filename
from archive.models import Batch, Dossier
from core.settings import OcrSettings
from ingest.batch import open_batch
from tests.api.conftest import ApiEnv, start_env


def wait_for_batch(env: ApiEnv, batch_id: str, timeout: float = 180.0,
                   *, role: str = "station") -> dict:
    """Poll the batch as ``role`` until it leaves queued/running; return its
    last state."""
    deadline = time.monotonic() + timeout
    while True:
        answer = env.client.get(f"/batches/{batch_id}", headers=env.auth(role))
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
    body = api_env.client.get(f"/batches/{batch_id}",
                              headers=api_env.auth("officer")).json()
    assert body["status"] == "failed"
    assert body["error"].startswith(f"{tmp_path / 'gone'}: no such file or folder")


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


BAD_CODES = ["../../etc", "HS\n\x00X", "HS\x00", "x" * 101, "-HS-1", "HS-1/",
             ".HS", "HS..1", "HS 1", "HS;rm", "HS\u200b1", "档案-1", "Дело-1"]


@pytest.mark.parametrize("code", BAD_CODES)
def test_dossier_code_rule_refuses(code: str) -> None:
    with pytest.raises(UploadInvalid, match="form field 'dossier'"):
        validate_dossier_code(code)


@pytest.mark.parametrize(("code", "kept"), [
    ("HS-2018-TV-0001", "HS-2018-TV-0001"),
    ("Hồ_sơ.Đà-Nẵng/2024", "Hồ_sơ.Đà-Nẵng/2024"),
    ("Ho\u0302\u0300-so\u031b", "Hồ-sơ"),  # decomposed, kept as NFC
    ("x" * 100, "x" * 100),
    ("7", "7"),
])
def test_dossier_code_rule_accepts(code: str, kept: str) -> None:
    assert validate_dossier_code(code) == kept


def _leftovers(env: ApiEnv) -> tuple[int, set[str]]:
    """Batch rows, and the folders of the uploads folder."""
    with env.ctx.sessions() as session:
        batches = session.query(Batch).count()
    uploads = env.settings.data_dir / "uploads"
    folders = {p.name for p in uploads.iterdir()} if uploads.exists() else set()
    return batches, folders


def assert_nothing_left(env: ApiEnv, before: tuple[int, set[str]]) -> None:
    """No batch row and no upload folder was added since ``before`` (earlier
    batches may still remove theirs)."""
    batches, folders = _leftovers(env)
    assert batches == before[0]
    assert folders <= before[1]


@pytest.mark.parametrize("code", ["../../etc", "HS\n\x00X", "HS 1", "HS..X"])
def test_bad_dossier_code_is_422_and_leaves_nothing(api_env: ApiEnv,
                                                     code: str) -> None:
    before = _leftovers(api_env)
    body = b"".join([_part("files", b"a.pdf", b"%PDF-1.4 x"),
                     _part("dossier", None, code.encode())]) + b"--XyZ--\r\n"
    answer = api_env.client.post("/batches", content=body, headers={
        **api_env.auth("station"),
        "Content-Type": "multipart/form-data; boundary=XyZ"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "upload.invalid"
    assert "'dossier'" in answer.json()["message"]
    assert_nothing_left(api_env, before)


def test_vietnamese_dossier_code_reaches_the_catalogue(api_env: ApiEnv) -> None:
    code = "HS-Đà-Nẵng/2024.01"
    answer = api_env.client.post(
        "/batches", data={"dossier": code}, headers=api_env.auth("station"),
        files={"files": ("note.txt", b"plain text", "text/plain")})
    assert answer.status_code == 202, answer.text
    wait_for_batch(api_env, answer.json()["id"], timeout=60)
    with api_env.ctx.sessions() as session:
        assert session.query(Dossier).filter(Dossier.code == code).count() == 1


def test_body_without_closing_boundary_is_422_and_leaves_nothing(
    api_env: ApiEnv,
) -> None:
    before = _leftovers(api_env)
    body = b"".join([_part("files", b"a.pdf", b"%PDF-1.4 first"),
                     _part("files", b"b.pdf", b"%PDF-1.4 second, cut")])
    answer = api_env.client.post("/batches", content=body, headers={
        **api_env.auth("station"),
        "Content-Type": "multipart/form-data; boundary=XyZ"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "upload.invalid"
    assert "closing boundary" in answer.json()["message"]
    assert_nothing_left(api_env, before)
