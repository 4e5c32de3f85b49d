"""Keys of the HTTP API: creation, verification, listing and revocation.

A key reads ``sohoa_<prefix>_<secret>``: the prefix (8 hex digits) is not
secret and finds the row; only the SHA-256 of the whole key is stored, so a
copy of the catalogue gives no usable key. Functions never commit; the
caller owns the unit of work.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import ApiKey, utcnow
from core.errors import InputError, NotFound

ROLES = ("station", "officer", "archivist", "admin")
_SCHEME = "sohoa"


def hash_key(key: str) -> str:
    """The SHA-256 (hex) under which ``key`` is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prefix_of(key: str) -> str | None:
    """The lookup prefix of a well-formed key, else ``None``."""
    scheme, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != _SCHEME or len(prefix) != 8 or not secret:
        return None
    return prefix


def create_key(session: Session, *, name: str, role: str) -> tuple[ApiKey, str]:
    """Add a key for ``name`` with ``role``; return the row and the key.

    The key itself is returned only here; it cannot be read back later.

    Raises:
        InputError: ``role`` is not one of :data:`ROLES` or ``name`` is empty.
    """
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not name.strip():
        raise InputError("an API key needs a name, e.g. the station or person")
    prefix = secrets.token_hex(4)
    while session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)):
        prefix = secrets.token_hex(4)
    key = f"{_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(prefix=prefix, key_sha256=hash_key(key), name=name.strip(),
                 role=role)
    session.add(row)
    session.flush()
    return row, key


def verify_key(session: Session, key: str) -> ApiKey | None:
    """The live (not revoked) row of ``key``, or ``None``."""
    prefix = prefix_of(key)
    if prefix is None:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_sha256, hash_key(key)):
        return None
    return row


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, revoked ones included, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at,
                                                        ApiKey.id)))


def revoke_key(session: Session, *, prefix: str) -> ApiKey:
    """Revoke the key with ``prefix`` (a revoked key stays revoked).

    Raises:
        NotFound: no key has this prefix.
    """
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None:
        raise NotFound(f"no API key with prefix {prefix!r}; see `sohoa apikey list`")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
