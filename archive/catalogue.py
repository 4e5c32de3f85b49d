"""Read queries of the catalogue used by the CLI and the API.

Every function takes the session and keyword arguments, loads what the
caller will show (so results stay usable after the session closes) and never
commits. Ids may be given by a unique prefix of at least
:data:`MIN_PREFIX` characters, as ``sohoa show`` prints them short.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from archive.models import Batch, Document, Dossier, FieldRow, Page
from core.errors import Conflict, NotFound

MIN_PREFIX = 8
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class RescanPage:
    """A page whose OCR confidence asks for a new scan."""

    document_id: str
    filename: str
    dossier_code: str
    page: int
    mean_conf: float


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch went, and its documents counted by state."""

    batch_id: str
    status: str
    files_total: int
    files_done: int
    pages_total: int
    pages_done: int
    duplicates: int
    quarantined: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    documents_by_state: dict[str, int]
    error: str | None = None


def _resolve(
    session: Session, id_column: InstrumentedAttribute[str], key: str, what: str
) -> str:
    """The full id in ``id_column`` starting with ``key``."""
    given, key = key, key.strip().lower()
    if len(key) < MIN_PREFIX or not _HEX.fullmatch(key):
        raise NotFound(
            f"no {what} {given!r}: check it, or give its id or at least "
            f"{MIN_PREFIX} of its first hex digits",
            id=given,
        )
    found = session.scalars(
        select(id_column).where(id_column.startswith(key)).limit(2)
    ).all()
    if not found:
        raise NotFound(f"no {what} {given!r}: check the id", id=given)
    if len(found) > 1:
        raise Conflict(
            f"{given!r} starts the ids of more than one {what}: give more digits",
            id=given,
        )
    return str(found[0])


def get_document(session: Session, *, document_id: str) -> Document:
    """The document with its dossier, pages and fields loaded.

    Raises:
        NotFound: no document has this id or prefix.
        Conflict: the prefix is shared by several documents.
    """
    full_id = _resolve(session, Document.id, document_id, "document")
    query = (
        select(Document)
        .where(Document.id == full_id)
        .options(
            selectinload(Document.pages),
            selectinload(Document.fields),
            selectinload(Document.dossier),
        )
    )
    return session.scalars(query).one()


def get_dossier(session: Session, *, dossier_id_or_code: str) -> Dossier:
    """The dossier by code, id or id prefix, with its documents loaded.

    Raises:
        NotFound: no dossier has this code, id or prefix.
        Conflict: the prefix is shared by several dossiers.
    """
    load = selectinload(Dossier.documents)
    by_code = session.scalars(
        select(Dossier).where(Dossier.code == dossier_id_or_code).options(load)
    ).first()
    if by_code is not None:
        return by_code
    full_id = _resolve(session, Dossier.id, dossier_id_or_code, "dossier")
    return session.scalars(
        select(Dossier).where(Dossier.id == full_id).options(load)
    ).one()


def document_fields(session: Session, *, document_id: str) -> list[FieldRow]:
    """The extracted fields of a document, by name then page.

    Raises:
        NotFound: no document has this id or prefix.
    """
    full_id = _resolve(session, Document.id, document_id, "document")
    query = (
        select(FieldRow)
        .where(FieldRow.document_id == full_id)
        .order_by(FieldRow.name, FieldRow.page, FieldRow.id)
    )
    return list(session.scalars(query))


def rescan_pages(session: Session) -> list[RescanPage]:
    """Every page marked for a new scan, lowest confidence first."""
    query = (
        select(Document.id, Document.filename, Dossier.code, Page.number,
               Page.mean_conf)
        .join(Page, Page.document_id == Document.id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Page.needs_rescan.is_(True))
        .order_by(Page.mean_conf, Document.id, Page.number)
    )
    return [RescanPage(*row) for row in session.execute(query)]


def batch_progress(session: Session, *, batch_id: str) -> BatchProgress:
    """Counters of a batch and its documents by state.

    Raises:
        NotFound: no batch has this id or prefix.
    """
    full_id = _resolve(session, Batch.id, batch_id, "batch")
    batch = session.scalars(select(Batch).where(Batch.id == full_id)).one()
    states = session.execute(
        select(Document.state, func.count())
        .where(Document.batch_id == batch.id)
        .group_by(Document.state)
    )
    return BatchProgress(
        batch_id=batch.id, status=batch.status,
        files_total=batch.files_total, files_done=batch.files_done,
        pages_total=batch.pages_total, pages_done=batch.pages_done,
        duplicates=batch.duplicates, quarantined=batch.quarantined,
        created_at=batch.created_at, finished_at=batch.finished_at,
        documents_by_state={state: count for state, count in states},
        error=batch.error,
    )
