"""The unit of parallel work: one page, from the original file to OCR text.

:func:`process_page` runs in a worker process (a process pool in the embedded
default, a Celery worker in production). Its input and output are JSON-able
dicts so it crosses process and machine boundaries unchanged.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import MissingDependency, OcrError, SohoaError, WorkerDied
from core.logging import log_context
from core.types import PageSource
from ingest.render import load_image_frame, render_pdf_page
from ocr.page import PageJob, ocr_page
from ocr.textlayer import read_text_layer
from ocr.thumbs import thumbnail_of

log = logging.getLogger(__name__)


@dataclass
class PageTask:
    """Everything a worker needs to process one page."""

    document_id: str
    source: str
    kind: str
    index: int
    work_dir: str
    dpi: int
    languages: str
    timeout: float
    rescan_threshold: float

    @property
    def number(self) -> int:
        """1-based page number."""
        return self.index + 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def process_page(task_dict: dict[str, Any]) -> dict[str, Any]:
    """Read one page and return its outcome as a JSON-able dict.

    The outcome has ``number``, ``page`` (a PageText dict), ``part`` (how the
    page enters the searchable PDF), ``thumb`` (a WEBP path) or, when the
    page failed, ``error`` with a stable code and a message.
    """
    task = PageTask(**task_dict)
    with log_context(document=task.document_id[:12], page=task.number):
        try:
            return _process(task)
        except MissingDependency:
            # Not the page's fault: stop the batch rather than quarantine.
            raise
        except SohoaError as exc:
            log.warning("page failed: %s", exc.message)
            return {"number": task.number, "error": exc.to_dict()}
        except (OSError, ValueError, RuntimeError) as exc:
            log.warning("page failed: %s: %s", type(exc).__name__, exc)
            error = OcrError(f"page {task.number}: {type(exc).__name__}: {exc}")
            return {"number": task.number, "error": error.to_dict()}


def crashed_outcome(task_dict: dict[str, Any]) -> dict[str, Any]:
    """The outcome of a page whose worker process died each time it tried."""
    task = PageTask(**task_dict)
    error = WorkerDied(
        f"{Path(task.source).name} page {task.number}: the worker reading this "
        "page died (out of memory or a crash); scan the page again",
        page=task.number,
    )
    return {"number": task.number, "error": error.to_dict()}


def _process(task: PageTask) -> dict[str, Any]:
    work = Path(task.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    stem = work / f"page-{task.number:04d}"
    thumb = stem.with_suffix(".webp")

    # A born-digital PDF page keeps its own text and its own page.
    if task.kind == "pdf":
        text_page = read_text_layer(task.source, task.index, dpi=task.dpi)
        if text_page is not None:
            preview = render_pdf_page(Path(task.source), task.index, dpi=40)
            thumbnail_of(preview, thumb)
            text_page.number = task.number
            text_page.source = PageSource.text_layer
            part = {"kind": "original", "path": task.source, "index": task.index}
            return _outcome(task, text_page.to_dict(), part, thumb)

    # Everything else is rasterised and OCRed, the image kept in memory.
    image, dpi = _page_image(task)
    job = PageJob(
        image_path=f"{Path(task.source).name} page {task.number}",
        number=task.number,
        dpi=dpi,
        languages=task.languages,
        timeout=task.timeout,
        out_pdf=str(stem.with_suffix(".pdf")),
        out_thumb=str(thumb),
        rescan_threshold=task.rescan_threshold,
    )
    page = ocr_page(job, image=image)
    part = {"kind": "ocr", "path": job.out_pdf, "index": 0}
    return _outcome(task, page.to_dict(), part, thumb)


def _page_image(task: PageTask):
    if task.kind == "pdf":
        return render_pdf_page(Path(task.source), task.index, dpi=task.dpi), task.dpi
    return load_image_frame(Path(task.source), task.index)




def _outcome(task: PageTask, page: dict, part: dict, thumb: Path) -> dict[str, Any]:
    return {"number": task.number, "page": page, "part": part, "thumb": str(thumb)}
