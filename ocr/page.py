"""OCR of one page image: the unit of work of a process pool or a task.

:func:`ocr_page` straightens the page, recognises it once, and writes the
one-page searchable PDF. Orientation is checked lazily: most pages arrive
upright, so tesseract OSD runs only when the first reading looks sideways
(mostly vertical words) or weak, and the page is read again only when OSD
says it is turned. Upright pages thus cost one tesseract run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from core.logging import log_context
from core.types import PageSource, PageText
from ocr import preprocess
from ocr.engine import OcrEngine, get_engine
from ocr.preprocess import Prepared
from ocr.thumbs import thumbnail_of
from ocr.words import Recognition, vertical_share

log = logging.getLogger(__name__)

WEAK_CONF = 60.0  # a first reading below this asks OSD about orientation
SIDEWAYS_SHARE = 0.5  # share of vertical words that means "turned by 90°"


@dataclass
class PageJob:
    """Everything needed to OCR one page; picklable and JSON-able.

    Attributes:
        image_path: the page image (PNG, JPEG, TIFF …; first frame is used).
        number: page number in its document, from 1.
        dpi: resolution of the image; 0 when unknown (then guessed).
        languages: tesseract languages, e.g. ``vie`` or ``vie+eng``.
        timeout: seconds allowed per tesseract run.
        out_pdf: where the one-page searchable PDF is written.
        out_image: where the upright page image is written, if wanted.
        out_thumb: where a WEBP thumbnail of the upright page is written,
            if wanted.
        rescan_threshold: mean confidence under which a rescan is advised.
        engine: ``tesseract``, or ``null`` to skip recognition in tests.
    """

    image_path: str
    number: int
    dpi: int
    languages: str
    timeout: float
    out_pdf: str
    out_image: str | None = None
    rescan_threshold: float = 60.0
    out_thumb: str | None = None
    engine: str = "tesseract"

    def to_dict(self) -> dict[str, Any]:
        """Return the job as a JSON-able dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageJob:
        """Rebuild a job from :meth:`to_dict` output."""
        return cls(**data)


def ocr_page(
    job: PageJob,
    engine: OcrEngine | None = None,
    image: Image.Image | None = None,
) -> PageText:
    """Orient, deskew and recognise one page; write its searchable PDF.

    Args:
        job: the page and where its outputs go.
        engine: overrides ``job.engine`` (for tests).
        image: the page already in memory (then ``job.image_path`` only
            names it in messages); spares writing and reading it again.

    Returns:
        The page text, words with boxes in upright-image pixels, confidence.

    Raises:
        OcrError: the image cannot be read or tesseract failed or timed out.
        MissingDependency: tesseract or a language model is missing.
    """
    engine = engine or get_engine(job.engine)
    started = time.perf_counter()
    with log_context(page=job.number):
        engine.check(job.languages)

        # Read the page and settle its resolution.
        if image is None:
            image = preprocess.load_page(job.image_path)
        else:
            image = preprocess.simplify_mode(preprocess.normalise_mode(image))
        declared = job.dpi or preprocess.image_dpi(image)
        dpi = preprocess.resolve_dpi(declared, image.size)
        image, dpi = preprocess.upscale_low_res(image, dpi)

        # Straighten it; a page whose lines run top to bottom is turned
        # before the first reading, not after it.
        prepared = preprocess.prepare(image)
        if prepared.sideways:
            prepared = _turn_first(engine, job, image, prepared)

        # Read it once.
        result = _recognise(engine, job, prepared, dpi)

        # Turn it only when the reading says it lies sideways or upside down.
        if _looks_turned(result, prepared):
            prepared, result = _retry_turned(engine, job, image, prepared, result, dpi)

        # Write the outputs.
        _write(job, prepared, result, dpi)
        page = _page_text(job, prepared, result, dpi)

        log.info(
            "page %s read: %d words, conf %.1f, rotation %d, skew %.2f, %.2f s",
            job.number, len(page.words), page.mean_conf, page.rotation,
            page.skew, time.perf_counter() - started,
        )
    return page


def _recognise(
    engine: OcrEngine, job: PageJob, prepared: Prepared, dpi: int
) -> Recognition:
    return engine.recognise(
        prepared.image, dpi, job.languages, job.timeout,
        source=Path(job.image_path).name, page=job.number,
    )


def _turn_first(
    engine: OcrEngine, job: PageJob, image: Image.Image, prepared: Prepared
) -> Prepared:
    rotation = engine.detect_rotation(
        prepared.image, job.timeout, source=Path(job.image_path).name,
        page=job.number,
    )
    return preprocess.prepare(image, rotation) if rotation else prepared


def _looks_turned(result: Recognition, prepared: Prepared) -> bool:
    if prepared.blank:
        return False
    return (
        not result.words
        or result.mean_conf < WEAK_CONF
        or vertical_share(result.words) > SIDEWAYS_SHARE
    )


def _retry_turned(
    engine: OcrEngine,
    job: PageJob,
    image: Image.Image,
    first: Prepared,
    first_result: Recognition,
    dpi: int,
) -> tuple[Prepared, Recognition]:
    rotation = engine.detect_rotation(
        first.image, job.timeout, source=Path(job.image_path).name, page=job.number
    )
    if not rotation:
        return first, first_result
    turned = preprocess.prepare(image, rotation)
    result = _recognise(engine, job, turned, dpi)
    if _quality(result) >= _quality(first_result):
        return turned, result
    log.warning("page %s: turning by %d read worse; kept as scanned",
                job.number, rotation)
    return first, first_result


def _quality(result: Recognition) -> float:
    return result.mean_conf * (1.0 - vertical_share(result.words))


def _write(job: PageJob, prepared: Prepared, result: Recognition, dpi: int) -> None:
    Path(job.out_pdf).write_bytes(result.pdf)
    if job.out_thumb:
        thumbnail_of(prepared.image, job.out_thumb)
    if not job.out_image:
        return
    out = Path(job.out_image)
    image = prepared.image
    if out.suffix.lower() in (".jpg", ".jpeg"):
        image = image.convert("L") if image.mode == "1" else image
        image.save(out, quality=85, dpi=(dpi, dpi))
    else:
        image.save(out, dpi=(dpi, dpi))


def _page_text(
    job: PageJob, prepared: Prepared, result: Recognition, dpi: int
) -> PageText:
    conf = round(result.mean_conf, 2)
    unread = not result.words and not prepared.blank
    return PageText(
        number=job.number,
        text=result.text,
        words=result.words,
        mean_conf=conf,
        width=prepared.image.width,
        height=prepared.image.height,
        dpi=dpi,
        rotation=prepared.rotation,
        skew=prepared.skew,
        source=PageSource.ocr,
        needs_rescan=unread or (bool(result.words) and conf < job.rescan_threshold),
    )
