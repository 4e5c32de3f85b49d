"""The object store interface shared by the filesystem and the S3 stores.

Keys are ``/``-separated relative paths of printable characters, such as
``originals/<sha256>`` or ``derived/<document-id>/searchable.pdf``
(see docs/architecture.md, "Storage layout").

Keys under :data:`WRITE_ONCE_PREFIXES` are archival and write-once: putting
the same content again is a no-op that returns the stored object; putting
different content raises :class:`~core.errors.IntegrityError`. Other keys
(``derived/…``) may be replaced, unless a retention date or a legal hold
protects them (the S3 store keeps the older version, the filesystem store
refuses with :class:`~core.errors.ObjectLocked`).

Retention dates only ever move later, and no store bypasses a lock: a
delete refused by a lock raises :class:`~core.errors.ObjectLocked`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol

from core.errors import BadStorageRequest, ConfigError, IntegrityError, ObjectLocked

if TYPE_CHECKING:
    from core.settings import Settings

DEFAULT_MEDIA_TYPE = "application/octet-stream"
WRITE_ONCE_PREFIXES = ("originals/", "quarantine/", "manifests/", "certificates/",
                       "audit/anchors/")
MAX_KEY_BYTES = 1024
LockMode = Literal["COMPLIANCE", "GOVERNANCE"]
LOCK_MODES: tuple[LockMode, ...] = ("COMPLIANCE", "GOVERNANCE")


@dataclass(frozen=True)
class ObjectInfo:
    """What a store knows about one stored object (one version on S3).

    ``sha256`` is the checksum recorded when the object was written (not
    recomputed); :meth:`ObjectStore.list` fills only ``key`` and ``size``.
    """

    key: str
    size: int
    sha256: str | None = None
    version_id: str | None = None
    retain_until: datetime | None = None
    legal_hold: bool = False
    media_type: str = DEFAULT_MEDIA_TYPE

    def is_locked(self, now: datetime | None = None) -> bool:
        """True while a legal hold or a future retention date forbids delete."""
        if self.legal_hold:
            return True
        if self.retain_until is None:
            return False
        return self.retain_until > (now or datetime.now(UTC))


class ObjectStore(Protocol):
    """Where sohoa keeps originals, derived files and manifests."""

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        sha256: str | None = None,
        media_type: str = DEFAULT_MEDIA_TYPE,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Stream the file at ``path`` to ``key`` and verify it read back.

        The SHA-256 is computed while reading when not given and recorded
        with the object. Raises IntegrityError when size or SHA-256 read
        back differ, or a write-once key holds other content.
        """
        ...

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        media_type: str = DEFAULT_MEDIA_TYPE,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Store a small object held in memory (manifests, text, thumbnails)."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open the object for streaming reads; the caller closes it."""
        ...

    def read_range(self, key: str, *, offset: int, length: int) -> bytes:
        """Return up to ``length`` bytes from ``offset`` (empty past the end)."""
        ...

    def stat(self, key: str, *, version_id: str | None = None) -> ObjectInfo:
        """Describe the object; raises ObjectNotFound when it is missing."""
        ...

    def exists(self, key: str) -> bool:
        """True when ``key`` holds an object."""
        ...

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Objects whose key starts with ``prefix``, in key order."""
        ...

    def delete(self, key: str, *, version_id: str | None = None) -> None:
        """Delete one version, or every version when none is given.

        Raises ObjectLocked when a retention date or a legal hold forbids it
        and ObjectNotFound when there is nothing to delete.
        """
        ...

    def set_retention(
        self, key: str, until: datetime, *, mode: LockMode = "COMPLIANCE"
    ) -> None:
        """Protect the object from deletion until ``until`` (never shortened)."""
        ...

    def set_legal_hold(self, key: str, on: bool) -> None:
        """Put (``on=True``) or lift a legal hold on the object."""
        ...

    def sha256_of(self, key: str, *, version_id: str | None = None) -> str:
        """Re-read the object and return its SHA-256 as stored now (fixity)."""
        ...


def validate_key(key: str) -> str:
    """Return ``key`` when it is a valid object key, else raise.

    Raises:
        BadStorageRequest: empty, absolute, too long, not printable, or with
            an empty, ``.``/``..`` or dot-prefixed segment.
    """
    if not key or len(key.encode()) > MAX_KEY_BYTES or not key.isprintable():
        raise BadStorageRequest(
            f"invalid object key {key!r}: use 1 to {MAX_KEY_BYTES} bytes of "
            "printable characters",
            object_key=key,
        )
    if "\\" in key or any(not part or part.startswith(".") for part in key.split("/")):
        raise BadStorageRequest(
            f"invalid object key {key!r}: segments must be non-empty, must not "
            "start with '.' and '/' must not lead, trail or repeat",
            object_key=key,
        )
    return key


def validate_prefix(prefix: str) -> str:
    """Return a list prefix when every complete segment of it is valid."""
    if prefix:
        validate_key(prefix.rstrip("/") or "/")
    return prefix


def is_write_once(key: str) -> bool:
    """True for archival keys, which are never replaced by other content."""
    return key.startswith(WRITE_ONCE_PREFIXES)


def aware_utc(when: datetime) -> datetime:
    """Return ``when`` in UTC; a naive datetime is refused, not guessed."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise BadStorageRequest(
            f"retention date {when.isoformat()} has no time zone: pass an "
            "aware datetime (e.g. datetime.now(UTC) + timedelta(days=…))"
        )
    return when.astimezone(UTC)


