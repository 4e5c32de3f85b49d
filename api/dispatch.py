"""Handing uploaded batches to whatever processes them.

The API answers an upload at once and hands the batch to a
:class:`BatchDispatcher`. :class:`ThreadDispatcher` runs batches one at a
time on a thread of this process (the embedded default); a Celery
dispatcher implements the same two methods.
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.errors import SohoaError
from core.logging import log_context
from ingest.batch import close_batch
from ingest.context import Context
from ingest.pipeline import run_batch

log = logging.getLogger(__name__)


class BatchDispatcher(Protocol):
    """Runs queued batches somewhere; ``submit`` never blocks on the work."""

    def submit(
        self, batch_id: str, folder: Path, dossier_code: str | None, station: str
    ) -> None:
        """Queue the files under ``folder`` as the pre-opened ``batch_id``."""
        ...

    def close(self) -> None:
        """Stop taking work; let running work finish or hand it back."""
        ...


@dataclass(frozen=True)
class _Job:
    batch_id: str
    folder: Path
    dossier_code: str | None
    station: str


class ThreadDispatcher:
    """One worker thread with a queue: batches run one after the other.

    The pipeline itself spreads the pages of a batch over a process pool, so
    one batch at a time keeps every core busy without oversubscribing.
    """

    def __init__(self, ctx: Context, *, join_timeout: float = 30.0) -> None:
        self._ctx = ctx
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._join_timeout = join_timeout
        self._thread = threading.Thread(target=self._work, name="sohoa-batches",
                                        daemon=True)
        self._thread.start()

    def submit(
        self, batch_id: str, folder: Path, dossier_code: str | None, station: str
    ) -> None:
        """Queue the batch; it runs after those queued before it."""
        self._queue.put(_Job(batch_id, folder, dossier_code, station))
        log.info("batch %s queued (%d waiting)", batch_id[:12], self._queue.qsize())

    def close(self) -> None:
        """Finish the running batch, then stop; queued batches stay queued."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        self._thread.join(self._join_timeout)
        if self._thread.is_alive():
            log.warning("batch worker still busy after %.0f s; leaving it to "
                        "end with the process", self._join_timeout)

    @property
    def alive(self) -> bool:
        """True while the worker thread runs."""
        return self._thread.is_alive()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            with log_context(batch=job.batch_id[:12]):
                run_job(self._ctx, job.batch_id, job.folder,
                        dossier_code=job.dossier_code, station=job.station)


def run_job(
    ctx: Context,
    batch_id: str,
    folder: Path,
    *,
    dossier_code: str | None,
    station: str,
) -> bool:
    """Run one uploaded batch and remove its spool folder when it is done.

    This is a task boundary: any failure marks the batch ``failed``, is
    logged once and does not stop the worker. Returns True on success.
    """
    try:
        run_batch(ctx, [folder], dossier_code=dossier_code, station=station,
                  batch_id=batch_id)
    except SohoaError as exc:
        log.error("batch failed: %s [%s]", exc.message, exc.code)
        close_batch(ctx, batch_id, status="failed",
                    error=f"{exc.message} [{exc.code}]")
        return False
    except Exception as exc:
        log.exception("batch failed unexpectedly; its files stay in %s", folder)
        close_batch(ctx, batch_id, status="failed",
                    error=f"unexpected {type(exc).__name__}; see the server log")
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
