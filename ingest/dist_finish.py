"""The last steps on workers: archive a document, then close its batches.

A document is finished by one worker at a time (a catalogue lock); a
finished document is not finished again. A batch closes once every file
is accounted for: its dossiers' manifests are written, then its status.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from archive.models import Batch, BatchFile, Document, Quarantine
from core.errors import SohoaError, StorageError
from core.logging import log_context
from core.types import DocState
from ingest.batch import close_batch
from ingest.context import Context
from ingest.dist_lock import held
from ingest.dist_objects import cached_original, get_page, remove_prefix, upload_prefix
from ingest.dist_state import DONE_STATES, all_pages_ended, ended_pages, settle_files
from ingest.finish import finish_document, mark_quarantined
from ingest.manifest import write_manifest
from ingest.quarantine import record

log = logging.getLogger(__name__)

OPEN = ("queued", "received", "running")


def still_open(ctx: Context, batch_id: str) -> str | None:
    """None while the batch runs, else its final status."""
    with ctx.sessions() as session:
        batch = session.get(Batch, batch_id)
        if batch is None:
            return "missing"
        return None if batch.status in OPEN else batch.status


def finish(ctx: Context, document_id: str) -> str:
    """Archive the document from its pages' outputs; settle its batches.

    Returns the document state, ``busy`` when another worker is finishing
    it, or ``waiting`` when a page has no outcome yet.

    Raises:
        StorageError: an output could not be read or written (retry).
    """
    with log_context(document=document_id[:12]), held(
            ctx, f"document:{document_id}", wait=False) as mine:
        if not mine:
            return "busy"
        doc = _document(ctx, document_id)
        if doc is None:
            return "missing"
        if doc.state not in DONE_STATES:
            if not all_pages_ended(ctx, document_id):
                return "waiting"
            try:
                _archive(ctx, doc)
            except StorageError:
                raise
            except SohoaError as exc:
                quarantine_document(ctx, document_id, exc)
    return settle(ctx, document_id)


def _document(ctx: Context, document_id: str) -> Document | None:
    with ctx.sessions() as session:
        return session.get(Document, document_id)


def _archive(ctx: Context, doc: Document) -> None:
    rows = ended_pages(ctx, doc.id)
    work = ctx.settings.work_dir / "documents"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        original = None
        if any(r.status == "ok" and r.detail["part"]["kind"] == "original"
               for r in rows):
            original = cached_original(ctx, doc.original_sha256)
        outcomes: list[dict[str, Any]] = []
        for row in rows:
            if row.status == "ok":
                outcomes.append(get_page(ctx, row.number, row.detail,
                                         work_dir=Path(tmp), original=original))
            else:
                outcomes.append({"number": row.number, "error": row.detail})
        finish_document(ctx, doc.id, outcomes, Path(tmp))


def quarantine_document(ctx: Context, document_id: str, error: SohoaError) -> None:
    """Quarantine a document none of whose pages could be archived."""
    doc = _document(ctx, document_id)
    if doc is None:
        return
    mark_quarantined(ctx, document_id)
    record(ctx, filename=doc.filename, sha256=doc.original_sha256, page=0,
           error=error, object_key=f"originals/{doc.original_sha256}",
           batch_id=doc.batch_id)


def settle(ctx: Context, document_id: str) -> str:
    """Account for a done document in its batches and close those that
    are complete; drop its scratch objects. Returns the document state."""
    doc = _document(ctx, document_id)
    if doc is None or doc.state not in DONE_STATES:
        return doc.state if doc else "missing"
    for batch_id in settle_files(ctx, document_id):
        close_if_done(ctx, batch_id)
    remove_prefix(ctx, f"work/{document_id}/")
    return doc.state


def record_page_problem(
    ctx: Context, document_id: str, number: int, error: dict[str, Any], *,
    batch_id: str | None,
) -> None:
    """Keep a quarantine record of a page that could not be read."""
    doc = _document(ctx, document_id)
    exc = SohoaError(error.get("message", "page failed"))
    exc.code = error.get("code", "page.failed")
    record(ctx, filename=doc.filename, sha256=doc.original_sha256, page=number,
           error=exc, object_key=f"originals/{doc.original_sha256}",
           batch_id=batch_id or doc.batch_id)


def close_if_done(ctx: Context, batch_id: str) -> bool:
    """Write the manifests and close the batch once every file is done."""
    with held(ctx, f"batch:{batch_id}", wait=True):
        if still_open(ctx, batch_id) is not None:
            return False
        with ctx.sessions() as session:
            batch = session.get(Batch, batch_id)
            files = session.scalars(
                select(BatchFile).where(BatchFile.batch_id == batch_id)).all()
            if len(files) < batch.files_total or not all(f.finished for f in files):
                return False
            dossiers = _changed_dossiers(session, files)
            problems = batch.quarantined or session.scalar(
                select(func.count()).select_from(Quarantine)
                .where(Quarantine.batch_id == batch_id))

        # The manifests come last: they list what is archived.
        for dossier_id in dossiers:
            write_manifest(ctx, dossier_id)

        close_batch(ctx, batch_id, status="partial" if problems else "done")
    log.info("batch %s closed: %d file(s)", batch_id[:12], len(files))
    remove_prefix(ctx, upload_prefix(batch_id))
    return True


def _changed_dossiers(session, files: list[BatchFile]) -> list[str]:
    ids = [f.document_id for f in files
           if f.status in ("new", "resume") and f.document_id]
    if not ids:
        return []
    found = session.scalars(
        select(Document.dossier_id).where(Document.id.in_(ids),
                                          Document.state == DocState.archived)
        .distinct().order_by(Document.dossier_id))
    return list(found)
