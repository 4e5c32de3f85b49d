"""The document's searchable PDF, assembled from its pages.

OCRed pages arrive as one-page PDFs written by tesseract; pages that carry a
usable text layer are copied from the original PDF as they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pdfplumber
import pikepdf

from core.errors import CorruptFile
from core.textfold import nfc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfPart:
    """One page of the assembled PDF.

    Attributes:
        kind: ``ocr`` (a one-page OCR PDF) or ``original`` (a page of a PDF).
        path: the PDF file the page comes from.
        index: page index in ``path``, from 0 (0 for ``ocr`` parts).
    """

    kind: Literal["ocr", "original"]
    path: str
    index: int = 0

    @classmethod
    def ocr(cls, path: str | Path) -> PdfPart:
        """The single page of a one-page OCR PDF."""
        return cls("ocr", str(path), 0)

    @classmethod
    def original(cls, path: str | Path, index: int) -> PdfPart:
        """Page ``index`` (from 0) of an original PDF, copied unchanged."""
        return cls("original", str(path), index)


def assemble(parts: list[PdfPart], out: Path) -> Path:
    """Merge ``parts`` in order into one searchable PDF at ``out``.

    Raises:
        CorruptFile: a part cannot be opened or lacks the page asked for.
    """
    out = Path(out)
    sources: dict[str, pikepdf.Pdf] = {}
    merged = pikepdf.new()
    try:
        for number, part in enumerate(parts, 1):
            source = sources.get(part.path) or _open(part.path)
            sources[part.path] = source
            if not 0 <= part.index < len(source.pages):
                raise CorruptFile(
                    f"{Path(part.path).name} has no page {part.index + 1} for "
                    f"page {number} of {out.name}; rebuild that page",
                    file=part.path, page=number,
                )
            merged.pages.append(source.pages[part.index])
        merged.save(out)
    finally:
        merged.close()
        for source in sources.values():
            source.close()
    log.debug("assembled %d pages into %s", len(parts), out.name)
    return out


def _open(path: str) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as e:
        raise CorruptFile(
            f"cannot open page PDF {Path(path).name}: {e}; run OCR on the page "
            "again",
            file=path,
        ) from e


def pdf_text(path: str | Path) -> list[str]:
    """Return the NFC text of every page of a PDF, as pdfplumber reads it."""
    with pdfplumber.open(path) as pdf:
        return [nfc(page.extract_text() or "") for page in pdf.pages]
