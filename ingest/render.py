"""Turning one page of an uploaded file into an image for OCR."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageOps


def render_pdf_page(src: Path, index: int, *, dpi: int) -> Image.Image:
    """Rasterise page ``index`` of a PDF at ``dpi`` (grey or colour)."""
    pdf = pdfium.PdfDocument(str(src))
    try:
        page = pdf[index]
        bitmap = page.render(scale=dpi / 72.0, grayscale=False)
        image = bitmap.to_pil()
        page.close()
    finally:
        pdf.close()
    return _drop_colour_if_grey(image)


def load_image_frame(src: Path, index: int) -> tuple[Image.Image, int]:
    """Frame ``index`` of an image file, upright per EXIF, with its DPI
    (0 when the file declares none)."""
    with Image.open(src) as img:
        img.seek(index)
        dpi = _dpi_of(img)
        frame = ImageOps.exif_transpose(img) if index == 0 else img.copy()
        frame.load()
    if frame.mode in ("CMYK", "YCbCr", "I;16", "I", "F"):
        frame = frame.convert("RGB")
    return frame, dpi


def _dpi_of(img: Image.Image) -> int:
    """The resolution the file declares, 0 when none (OCR then infers it)."""
    dpi = img.info.get("dpi")
    try:
        return int(round(float(dpi[0]))) if dpi and float(dpi[0]) > 1 else 0
    except (TypeError, ValueError, IndexError):
        return 0


def _drop_colour_if_grey(image: Image.Image) -> Image.Image:
    if image.mode != "RGB":
        return image
    small = image.resize((64, 64))
    r, g, b = small.split()
    diff = max(ImageChops.difference(r, g).getextrema()[1],
               ImageChops.difference(g, b).getextrema()[1])
    return image.convert("L") if diff < 12 else image
