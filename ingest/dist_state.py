"""What the workers record in the catalogue, each write guarded so that a
redelivered task changes nothing twice.

Counters of a batch move in the same transaction as the fact they count
(a file recorded, a page ended, a file finished), with SQL increments, so
concurrent workers never lose an update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.db import unit_of_work
from archive.models import Batch, BatchFile, Document, PageOutcome, utcnow
from core.types import DocState
from ingest.context import Context

ENDED = ("ok", "failed")
DONE_STATES = (DocState.archived, DocState.quarantined)


@dataclass(frozen=True)
class FileRow:
    """A recorded file of a batch."""

    name: str
    status: str
    document_id: str | None
    finished: bool


def bump(session: Session, batch_id: str, **deltas: int) -> None:
    """Add ``deltas`` to the batch counters in one SQL statement."""
    values = {name: getattr(Batch, name) + delta for name, delta in deltas.items()}
    if values:
        session.execute(update(Batch).where(Batch.id == batch_id).values(**values))


def recorded_files(ctx: Context, batch_id: str) -> dict[str, FileRow]:
    """The files of the batch already recorded, by name."""
    with ctx.sessions() as session:
        rows = session.scalars(select(BatchFile).where(BatchFile.batch_id == batch_id))
        return {r.name: FileRow(r.name, r.status, r.document_id, r.finished)
                for r in rows}


def record_file(
    ctx: Context, batch_id: str, *, name: str, sha256: str, status: str,
    document_id: str | None, pages: int,
) -> bool:
    """Record a received file and count it; False if it was recorded before.

    Duplicates and files quarantined on receipt are finished at once.
    """
    finished = status in ("duplicate", "quarantined")
    try:
        with unit_of_work(ctx.sessions) as session:
            session.add(BatchFile(batch_id=batch_id, name=name, sha256=sha256,
                                  status=status, document_id=document_id,
                                  pages=pages, finished=finished))
            session.flush()
            bump(session, batch_id, pages_total=pages,
                 files_done=int(finished),
                 duplicates=int(status == "duplicate"),
                 quarantined=int(status == "quarantined"))
    except IntegrityError:
        return False
    return True


def start_page(ctx: Context, *, document_id: str, number: int,
               batch_id: str | None) -> tuple[str, int]:
    """Note one more delivery of a page; return its status and attempts."""
    try:
        with unit_of_work(ctx.sessions) as session:
            session.add(PageOutcome(document_id=document_id, number=number,
                                    batch_id=batch_id, status="pending",
                                    attempts=1, detail={}))
        return "pending", 1
    except IntegrityError:
        pass
    with unit_of_work(ctx.sessions) as session:
        where = (PageOutcome.document_id == document_id,
                 PageOutcome.number == number)
        session.execute(update(PageOutcome).where(
            *where, PageOutcome.status == "pending",
        ).values(attempts=PageOutcome.attempts + 1))
        row = session.scalars(select(PageOutcome).where(*where)).one()
        return row.status, row.attempts


def end_page(
    ctx: Context, *, document_id: str, number: int, batch_id: str | None,
    status: str, detail: dict[str, Any],
) -> bool:
    """Record how a page ended and count it; False if it had ended before."""
    with unit_of_work(ctx.sessions) as session:
        where = (PageOutcome.document_id == document_id,
                 PageOutcome.number == number)
        exists = session.scalar(select(PageOutcome.id).where(*where))
        if exists is None:
            session.add(PageOutcome(document_id=document_id, number=number,
                                    batch_id=batch_id, status="pending",
                                    attempts=1, detail={}))
            session.flush()
        changed = session.execute(update(PageOutcome).where(
            *where, PageOutcome.status == "pending",
        ).values(status=status, detail=detail, finished_at=utcnow())).rowcount
        if changed and batch_id:
            bump(session, batch_id, pages_done=1)
        return bool(changed)


def ended_pages(ctx: Context, document_id: str) -> list[PageOutcome]:
    """The pages of the document that ended, by number."""
    with ctx.sessions() as session:
        return list(session.scalars(
            select(PageOutcome).where(PageOutcome.document_id == document_id,
                                      PageOutcome.status.in_(ENDED))
            .order_by(PageOutcome.number)
        ))


def ended_numbers(ctx: Context, document_id: str) -> set[int]:
    """Numbers of the pages of the document that ended."""
    return {p.number for p in ended_pages(ctx, document_id)}


def document_state(ctx: Context, document_id: str) -> tuple[str, int] | None:
    """The document's state and page count, or None when it is unknown."""
    with ctx.sessions() as session:
        doc = session.get(Document, document_id)
        return None if doc is None else (doc.state, doc.page_count)


def all_pages_ended(ctx: Context, document_id: str) -> bool:
    """True when every page of the document has an outcome."""
    with ctx.sessions() as session:
        doc = session.get(Document, document_id)
        ended = session.scalar(
            select(func.count()).select_from(PageOutcome).where(
                PageOutcome.document_id == document_id,
                PageOutcome.status.in_(ENDED))
        )
        return doc is not None and ended >= doc.page_count


def settle_files(ctx: Context, document_id: str) -> list[str]:
    """Finish the files of the document in every batch that holds it, once
    it is archived or quarantined; return the ids of those batches."""
    with unit_of_work(ctx.sessions) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.state not in DONE_STATES:
            return []
        quarantined = int(doc.state == DocState.quarantined)
        rows = session.scalars(select(BatchFile).where(
            BatchFile.document_id == document_id)).all()
        for row in rows:
            changed = session.execute(update(BatchFile).where(
                BatchFile.id == row.id, BatchFile.finished.is_(False),
            ).values(finished=True)).rowcount
            if changed:
                bump(session, row.batch_id, files_done=1, quarantined=quarantined)
        return sorted({row.batch_id for row in rows})
