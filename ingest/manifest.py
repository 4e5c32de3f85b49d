"""The dossier manifest: metadata, file list and checksums, written last."""

from __future__ import annotations

import json
import logging

from sqlalchemy import func, select

from archive.db import unit_of_work
from archive.models import Document, Dossier, FieldRow, StoredObject
from core.types import DocState
from ingest.context import Context

log = logging.getLogger(__name__)


def write_manifest(ctx: Context, dossier_id: str) -> str | None:
    """Write a new version of the dossier's manifest; return its key."""
    with ctx.sessions() as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            return None
        body = _body(session, dossier)
        version = 1 + (session.scalar(
            select(func.count()).select_from(StoredObject).where(
                StoredObject.dossier_id == dossier_id,
                StoredObject.kind == "manifest")
        ) or 0)
    if not body["documents"]:
        return None
    body["version"] = version
    key = f"manifests/{dossier_id}/{version:04d}.json"
    data = json.dumps(body, ensure_ascii=False, indent=1, default=str).encode()
    info = ctx.store.put_bytes(key, data, media_type="application/json")
    with unit_of_work(ctx.sessions) as session:
        session.add(StoredObject(key=key, kind="manifest", sha256=info.sha256,
                                 size=info.size, media_type="application/json",
                                 dossier_id=dossier_id, version_id=info.version_id))
    log.info("manifest %s written for dossier %s", key, dossier.code)
    return key


def _body(session, dossier: Dossier) -> dict:
    docs = session.scalars(
        select(Document).where(Document.dossier_id == dossier.id,
                               Document.state == DocState.archived)
        .order_by(Document.created_at, Document.id)
    ).all()
    return {
        "dossier": {"id": dossier.id, "code": dossier.code, "title": dossier.title,
                    "created_at": dossier.created_at,
                    "retention_class": dossier.retention_class},
        "documents": [_document(session, d) for d in docs],
    }


def _document(session, doc: Document) -> dict:
    objects = session.scalars(
        select(StoredObject).where(StoredObject.document_id == doc.id)
        .order_by(StoredObject.key)
    ).all()
    fields = session.scalars(
        select(FieldRow).where(FieldRow.document_id == doc.id,
                               FieldRow.name != "citizen_id")
    ).all()
    return {
        "id": doc.id, "filename": doc.filename, "media_type": doc.media_type,
        "pages": doc.page_count, "doc_type": doc.doc_type, "number": doc.number,
        "issued_date": doc.issued_date, "agency": doc.agency,
        "summary": doc.summary,
        "fields": [{"name": f.name, "value": f.value, "confidence": f.confidence,
                    "page": f.page} for f in fields],
        "objects": [{"key": o.key, "kind": o.kind, "sha256": o.sha256,
                     "size": o.size} for o in objects],
    }
