"""Last stages of a document: fields, searchable PDF, objects, catalogue.

Objects are written and verified first; then one transaction replaces the
document's pages and fields and marks it archived. A crash between the two
leaves only objects no row points to, and a retry writes them again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from archive import audit
from archive.db import unit_of_work
from archive.models import Document, FieldRow, Page, Quarantine, StoredObject, utcnow
from archive.store import ObjectInfo
from core.errors import SohoaError
from core.textfold import fold
from core.types import DocState, FieldValue, PageText
from ingest.context import Context
from metadata import extract
from ocr.pdf import PdfPart, assemble

log = logging.getLogger(__name__)

# Fields copied onto the document row for filters and listings.
_PROMOTED = ("doc_type", "number", "agency", "summary")


@dataclass
class Finished:
    """What archiving one document produced."""

    document_id: str
    pages: int
    fields: list[FieldValue]
    failed_pages: list[tuple[int, dict[str, Any]]]


def finish_document(
    ctx: Context, document_id: str, outcomes: list[dict[str, Any]], work_dir: Path
) -> Finished:
    """Extract fields, build the derivatives and archive the document."""
    good = sorted((o for o in outcomes if "page" in o), key=lambda o: o["number"])
    failed = [(o["number"], o["error"]) for o in outcomes if "error" in o]
    if not good:
        first = failed[0][1] if failed else {"message": "no pages"}
        raise SohoaError(f"no page of the document could be read: {first['message']}")
    pages = [PageText.from_dict(o["page"]) for o in good]

    # Read the metadata fields from the page texts.
    fields = extract(pages)

    # Build the searchable PDF, the text and the words.
    files = _derivatives(good, pages, work_dir)

    # Store and verify every object before the catalogue hears of them.
    stored = {
        key: (kind, ctx.store.put_file(key, path, media_type=media))
        for key, (kind, path, media) in _keys(document_id, files).items()
    }

    # One transaction: pages, fields, objects, state.
    _commit(ctx, document_id, pages, fields, stored)
    log.info("archived document %s: %d page(s), %d field(s)",
             document_id[:12], len(pages), len(fields))
    return Finished(document_id, len(pages), fields, failed)


def mark_quarantined(ctx: Context, document_id: str) -> None:
    """Record that no page of the document could be archived."""
    with unit_of_work(ctx.sessions) as session:
        doc = session.get(Document, document_id)
        if doc is not None:
            doc.state = DocState.quarantined


def _derivatives(
    good: list[dict[str, Any]], pages: list[PageText], work_dir: Path
) -> dict[str, tuple[Path, str]]:
    parts = [PdfPart(**o["part"]) for o in good]
    pdf = work_dir / "searchable.pdf"
    assemble(parts, pdf)
    text = work_dir / "text.txt"
    text.write_text("\f".join(p.text for p in pages), encoding="utf-8")
    words = work_dir / "words.json"
    words.write_text(
        json.dumps([{"page": p.number, "words": [w.to_dict() for w in p.words]}
                    for p in pages], ensure_ascii=False),
        encoding="utf-8",
    )
    files = {
        "searchable.pdf": (pdf, "application/pdf"),
        "text.txt": (text, "text/plain; charset=utf-8"),
        "words.json": (words, "application/json"),
    }
    for outcome in good:
        files[f"thumbs/{outcome['number']}.webp"] = (Path(outcome["thumb"]),
                                                     "image/webp")
    return files


def _keys(
    document_id: str, files: dict[str, tuple[Path, str]]
) -> dict[str, tuple[str, Path, str]]:
    out = {}
    for name, (path, media) in files.items():
        kind = "thumbnail" if name.startswith("thumbs/") else name.split(".")[0]
        out[f"derived/{document_id}/{name}"] = (kind, path, media)
    return out


def _commit(
    ctx: Context,
    document_id: str,
    pages: list[PageText],
    fields: list[FieldValue],
    stored: dict[str, tuple[str, ObjectInfo]],
) -> None:
    with unit_of_work(ctx.sessions) as session:
        doc = session.get(Document, document_id)
        session.execute(delete(Page).where(Page.document_id == document_id))
        session.execute(delete(FieldRow).where(FieldRow.document_id == document_id))
        # Pages read now leave the quarantine an earlier run put them in.
        session.execute(delete(Quarantine).where(
            Quarantine.sha256 == doc.original_sha256,
            Quarantine.page.in_([p.number for p in pages])))
        session.add_all(_page_rows(document_id, pages))
        session.add_all(
            FieldRow(document_id=document_id, name=f.name, value=f.value,
                     confidence=f.confidence, page=f.page, raw=f.raw)
            for f in fields
        )
        _upsert_objects(session, document_id, stored)
        _promote(doc, pages, fields)
        audit.append(session, actor="ingest", action="document.archived",
                     subject_type="document", subject_id=document_id,
                     detail={"dossier_id": doc.dossier_id, "batch_id": doc.batch_id,
                             "pages": len(pages), "fields": len(fields),
                             "objects": sorted(stored)})


def _page_rows(document_id: str, pages: list[PageText]) -> list[Page]:
    return [
        Page(document_id=document_id, number=p.number, text=p.text,
             text_folded=fold(p.text), mean_conf=p.mean_conf, source=str(p.source),
             rotation=p.rotation, skew=p.skew, width=p.width, height=p.height,
             dpi=p.dpi, needs_rescan=p.needs_rescan)
        for p in pages
    ]


def _upsert_objects(session, document_id: str, stored) -> None:
    for key, (kind, info) in stored.items():
        row = session.scalar(select(StoredObject).where(StoredObject.key == key))
        if row is None:
            row = StoredObject(key=key)
            session.add(row)
        row.kind, row.sha256, row.size = kind, info.sha256, info.size
        row.media_type, row.document_id = info.media_type or "", document_id
        row.version_id, row.deleted_at = info.version_id, None


def _promote(doc: Document, pages: list[PageText], fields: list[FieldValue]) -> None:
    best: dict[str, FieldValue] = {}
    for f in fields:
        if f.name not in best or f.confidence > best[f.name].confidence:
            best[f.name] = f
    for name in _PROMOTED:
        setattr(doc, name, best[name].value if name in best else None)
    date = best.get("issued_date")
    doc.issued_date = dt.date.fromisoformat(date.value) if date else None
    confs = [p.mean_conf for p in pages if p.source == "ocr" and p.words]
    doc.mean_conf = sum(confs) / len(confs) if confs else None
    doc.state = DocState.archived
    doc.archived_at = utcnow()
