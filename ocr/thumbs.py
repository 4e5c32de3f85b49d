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
            page = normalise_mode(img)
            if page.mode == "1":
                page = page.convert("L")
            page.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            page.save(out, "WEBP", quality=WEBP_QUALITY)
    except (OSError, ValueError) as e:
        raise OcrError(
            f"cannot make a thumbnail of {Path(image_path).name}: {e}; check "
            "the page image",
            file=str(image_path),
        ) from e
    return out
