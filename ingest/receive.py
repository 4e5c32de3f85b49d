"""First stage: checksum, dedupe, validate and keep the original."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.db import unit_of_work
from archive.models import Document, Dossier, Quarantine, StoredObject
from core.errors import InputError
from core.logging import log_context
from core.types import DocState
from ingest.checksum import sha256_file
from ingest.context import Context
from ingest.quarantine import quarantine_file, record
from ingest.sniff import sniff
from ingest.validate import PageProblem, inspect

log = logging.getLogger(__name__)

# The state of a document reduced to a tombstone by a disposition.
DESTROYED = "destroyed"


@dataclass
class Received:
    """The outcome of receiving one file.

    ``status`` is ``new`` (a document to process), ``resume`` (a document a
    crashed run left unfinished), ``duplicate`` (already archived),
    ``quarantined`` (kept in quarantine with its reason) or ``unreadable``
    (the file could not be read at all, so nothing could be kept).
    ``note`` says, for a duplicate, where the archived document is.
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
    note: str = ""


def document_id_for(sha256: str) -> str:
    """Documents are named by their original's checksum."""
    return sha256[:32]


def receive(ctx: Context, path: Path, *, batch_id: str, dossier_id: str) -> Received:
    """Receive one file into ``dossier_id``; never raises for bad input."""
    try:
        sha = sha256_file(path)
        with log_context(document=sha[:12]):
            known = _known(ctx, path, sha, batch_id=batch_id)
            if known is not None:
                return known
            try:
                return _accept(ctx, path, sha, batch_id=batch_id,
                               dossier_id=dossier_id)
            except InputError as exc:
                quarantine_file(ctx, path, exc, sha256=sha, batch_id=batch_id)
                return Received(path, sha, "quarantined", error=exc)
    except (PermissionError, FileNotFoundError, IsADirectoryError) as exc:
        if exc.filename is not None and Path(exc.filename) != path:
            raise  # not the input: the store or the disk failed
        # Unreadable (permissions) or gone (removed during the run).
        error = InputError(
            f"{path.name}: the file cannot be read ({exc.strerror or exc}); "
            "check that it exists and is readable, then ingest it again",
            file=path.name,
        )
        error.code = "input.unreadable"
        log.warning("%s", error.message)
        return Received(path, "", "unreadable", error=error)


def _known(ctx: Context, path: Path, sha: str, *, batch_id: str) -> Received | None:
    with ctx.sessions() as session:
        doc = session.scalar(select(Document).where(Document.original_sha256 == sha))
        if doc is not None and doc.state == DocState.archived:
            code = session.get(Dossier, doc.dossier_id).code
            log.info("duplicate of archived document %s: %s", doc.id[:12], path.name)
            return Received(path, sha, "duplicate", document_id=doc.id,
                            dossier_id=doc.dossier_id,
                            note=f"already archived as document {doc.id[:12]} "
                                 f"in dossier {code}")
        held = session.scalar(
            select(Quarantine).where(Quarantine.sha256 == sha, Quarantine.page == 0)
        )
        if held is not None:
            return Received(path, sha, "quarantined", error=_held(path, held))
    if doc is not None and doc.state == DESTROYED:
        return _refuse_destroyed(ctx, path, sha, doc, batch_id=batch_id)
    if doc is not None:
        return _resume(ctx, path, sha, doc)
    return None


def _held(path: Path, held: Quarantine) -> InputError:
    same = "" if held.filename == path.name else f" (same bytes as {held.filename})"
    reason = held.reason
    if reason.startswith(held.filename + ": "):
        reason = reason[len(held.filename) + 2:]
    log.info("already in quarantine: %s (%s)", path.name, held.code)
    error = InputError(f"{path.name}: already in quarantine{same}: {reason}",
                       file=path.name)
    error.code = held.code
    return error


def _refuse_destroyed(
    ctx: Context, path: Path, sha: str, doc: Document, *, batch_id: str
) -> Received:
    error = InputError(
        f"{path.name}: a document with these exact bytes was destroyed under an "
        f"approved disposition (tombstone {doc.id[:12]}); it is not archived "
        "again. Ask an archivist if it must be kept.",
        file=path.name,
    )
    error.code = "input.destroyed"
    # The bytes are not kept: their disposal was decided and recorded.
    record(ctx, filename=path.name, sha256=sha, page=0, error=error,
           object_key="", batch_id=batch_id)
    return Received(path, sha, "quarantined", error=error)


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
        # Another run received the same file at the same moment: read it
        # too; archiving is idempotent, the last transaction wins whole.
        with ctx.sessions() as session:
            doc = session.get(Document, doc_id)
        return _resume(ctx, path, sha, doc)
    log.info("received %s: %s, %d page(s)", path.name, kind.name,
             inspection.page_count)
    return Received(path, sha, "new", document_id=doc_id, dossier_id=dossier_id,
                    kind=kind.name,
                    pages=inspection.good_pages, problems=inspection.problems)
