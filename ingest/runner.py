"""Where page work runs: a local process pool in the embedded default.

A page that kills its worker process (out of memory, a crash in a native
library) breaks the whole pool, and every page in flight fails with it.
:class:`PoolRunner` then starts a new pool for new pages and reads the
failed ones again one at a time in a single-worker pool, where a death can
only be the page's own. A page that dies ``attempts`` times in all ends
with the outcome ``on_crash`` gives it, and the batch goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from PIL import Image

from core.logging import configure_logging, log_format

log = logging.getLogger(__name__)

Task = dict[str, Any]


class PageRunner(Protocol):
    """Runs :func:`ingest.pagework.process_page` somewhere and returns a future."""

    def submit(self, task: Task) -> Future: ...

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
    # Pages reach a worker only after their size was checked against
    # SOHOA_MAX_IMAGE_PIXELS; Pillow's own guess would only warn or refuse.
    Image.MAX_IMAGE_PIXELS = None


class PoolRunner:
    """A process pool on this machine that survives a worker's death."""

    def __init__(
        self,
        workers: int,
        fn: Callable[[Task], dict],
        *,
        on_crash: Callable[[Task], dict],
        attempts: int = 3,
    ) -> None:
        self._workers, self._fn, self._on_crash = workers, fn, on_crash
        self._attempts = attempts
        self._lock = threading.Lock()
        self._pool = self._new_pool(workers)
        self._retries: queue.Queue[tuple[Task, Future, int] | None] = queue.Queue()
        self._retry_thread = threading.Thread(
            target=self._retry_loop, name="page-retries", daemon=True)
        self._retry_thread.start()

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        level = logging.getLogger().getEffectiveLevel()
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(level, log_format()),
        )

    def submit(self, task: Task) -> Future:
        outer: Future = Future()
        with self._lock:
            try:
                inner = self._pool.submit(self._fn, task)
            except BrokenProcessPool:
                log.warning("a page worker died; starting a new pool")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool(self._workers)
                inner = self._pool.submit(self._fn, task)
        inner.add_done_callback(lambda done: self._settle(task, outer, done))
        return outer

    def _settle(self, task: Task, outer: Future, inner: Future) -> None:
        if inner.cancelled():
            outer.cancel()
            return
        error = inner.exception()
        if error is None:
            outer.set_result(inner.result())
        elif isinstance(error, BrokenProcessPool):
            self._retries.put((task, outer, 1))
        else:
            outer.set_exception(error)

    def _retry_loop(self) -> None:
        solo = None
        while (item := self._retries.get()) is not None:
            task, outer, tries = item
            solo = solo or self._new_pool(1)
            try:
                outer.set_result(solo.submit(self._fn, task).result())
                continue
            except BrokenProcessPool:
                solo.shutdown(wait=False)
                solo = None
            except Exception as error:  # handed to the caller, not swallowed
                outer.set_exception(error)
                continue
            if tries + 1 < self._attempts:
                self._retries.put((task, outer, tries + 1))
            else:
                log.warning("a page killed its worker %d times; giving up on it",
                            self._attempts)
                outer.set_result(self._on_crash(task))
        if solo is not None:
            solo.shutdown(wait=True)

    def close(self, *, cancel: bool = False) -> None:
        with self._lock:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
        self._retries.put(None)
        if not cancel:
            self._retry_thread.join()
