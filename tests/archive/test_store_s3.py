"""What only the S3 store does: buckets, versions, errors of the server."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from minio.commonconfig import ENABLED

from archive.s3_store import S3Store
from archive.store import open_store
from core.errors import ObjectLocked, ObjectNotFound, StorageError
from core.settings import Settings, StorageSettings
from tests.servers.ports import free_port
from tests.servers.s3server import S3Server

pytestmark = pytest.mark.s3

SERVERS = ["minio_server", "seaweed_server"]


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> S3Server:
    return request.getfixturevalue(request.param)


def test_bucket_is_created_with_object_lock_and_versioning(
    server: S3Server, s3_store_factory: Callable[..., S3Store]
) -> None:
    store = s3_store_factory(server)
    raw = server.client()
    assert not raw.bucket_exists(store.bucket)

    store.put_bytes("derived/d1/text.txt", b"first")

    assert raw.bucket_exists(store.bucket)
    raw.get_object_lock_config(store.bucket)
    assert raw.get_bucket_versioning(store.bucket).status == ENABLED


def test_bucket_without_object_lock_is_refused(
    server: S3Server, s3_store_factory: Callable[..., S3Store]
) -> None:
    bucket = server.new_bucket_name()
    server.client().make_bucket(bucket)
    store = s3_store_factory(server, bucket=bucket)

    with pytest.raises(StorageError, match="has no object lock"):
        store.put_bytes("derived/d1/text.txt", b"x")
    unlocked = s3_store_factory(server, bucket=bucket, object_lock=False)
    assert unlocked.put_bytes("derived/d1/text.txt", b"x").size == 1
    with pytest.raises(StorageError, match="object lock is off") as caught:
        unlocked.set_legal_hold("derived/d1/text.txt", True)
    assert not isinstance(caught.value, ObjectLocked)


def test_replacing_keeps_versions_and_delete_removes_all(
    server: S3Server, s3_store_factory: Callable[..., S3Store]
) -> None:
    store = s3_store_factory(server)
    first = store.put_bytes("derived/d1/text.txt", b"Quyet dinh")
    second = store.put_bytes("derived/d1/text.txt", "Quyết định".encode())

    assert first.version_id != second.version_id
    assert store.stat("derived/d1/text.txt", version_id=first.version_id).size == 10
    store.delete("derived/d1/text.txt")
    versions = server.client().list_objects(
        store.bucket, prefix="derived/", include_version=True, recursive=True
    )
    assert list(versions) == []
    with pytest.raises(ObjectNotFound):
        store.delete("derived/d1/text.txt")


def test_delete_of_all_versions_stops_at_a_locked_one(
    server: S3Server, s3_store_factory: Callable[..., S3Store]
) -> None:
    store = s3_store_factory(server)
    until = datetime.now(UTC) + timedelta(days=1)
    store.put_bytes("derived/d1/words.json", b"[]", retain_until=until)
    newer = store.put_bytes("derived/d1/words.json", b"[1]")

    with pytest.raises(ObjectLocked):
        store.delete("derived/d1/words.json")

    assert store.stat("derived/d1/words.json").version_id == newer.version_id


def test_a_raw_put_into_a_locked_key_stays_a_new_version(
    server: S3Server, s3_store_factory: Callable[..., S3Store]
) -> None:
    store = s3_store_factory(server)
    kept = store.put_bytes(
        "originals/abc", b"kept", retain_until=datetime.now(UTC) + timedelta(days=1)
    )
    server.client().put_object(store.bucket, "originals/abc", io.BytesIO(b"new"), 3)

    assert store.sha256_of("originals/abc", version_id=kept.version_id) == kept.sha256
    assert store.stat("originals/abc").sha256 is None


def test_unreachable_server_names_the_endpoint() -> None:
    endpoint = f"127.0.0.1:{free_port()}"
    store = S3Store(endpoint, "key", "secret-key", "sohoa", attempts=2)

    with pytest.raises(StorageError, match=endpoint) as caught:
        store.put_bytes("derived/d1/text.txt", b"x")
    assert not isinstance(caught.value, ObjectNotFound)


def test_wrong_credentials_are_a_storage_error(server: S3Server) -> None:
    store = S3Store(server.endpoint, server.access_key, "wrong-secret", "sohoa")

    with pytest.raises(StorageError, match=server.endpoint):
        store.stat("derived/d1/text.txt")


def test_open_store_builds_the_s3_store_from_settings(server: S3Server) -> None:
    storage = StorageSettings(
        storage="s3",
        s3_endpoint=server.endpoint,
        s3_access_key=server.access_key,
        s3_secret_key=server.secret_key,
        s3_bucket=server.new_bucket_name(),
    )
    store = open_store(Settings(storage_cfg=storage))

    info = store.put_bytes("manifests/d1/1.json", b"{}", media_type="application/json")

    assert isinstance(store, S3Store)
    assert store.stat("manifests/d1/1.json").sha256 == info.sha256
