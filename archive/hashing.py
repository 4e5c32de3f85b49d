"""SHA-256 of files and streams, read in fixed-size chunks."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_stream(stream: BinaryIO) -> tuple[str, int]:
    """Read ``stream`` to its end; return its hex SHA-256 and its size."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_file(path: Path) -> tuple[str, int]:
    """Return the hex SHA-256 and the size of the file at ``path``."""
    with path.open("rb") as stream:
        return sha256_stream(stream)


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def is_sha256(value: str) -> bool:
    """True when ``value`` is a lowercase hex SHA-256 digest."""
    return _SHA256.fullmatch(value) is not None
