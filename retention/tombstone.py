"""Reducing a destroyed dossier's catalogue rows to a tombstone.

Kept: identifiers (dossier id and code, document ids, number/symbol, type,
issue date), checksums and sizes of the objects, dates, the retention
schedule. Removed: page text, extracted fields, the summary, the title and
file names, which may carry personal data.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.models import Document, Dossier, FieldRow, Page, StoredObject, utcnow

DESTROYED = "destroyed"


def tombstone(session: Session, dossier: Dossier) -> dict[str, int]:
    """Strip the dossier to its tombstone; return what was removed."""
    doc_ids = list(session.scalars(
        select(Document.id).where(Document.dossier_id == dossier.id)))
    pages = session.execute(delete(Page).where(Page.document_id.in_(doc_ids)))
    fields = session.execute(
        delete(FieldRow).where(FieldRow.document_id.in_(doc_ids)))
    for doc in session.scalars(select(Document).where(Document.id.in_(doc_ids))):
        doc.filename = f"{doc.id}.destroyed"
        doc.summary = None
        doc.state = DESTROYED
    now = utcnow()
    for obj in session.scalars(select(StoredObject).where(
            StoredObject.document_id.in_(doc_ids)
            | (StoredObject.dossier_id == dossier.id))):
        obj.deleted_at = obj.deleted_at or now
    dossier.title = ""
    dossier.state = DESTROYED
    session.flush()
    return {"documents": len(doc_ids), "pages": pages.rowcount or 0,
            "fields": fields.rowcount or 0}
