"""Fault injection for the page pool: a page function that kills its worker."""

from __future__ import annotations

import os
from typing import Any


def echo_or_die(task: dict[str, Any]) -> dict[str, Any]:
    """Return the task's number, or kill the worker process for ``die``."""
    if task.get("die"):
        os._exit(9)
    return {"number": task["number"]}


def died(task: dict[str, Any]) -> dict[str, Any]:
    """The outcome given to a task that killed its worker every time."""
    return {"number": task["number"], "error": {"code": "ocr.worker_died"}}
