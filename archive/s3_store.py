"""Object store on an S3 server (MinIO, SeaweedFS …) through ``minio``.

The bucket is created on first use with object lock, which also turns on
versioning. Each object records its SHA-256 as user metadata ``sha256``.
Uploads stream in parts of :data:`PART_SIZE`; after each upload the new
version is read back and hashed before it gets a retention date, so a bad
write can still be removed. A delete without a version id removes every
version of the key; the server refuses while any is locked (ObjectLocked).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from minio.helpers import ObjectWriteResult
from minio.retention import Retention

from archive import store
from archive.hashing import sha256_bytes, sha256_file, sha256_stream
from archive.s3_client import BucketClient, ResponseReader
from archive.store import DEFAULT_MEDIA_TYPE, LockMode, ObjectInfo
from core.errors import ObjectNotFound, StorageError

log = logging.getLogger(__name__)

PART_SIZE = 8 * 1024 * 1024
META_SHA256 = "sha256"


class S3Store:
    """An :class:`~archive.store.ObjectStore` in one bucket of an S3 server."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool = False,
        region: str = "us-east-1",
        object_lock: bool = True,
        lock_mode: LockMode = "COMPLIANCE",
        attempts: int = 3,
    ) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        self.object_lock = object_lock
        self.lock_mode = store.check_lock_mode(lock_mode)
        self._s3 = BucketClient(
            endpoint,
            access_key,
            secret_key,
            bucket,
            secure=secure,
            region=region,
            attempts=attempts,
        )
        self._bucket_ready = False

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        sha256: str | None = None,
        media_type: str = DEFAULT_MEDIA_TYPE,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Upload the file at ``path`` in parts (see ObjectStore.put_file)."""
        path = Path(path)
        if sha256 is None:
            sha256 = sha256_file(path)[0]
        size = path.stat().st_size
        source = partial(path.open, "rb")
        return self._put(key, sha256, size, media_type, retain_until, source)

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        media_type: str = DEFAULT_MEDIA_TYPE,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Upload ``data`` (see ObjectStore.put_bytes)."""
        source = partial(io.BytesIO, data)
        return self._put(
            key, sha256_bytes(data), len(data), media_type, retain_until, source
        )

    def open(self, key: str, *, version_id: str | None = None) -> BinaryIO:
        """Stream the object; closing the result releases the connection."""
        get = self._s3.minio.get_object
        response = self._s3.request(get, key, version_id=version_id)
        return io.BufferedReader(ResponseReader(response), buffer_size=1 << 16)

    def read_range(self, key: str, *, offset: int, length: int) -> bytes:
        """Return up to ``length`` bytes from ``offset`` (empty past the end)."""
        store.check_range(offset, length)
        if length == 0:
            return b""
        try:
            get = self._s3.minio.get_object
            response = self._s3.request(get, key, offset=offset, length=length)
        except StorageError as err:
            if err.context.get("s3_code") == "InvalidRange":
                return b""
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def stat(self, key: str, *, version_id: str | None = None) -> ObjectInfo:
        """Describe the object (latest version unless ``version_id``)."""
        found = self._s3.request(self._s3.minio.stat_object, key, version_id=version_id)
        headers = found.metadata or {}
        until = headers.get("x-amz-object-lock-retain-until-date")
        return ObjectInfo(
            key=key,
            size=int(found.size or 0),
            sha256=headers.get(f"x-amz-meta-{META_SHA256}"),
            version_id=found.version_id,
            retain_until=_parse_date(until) if until else None,
            legal_hold=headers.get("x-amz-object-lock-legal-hold") == "ON",
            media_type=found.content_type or DEFAULT_MEDIA_TYPE,
        )

    def exists(self, key: str) -> bool:
        """True when the latest version of ``key`` is an object."""
        return self._latest(key) is not None

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Objects whose key starts with ``prefix``, in key order."""
        store.validate_prefix(prefix)
        self._ensure_bucket()
        listing = self._s3.minio.list_objects(
            self.bucket, prefix=prefix or None, recursive=True
        )
        for obj in self._s3.iterate(listing, prefix):
            yield ObjectInfo(key=obj.object_name or "", size=int(obj.size or 0))

    def delete(self, key: str, *, version_id: str | None = None) -> None:
        """Delete one version, or all versions of ``key`` when none is given.

        Locks are checked on every version first, so a refused delete of
        all versions removes none of them.
        """
        store.validate_key(key)
        versions = [(version_id, False)] if version_id else self._s3.versions(key)
        if not versions:
            raise ObjectNotFound(
                f"no object {key} in bucket {self.bucket}", object_key=key
            )
        for version, marker in versions:
            info = None if marker else self.stat(key, version_id=version)
            if info is not None and info.is_locked():
                raise store.locked_error(key, info)
        remove = self._s3.minio.remove_object
        for version, _ in versions:
            self._s3.request(remove, key, version_id=version, locking=True)
        log.info("deleted object %s (%d versions)", key, len(versions))

    def set_retention(
        self, key: str, until: datetime, *, mode: LockMode = "COMPLIANCE"
    ) -> None:
        """Set the retention of the latest version; later dates only."""
        self._require_lock(key)
        retention = Retention(store.check_lock_mode(mode), store.aware_utc(until))
        put = self._s3.minio.set_object_retention
        self._s3.request(put, key, retention, locking=True)

    def set_legal_hold(self, key: str, on: bool) -> None:
        """Put or lift a legal hold on the latest version."""
        self._require_lock(key)
        action = (
            self._s3.minio.enable_object_legal_hold
            if on
            else self._s3.minio.disable_object_legal_hold
        )
        self._s3.request(action, key)

    def sha256_of(self, key: str, *, version_id: str | None = None) -> str:
        """Download the object and return its SHA-256 as stored now."""
        with self.open(key, version_id=version_id) as stream:
            return sha256_stream(stream)[0]

    def _put(
        self,
        key: str,
        sha256: str,
        size: int,
        media_type: str,
        retain_until: datetime | None,
        source: Callable[[], BinaryIO],
    ) -> ObjectInfo:
        store.validate_key(key)
        self._ensure_bucket()
        existing = self._latest(key) if store.is_write_once(key) else None
        if existing is not None:
            if existing.sha256 != sha256:
                raise store.write_once_conflict(key, existing.sha256)
            return self._keep(existing, retain_until)
        upload = self._upload
        written = self._s3.request(upload, key, source, size, media_type, sha256)
        info = self._verify(key, written.version_id, sha256=sha256, size=size)
        log.debug("stored object %s (%d bytes)", key, size)
        return self._keep(info, retain_until)

    def _latest(self, key: str) -> ObjectInfo | None:
        try:
            return self.stat(key)
        except ObjectNotFound:
            return None

    def _require_lock(self, key: str) -> None:
        if not self.object_lock:
            raise StorageError(
                f"cannot lock {key}: object lock is off for bucket {self.bucket}; "
                "set SOHOA_OBJECT_LOCK=true and use a bucket created with it",
                object_key=key,
            )

    def _upload(
        self,
        bucket: str,
        key: str,
        source: Callable[[], BinaryIO],
        size: int,
        media_type: str,
        sha256: str,
    ) -> ObjectWriteResult:
        with source() as stream:
            return self._s3.minio.put_object(
                bucket,
                key,
                stream,
                size,
                content_type=media_type,
                metadata={META_SHA256: sha256},
                part_size=PART_SIZE,
                num_parallel_uploads=1,
            )

    def _verify(
        self, key: str, version_id: str | None, *, sha256: str, size: int
    ) -> ObjectInfo:
        """Read the new version back; remove it and raise when it differs."""
        info = self.stat(key, version_id=version_id)
        back = self.sha256_of(key, version_id=version_id)
        if info.size == size and back == sha256:
            return info
        if version_id:
            self.delete(key, version_id=version_id)
        raise store.readback_mismatch(key, sent=(sha256, size), back=(back, info.size))

    def _keep(self, info: ObjectInfo, retain_until: datetime | None) -> ObjectInfo:
        """Apply ``retain_until`` when it is later than the current date."""
        until = store.retention_to_apply(info, retain_until)
        if until is None:
            return info
        self.set_retention(info.key, until, mode=self.lock_mode)
        return replace(info, retain_until=until)

    def _ensure_bucket(self) -> None:
        """Create the bucket (with object lock) on first use, once."""
        if self._bucket_ready:
            return
        if not self._s3.request(self._s3.minio.bucket_exists, None):
            make = self._s3.minio.make_bucket
            self._s3.request(make, None, object_lock=self.object_lock)
            log.info(
                "created bucket %s (object lock %s)",
                self.bucket,
                "on" if self.object_lock else "off",
            )
        elif self.object_lock:
            self._s3.request(self._s3.minio.get_object_lock_config, None)
        self._bucket_ready = True


def _parse_date(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)
