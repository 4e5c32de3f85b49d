"""Submitting a batch to the workers and reading its outcome back.

Used by ``sohoa ingest`` and the API when ``SOHOA_TASKS=celery``: the
files go to ``uploads/<batch-id>/`` in the object store, then one
``receive_batch`` task is queued; the report is read from the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import and_, func, or_, select

from archive.models import Batch, BatchFile, Document, Dossier, Page, Quarantine
from core.types import DocState
from ingest import dist_queue as q
from ingest.context import Context
from ingest.dist_objects import put_uploads
from ingest.dist_queue import Sender
from ingest.report import BatchReport, Problem

FINAL = ("done", "partial", "failed")


def submit_batch(
    ctx: Context, batch_id: str, paths: list[Path], *, send: Sender,
    dossier_code: str | None = None, per_folder: bool = False,
) -> int:
    """Upload the files under ``paths`` for the pre-opened batch and queue
    it; return the number of files."""
    count = put_uploads(ctx, batch_id, paths, per_folder=per_folder)
    send(q.RECEIVE_BATCH, batch_id=batch_id, dossier_code=dossier_code,
         per_folder=per_folder)
    return count


def _duplicate_notes(session, files: list[BatchFile]) -> list[str]:
    notes = []
    for f in files:
        if f.status != "duplicate" or not f.document_id:
            continue
        doc = session.get(Document, f.document_id)
        code = session.get(Dossier, doc.dossier_id).code if doc else "?"
        notes.append(f"{f.name}: already archived as document "
                     f"{f.document_id[:12]} in dossier {code}")
    return notes


def batch_report(ctx: Context, batch_id: str) -> BatchReport:
    """The summary of a batch run on workers, read from the catalogue."""
    report = BatchReport(batch_id)
    with ctx.sessions() as session:
        batch = session.get(Batch, batch_id)
        files = session.scalars(
            select(BatchFile).where(BatchFile.batch_id == batch_id)).all()
        ids = [f.document_id for f in files
               if f.status in ("new", "resume") and f.document_id]
        docs = session.scalars(
            select(Document).where(Document.id.in_(ids),
                                   Document.state == DocState.archived)
            .order_by(Document.created_at, Document.id)).all()
        report.files = len(files)
        report.duplicates = batch.duplicates
        report.duplicate_notes = _duplicate_notes(session, files)
        report.resumed = sum(f.status == "resume" for f in files)
        report.documents = len(docs)
        report.documents_archived = [d.id for d in docs]
        report.dossiers = sorted({d.dossier_id for d in docs})
        report.pages = _count(session, Page.document_id.in_(report.documents_archived))
        report.rescan_pages = _count(
            session, Page.document_id.in_(report.documents_archived),
            Page.needs_rescan.is_(True))
        held = [f.sha256 for f in files if f.status == "quarantined"]
        report.quarantined = [
            Problem(row.filename, row.page, row.code, row.reason)
            for row in session.scalars(select(Quarantine).where(or_(
                Quarantine.batch_id == batch_id,
                and_(Quarantine.sha256.in_(held), Quarantine.page == 0),
            )).order_by(Quarantine.id))
        ]
        if batch.finished_at is not None:
            report.seconds = (batch.finished_at - batch.created_at).total_seconds()
    return report


def _count(session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Page).where(*where)) or 0
