"""Handing uploaded batches to Celery workers (``SOHOA_TASKS=celery``).

The spooled files are put into the object store under
``uploads/<batch-id>/``, where any worker can read them, and one
``receive_batch`` task is queued. The upload to the store runs on a thread
of this process, so the HTTP answer never waits for it.
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from core.errors import SohoaError
from core.logging import log_context
from ingest.batch import close_batch
from ingest.context import Context
from ingest.dist_queue import CelerySender, Sender, client_app
from ingest.dist_report import submit_batch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    batch_id: str
    folder: Path
    dossier_code: str | None


class CeleryDispatcher:
    """A :class:`~api.dispatch.BatchDispatcher` that queues Celery tasks."""

    def __init__(self, ctx: Context, *, sender: Sender | None = None,
                 join_timeout: float = 60.0) -> None:
        self._ctx = ctx
        self._app = None if sender is not None else client_app(ctx.settings)
        self._send = sender or CelerySender(self._app)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._join_timeout = join_timeout
        self._thread = threading.Thread(target=self._work, name="sohoa-uploads",
                                        daemon=True)
        self._thread.start()

    def submit(
        self, batch_id: str, folder: Path, dossier_code: str | None, station: str
    ) -> None:
        """Queue the batch's files for upload to the store, then to workers."""
        self._queue.put(_Job(batch_id, folder, dossier_code))

    def close(self) -> None:
        """Hand over the batches already submitted, then stop."""
        self._queue.put(None)
        self._thread.join(self._join_timeout)
        if self._thread.is_alive():
            log.warning("uploads to the store still running after %.0f s",
                        self._join_timeout)
        if self._app is not None:
            self._app.close()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            with log_context(batch=job.batch_id[:12]):
                self._hand_over(job)

    def _hand_over(self, job: _Job) -> None:
        # A task boundary: a failure marks the batch failed, keeps its files.
        try:
            submit_batch(self._ctx, job.batch_id, [job.folder], send=self._send,
                         dossier_code=job.dossier_code)
        except SohoaError as exc:
            log.error("batch not handed to the workers: %s [%s]; its files stay "
                      "in %s", exc.message, exc.code, job.folder)
            close_batch(self._ctx, job.batch_id, status="failed",
                        error=f"not handed to the workers [{exc.code}]")
            return
        except Exception as exc:
            log.exception("batch not handed to the workers; its files stay in %s",
                          job.folder)
            close_batch(self._ctx, job.batch_id, status="failed",
                        error=f"not handed to the workers ({type(exc).__name__}); "
                              "see the server log")
            return
        shutil.rmtree(job.folder, ignore_errors=True)
        log.info("batch handed to the workers")
