"""The text layer of born-digital PDF pages, read instead of OCR.

A page is read from its text layer only when that layer is the page: enough
characters, and no scanned image covering most of the page. Scans that carry
an earlier, often garbled OCR layer or a few typed notes over the image are
OCRed again.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from core.errors import CorruptFile
from core.textfold import nfc
from core.types import PageSource, PageText, Word

log = logging.getLogger(__name__)

MIN_CHARS = 8  # fewer visible characters: the page has no real text layer
MAX_IMAGE_COVER = 0.5  # an image over this share of the page is a scan
MAX_UNMAPPED = 0.1  # share of (cid:n) glyphs beyond which the layer is useless
_POINTS_PER_INCH = 72.0
_LINE_TOLERANCE = 3.0  # points between word tops on the same line
# Dotted leaders of forms ("……..……", "........", "_____") become one "…".
_LEADER = re.compile(r"(?:…|\.{3,}|_{3,})(?:[ \t]*[.…_])*")
_CID = re.compile(r"\(cid:\d+\)")


def read_text_layer(
    pdf_path: str | Path, index: int, *, dpi: int = 300
) -> PageText | None:
    """Return the page's text layer, or ``None`` when the page must be OCRed.

    Args:
        pdf_path: the PDF file.
        index: page index, from 0.
        dpi: resolution the word boxes are scaled to (pixels of a page
            image rendered at ``dpi``).

    Raises:
        CorruptFile: the PDF cannot be parsed or has no such page.
    """
    try:
        with pdfplumber.open(pdf_path) as pdf:
            if not 0 <= index < len(pdf.pages):
                raise CorruptFile(
                    f"{Path(pdf_path).name} has no page {index + 1}; "
                    "check the page count of the file",
                    file=str(pdf_path), page=index + 1,
                )
            return _read_page(pdf.pages[index], index, dpi, Path(pdf_path).name)
    except PdfminerException as e:
        raise CorruptFile(
            f"cannot parse {Path(pdf_path).name}: {e}; re-export the PDF or scan "
            "the paper again",
            file=str(pdf_path),
        ) from e


def _read_page(page: Any, index: int, dpi: int, name: str) -> PageText | None:
    reason = _ocr_reason(page)
    if reason:
        log.debug("%s page %d needs OCR: %s", name, index + 1, reason)
        return None
    scale = dpi / _POINTS_PER_INCH
    text = clean_text(page.extract_text() or "")
    return PageText(
        number=index + 1,
        text=text,
        words=_words(page, scale),
        mean_conf=100.0,
        width=round(float(page.width) * scale),
        height=round(float(page.height) * scale),
        dpi=dpi,
        source=PageSource.text_layer,
    )


def _ocr_reason(page: Any) -> str:
    """Say why ``page`` must be OCRed, or return an empty string."""
    visible = [c for c in page.chars if c.get("text", "").strip()]
    if len(visible) < MIN_CHARS:
        return f"text layer absent or tiny ({len(visible)} characters)"
    cover = image_cover(page)
    if cover > MAX_IMAGE_COVER:
        return f"a scanned image covers {cover:.0%} of the page"
    unmapped = sum(1 for c in visible if _CID.fullmatch(c["text"]))
    if unmapped > MAX_UNMAPPED * len(visible):
        return f"{unmapped} glyphs have no Unicode mapping"
    return ""


def image_cover(page: Any) -> float:
    """Return the largest share of the page one image covers (0–1)."""
    area = float(page.width) * float(page.height)
    best = 0.0
    for image in page.images:
        width = min(image["x1"], page.width) - max(image["x0"], 0)
        height = min(image["bottom"], page.height) - max(image["top"], 0)
        if width > 0 and height > 0:
            best = max(best, float(width * height) / area)
    return best


def clean_text(text: str) -> str:
    """NFC-normalise, shrink dotted leaders to ``…``, drop leader-only lines."""
    lines = (_LEADER.sub("…", nfc(line)).rstrip() for line in text.splitlines())
    return "\n".join(line for line in lines if line.strip(" …"))


def _words(page: Any, scale: float) -> list[Word]:
    words: list[Word] = []
    line, last_top = -1, None
    for raw in page.extract_words(keep_blank_chars=False):
        text = _LEADER.sub("", nfc(raw["text"])).strip()
        if not text.strip("._…"):
            continue
        if last_top is None or abs(raw["top"] - last_top) > _LINE_TOLERANCE:
            line += 1
            last_top = raw["top"]
        box = (raw["x0"], raw["top"], raw["x1"], raw["bottom"])
        words.append(Word(
            text=text,
            conf=100.0,
            box=tuple(round(float(v) * scale) for v in box),  # type: ignore[arg-type]
            line=line,
        ))
    return words
