"""Fixtures of the metadata tests: corpus texts and real tesseract pages.

The OCR fixture runs tesseract itself (``lang="vie"``), one call per page,
and keeps the result for the rest of the test session only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from core.types import PageText, Word

PageMaker = Callable[[str, int], PageText]


def image_of(path: Path, index: int):
    """The page image of a corpus file: PDF pages rendered at 300 dpi."""
    from PIL import Image

    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(path)[index].render(scale=300 / 72).to_pil()
    return Image.open(path)


def tesseract_page(path: Path, index: int, number: int) -> PageText:
    """OCR one page with tesseract and build its :class:`PageText`."""
    import pytesseract

    image = image_of(path, index)
    data = pytesseract.image_to_data(image, lang="vie",
                                     output_type=pytesseract.Output.DICT)
    words: list[Word] = []
    rows: dict[tuple[int, int, int], list[str]] = {}
    for i, text in enumerate(data["text"]):
        if not text.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        rows.setdefault(key, []).append(text)
        left, top = data["left"][i], data["top"][i]
        box = (left, top, left + data["width"][i], top + data["height"][i])
        words.append(Word(text, float(data["conf"][i]), box, len(rows) - 1))
    text = "\n".join(" ".join(r) for r in rows.values())
    return PageText(number, text, words, width=image.width, height=image.height)


@pytest.fixture(scope="session")
def ocr_pages(corpus: Path) -> PageMaker:
    """Return ``make(name, index)``: the OCR page of a corpus file."""
    done: dict[tuple[str, int], PageText] = {}

    def make(name: str, index: int = 0) -> PageText:
        if (name, index) not in done:
            done[(name, index)] = tesseract_page(corpus / name, index, index + 1)
        return done[(name, index)]

    return make


@pytest.fixture(scope="session")
def truth_1949(corpus: Path) -> dict:
    """Truth JSON of the Trà Vinh decision 1949/QĐ-UBND."""
    path = corpus / "A_vn_quyetdinh_1949_TraVinh_2018_rendered.truth.json"
    return json.loads(path.read_text(encoding="utf-8"))
