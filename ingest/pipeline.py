"""The ingest pipeline for one batch, in order.

receive (checksum, dedupe, validate, keep the original) → read pages in
parallel (render, orient, deskew, OCR or text layer) → fields → searchable
PDF and derivatives → objects, then catalogue → dossier manifest.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from typing import Any

from core import codes
from core.errors import SohoaError
from core.logging import log_context
from ingest.batch import (
    close_batch,
    count,
    dossier_for,
    open_batch,
    set_files_total,
)
from ingest.collect import Upload, collect
from ingest.context import Context
from ingest.finish import finish_document, mark_quarantined
from ingest.manifest import write_manifest
from ingest.pagework import PageTask, crashed_outcome, process_page
from ingest.quarantine import record
from ingest.receive import Received, receive
from ingest.report import BatchReport, Problem
from ingest.runner import PageRunner, PoolRunner, default_workers
from ocr.tesseract import check_languages

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]


def run_batch(
    ctx: Context,
    paths: Iterable[Path],
    *,
    dossier_code: str | None = None,
    station: str = "",
    per_folder: bool = False,
    runner: PageRunner | None = None,
    listener: Listener | None = None,
    batch_id: str | None = None,
) -> BatchReport:
    """Ingest every file under ``paths`` as one batch and report on it.

    ``batch_id`` names a batch opened beforehand with
    :func:`ingest.batch.open_batch` (the API does so to answer at once).
    """
    started = time.monotonic()
    uploads, skipped = collect(paths)
    notify = listener or (lambda event, info: None)
    if batch_id is None:
        batch_id = open_batch(ctx, station=station, files_total=len(uploads))
    else:
        set_files_total(ctx, batch_id, len(uploads))
    report = BatchReport(batch_id)
    own_runner = runner is None
    runner = runner or PoolRunner(default_workers(ctx.settings.ocr.ocr_workers),
                                  process_page, on_crash=crashed_outcome)
    with log_context(batch=batch_id[:12]):
        log.info("batch started: %d file(s) from station %r", len(uploads), station)
        notify("start", {"files": len(uploads), "batch_id": batch_id})
        tracker = _Tracker(ctx, report, batch_id, notify)
        try:
            check_languages(ctx.settings.ocr.ocr_languages)
            for path, reason in skipped:
                tracker.skipped(path, reason)
            for upload in uploads:
                code = codes.from_name(upload.group) if per_folder else dossier_code
                dossier_id = dossier_for(ctx, code, batch_id=batch_id)
                _add_dossier(report, dossier_id)
                received = receive(ctx, upload.path, batch_id=batch_id,
                                   dossier_id=dossier_id)
                tracker.received(upload, received, runner)
                tracker.drain(block=False)
            tracker.drain(block=True)
        except BaseException as exc:
            runner.close(cancel=True)
            close_batch(ctx, batch_id, status="failed", error=_reason(exc))
            raise
        if own_runner:
            runner.close()
        shutil.rmtree(ctx.settings.work_dir / batch_id, ignore_errors=True)

        # The manifests come last: they list what is archived.
        for dossier_id in tracker.changed_dossiers:
            write_manifest(ctx, dossier_id)

        report.seconds = time.monotonic() - started
        close_batch(ctx, batch_id, status=report.status)
        log.info("batch finished: %d document(s), %d page(s), %d quarantined, "
                 "%.1f s", report.documents, report.pages,
                 len(report.quarantined), report.seconds)
    return report


def _reason(exc: BaseException) -> str:
    """One line saying why a batch stopped, for its record."""
    if isinstance(exc, SohoaError):
        return f"{exc.message} [{exc.code}]"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"{type(exc).__name__}: {exc}"[:500]


def _add_dossier(report: BatchReport, dossier_id: str) -> None:
    if dossier_id not in report.dossiers:
        report.dossiers.append(dossier_id)


class _Tracker:
    """Follows the pages of every document until the document is archived."""

    def __init__(self, ctx: Context, report: BatchReport, batch_id: str,
                 notify: Listener) -> None:
        self.ctx, self.report, self.batch_id = ctx, report, batch_id
        self.notify = notify
        self.pending: dict[Future, str] = {}
        self.outcomes: dict[str, list[dict[str, Any]]] = {}
        self.left: dict[str, int] = {}
        self.files: dict[str, Received] = {}
        self.changed_dossiers: list[str] = []

    def received(self, upload: Upload, rec: Received, runner: PageRunner) -> None:
        """Account for one received file and queue its pages."""
        self.report.files += 1
        if rec.document_id in self.files and rec.status in ("resume", "new"):
            first = self.files[rec.document_id].path.name
            rec.status, rec.note = "duplicate", f"same file as {first} in this batch"
        self.notify("file", {"file": upload.path.name, "status": rec.status,
                             "pages": len(rec.pages)})
        if rec.status == "duplicate":
            self.report.duplicates += 1
            self.report.duplicate_notes.append(f"{rec.path.name}: {rec.note}")
            count(self.ctx, self.batch_id, files_done=1, duplicates=1)
            return
        if rec.status in ("quarantined", "unreadable"):
            self._problem(rec.path.name, 0, rec.error.code, rec.error.message)
            count(self.ctx, self.batch_id, files_done=1, quarantined=1)
            return
        self.report.resumed += rec.status == "resume"
        for problem in rec.problems:
            self._quarantine_page(rec, problem.index + 1, problem.error.to_dict())
        doc_id = rec.document_id
        self.files[doc_id] = rec
        self.outcomes[doc_id] = []
        self.left[doc_id] = len(rec.pages)
        count(self.ctx, self.batch_id, pages_total=len(rec.pages))
        for index in rec.pages:
            task = self._task(rec, index)
            self.pending[runner.submit(task.to_dict())] = doc_id

    def skipped(self, path: Path, reason: str) -> None:
        """A path under the batch that was not read (a link, a locked folder)."""
        self._problem(path.name, 0, "input.skipped", reason)

    def _task(self, rec: Received, index: int) -> PageTask:
        ocr = self.ctx.settings.ocr
        return PageTask(
            document_id=rec.document_id, source=str(rec.path.resolve()),
            kind=rec.kind, index=index,
            work_dir=str(self._work_dir(rec.document_id)), dpi=ocr.ocr_dpi,
            languages=ocr.ocr_languages, timeout=ocr.ocr_timeout,
            rescan_threshold=ocr.rescan_threshold,
        )

    def _work_dir(self, document_id: str) -> Path:
        # Per batch: two runs on one data folder never share scratch files.
        root = self.ctx.settings.work_dir / self.batch_id
        return (root / document_id).resolve()

    def drain(self, *, block: bool) -> None:
        """Collect finished pages; archive documents whose pages are all in."""
        while self.pending:
            done, _ = wait(list(self.pending), timeout=None if block else 0,
                           return_when=FIRST_COMPLETED)
            if not done:
                return
            for future in done:
                self._page_done(self.pending.pop(future), future.result())

    def _page_done(self, doc_id: str, outcome: dict[str, Any]) -> None:
        rec = self.files[doc_id]
        self.outcomes[doc_id].append(outcome)
        self.left[doc_id] -= 1
        self.notify("page", {"file": rec.path.name, "number": outcome["number"]})
        if "error" in outcome:
            self._quarantine_page(rec, outcome["number"], outcome["error"])
        else:
            self.report.pages += 1
            self.report.rescan_pages += bool(outcome["page"].get("needs_rescan"))
        count(self.ctx, self.batch_id, pages_done=1)
        if self.left[doc_id] == 0:
            self._finish(rec)

    def _finish(self, rec: Received) -> None:
        doc_id = rec.document_id
        with log_context(document=doc_id[:12]):
            try:
                finish_document(self.ctx, doc_id, self.outcomes.pop(doc_id),
                                self._work_dir(doc_id))
            except SohoaError as exc:
                # Its pages are in quarantine, each with its reason; the
                # document is not, so that ingesting the file again retries.
                if not any(p.file == rec.path.name for p in self.report.quarantined):
                    self._problem(rec.path.name, 0, exc.code, exc.message)
                mark_quarantined(self.ctx, doc_id)
                count(self.ctx, self.batch_id, files_done=1, quarantined=1)
                return
            finally:
                shutil.rmtree(self._work_dir(doc_id), ignore_errors=True)
        self.report.documents += 1
        self.report.documents_archived.append(doc_id)
        if rec.dossier_id not in self.changed_dossiers:
            self.changed_dossiers.append(rec.dossier_id)
        count(self.ctx, self.batch_id, files_done=1)
        self.notify("document", {"file": rec.path.name, "document_id": doc_id})

    def _quarantine_page(self, rec: Received, number: int, error: dict) -> None:
        exc = SohoaError(error.get("message", "page failed"))
        exc.code = error.get("code", "page.failed")
        self._problem(rec.path.name, number, exc.code, exc.message)
        record(self.ctx, filename=rec.path.name, sha256=rec.sha256, page=number,
               error=exc, object_key=f"originals/{rec.sha256}",
               batch_id=self.batch_id)

    def _problem(self, file: str, page: int, code: str, reason: str) -> None:
        self.report.quarantined.append(Problem(file, page, code, reason))
        self.notify("quarantine", {"file": file, "page": page, "code": code,
                                   "reason": reason})
