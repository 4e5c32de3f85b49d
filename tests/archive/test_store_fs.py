"""What only the filesystem store does: files, sidecars, no versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.fs_store import FsStore
from archive.store import is_write_once, open_store, validate_key
from core.errors import BadStorageRequest, ObjectLocked
from core.settings import Settings


def test_write_leaves_the_object_its_sidecar_and_no_temp_file(tmp_path: Path) -> None:
    store = FsStore(tmp_path)

    info = store.put_bytes(
        "derived/d1/text.txt", "Ủy ban".encode(), media_type="text/plain"
    )

    assert (tmp_path / "derived/d1/text.txt").read_text() == "Ủy ban"
    sidecar = json.loads((tmp_path / ".meta/derived/d1/text.txt.json").read_text())
    assert sidecar == {"sha256": info.sha256, "size": 8, "media_type": "text/plain"}
    assert sorted(p.name for p in (tmp_path / "derived/d1").iterdir()) == ["text.txt"]


def test_write_once_re_put_keeps_the_file(tmp_path: Path) -> None:
    store = FsStore(tmp_path)
    store.put_bytes("originals/abc", b"scan")
    inode = (tmp_path / "originals/abc").stat().st_ino

    store.put_bytes("originals/abc", b"scan")

    assert (tmp_path / "originals/abc").stat().st_ino == inode
    assert [o.key for o in store.list("originals/")] == ["originals/abc"]


def test_a_retained_derived_object_cannot_be_replaced(tmp_path: Path) -> None:
    store = FsStore(tmp_path)
    until = datetime.now(UTC) + timedelta(days=3)
    store.put_bytes("derived/d1/searchable.pdf", b"%PDF kept", retain_until=until)

    with pytest.raises(ObjectLocked, match="retention until"):
        store.put_bytes("derived/d1/searchable.pdf", b"%PDF other")

    assert (
        store.read_range("derived/d1/searchable.pdf", offset=0, length=9)
        == b"%PDF kept"
    )


def test_an_expired_retention_no_longer_blocks_delete(tmp_path: Path) -> None:
    store = FsStore(tmp_path)
    store.put_bytes("derived/d1/text.txt", b"x")
    sidecar = tmp_path / ".meta/derived/d1/text.txt.json"
    meta = json.loads(sidecar.read_text())
    meta["retain_until"] = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    sidecar.write_text(json.dumps(meta))

    store.delete("derived/d1/text.txt")

    assert not (tmp_path / "derived").exists()
    assert not sidecar.exists()


def test_compliance_cannot_become_governance_while_locked(tmp_path: Path) -> None:
    store = FsStore(tmp_path)
    until = datetime.now(UTC) + timedelta(days=1)
    store.put_bytes("originals/abc", b"x", retain_until=until)

    with pytest.raises(ObjectLocked):
        store.set_retention(
            "originals/abc", until + timedelta(days=1), mode="GOVERNANCE"
        )


def test_versions_are_refused(tmp_path: Path) -> None:
    store = FsStore(tmp_path)
    store.put_bytes("derived/d1/text.txt", b"x")

    with pytest.raises(BadStorageRequest, match="no versions"):
        store.delete("derived/d1/text.txt", version_id="v1")


def test_open_store_gives_a_folder_store_under_the_data_dir(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))

    store.put_bytes("derived/d1/text.txt", b"x")

    assert isinstance(store, FsStore)
    assert (tmp_path / "objects/derived/d1/text.txt").read_bytes() == b"x"


@pytest.mark.parametrize(
    "key",
    ["originals/" + "a" * 64, "derived/01HX/thumbs/1.webp", "manifests/hồ-sơ/1.json"],
)
def test_valid_keys(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "a/../../b", "a/./b", "a\\b", "x" * 1025, "a\tb"]
)
def test_invalid_keys(key: str) -> None:
    with pytest.raises(BadStorageRequest):
        validate_key(key)


def test_write_once_prefixes() -> None:
    assert [
        is_write_once(k)
        for k in (
            "originals/a",
            "manifests/d/1.json",
            "quarantine/a",
            "derived/d/text.txt",
        )
    ] == [
        True,
        True,
        True,
        False,
    ]
