"""Object store in a local folder, for the embedded single-machine setup.

Objects live at ``<root>/<key>``; what S3 keeps as object metadata (SHA-256,
media type, retention date and mode, legal hold) lives in a sidecar JSON file
``<root>/.meta/<key>.json``. Every write goes to a temp file in the target
folder, is flushed with ``fsync``, verified, then renamed into place, so a
reader never sees half an object. The store keeps no versions: a retained or
held object cannot be replaced or deleted (ObjectLocked).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from archive import store
from archive.hashing import CHUNK, sha256_file
from archive.store import DEFAULT_MEDIA_TYPE, LockMode, ObjectInfo
from core.errors import BadStorageRequest, IntegrityError, ObjectNotFound

log = logging.getLogger(__name__)

META_DIR = ".meta"


class FsStore:
    """An :class:`~archive.store.ObjectStore` in the folder ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        sha256: str | None = None,
        media_type: str = DEFAULT_MEDIA_TYPE,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Copy the file at ``path`` to ``key`` (see ObjectStore.put_file)."""
        with Path(path).open("rb") as source:
            return self._put(key, source, sha256, media_type, retain_until)

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        media_type: str = DEFAULT_MEDIA_TYPE,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Store ``data`` at ``key`` (see ObjectStore.put_bytes)."""
        return self._put(key, io.BytesIO(data), None, media_type, retain_until)

    def open(self, key: str) -> BinaryIO:
        """Open the object for reading; the caller closes it."""
        try:
            return self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise _not_found(key) from None

    def read_range(self, key: str, *, offset: int, length: int) -> bytes:
        """Return up to ``length`` bytes of the object from ``offset``."""
        store.check_range(offset, length)
        with self.open(key) as stream:
            stream.seek(offset)
            return stream.read(length)

    def stat(self, key: str, *, version_id: str | None = None) -> ObjectInfo:
        """Describe the object from its file and sidecar."""
        _no_versions(key, version_id)
        path = self._path(key)
        if not path.is_file():
            raise _not_found(key)
        return _info(key, path.stat().st_size, self._read_meta(key))

    def exists(self, key: str) -> bool:
        """True when ``key`` holds an object."""
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Objects whose key starts with ``prefix``, in key order."""
        store.validate_prefix(prefix)
        base = self.root / prefix.rpartition("/")[0]
        keys = []
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel = Path(folder).relative_to(self.root).as_posix()
            for name in files:
                key = name if rel == "." else f"{rel}/{name}"
                if not name.startswith(".") and key.startswith(prefix):
                    keys.append(key)
        for key in sorted(keys):
            with contextlib.suppress(FileNotFoundError):
                yield ObjectInfo(key=key, size=self._path(key).stat().st_size)

    def delete(self, key: str, *, version_id: str | None = None) -> None:
        """Delete the object and its sidecar, unless a lock forbids it."""
        _no_versions(key, version_id)
        info = self.stat(key)
        if info.is_locked():
            raise store.locked_error(key, info)
        self._path(key).unlink()
        self._meta_path(key).unlink(missing_ok=True)
        self._prune_empty_dirs(key)
        log.info("deleted object %s", key)

    def set_retention(
        self, key: str, until: datetime, *, mode: LockMode = "COMPLIANCE"
    ) -> None:
        """Record a retention date; it may move later, never earlier."""
        until = store.aware_utc(until)
        mode = store.check_lock_mode(mode)
        info = self.stat(key)
        meta = self._read_meta(key)
        weaker = meta.get("lock_mode") == "COMPLIANCE" and mode != "COMPLIANCE"
        shorter = info.retain_until is not None and until < info.retain_until
        if info.is_locked() and info.retain_until and (shorter or weaker):
            raise store.locked_error(key, info)
        meta.update(retain_until=until.isoformat(), lock_mode=mode)
        self._write_meta(key, meta)

    def set_legal_hold(self, key: str, on: bool) -> None:
        """Put or lift a legal hold."""
        self.stat(key)
        meta = self._read_meta(key)
        meta["legal_hold"] = bool(on)
        self._write_meta(key, meta)

    def sha256_of(self, key: str, *, version_id: str | None = None) -> str:
        """Re-read the file and return its SHA-256 as it is on disk now."""
        _no_versions(key, version_id)
        path = self._path(key)
        if not path.is_file():
            raise _not_found(key)
        return sha256_file(path)[0]

    def _put(
        self,
        key: str,
        source: BinaryIO,
        sha256: str | None,
        media_type: str,
        retain_until: datetime | None,
    ) -> ObjectInfo:
        dest = self._path(key)
        existing = self.stat(key) if dest.is_file() else None
        write_once = store.is_write_once(key)
        if existing and write_once and sha256 and existing.sha256 == sha256:
            return self._keep(existing, retain_until)
        if existing and not write_once and existing.is_locked():
            raise store.locked_error(key, existing)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp, digest, size = _write_temp(source, dest.parent)
        try:
            _verify(key, tmp, expected=sha256, digest=digest, size=size)
            stored = self._install(key, tmp, digest)
        finally:
            tmp.unlink(missing_ok=True)
        if stored:
            meta = {"sha256": digest, "size": size, "media_type": media_type}
            self._write_meta(key, meta)
            log.debug("stored object %s (%d bytes)", key, size)
        return self._keep(self.stat(key), retain_until)

    def _install(self, key: str, tmp: Path, digest: str) -> bool:
        """Move the verified temp file to its key; False if already there."""
        dest = self._path(key)
        if not store.is_write_once(key):
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
            return True
        try:
            os.link(tmp, dest)
        except FileExistsError:
            recorded = self._read_meta(key).get("sha256") or sha256_file(dest)[0]
            if recorded != digest:
                raise store.write_once_conflict(key, recorded) from None
            return False
        _fsync_dir(dest.parent)
        return True

    def _keep(self, info: ObjectInfo, retain_until: datetime | None) -> ObjectInfo:
        """Apply ``retain_until`` when it is later than the current date."""
        until = store.retention_to_apply(info, retain_until)
        if until is None:
            return info
        self.set_retention(info.key, until)
        return replace(info, retain_until=until)

    def _path(self, key: str) -> Path:
        return self.root / store.validate_key(key)

    def _meta_path(self, key: str) -> Path:
        return self.root / META_DIR / f"{store.validate_key(key)}.json"

    def _read_meta(self, key: str) -> dict[str, Any]:
        try:
            return json.loads(self._meta_path(key).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write_meta(self, key: str, meta: dict[str, Any]) -> None:
        path = self._meta_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(meta, sort_keys=True).encode()
        tmp, _, _ = _write_temp(io.BytesIO(data), path.parent)
        os.replace(tmp, path)
        _fsync_dir(path.parent)

    def _prune_empty_dirs(self, key: str) -> None:
        for top in (self.root, self.root / META_DIR):
            folder = (top / key).parent
            while folder != top and folder.is_relative_to(top):
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent


def _write_temp(source: BinaryIO, folder: Path) -> tuple[Path, str, int]:
    """Copy ``source`` to a synced temp file in ``folder``, hashing it."""
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(prefix=".put-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), digest.hexdigest(), size


def _verify(
    key: str, tmp: Path, *, expected: str | None, digest: str, size: int
) -> None:
    """Read the written file back; compare with what was read from the source."""
    if expected is not None and expected != digest:
        raise IntegrityError(
            f"content for {key} has SHA-256 {digest}, not the {expected} given: "
            "the source changed while being stored or the checksum is wrong",
            object_key=key,
        )
    back = sha256_file(tmp)
    if back != (digest, size):
        raise store.readback_mismatch(key, sent=(digest, size), back=back)


def _info(key: str, size: int, meta: dict[str, Any]) -> ObjectInfo:
    until = meta.get("retain_until")
    return ObjectInfo(
        key=key,
        size=size,
        sha256=meta.get("sha256"),
        retain_until=datetime.fromisoformat(until).astimezone(UTC) if until else None,
        legal_hold=bool(meta.get("legal_hold", False)),
        media_type=meta.get("media_type", DEFAULT_MEDIA_TYPE),
    )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _no_versions(key: str, version_id: str | None) -> None:
    if version_id is not None:
        raise BadStorageRequest(
            f"the filesystem store keeps no versions of {key}: call without version_id",
            object_key=key,
        )


def _not_found(key: str) -> ObjectNotFound:
    return ObjectNotFound(f"no object {key} in the store", object_key=key)
