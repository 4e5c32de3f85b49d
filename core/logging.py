"""Logging with batch, document and page context.

Library code only calls ``logging.getLogger(__name__)`` with lazy ``%`` args.
The shell calls :func:`configure_logging` once. Context ids are bound with
:func:`log_context` and appear in every line; identifiers that look like
citizen ID numbers are masked before any handler sees them.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator

from core.masking import mask_ids_in

_CONTEXT: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "sohoa_log_context", default=None
)
_KEYS = ("batch", "dossier", "document", "page", "task")


@contextlib.contextmanager
def log_context(**ids: object) -> Iterator[None]:
    """Bind ``batch``, ``document``, ``page`` … ids for the enclosed block."""
    merged = dict(_CONTEXT.get() or {})
    merged.update({k: str(v) for k, v in ids.items() if v is not None})
    token = _CONTEXT.set(merged)
    try:
        yield
    finally:
        _CONTEXT.reset(token)


class ContextFilter(logging.Filter):
    """Adds the bound ids to each record and masks personal identifiers."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _CONTEXT.get() or {}
        record.ctx = " ".join(f"{k}={ctx[k]}" for k in _KEYS if k in ctx)
        record.ctx_ids = {k: ctx[k] for k in _KEYS if k in ctx}
        record.msg = mask_ids_in(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers in production."""

    def format(self, record: logging.LogRecord) -> str:
        body = {
            "ts": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **getattr(record, "ctx_ids", {}),
        }
        if record.exc_info:
            body["exc"] = mask_ids_in(self.formatException(record.exc_info))
        return json.dumps(body, ensure_ascii=False)


def log_format() -> str:
    """``json`` or ``text``: the format :func:`configure_logging` set last."""
    return _FORMAT[0]


_FORMAT = ["text"]


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Install one stderr handler on the root logger (idempotent)."""
    _FORMAT[0] = fmt
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_sohoa", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._sohoa = True  # type: ignore[attr-defined]
    handler.addFilter(ContextFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        fmt_text = "%(asctime)s %(levelname)s %(name)s [%(ctx)s] %(message)s"
        handler.setFormatter(logging.Formatter(fmt_text))
    root.addHandler(handler)
    root.setLevel(level.upper())
    quiet = logging.WARNING if root.level > logging.DEBUG else logging.INFO
    for noisy in ("urllib3", "pdfminer", "PIL", "multipart", "httpx",
                  "alembic", "pikepdf"):
        logging.getLogger(noisy).setLevel(quiet)
