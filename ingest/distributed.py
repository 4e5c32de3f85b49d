"""The pipeline as steps of work on several machines.

receive_uploads (per batch) → run_page (per page, any worker) →
finish (per document, :mod:`ingest.dist_finish`) → close the batch.

Each step takes ids, does its work with the embedded pipeline's stage
functions, records what it did in the catalogue (guarded, so a redelivered
task changes nothing twice) and queues the next step through ``send``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from archive.models import Document
from core.errors import OcrError, SohoaError
from core.logging import log_context
from ingest import dist_queue as q
from ingest.batch import dossier_for, set_files_total
from ingest.context import Context
from ingest.dist_finish import close_if_done, record_page_problem, still_open
from ingest.dist_objects import cached_original, fetch, put_page, upload_prefix
from ingest.dist_queue import Sender
from ingest.dist_state import (
    ENDED,
    FileRow,
    all_pages_ended,
    document_state,
    end_page,
    ended_numbers,
    record_file,
    recorded_files,
    start_page,
)
from ingest.pagework import PageTask, process_page
from ingest.receive import Received, receive
from ingest.sniff import sniff

log = logging.getLogger(__name__)


def receive_uploads(
    ctx: Context, batch_id: str, *, send: Sender, dossier_code: str | None = None,
    per_folder: bool = False,
) -> str:
    """Receive every uploaded file of the batch and queue its pages.

    Files recorded by an earlier delivery are not received again; their
    unfinished pages are queued again. Returns the batch status.
    """
    status = still_open(ctx, batch_id)
    if status is not None:
        return status
    prefix = upload_prefix(batch_id)
    keys = sorted(info.key for info in ctx.store.list(prefix))
    set_files_total(ctx, batch_id, len(keys))
    known = recorded_files(ctx, batch_id)
    work = ctx.settings.work_dir / "uploads"
    work.mkdir(parents=True, exist_ok=True)
    with log_context(batch=batch_id[:12]), tempfile.TemporaryDirectory(
            dir=work) as tmp:
        for key in keys:
            name = key[len(prefix):]
            row = known.get(name) or _receive_one(
                ctx, batch_id, key, Path(tmp) / name,
                code=name.split("/")[0] if per_folder and "/" in name
                else dossier_code)
            if row.status in ("new", "resume") and not row.finished:
                queue_pages(ctx, batch_id, row.document_id, send=send)
    close_if_done(ctx, batch_id)
    return still_open(ctx, batch_id) or "running"


def _receive_one(
    ctx: Context, batch_id: str, key: str, path: Path, *, code: str | None
) -> FileRow:
    fetch(ctx, key, path)
    dossier_id = dossier_for(ctx, code, batch_id=batch_id)
    rec = receive(ctx, path, batch_id=batch_id, dossier_id=dossier_id)
    if rec.status == "unreadable":
        rec.status = "quarantined"  # counted as a file that went nowhere
    name = key[len(upload_prefix(batch_id)):]
    if rec.document_id and rec.status in ("new", "resume"):
        _record_problems(ctx, rec)
        pages = len(set(rec.pages) - {n - 1 for n in
                                      ended_numbers(ctx, rec.document_id)})
    else:
        pages = 0
    record_file(ctx, batch_id, name=name, sha256=rec.sha256, status=rec.status,
                document_id=rec.document_id, pages=pages)
    path.unlink(missing_ok=True)
    log.info("received %s: %s", path.name, rec.status)
    return FileRow(name, rec.status, rec.document_id,
                   rec.status in ("duplicate", "quarantined"))


def _record_problems(ctx: Context, rec: Received) -> None:
    """Pages found bad on receipt end at once, as failed pages."""
    for problem in rec.problems:
        number = problem.index + 1
        error = problem.error.to_dict()
        record_page_problem(ctx, rec.document_id, number, error, batch_id=None)
        end_page(ctx, document_id=rec.document_id, number=number, batch_id=None,
                 status="failed", detail=error)


def queue_pages(
    ctx: Context, batch_id: str, document_id: str, *, send: Sender
) -> int:
    """Queue one task per page without an outcome; the document's last
    step when none is left. Returns the number of pages queued."""
    state = document_state(ctx, document_id)
    if state is None:
        return 0
    missing = sorted(set(range(1, state[1] + 1)) - ended_numbers(ctx, document_id))
    for number in missing:
        send(q.OCR_PAGE, batch_id=batch_id, document_id=document_id, number=number)
    if not missing:
        send(q.FINISH_DOCUMENT, document_id=document_id)
    return len(missing)


def run_page(
    ctx: Context, *, batch_id: str | None, document_id: str, number: int,
    send: Sender, max_attempts: int,
) -> str:
    """Read one page on this worker, store its outputs, record its outcome.

    A page already ended is not read again. A page delivered more than
    ``max_attempts`` times (its worker keeps dying) is given up.
    Returns the page's status (``ok`` or ``failed``).
    """
    with log_context(document=document_id[:12], page=number):
        status, attempts = start_page(ctx, document_id=document_id,
                                      number=number, batch_id=batch_id)
        if status in ENDED:
            maybe_finish(ctx, document_id, send=send)
            return status
        if attempts > max_attempts:
            error = OcrError(f"page {number} was tried {attempts - 1} times and "
                             "its worker stopped each time; rescan the page")
            return give_up_page(ctx, batch_id=batch_id, document_id=document_id,
                                number=number, error=error, send=send)
        status, detail = _read_page(ctx, document_id, number)
        if status == "failed":
            record_page_problem(ctx, document_id, number, detail, batch_id=batch_id)
        end_page(ctx, document_id=document_id, number=number, batch_id=batch_id,
                 status=status, detail=detail)
        maybe_finish(ctx, document_id, send=send)
        return status


def _read_page(ctx: Context, document_id: str, number: int) -> tuple[str, dict]:
    original = cached_original(ctx, _sha_of(ctx, document_id))
    work = ctx.settings.work_dir / "pages" / f"{document_id}-{number}"
    ocr = ctx.settings.ocr
    task = PageTask(
        document_id=document_id, source=str(original), kind=sniff(original).name,
        index=number - 1, work_dir=str(work), dpi=ocr.ocr_dpi,
        languages=ocr.ocr_languages, timeout=ocr.ocr_timeout,
        rescan_threshold=ocr.rescan_threshold,
    )
    try:
        outcome = process_page(task.to_dict())
        if "error" in outcome:
            return "failed", outcome["error"]
        return "ok", put_page(ctx, document_id, outcome)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sha_of(ctx: Context, document_id: str) -> str:
    with ctx.sessions() as session:
        return session.get(Document, document_id).original_sha256


def give_up_page(
    ctx: Context, *, batch_id: str | None, document_id: str, number: int,
    error: SohoaError, send: Sender,
) -> str:
    """Quarantine a page that could not be read after its retries."""
    log.warning("page %d given up: %s [%s]", number, error.message, error.code)
    detail = error.to_dict()
    record_page_problem(ctx, document_id, number, detail, batch_id=batch_id)
    end_page(ctx, document_id=document_id, number=number, batch_id=batch_id,
             status="failed", detail=detail)
    maybe_finish(ctx, document_id, send=send)
    return "failed"


def maybe_finish(ctx: Context, document_id: str, *, send: Sender) -> bool:
    """Queue the document's last step once every page has an outcome."""
    if not all_pages_ended(ctx, document_id):
        return False
    send(q.FINISH_DOCUMENT, document_id=document_id)
    return True
