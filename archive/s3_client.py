"""One bucket on an S3 server through ``minio``: retries and error mapping.

:class:`BucketClient` runs each request of :mod:`archive.s3_store`, retries
transient connection failures a bounded number of times and turns ``S3Error``
codes into :mod:`core.errors` classes that name the endpoint and the key.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from types import GeneratorType
from typing import TypeVar

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from archive import store
from core.errors import ObjectNotFound, StorageError

log = logging.getLogger(__name__)

T = TypeVar("T")
NOT_FOUND = {"NoSuchKey", "NoSuchVersion", "NoSuchObject"}
# MinIO answers InvalidRequest ("WORM protected"), SeaweedFS AccessDenied.
LOCKED = {"AccessDenied", "ObjectLocked", "InvalidRequest"}
TRANSIENT = (urllib3.exceptions.HTTPError, ConnectionError, MinioException)


class BucketClient:
    """The ``minio`` client of one bucket, with retries and mapped errors."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool = False,
        region: str = "us-east-1",
        attempts: int = 3,
    ) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        self.attempts = max(1, attempts)
        retries = urllib3.Retry(
            total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)
        )
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120), retries=retries
        )
        self.minio = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )

    def request(
        self,
        method: Callable[..., T],
        key: str | None,
        *args: object,
        locking: bool = False,
        **kwargs: object,
    ) -> T:
        """Call ``method(bucket, key, …)`` (``key`` left out when ``None``).

        A generator result (listings) is read into a list inside the retry.
        ``locking`` marks requests a lock may refuse (delete, retention,
        legal hold): their refusals become ObjectLocked.
        """
        head = (self.bucket,) if key is None else (self.bucket, store.validate_key(key))
        for attempt in range(1, self.attempts + 1):
            try:
                result = method(*head, *args, **kwargs)
                return list(result) if isinstance(result, GeneratorType) else result
            except S3Error as err:
                raise self.map_error(err, key, locking=locking) from err
            except TRANSIENT as err:
                if attempt == self.attempts:
                    raise self._unreachable(err, key, attempt) from err
                log.warning(
                    "S3 server %s failed (%s), retry %d of %d",
                    self.endpoint,
                    type(err).__name__,
                    attempt,
                    self.attempts - 1,
                )
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("attempts is at least 1")

    def versions(self, key: str) -> list[tuple[str | None, bool]]:
        """(version id, is delete marker) of everything under exactly ``key``."""
        listing = self.minio.list_objects
        found = self.request(listing, None, prefix=key, include_version=True)
        return [
            (o.version_id, bool(o.is_delete_marker))
            for o in found
            if o.object_name == key
        ]

    def iterate(self, items: Iterable[T], key: str | None) -> Iterator[T]:
        """Stream a listing, mapping its errors (a half-read one is not retried)."""
        try:
            yield from items
        except S3Error as err:
            raise self.map_error(err, key) from err
        except TRANSIENT as err:
            raise self._unreachable(err, key, 1) from err

    def map_error(
        self, err: S3Error, key: str | None, *, locking: bool = False
    ) -> StorageError:
        """The :mod:`core.errors` class for an ``S3Error`` about ``key``."""
        code = err.code or "unknown"
        where = f"{key} in bucket {self.bucket}" if key else f"bucket {self.bucket}"
        if code in NOT_FOUND:
            return ObjectNotFound(f"no object {where}", object_key=key, s3_code=code)
        if locking and code in LOCKED:
            locked = store.locked_error(key or self.bucket)
            locked.context["s3_code"] = code
            return locked
        if code == "ObjectLockConfigurationNotFoundError":
            return StorageError(
                f"bucket {self.bucket} on {self.endpoint} has no object lock: "
                "use a bucket created with object lock, or set "
                "SOHOA_OBJECT_LOCK=false",
                object_key=key,
                s3_code=code,
            )
        return StorageError(
            f"S3 server {self.endpoint} refused the request for {where}: "
            f"{code} ({err.message})",
            object_key=key,
            s3_code=code,
        )

    def _unreachable(
        self, err: Exception, key: str | None, attempts: int
    ) -> StorageError:
        return StorageError(
            f"S3 server {self.endpoint} failed {attempts} times "
            f"({type(err).__name__}: {err}); check that it runs and that "
            "SOHOA_S3_ENDPOINT points to it",
            object_key=key,
        )


class ResponseReader(io.RawIOBase):
    """A readable raw stream over a urllib3 response; close releases it."""

    def __init__(self, response: urllib3.BaseHTTPResponse) -> None:
        self._response = response

    def readable(self) -> bool:
        """Always true."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the response; 0 at its end."""
        data = self._response.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Close the response and give its connection back to the pool."""
        if not self.closed:
            self._response.close()
            self._response.release_conn()
        super().close()
