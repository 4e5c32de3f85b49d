"""Task names, the Celery configuration and a sender of tasks.

Both the workers (``sohoa.celery_app``) and the processes that only send
work (the API, ``sohoa ingest``) configure Celery from here, so they agree
on the wire: JSON only, late acknowledgement, one task prefetched.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from celery import Celery

    from core.settings import Settings

log = logging.getLogger(__name__)

RECEIVE_BATCH = "sohoa.receive_batch"
OCR_PAGE = "sohoa.ocr_page"
FINISH_DOCUMENT = "sohoa.finish_document"
DEFAULT_QUEUE = "sohoa"


class Sender(Protocol):
    """Queues a task by name with JSON keyword arguments."""

    def __call__(self, name: str, **kwargs: Any) -> None: ...


def celery_config(settings: Settings) -> dict[str, Any]:
    """The Celery settings of every sohoa process, from ``settings``."""
    cfg = settings.task_cfg
    visibility = cfg.task_visibility_timeout
    transport = {
        "visibility_timeout": visibility,
        # Look for the tasks of a lost worker a few times per timeout.
        "unacked_restore_interval": max(1, min(10, visibility // 4)),
        "unacked_restore_throttle": 1,
    }
    return {
        "broker_url": cfg.broker_url,
        "result_backend": cfg.result_backend or cfg.broker_url,
        "broker_transport_options": transport,
        "result_backend_transport_options": {"visibility_timeout": visibility},
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": DEFAULT_QUEUE,
        "task_track_started": True,
        "result_expires": 24 * 3600,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "enable_utc": True,
    }


class CelerySender:
    """A :class:`Sender` on a Celery app (a worker's, or a bare client)."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def __call__(self, name: str, **kwargs: Any) -> None:
        self.app.send_task(name, kwargs=kwargs)
        log.debug("queued %s", name)


def client_app(settings: Settings) -> Celery:
    """A Celery app that only sends tasks (no task is registered)."""
    from celery import Celery

    app = Celery("sohoa-client", set_as_current=False)
    app.conf.update(celery_config(settings))
    return app
