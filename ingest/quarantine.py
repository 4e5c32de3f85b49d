"""Keeping rejected files and pages with their reason; nothing is lost."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select

from archive import audit
from archive.db import unit_of_work
from archive.models import Quarantine
from core.errors import SohoaError
from ingest.context import Context

log = logging.getLogger(__name__)


def quarantine_file(
    ctx: Context,
    path: Path,
    error: SohoaError,
    *,
    sha256: str,
    batch_id: str | None,
) -> bool:
    """Keep ``path``'s bytes under ``quarantine/<sha256>`` with the reason.

    Returns False when the same file was already in quarantine.
    """
    key = f"quarantine/{sha256}"
    if not ctx.store.exists(key):
        ctx.store.put_file(key, path, sha256=sha256)
    return record(ctx, filename=path.name, sha256=sha256, page=0, error=error,
                  object_key=key, batch_id=batch_id)


def record(
    ctx: Context,
    *,
    filename: str,
    sha256: str,
    page: int,
    error: SohoaError,
    object_key: str,
    batch_id: str | None,
) -> bool:
    """Add a quarantine row unless one exists for this file and page."""
    log.warning("quarantined: %s [%s]", error.message, error.code)
    with unit_of_work(ctx.sessions) as session:
        existing = session.scalar(
            select(Quarantine).where(
                Quarantine.sha256 == sha256, Quarantine.page == page
            )
        )
        if existing is not None:
            return False
        session.add(
            Quarantine(
                batch_id=batch_id,
                filename=filename,
                sha256=sha256,
                page=page,
                code=error.code,
                reason=error.message,
                object_key=object_key,
            )
        )
        audit.append(session, actor="ingest", action="document.quarantined",
                     subject_type="file", subject_id=sha256,
                     detail={"batch_id": batch_id, "page": page,
                             "code": error.code, "object_key": object_key})
    return True
