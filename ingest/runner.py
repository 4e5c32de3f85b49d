"""Where page work runs: a local process pool in the embedded default."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from core.logging import configure_logging, log_format


class PageRunner(Protocol):
    """Runs :func:`ingest.pagework.process_page` somewhere and returns a future."""

    def submit(self, task: dict[str, Any]) -> Future: ...

    def close(self, *, cancel: bool = False) -> None: ...


def default_workers(configured: int) -> int:
    """``configured`` or one worker per core the process may use."""
    if configured > 0:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _init_worker(level: int, fmt: str) -> None:
    # One tesseract thread per worker: workers already use every core.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    configure_logging(logging.getLevelName(level), fmt)


class PoolRunner:
    """A process pool on this machine, one worker per core by default."""

    def __init__(self, workers: int, fn: Callable[[dict[str, Any]], dict]) -> None:
        context = multiprocessing.get_context("spawn")
        level = logging.getLogger().getEffectiveLevel()
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker,
            initargs=(level, log_format()),
        )
        self._fn = fn

    def submit(self, task: dict[str, Any]) -> Future:
        return self._pool.submit(self._fn, task)

    def close(self, *, cancel: bool = False) -> None:
        self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
