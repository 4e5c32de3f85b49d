"""One body of storage tests run on FsStore, MinIO and SeaweedFS."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.store import ObjectInfo
from core.errors import (
    BadStorageRequest,
    IntegrityError,
    ObjectLocked,
    ObjectNotFound,
)
from tests.servers.fixtures import StoreCase

MIB = 1024 * 1024
BIG = 80 * MIB
MANIFEST = '{"dossier": "HS-2018-TV-0001", "title": "Quyết định 1949/QĐ-UBND"}'


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def later(days: float) -> datetime:
    """A whole-second UTC date ``days`` from now (S3 keeps seconds)."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def corrupt(case: StoreCase, key: str, original: bytes) -> None:
    """Change the stored bytes behind the store's back, keeping the metadata."""
    damaged = bytes([original[0] ^ 0xFF]) + original[1:]
    if case.root is not None:
        (case.root / key).write_bytes(damaged)
        return
    assert case.server is not None and case.bucket is not None
    case.server.client().put_object(
        case.bucket,
        key,
        io.BytesIO(damaged),
        len(damaged),
        metadata={"sha256": sha(original)},
    )


def test_put_bytes_then_read_stat_and_list(store_case: StoreCase) -> None:
    store = store_case.store
    data = MANIFEST.encode()
    info = store.put_bytes("manifests/d1/1.json", data, media_type="application/json")
    store.put_bytes("derived/d1/text.txt", "Ủy ban nhân dân".encode())
    store.put_bytes("derived/d2/text.txt", b"x" * 3)

    assert (info.key, info.size, info.sha256) == (
        "manifests/d1/1.json",
        len(data),
        sha(data),
    )
    stat = store.stat("manifests/d1/1.json")
    assert (stat.size, stat.sha256, stat.media_type) == (
        len(data),
        sha(data),
        "application/json",
    )
    with store.open("manifests/d1/1.json") as stream:
        assert stream.read().decode() == MANIFEST
    assert store.exists("derived/d1/text.txt")
    assert not store.exists("derived/d1/missing.txt")
    assert [(o.key, o.size) for o in store.list("derived/")] == [
        ("derived/d1/text.txt", len("Ủy ban nhân dân".encode())),
        ("derived/d2/text.txt", 3),
    ]
    assert [o.key for o in store.list("derived/d1")] == ["derived/d1/text.txt"]
    assert [o.key for o in store.list("")][0] == "derived/d1/text.txt"


def test_put_file_records_and_verifies_the_checksum(
    store_case: StoreCase, corpus: Path
) -> None:
    store = store_case.store
    source = corpus / "B_ocrmypdf_linn.txt"
    data = source.read_bytes()
    key = f"originals/{sha(data)}"

    info = store.put_file(key, source, media_type="text/plain")
    again = store.put_file(key, source, sha256=sha(data))

    assert (info.size, info.sha256) == (len(data), sha(data))
    assert again.sha256 == info.sha256 and again.version_id == info.version_id
    assert store.sha256_of(key) == sha(data)
    assert store.read_range(key, offset=0, length=len(data)) == data


