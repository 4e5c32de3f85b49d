"""Locks between workers, held in the catalogue.

On PostgreSQL a session advisory lock keyed by a hash of the name: the
server drops it when the holder's connection dies, so a killed worker never
leaves a lock behind. SQLite lets one writer in at a time already; there
the locks are no-ops.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from ingest.context import Context


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for ``name``."""
    digest = hashlib.sha256(f"sohoa:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def held(ctx: Context, name: str, *, wait: bool) -> Iterator[bool]:
    """Hold the lock ``name`` for the block; yield False when ``wait`` is
    false and another worker holds it."""
    engine = ctx.sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = {"key": lock_key(name)}
    with engine.connect() as conn:
        if wait:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
            got = True
        else:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                    key).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                conn.commit()
