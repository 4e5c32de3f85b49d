"""Page thumbnails."""

from __future__ import annotations

import pytest
from PIL import Image

from core.errors import OcrError
from ocr.thumbs import make_thumbnail


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("B_ocrmypdf_linn.png", (198, 256)),
        ("C_pillow_g4-multi.tiff", (181, 256)),
        ("C_paperless_multi-page-images-alpha.tiff", (198, 256)),
        ("B_paperless_simple-no-dpi.png", (256, 73)),
    ],
)
def test_thumbnail_is_small_webp(corpus, tmp_path, name, size):
    out = make_thumbnail(corpus / name, tmp_path / "thumb.webp")
    with Image.open(out) as thumb:
        assert thumb.format == "WEBP"
        assert thumb.size == size
        assert thumb.mode in ("L", "RGB")
        # A page stays mostly white paper.
        assert thumb.convert("L").resize((1, 1), Image.Resampling.BOX).getpixel(
            (0, 0)) > 200


def test_unreadable_image(corpus, tmp_path):
    with pytest.raises(OcrError):
        make_thumbnail(corpus / "B_ocrmypdf_invalid.pdf", tmp_path / "t.webp")
