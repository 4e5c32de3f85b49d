"""Exporting a document or a dossier to a folder, verified by checksum."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Document, Dossier, FieldRow, StoredObject
from archive.store import ObjectStore
from core.errors import IntegrityError
from core.masking import mask_id

log = logging.getLogger(__name__)

_EXPORTED_KINDS = ("original", "searchable", "text", "words")
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_MAX_STEM_BYTES = 200


@dataclass
class ExportReport:
    """Files written by an export, each verified against its checksum."""

    folder: str
    files: list[dict] = field(default_factory=list)


def export_documents(
    session: Session,
    store: ObjectStore,
    documents: list[Document],
    dest: Path,
    *,
    can_see_ids: bool = False,
) -> ExportReport:
    """Write each document's objects and metadata under ``dest/<doc-id>/``."""
    report = ExportReport(str(dest))
    for doc in documents:
        folder = dest / doc.id
        folder.mkdir(parents=True, exist_ok=True)
        for obj in _objects(session, doc.id):
            name = _file_name(doc, obj)
            _copy_verified(store, obj, folder / name)
            report.files.append({"path": str(folder / name), "sha256": obj.sha256,
                                 "size": obj.size, "kind": obj.kind})
        meta = folder / "metadata.json"
        meta.write_text(json.dumps(metadata_of(session, doc, can_see_ids),
                                   ensure_ascii=False, indent=2, default=str),
                        encoding="utf-8")
        report.files.append({"path": str(meta), "kind": "metadata"})
    return report


def metadata_of(session: Session, doc: Document, can_see_ids: bool) -> dict:
    """The document's catalogue record as a JSON-able dict."""
    dossier = session.get(Dossier, doc.dossier_id)
    fields = session.scalars(
        select(FieldRow).where(FieldRow.document_id == doc.id)
        .order_by(FieldRow.name, FieldRow.page)
    ).all()
    return {
        "id": doc.id, "dossier": {"id": dossier.id, "code": dossier.code},
        "filename": doc.filename, "media_type": doc.media_type,
        "original_sha256": doc.original_sha256, "pages": doc.page_count,
        "state": doc.state, "doc_type": doc.doc_type, "number": doc.number,
        "issued_date": doc.issued_date, "agency": doc.agency,
        "summary": doc.summary, "mean_conf": doc.mean_conf,
        "archived_at": doc.archived_at,
        "fields": [
            {"name": f.name,
             "value": f.value if can_see_ids or f.name != "citizen_id"
             else mask_id(f.value),
             "confidence": round(f.confidence, 3), "page": f.page,
             "verified_by": f.verified_by, "verified_at": f.verified_at}
            for f in fields
        ],
    }


def _objects(session: Session, document_id: str) -> list[StoredObject]:
    rows = session.scalars(
        select(StoredObject).where(StoredObject.document_id == document_id,
                                   StoredObject.deleted_at.is_(None))
        .order_by(StoredObject.key)
    ).all()
    return [r for r in rows if r.kind in _EXPORTED_KINDS]


def _file_name(doc: Document, obj: StoredObject) -> str:
    if obj.kind != "original":
        return obj.key.rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", doc.filename).lstrip(".") or "file"
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = name, ""
    # Room for "original-", ".part" and the extension under 255 bytes.
    stem = stem.encode()[:_MAX_STEM_BYTES].decode(errors="ignore")
    return f"original-{stem}.{ext}" if ext else f"original-{stem}"


def _copy_verified(store: ObjectStore, obj: StoredObject, dest: Path) -> None:
    digest = hashlib.sha256()
    tmp = dest.with_name(dest.name + ".part")
    with store.open(obj.key) as src, tmp.open("wb") as out:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != obj.sha256:
        tmp.unlink(missing_ok=True)
        raise IntegrityError(
            f"{obj.key}: stored object does not match its recorded SHA-256; "
            "run `sohoa fixity` and restore it from a replica",
            object_key=obj.key,
        )
    tmp.replace(dest)
    log.debug("exported %s", obj.key)