def check_lock_mode(mode: str) -> LockMode:
    """Return ``mode`` when it is COMPLIANCE or GOVERNANCE."""
    if mode not in LOCK_MODES:
        raise BadStorageRequest(
            f"retention mode {mode!r} unknown: use COMPLIANCE or GOVERNANCE"
        )
    return mode  # type: ignore[return-value]


def check_range(offset: int, length: int) -> None:
    """Refuse a negative offset or length in :meth:`ObjectStore.read_range`."""
    if offset < 0 or length < 0:
        raise BadStorageRequest(
            f"invalid range offset={offset} length={length}: both must be >= 0"
        )


def open_store(settings: Settings) -> ObjectStore:
    """Build the store the settings ask for (``SOHOA_STORAGE=fs|s3``)."""
    cfg = settings.storage_cfg
    if cfg.storage == "fs":
        from archive.fs_store import FsStore

        return FsStore(settings.objects_dir)
    if cfg.storage == "s3":
        from archive.s3_store import S3Store

        return S3Store(
            cfg.s3_endpoint,
            cfg.s3_access_key,
            cfg.s3_secret_key.get_secret_value(),
            cfg.s3_bucket,
            secure=cfg.s3_secure,
            region=cfg.s3_region,
            object_lock=cfg.object_lock,
            lock_mode=cfg.lock_mode,
        )
    raise ConfigError(f"SOHOA_STORAGE={cfg.storage!r} unknown: use fs or s3")


def retention_to_apply(
    info: ObjectInfo, retain_until: datetime | None
) -> datetime | None:
    """The date to set on a just-written object: ``None`` if not later."""
    if retain_until is None:
        return None
    until = aware_utc(retain_until)
    if info.retain_until is not None and until <= info.retain_until:
        return None
    return until


def write_once_conflict(key: str, recorded: str | None) -> IntegrityError:
    """The error for new content put under an archival key that has other."""
    return IntegrityError(
        f"archival object {key} already holds other content (SHA-256 "
        f"{recorded}); write-once keys are never replaced: write the new "
        "content under a new key",
        object_key=key,
    )


def readback_mismatch(
    key: str, *, sent: tuple[str, int], back: tuple[str | None, int]
) -> IntegrityError:
    """The error for an object whose read-back differs from what was sent."""
    return IntegrityError(
        f"object {key} read back as {back[1]} bytes with SHA-256 {back[0]}, "
        f"sent {sent[1]} bytes with {sent[0]}: the write was undone; retry it "
        "and check the storage under the store",
        object_key=key,
    )


def locked_error(key: str, info: ObjectInfo | None = None) -> ObjectLocked:
    """The error for a replace or delete that a lock forbids."""
    if info is not None and info.legal_hold:
        why = "a legal hold"
    elif info is not None and info.retain_until is not None:
        why = f"retention until {info.retain_until.isoformat()}"
    else:
        why = "a retention date or a legal hold"
    return ObjectLocked(
        f"object {key} is protected by {why}: lift the hold or wait for the "
        "retention date; locks are never bypassed",
        object_key=key,
        version_id=info.version_id if info else None,
    )
