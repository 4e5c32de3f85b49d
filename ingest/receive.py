"""First stage: checksum, dedupe, validate and keep the original."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.db import unit_of_work
from archive.models import Document, Quarantine, StoredObject
from core.errors import InputError
from core.logging import log_context
from core.types import DocState
from ingest.checksum import sha256_file
from ingest.context import Context
from ingest.quarantine import quarantine_file
from ingest.sniff import sniff
from ingest.validate import PageProblem, inspect

log = logging.getLogger(__name__)


@dataclass
class Received:
    """The outcome of receiving one file.

    ``status`` is ``new`` (a document to process), ``resume`` (a document a
    crashed run left unfinished), ``duplicate`` (already archived) or
    ``quarantined``.
    """

    path: Path
    sha256: str
    status: str
    document_id: str | None = None
    dossier_id: str | None = None
    kind: str = ""
    pages: list[int] = field(default_factory=list)
    problems: list[PageProblem] = field(default_factory=list)
    error: InputError | None = None


def document_id_for(sha256: str) -> str:
    """Documents are named by their original's checksum."""
    return sha256[:32]


def receive(ctx: Context, path: Path, *, batch_id: str, dossier_id: str) -> Received:
    """Receive one file into ``dossier_id``; never raises for bad input."""
    sha = sha256_file(path)
    with log_context(document=sha[:12]):
        known = _known(ctx, path, sha)
        if known is not None:
            return known
        try:
            return _accept(ctx, path, sha, batch_id=batch_id, dossier_id=dossier_id)
        except InputError as exc:
            quarantine_file(ctx, path, exc, sha256=sha, batch_id=batch_id)
            return Received(path, sha, "quarantined", error=exc)


def _known(ctx: Context, path: Path, sha: str) -> Received | None:
    with ctx.sessions() as session:
        doc = session.scalar(select(Document).where(Document.original_sha256 == sha))
        if doc is not None and doc.state == DocState.archived:
            log.info("duplicate of archived document %s: %s", doc.id[:12], path.name)
            return Received(path, sha, "duplicate", document_id=doc.id)
        held = session.scalar(
            select(Quarantine).where(Quarantine.sha256 == sha, Quarantine.page == 0)
        )
        if held is not None:
            log.info("already in quarantine: %s (%s)", path.name, held.code)
            error = InputError(held.reason)
            error.code = held.code
            return Received(path, sha, "quarantined", error=error)
        if doc is not None:
            return _resume(ctx, path, sha, doc)
    return None


def _resume(ctx: Context, path: Path, sha: str, doc: Document) -> Received:
    log.info("resuming unfinished document %s: %s", doc.id[:12], path.name)
    inspection = inspect(path, sniff(path), dpi=ctx.settings.ocr.ocr_dpi,
                         max_pixels=ctx.settings.ocr.max_image_pixels)
    return Received(path, sha, "resume", document_id=doc.id,
                    dossier_id=doc.dossier_id,
                    kind=inspection.kind.name, pages=inspection.good_pages,
                    problems=inspection.problems)


def _accept(
    ctx: Context, path: Path, sha: str, *, batch_id: str, dossier_id: str
) -> Received:
    size = path.stat().st_size
    limit = ctx.settings.ocr.max_file_bytes
    if size > limit:
        raise InputError(
            f"{path.name}: {size / 2**20:.0f} MiB is over the limit of "
            f"{limit / 2**20:.0f} MiB (SOHOA_MAX_FILE_BYTES)", file=path.name)
    kind = sniff(path)
    inspection = inspect(path, kind, dpi=ctx.settings.ocr.ocr_dpi,
                         max_pixels=ctx.settings.ocr.max_image_pixels)
    if not inspection.good_pages:
        raise inspection.problems[0].error

    # Keep the original first; the catalogue row comes after.
    key = f"originals/{sha}"
    info = ctx.store.put_file(key, path, sha256=sha, media_type=kind.media_type)
    doc_id = document_id_for(sha)
    try:
        with unit_of_work(ctx.sessions) as session:
            session.add(Document(
                id=doc_id, dossier_id=dossier_id, batch_id=batch_id,
                original_sha256=sha, filename=path.name,
                media_type=kind.media_type, size=size,
                page_count=inspection.page_count, state=DocState.received,
            ))
            session.flush()
            session.add(StoredObject(
                key=key, kind="original", sha256=sha, size=info.size,
                media_type=kind.media_type, document_id=doc_id,
                version_id=info.version_id,
            ))
    except IntegrityError:
        # Another worker received the same file at the same moment.
        return Received(path, sha, "duplicate", document_id=doc_id)
    log.info("received %s: %s, %d page(s)", path.name, kind.name,
             inspection.page_count)
    return Received(path, sha, "new", document_id=doc_id, dossier_id=dossier_id,
                    kind=kind.name,
                    pages=inspection.good_pages, problems=inspection.problems)
