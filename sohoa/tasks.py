"""Celery tasks: ids and small JSON in, the ingest steps do the work.

The base class is the boundary where errors become task states: storage
and database hiccups are retried with backoff and jitter, up to
``SOHOA_TASK_MAX_RETRIES``; anything else, or a hiccup that outlived its
retries, is handed to the task's ``give_up`` (a page or a document goes to
quarantine, a batch is marked failed) so that no task loops.
"""

from __future__ import annotations

import logging
import os
import random
from typing import Any

from celery import Celery, Task
from celery.exceptions import Retry
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import InterfaceError, OperationalError

from core.errors import SohoaError, StorageError
from core.logging import log_context
from ingest import dist_queue as q
from ingest.batch import close_batch
from ingest.context import Context, open_context
from ingest.dist_finish import finish, quarantine_document, settle, still_open
from ingest.dist_queue import CelerySender
from ingest.distributed import give_up_page, receive_uploads, run_page

log = logging.getLogger(__name__)

RETRYABLE = (StorageError, OperationalError, InterfaceError, BrokerError)
_CONTEXTS: dict[tuple[int, int], Context] = {}


class TaskFailed(Exception):
    """A task's final failure, with the stable code of the error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message


class SohoaTask(Task):
    """Retries transient errors, gives up on the rest (see the module)."""

    abstract = True

    @property
    def ctx(self) -> Context:
        """The store and catalogue of this worker process (opened once)."""
        key = (os.getpid(), id(self.app))
        if key not in _CONTEXTS:
            _CONTEXTS[key] = open_context(self.app.sohoa_settings)
        return _CONTEXTS[key]

    @property
    def send(self) -> CelerySender:
        """Queues the next steps on this task's app."""
        return CelerySender(self.app)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with log_context(task=(self.request.id or "")[:8]):
            try:
                return self.run(*args, **kwargs)
            except Retry:
                raise
            except RETRYABLE as exc:
                if self.request.retries < self.max_retries:
                    raise self.retry(exc=exc, countdown=self._backoff()) from exc
                return self._give_up(_as_error(exc), kwargs)
            except SohoaError as exc:
                return self._give_up(exc, kwargs)
            except Exception as exc:
                log.exception("task %s failed unexpectedly", self.name)
                return self._give_up(_as_error(exc), kwargs)

    def _backoff(self) -> float:
        """Seconds before the next try: doubling, capped, with jitter."""
        cfg = self.app.sohoa_settings.task_cfg
        delay = min(cfg.task_retry_backoff_max,
                    cfg.task_retry_backoff * 2**self.request.retries)
        return random.uniform(delay / 2, delay)

    def _give_up(self, error: SohoaError, kwargs: dict[str, Any]) -> Any:
        log.warning("task %s gives up after %d retr(ies): %s [%s]", self.name,
                    self.request.retries, error.message, error.code)
        return self.give_up(error, **kwargs)

    def give_up(self, error: SohoaError, **kwargs: Any) -> Any:
        """What is left to do when the task cannot succeed (fail, by default)."""
        raise TaskFailed(error.code, error.message)


def _as_error(exc: BaseException) -> SohoaError:
    if isinstance(exc, SohoaError):
        return exc
    error = SohoaError(f"{type(exc).__name__}: {exc}")
    error.code = "task.failed"
    return error


# The tasks. Keyword arguments only, so a give-up sees the same ones.


def receive_batch(task: SohoaTask, batch_id: str, dossier_code: str | None = None,
                  per_folder: bool = False) -> dict[str, Any]:
    """Receive the uploaded files of a batch and queue their pages."""
    status = receive_uploads(task.ctx, batch_id, send=task.send,
                             dossier_code=dossier_code, per_folder=per_folder)
    return {"batch_id": batch_id, "status": status}


def _fail_batch(task: SohoaTask, error: SohoaError, *, batch_id: str,
                **_: Any) -> dict[str, Any]:
    if still_open(task.ctx, batch_id) is None:
        close_batch(task.ctx, batch_id, status="failed")
    return {"batch_id": batch_id, "status": "failed", "code": error.code}


def ocr_page(task: SohoaTask, document_id: str, number: int,
             batch_id: str | None = None) -> dict[str, Any]:
    """Read one page and store its outputs; queue the document's last step
    when it was the last page."""
    status = run_page(task.ctx, batch_id=batch_id, document_id=document_id,
                      number=number, send=task.send,
                      max_attempts=task.max_retries + 2)
    return {"document_id": document_id, "number": number, "status": status}


def _quarantine_page(task: SohoaTask, error: SohoaError, *, document_id: str,
                     number: int, batch_id: str | None = None) -> dict[str, Any]:
    give_up_page(task.ctx, batch_id=batch_id, document_id=document_id,
                 number=number, error=error, send=task.send)
    return {"document_id": document_id, "number": number, "status": "failed",
            "code": error.code}


def finish_document(task: SohoaTask, document_id: str) -> dict[str, Any]:
    """Archive a document whose pages are all read; close its batches."""
    return {"document_id": document_id, "state": finish(task.ctx, document_id)}


def _quarantine_document(task: SohoaTask, error: SohoaError, *,
                         document_id: str) -> dict[str, Any]:
    quarantine_document(task.ctx, document_id, error)
    return {"document_id": document_id, "state": settle(task.ctx, document_id),
            "code": error.code}


def register(app: Celery, *, max_retries: int) -> None:
    """Register the tasks on ``app``."""
    for name, fn, give_up in (
        (q.RECEIVE_BATCH, receive_batch, _fail_batch),
        (q.OCR_PAGE, ocr_page, _quarantine_page),
        (q.FINISH_DOCUMENT, finish_document, _quarantine_document),
    ):
        app.task(fn, name=name, bind=True, base=SohoaTask,
                 max_retries=max_retries, give_up=give_up)
