"""Fixtures of the OCR tests: page images rendered from corpus PDFs and
pages read once per session (real tesseract runs are the slow part)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from core.types import PageText
from ocr.page import PageJob, ocr_page

QUYETDINH = "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"
CARDINAL = "B_ocrmypdf_cardinal.pdf"


def render(pdf_path: Path, index: int, dpi: int, out: Path) -> Path:
    """Rasterise page ``index`` of ``pdf_path`` at ``dpi`` into ``out``."""
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        image = pdf[index].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    image.save(out, dpi=(dpi, dpi))
    return out


def frames(path: Path, folder: Path) -> list[Path]:
    """Save every frame of a multi-page TIFF as its own TIFF file."""
    out = []
    with Image.open(path) as tiff:
        for number in range(tiff.n_frames):
            tiff.seek(number)
            target = folder / f"{path.stem}-{number + 1}.tif"
            tiff.copy().save(target, dpi=tiff.info.get("dpi", (300, 300)))
            out.append(target)
    return out


@pytest.fixture(scope="session")
def run_page(tmp_path_factory) -> Callable[..., tuple[PageText, PageJob]]:
    """Return a function that OCRs one image with tesseract."""
    folder = tmp_path_factory.mktemp("pages")

    def run(image: Path, languages: str, *, dpi: int = 0, number: int = 1,
            timeout: float = 120.0) -> tuple[PageText, PageJob]:
        job = PageJob(
            image_path=str(image), number=number, dpi=dpi, languages=languages,
            timeout=timeout, out_pdf=str(folder / f"{image.stem}-{number}.pdf"),
            out_image=str(folder / f"{image.stem}-{number}.png"),
            rescan_threshold=60.0,
        )
        return ocr_page(job), job

    return run


@pytest.fixture(scope="session")
def quyetdinh(corpus, tmp_path_factory, run_page) -> tuple[PageText, PageJob]:
    """Page 1 of the Trà Vinh decision, rendered at 300 dpi and read."""
    folder = tmp_path_factory.mktemp("quyetdinh")
    image = render(corpus / QUYETDINH, 0, 300, folder / "quyetdinh-1.png")
    return run_page(image, "vie", dpi=300)


@pytest.fixture(scope="session")
def cardinal(corpus, tmp_path_factory, run_page) -> list[PageText]:
    """The four pages of cardinal.pdf (turned 0/90/180/270) read at 150 dpi."""
    folder = tmp_path_factory.mktemp("cardinal")
    pages = []
    for index in range(4):
        image = render(corpus / CARDINAL, index, 150, folder / f"card-{index}.png")
        pages.append(run_page(image, "eng", dpi=150, number=index + 1)[0])
    return pages
