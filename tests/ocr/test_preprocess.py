"""Page preprocessing: modes, resolution, skew, EXIF orientation."""

from __future__ import annotations

import pytest
from PIL import Image

from ocr import preprocess
from ocr.preprocess import (
    estimate_skew,
    ink_mask,
    load_page,
    normalise_mode,
    prepare,
    resolve_dpi,
    simplify_mode,
    upscale_low_res,
)

LINN = "B_ocrmypdf_linn.png"


@pytest.fixture(scope="module")
def linn(corpus) -> Image.Image:
    """The Linn brochure page, straight, as a gray image."""
    return load_page(corpus / LINN).convert("L")


@pytest.mark.parametrize(
    ("mode", "colour", "expected_mode", "expected"),
    [
        ("1", 0, "1", 0),
        ("L", 90, "L", 90),
        ("RGB", (10, 20, 30), "RGB", (10, 20, 30)),
        ("RGBA", (200, 0, 0, 0), "RGB", (255, 255, 255)),
        ("RGBA", (200, 0, 0, 255), "RGB", (200, 0, 0)),
        ("LA", (40, 0), "L", 255),
        ("LA", (40, 255), "L", 40),
        ("CMYK", (0, 0, 0, 255), "RGB", (0, 0, 0)),
        ("I;16", 65535, "L", 255),
    ],
)
def test_modes_are_normalised(mode, colour, expected_mode, expected):
    page = normalise_mode(Image.new(mode, (4, 4), colour))
    assert page.mode == expected_mode
    assert page.getpixel((1, 1)) == expected


def test_palette_with_transparency_is_flattened_on_white():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.info["transparency"] = 1
    page = normalise_mode(image)
    assert page.mode == "RGB" and page.getpixel((0, 0)) == (255, 255, 255)


def test_simplest_lossless_mode(corpus, linn):
    assert load_page(corpus / LINN).mode == "1"  # a two-colour palette PNG
    gray_rgb = linn.reduce(2).convert("RGB")  # anti-aliased: many grays
    assert simplify_mode(gray_rgb).mode == "L"
    stamped = gray_rgb.copy()
    stamped.paste((200, 30, 30), (100, 100, 600, 600))  # a red seal
    assert simplify_mode(stamped).mode == "RGB"


def test_resolution_guesses():
    assert resolve_dpi(None, (2550, 3300)) == 300  # linn.png, no DPI
    assert resolve_dpi(72, (2550, 3300)) == 300  # a 72 default on a scan
    assert resolve_dpi(400, (3307, 4677)) == 400  # the G4 fax frames
    assert resolve_dpi(None, (576, 960)) == 82  # the low-resolution letter
    assert resolve_dpi(0, (517, 147)) == 70  # never 0 for tesseract
    assert resolve_dpi(200, (1654, 2339)) == 200


def test_low_resolution_is_enlarged(corpus):
    page = load_page(corpus / "A_vn_congvan_1906_SGDDT_2020_p1.jpg")
    bigger, dpi = upscale_low_res(page, 82)
    assert dpi == 150 and bigger.size == (1054, 1756)
    assert upscale_low_res(page, 300) == (page, 300)


@pytest.mark.parametrize("angle", [-3.0, 1.2, 2.5])
def test_skew_of_a_turned_page_is_found(linn, angle):
    turned = linn.rotate(angle, Image.Resampling.BILINEAR, fillcolor=255)
    assert estimate_skew(ink_mask(turned)) == pytest.approx(-angle, abs=0.15)


def test_straight_page_is_left_alone(linn):
    prepared = prepare(linn)
    assert prepared.skew == 0.0 and prepared.rotation == 0
    assert prepared.image is linn
    assert not prepared.blank


def test_prepare_turns_and_straightens(linn):
    sideways = linn.transpose(Image.Transpose.ROTATE_90)  # text runs upwards
    # Tilted 1° clockwise before it was scanned sideways.
    prepared = prepare(sideways.rotate(-1.0, fillcolor=255), rotation=90)
    assert prepared.image.size == linn.size
    assert prepared.rotation == 90
    assert prepared.skew == pytest.approx(1.0, abs=0.15)
    assert prepared.image.getpixel((5, 5)) == 255  # white fill in the corners


def test_blank_page(corpus):
    with Image.open(corpus / "C_pillow_g4-multi.tiff") as fax:
        bottom = fax.crop((0, fax.height // 2, fax.width, fax.height))
    prepared = prepare(normalise_mode(bottom))
    assert prepared.blank and prepared.ink == 0.0 and prepared.skew == 0.0


def test_exif_orientation_is_applied(tmp_path, linn):
    crop = linn.crop((0, 0, 800, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned: show it rotated 90° clockwise
    path = tmp_path / "photo.jpg"
    crop.save(path, exif=exif, dpi=(300, 300))
    page = load_page(path)
    assert page.size == (400, 800)
    assert preprocess.image_dpi(page) == 300


@pytest.mark.ocr
def test_osd_failure_on_a_blank_page_keeps_rotation_zero():
    blank = Image.new("1", (2480, 3508), 1)
    assert preprocess.detect_rotation(blank, timeout=30) == 0


def test_sideways_pages_are_seen_before_reading(corpus):
    from ingest.render import render_pdf_page
    from ocr.preprocess import prepare

    flags = [prepare(render_pdf_page(corpus / "B_ocrmypdf_cardinal.pdf", i,
                                     dpi=100)).sideways for i in range(4)]
    assert flags == [False, True, False, True]
