"""The engine interface behind page OCR, its tesseract engine and a null one.

:class:`NullEngine` reads nothing and still writes a valid one-page image
PDF; other packages test their pipelines on it without paying for OCR.
"""

from __future__ import annotations

import io
from typing import Protocol

from PIL import Image

from core.errors import ConfigError
from ocr import preprocess, tesseract
from ocr.words import Recognition


class OcrEngine(Protocol):
    """Recognises an upright page image and tells how a page is turned."""

    name: str

    def check(self, languages: str) -> None:
        """Raise ``MissingDependency`` when ``languages`` cannot be read."""

    def recognise(
        self,
        image: Image.Image,
        dpi: int,
        languages: str,
        timeout: float,
        *,
        source: str = "",
        page: int | None = None,
    ) -> Recognition:
        """Return words, text and a one-page searchable PDF of ``image``."""

    def detect_rotation(
        self,
        image: Image.Image,
        timeout: float,
        *,
        source: str = "",
        page: int | None = None,
    ) -> int:
        """Return the clockwise turn (0/90/180/270) that makes ``image`` upright."""


class TesseractEngine:
    """Tesseract through :mod:`ocr.tesseract`, one run per page."""

    name = "tesseract"

    def check(self, languages: str) -> None:
        """Raise ``MissingDependency`` naming the Debian package to install."""
        tesseract.check_languages(languages)

    def recognise(
        self,
        image: Image.Image,
        dpi: int,
        languages: str,
        timeout: float,
        *,
        source: str = "",
        page: int | None = None,
    ) -> Recognition:
        """Recognise ``image`` once: TSV words plus tesseract's PDF."""
        return tesseract.recognise(
            image, dpi=dpi, languages=languages, timeout=timeout,
            source=source, page=page,
        )

    def detect_rotation(
        self,
        image: Image.Image,
        timeout: float,
        *,
        source: str = "",
        page: int | None = None,
    ) -> int:
        """Ask tesseract OSD; 0 when the page is too sparse to tell."""
        return preprocess.detect_rotation(
            image, timeout=timeout, source=source, page=page
        )


class NullEngine:
    """Reads no text; the PDF is the bare page image at its resolution."""

    name = "null"

    def check(self, languages: str) -> None:
        """Accept every language."""

    def recognise(
        self,
        image: Image.Image,
        dpi: int,
        languages: str,
        timeout: float,
        *,
        source: str = "",
        page: int | None = None,
    ) -> Recognition:
        """Return no words and an image-only one-page PDF."""
        buffer = io.BytesIO()
        image.save(buffer, "PDF", resolution=float(dpi))
        return Recognition(words=[], text="", pdf=buffer.getvalue())

    def detect_rotation(
        self,
        image: Image.Image,
        timeout: float,
        *,
        source: str = "",
        page: int | None = None,
    ) -> int:
        """Leave every page as it is."""
        return 0


ENGINES: dict[str, type[TesseractEngine] | type[NullEngine]] = {
    "tesseract": TesseractEngine,
    "null": NullEngine,
}


def get_engine(name: str) -> OcrEngine:
    """Return the engine called ``name`` (``tesseract`` or ``null``).

    Raises:
        ConfigError: no engine has that name.
    """
    try:
        return ENGINES[name]()
    except KeyError:
        known = ", ".join(ENGINES)
        raise ConfigError(
            f"unknown OCR engine {name!r}; use one of: {known}"
        ) from None
