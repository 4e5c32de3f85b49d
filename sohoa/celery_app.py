"""The Celery app of the workers, built from settings by a factory.

``sohoa worker`` calls :func:`create_celery` with the settings of the
process. For Celery's own command line (``celery -A sohoa.celery_app``) the
module attribute ``app`` is built on first access from the environment;
nothing happens at import time.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from core.settings import Settings
from ingest.dist_queue import celery_config


def create_celery(settings: Settings) -> Celery:
    """A Celery app with sohoa's tasks, broker and result backend."""
    from sohoa import tasks

    app = Celery("sohoa", set_as_current=False)
    app.conf.update(celery_config(settings))
    app.sohoa_settings = settings
    tasks.register(app, max_retries=settings.task_cfg.task_max_retries)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        from sohoa import wiring

        return _default(wiring.settings())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_DEFAULT: list[Celery] = []


def _default(settings: Settings) -> Celery:
    if not _DEFAULT:
        _DEFAULT.append(create_celery(settings))
    return _DEFAULT[0]
