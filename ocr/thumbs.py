"""Page thumbnails for the web interface."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from core.errors import OcrError
from ocr.preprocess import normalise_mode

WEBP_QUALITY = 75


def make_thumbnail(
    image_path: str | Path, out_path: str | Path, max_side: int = 256
) -> Path:
    """Write a WEBP thumbnail whose longer side is at most ``max_side`` pixels.

    Raises:
        OcrError: the page image cannot be read.
    """
    out = Path(out_path)
    try:
        with Image.open(image_path) as img:
            img.draft("RGB", (max_side, max_side))
            thumbnail_of(normalise_mode(img), out, max_side)
    except (OSError, ValueError) as e:
        raise OcrError(
            f"cannot make a thumbnail of {Path(image_path).name}: {e}; check "
            "the page image",
            file=str(image_path),
        ) from e
    return out


def thumbnail_of(
    page: Image.Image, out_path: str | Path, max_side: int = 256
) -> Path:
    """Write a WEBP thumbnail of an image already in memory."""
    small = page.convert("L") if page.mode == "1" else page.copy()
    small.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    small.save(out_path, "WEBP", quality=WEBP_QUALITY)
    return Path(out_path)
