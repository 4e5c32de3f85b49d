"""Opening an uploaded file far enough to know it can be processed.

Validation reads headers only: page counts, page sizes and pixel counts. A
file that fails is quarantined whole; a page that fails (zero size, too many
pixels) is quarantined alone and the rest of the document goes on.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from PIL import Image, UnidentifiedImageError

from core.errors import (
    CorruptFile,
    EmptyPage,
    EncryptedPdf,
    ImageTooLarge,
    InputError,
)
from ingest.sniff import Kind

_POINTS_PER_INCH = 72.0


@dataclass
class PageProblem:
    """A page that cannot be processed, with the error that says why."""

    index: int
    error: InputError


@dataclass
class Inspection:
    """What validation learnt of a file."""

    kind: Kind
    page_count: int
    problems: list[PageProblem] = field(default_factory=list)

    @property
    def good_pages(self) -> list[int]:
        """0-based indexes of the pages that can be processed."""
        bad = {p.index for p in self.problems}
        return [i for i in range(self.page_count) if i not in bad]


def inspect(path: Path, kind: Kind, *, dpi: int, max_pixels: int) -> Inspection:
    """Validate ``path`` of ``kind`` and list its pages.

    Raises:
        InputError: the file as a whole cannot be read.
    """
    if kind.name == "pdf":
        return _inspect_pdf(path, kind, dpi=dpi, max_pixels=max_pixels)
    return _inspect_image(path, kind, max_pixels=max_pixels)


def _inspect_pdf(path: Path, kind: Kind, *, dpi: int, max_pixels: int) -> Inspection:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise EncryptedPdf(
            f"{path.name}: the PDF is encrypted with a password; "
            "remove the password and upload it again",
            file=path.name,
        ) from None
    except pikepdf.PdfError as exc:
        raise CorruptFile(
            f"{path.name}: the PDF is damaged ({_first_line(exc)}); "
            "scan or export it again",
            file=path.name,
        ) from None
    with pdf:
        if len(pdf.pages) == 0:
            raise CorruptFile(f"{path.name}: the PDF has no pages", file=path.name)
        inspection = Inspection(kind, len(pdf.pages))
        for index, page in enumerate(pdf.pages):
            problem = _pdf_page_problem(path, page, index, dpi, max_pixels)
            if problem:
                inspection.problems.append(PageProblem(index, problem))
    return inspection


def _pdf_page_problem(
    path: Path, page: pikepdf.Page, index: int, dpi: int, max_pixels: int
) -> InputError | None:
    try:
        left, bottom, right, top = (float(v) for v in page.mediabox)
    except (ValueError, TypeError, pikepdf.PdfError):
        return CorruptFile(f"{path.name} page {index + 1}: unreadable page box",
                           file=path.name, page=index + 1)
    width, height = abs(right - left), abs(top - bottom)
    if width < 1 or height < 1:
        return EmptyPage(
            f"{path.name} page {index + 1}: the page has zero size "
            f"({width:g} x {height:g} pt)",
            file=path.name, page=index + 1,
        )
    pixels = (width / _POINTS_PER_INCH * dpi) * (height / _POINTS_PER_INCH * dpi)
    if pixels > max_pixels:
        return ImageTooLarge(
            f"{path.name} page {index + 1}: {width / 72:.0f} x {height / 72:.0f} "
            f"inches would be {pixels / 1e6:.0f} Mpx at {dpi} dpi, over the "
            f"limit of {max_pixels / 1e6:.0f} Mpx (SOHOA_MAX_IMAGE_PIXELS)",
            file=path.name, page=index + 1,
        )
    return None


def _inspect_image(path: Path, kind: Kind, *, max_pixels: int) -> Inspection:
    try:
        with warnings.catch_warnings():
            # Sizes are checked below against SOHOA_MAX_IMAGE_PIXELS.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
        with img:
            frames = getattr(img, "n_frames", 1)
            inspection = Inspection(kind, frames)
            for index in range(frames):
                img.seek(index)
                problem = _image_problem(path, img.size, index, frames, max_pixels)
                if problem:
                    inspection.problems.append(PageProblem(index, problem))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(
            f"{path.name}: the image cannot be read ({_first_line(exc)}); "
            "scan it again",
            file=path.name,
        ) from None
    except Image.DecompressionBombError:
        raise ImageTooLarge(f"{path.name}: the image has too many pixels",
                            file=path.name) from None
    return inspection


def _image_problem(
    path: Path, size: tuple[int, int], index: int, frames: int, max_pixels: int
) -> InputError | None:
    where = f"{path.name} page {index + 1}" if frames > 1 else path.name
    width, height = size
    if width < 1 or height < 1:
        return EmptyPage(f"{where}: the image has zero size", file=path.name,
                         page=index + 1)
    if width * height > max_pixels:
        return ImageTooLarge(
            f"{where}: {width} x {height} px is over the limit of "
            f"{max_pixels / 1e6:.0f} Mpx (SOHOA_MAX_IMAGE_PIXELS)",
            file=path.name, page=index + 1,
        )
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line.split(": ", 1)[-1] if ": " in line else line
