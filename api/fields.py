"""Correcting a document's field by hand."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Document, FieldRow, utcnow
from core.errors import Conflict, InputError
from core.types import FIELD_NAMES, DocState

# Fields copied onto the document row, for filters and listings.
PROMOTED = ("doc_type", "number", "agency", "summary", "issued_date")


def correct_field(
    session: Session, doc: Document, *, name: str, value: str, actor: str
) -> FieldRow:
    """Set field ``name`` of ``doc`` to ``value`` as verified by ``actor``.

    The most confident row of that name is corrected (one is added when the
    extraction found none) and promoted fields update the document row too.

    Raises:
        InputError: an unknown field name, or an issue date not in ISO form.
    """
    if doc.state != DocState.archived:
        raise Conflict(f"document {doc.id[:12]} is {doc.state}: only archived "
                       "documents have fields to correct", document_id=doc.id)
    if name not in FIELD_NAMES:
        raise InputError(f"unknown field {name!r}; fields are {', '.join(FIELD_NAMES)}")
    value = value.strip()
    issued = _iso_date(value) if name == "issued_date" else None
    row = session.scalar(
        select(FieldRow)
        .where(FieldRow.document_id == doc.id, FieldRow.name == name)
        .order_by(FieldRow.confidence.desc(), FieldRow.id)
        .limit(1)
    )
    if row is None:
        row = FieldRow(document_id=doc.id, name=name, page=1, raw="")
        session.add(row)
    row.value, row.confidence = value, 1.0
    row.verified_by, row.verified_at = actor, utcnow()
    if name == "issued_date":
        doc.issued_date = issued
    elif name in PROMOTED:
        setattr(doc, name, value)
    session.flush()
    return row


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"issued_date {value!r} is not a date; write it as YYYY-MM-DD"
        ) from None