def test_wrong_checksum_is_refused_and_nothing_is_left(
    store_case: StoreCase, tmp_path: Path
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.7 scanned page")

    with pytest.raises(IntegrityError):
        store_case.store.put_file("derived/d1/scan.pdf", source, sha256="0" * 64)

    assert not store_case.store.exists("derived/d1/scan.pdf")


def test_archival_keys_are_write_once(store_case: StoreCase) -> None:
    store = store_case.store
    store.put_bytes("originals/abc", b"first content")

    with pytest.raises(IntegrityError):
        store.put_bytes("originals/abc", b"other content")

    assert store.stat("originals/abc").sha256 == sha(b"first content")


def test_derived_keys_may_be_replaced(store_case: StoreCase) -> None:
    store = store_case.store
    store.put_bytes("derived/d1/words.json", b"[]")
    store.put_bytes("derived/d1/words.json", b'[{"text": "Quy\\u1ebft"}]')

    assert store.stat("derived/d1/words.json").sha256 == sha(
        b'[{"text": "Quy\\u1ebft"}]'
    )
    store.delete("derived/d1/words.json")
    assert not store.exists("derived/d1/words.json")


def test_large_object_is_streamed(store_case: StoreCase, tmp_path: Path) -> None:
    source = tmp_path / "big.tif"
    digest = hashlib.sha256()
    with source.open("wb") as out:
        for _ in range(BIG // MIB):
            chunk = os.urandom(MIB)
            digest.update(chunk)
            out.write(chunk)
    store = store_case.store

    tracemalloc.start()
    try:
        info = store.put_file("originals/big", source, media_type="image/tiff")
        recomputed = store.sha256_of("originals/big")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (info.size, info.sha256, recomputed) == (
        BIG,
        digest.hexdigest(),
        info.sha256,
    )
    assert peak < BIG // 4, f"peak Python allocations {peak / MIB:.1f} MiB"
    with source.open("rb") as stream:
        stream.seek(BIG - 10)
        tail = stream.read()
    assert store.read_range("originals/big", offset=BIG - 10, length=100) == tail


def test_ranged_reads(store_case: StoreCase) -> None:
    store = store_case.store
    data = bytes(range(256)) * 4
    store.put_bytes("derived/d1/thumbs/1.webp", data, media_type="image/webp")

    assert (
        store.read_range("derived/d1/thumbs/1.webp", offset=10, length=5) == data[10:15]
    )
    assert (
        store.read_range("derived/d1/thumbs/1.webp", offset=1020, length=50)
        == data[1020:]
    )
    assert store.read_range("derived/d1/thumbs/1.webp", offset=5000, length=5) == b""
    assert store.read_range("derived/d1/thumbs/1.webp", offset=3, length=0) == b""
    with pytest.raises(BadStorageRequest):
        store.read_range("derived/d1/thumbs/1.webp", offset=-1, length=5)


def test_missing_object_raises_not_found(store_case: StoreCase) -> None:
    store = store_case.store
    store.put_bytes("derived/d1/text.txt", b"present")

    for call in (
        lambda: store.stat("derived/d1/absent.txt"),
        lambda: store.open("derived/d1/absent.txt"),
        lambda: store.read_range("derived/d1/absent.txt", offset=0, length=1),
        lambda: store.sha256_of("derived/d1/absent.txt"),
        lambda: store.delete("derived/d1/absent.txt"),
    ):
        with pytest.raises(ObjectNotFound):
            call()


def test_invalid_keys_are_refused(store_case: StoreCase) -> None:
    for key in ("", "/abs", "a/../b", "a//b", ".meta/x", "a/\n", "derived/"):
        with pytest.raises(BadStorageRequest):
            store_case.store.put_bytes(key, b"x")


def test_compliance_retention_blocks_delete_until_the_date(
    store_case: StoreCase,
) -> None:
    store = store_case.store
    until = later(1)
    info = store.put_bytes("originals/kept", b"archived decision", retain_until=until)

    stat = store.stat("originals/kept")
    assert stat.retain_until == until and stat.is_locked()
    with pytest.raises(ObjectLocked):
        store.delete("originals/kept", version_id=info.version_id)
    with pytest.raises(ObjectLocked):
        store.delete("originals/kept")
    with pytest.raises(ObjectLocked):
        store.set_retention("originals/kept", until - timedelta(hours=1))
    store.set_retention("originals/kept", until + timedelta(days=1))
    assert store.stat("originals/kept").retain_until == until + timedelta(days=1)
    assert store.sha256_of("originals/kept") == sha(b"archived decision")


def test_retention_needs_an_aware_date(store_case: StoreCase) -> None:
    store_case.store.put_bytes("derived/d1/text.txt", b"x")

    with pytest.raises(BadStorageRequest):
        store_case.store.set_retention("derived/d1/text.txt", datetime(2030, 1, 1))


def test_legal_hold_blocks_delete_until_lifted(store_case: StoreCase) -> None:
    store = store_case.store
    info = store.put_bytes("derived/d1/searchable.pdf", b"%PDF-1.7 held")

    store.set_legal_hold("derived/d1/searchable.pdf", True)
    assert store.stat("derived/d1/searchable.pdf").legal_hold
    with pytest.raises(ObjectLocked):
        store.delete("derived/d1/searchable.pdf", version_id=info.version_id)
    assert store.exists("derived/d1/searchable.pdf")

    store.set_legal_hold("derived/d1/searchable.pdf", False)
    assert not store.stat("derived/d1/searchable.pdf").legal_hold
    store.delete("derived/d1/searchable.pdf", version_id=info.version_id)
    assert not store.exists("derived/d1/searchable.pdf")
    with pytest.raises(ObjectNotFound):
        store.stat("derived/d1/searchable.pdf")


def test_sha256_of_detects_corruption_behind_the_store(store_case: StoreCase) -> None:
    store = store_case.store
    data = "Quyết định số 1949/QĐ-UBND".encode()
    info: ObjectInfo = store.put_bytes("originals/fixity", data)

    corrupt(store_case, "originals/fixity", data)

    assert store.stat("originals/fixity").sha256 == info.sha256 == sha(data)
    assert store.stat("originals/fixity").size == len(data)
    assert store.sha256_of("originals/fixity") != info.sha256
