"""Page preprocessing: image modes, orientation, deskew, resolution.

Pages reach tesseract upright and straight. Orientation (0/90/180/270) comes
from tesseract OSD; small skew (up to ±5°) is measured on a small bilevel copy
of the page by the projection-profile method: the angle at which the ink of
text lines falls into the sharpest horizontal bands wins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageOps

from core.errors import OcrError
from ocr import tesseract

log = logging.getLogger(__name__)

MAX_SKEW = 5.0  # degrees searched either way
MIN_SKEW = 0.2  # below this the page is left as it is
OSD_MIN_CONFIDENCE = 2.0
BLANK_INK = 0.0002  # share of inked pixels under which a page is blank
_PROFILE_SIDE = 512  # long side of the copy the skew is measured on
_INK_LEVEL = 150  # gray level under which a pixel counts as ink
_COLOUR_SPREAD = 24  # channel spread (0-255) that counts as colour
_COLOUR_SHARE = 0.001  # share of coloured pixels that keeps a page in colour
_EXIF_ORIENTATION = 0x0112
_LOW_DPI = 120
_TARGET_DPI = 150
_MAX_UPSCALE = 2.5
_A4_LONG_INCHES = 11.69
_COMMON_DPI = (96, 100, 150, 200, 240, 300, 400, 600)
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL turns counter-clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


# Text lines make the row profile of a page far busier than its column
# profile; a page turned by 90° shows the opposite (ratios seen on the
# corpus: upright 0.06–0.19, sideways 15–18, one short wide line 2.1).
SIDEWAYS_RATIO = 4.0


@dataclass
class Prepared:
    """An upright, straightened page image.

    Attributes:
        image: mode ``1``, ``L`` or ``RGB``.
        rotation: degrees turned clockwise (0, 90, 180, 270).
        skew: degrees turned counter-clockwise to straighten the lines.
        ink: share of inked pixels, 0–1.
    """

    image: Image.Image
    rotation: int = 0
    skew: float = 0.0
    ink: float = 0.0

    sideways: bool = False

    @property
    def blank(self) -> bool:
        """True when the page holds (almost) no ink."""
        return self.ink < BLANK_INK


def load_page(path: str | Path) -> Image.Image:
    """Open a page image (first frame), apply EXIF orientation, normalise mode.

    Raises:
        OcrError: the file cannot be read as an image.
    """
    try:
        with Image.open(path) as img:
            img.load()
            dpi = image_dpi(img)
            turned = img.getexif().get(_EXIF_ORIENTATION, 1) not in (0, 1)
            upright = (ImageOps.exif_transpose(img) or img) if turned else img
            page = simplify_mode(normalise_mode(upright))
    except (OSError, ValueError, Image.DecompressionBombError) as e:
        raise OcrError(
            f"cannot read page image {path}: {e}; re-export the page as PNG or JPEG",
            file=str(path),
        ) from e
    if dpi:
        page.info["dpi"] = (dpi, dpi)
    return page


def normalise_mode(img: Image.Image) -> Image.Image:
    """Return ``img`` as ``1``, ``L`` or ``RGB``; alpha is flattened on white."""
    if img.mode in ("1", "L", "RGB"):
        return img
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("LA", "La", "PA"):
        img = img.convert("LA")
        return _flatten(img, "L")
    if img.mode in ("RGBA", "RGBa"):
        return _flatten(img, "RGB")
    if img.mode.startswith("I"):
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return img.convert("RGB")


def simplify_mode(img: Image.Image) -> Image.Image:
    """Store a page in the simplest mode that loses nothing visible.

    Renderers and scanners often deliver gray pages as RGB and two-colour
    pages as gray; gray pages are read faster and stored three times
    smaller, two-level pages become bilevel (CCITT G4 in the PDF).
    """
    gray = _gray_if_no_colour(img)
    if gray.mode == "L" and sum(1 for n in gray.histogram() if n) <= 2:
        low = min(v for v, n in enumerate(gray.histogram()) if n)
        bilevel = gray.point([0 if v <= low else 255 for v in range(256)])
        bilevel = bilevel.convert("1", dither=Image.Dither.NONE)
        bilevel.info = dict(img.info)
        return bilevel
    return gray


def upscale_low_res(img: Image.Image, dpi: int) -> tuple[Image.Image, int]:
    """Enlarge pages under 120 dpi towards 150 dpi; tesseract reads small
    glyphs badly (the 82-dpi letter of the corpus: CER 12.5 % → 9.3 %)."""
    if dpi >= _LOW_DPI:
        return img, dpi
    factor = min(_MAX_UPSCALE, _TARGET_DPI / dpi)
    size = (round(img.width * factor), round(img.height * factor))
    source = img.convert("L") if img.mode == "1" else img
    bigger = source.resize(size, Image.Resampling.LANCZOS)
    bigger.info = dict(img.info)
    return bigger, round(dpi * factor)


def _gray_if_no_colour(img: Image.Image) -> Image.Image:
    if img.mode != "RGB":
        return img
    small = img.reduce(max(1, min(img.size) // 256))
    red, green, blue = small.split()
    spread = ImageChops.lighter(
        ImageChops.difference(red, green), ImageChops.difference(green, blue)
    )
    coloured = sum(spread.histogram()[_COLOUR_SPREAD:])
    if coloured > _COLOUR_SHARE * small.width * small.height:
        return img
    gray = img.convert("L")
    gray.info = dict(img.info)
    return gray


def _flatten(img: Image.Image, mode: str) -> Image.Image:
    white = Image.new(mode, img.size, 255 if mode == "L" else (255, 255, 255))
    white.paste(img.convert(mode), mask=img.getchannel("A"))
    return white


def image_dpi(img: Image.Image) -> int | None:
    """Return the resolution the file declares, ``None`` when it declares none."""
    dpi = img.info.get("dpi") or img.info.get("resolution")
    if not dpi:
        return None
    value = round(float(dpi[0]))
    return value if value > 1 else None


def resolve_dpi(declared: int | None, size: tuple[int, int]) -> int:
    """Return a credible resolution for an image of ``size`` pixels.

    A declared value is kept when it gives a page no larger than A3; otherwise
    (none, 0, or a 72-dpi default on a big scan) the long side is taken as
    A4's, rounded to a common scanner value when close to one.
    """
    long_side = max(size)
    if declared and 70 <= declared <= 1200 and long_side / declared <= 17.5:
        return declared
    guess = long_side / _A4_LONG_INCHES
    for common in _COMMON_DPI:
        if abs(guess - common) <= 0.08 * common:
            return common
    return int(min(max(guess, 70), 1200))


def prepare(image: Image.Image, rotation: int = 0) -> Prepared:
    """Turn ``image`` by ``rotation`` degrees clockwise, then straighten it."""
    if rotation % 360:
        image = image.transpose(_TRANSPOSE[rotation % 360])
    mask = ink_mask(image)
    ink = _ink_share(mask)
    skew = estimate_skew(mask) if ink >= BLANK_INK else 0.0
    if abs(skew) >= MIN_SKEW:
        image = rotate_small(image, skew)
    else:
        skew = 0.0
    sideways = ink >= BLANK_INK and looks_sideways(mask)
    return Prepared(image=image, rotation=rotation % 360, skew=skew, ink=ink,
                    sideways=sideways)


def looks_sideways(mask: Image.Image) -> bool:
    """True when the text lines of an :func:`ink_mask` run top to bottom."""
    rows = _profile_score(mask, 0)
    columns = _profile_score(mask.transpose(Image.Transpose.ROTATE_90), 0)
    return columns > SIDEWAYS_RATIO * max(rows, 1.0)


def orient(
    image: Image.Image, *, timeout: float, source: str = "", page: int | None = None
) -> Prepared:
    """Detect the orientation with OSD, then turn and straighten the page."""
    rotation = detect_rotation(image, timeout=timeout, source=source, page=page)
    return prepare(image, rotation)


def detect_rotation(
    image: Image.Image, *, timeout: float, source: str = "", page: int | None = None
) -> int:
    """Return the clockwise turn (0/90/180/270) that makes the page upright.

    Sparse or blank pages defeat OSD; they keep rotation 0.
    """
    try:
        found = tesseract.detect_orientation(
            image, timeout=timeout, source=source, page=page
        )
    except OcrError as e:
        log.warning("orientation check failed on %s page %s: %s", source, page, e)
        return 0
    if found is None or found.confidence < OSD_MIN_CONFIDENCE:
        log.debug("orientation kept for %s page %s: %s", source, page, found)
        return 0
    return found.rotate


def ink_mask(image: Image.Image) -> Image.Image:
    """A small ``L`` copy of the page with ink 255 on 0, for measuring."""
    gray = image.convert("L")
    factor = max(1, -(-max(gray.size) // _PROFILE_SIDE))
    small = gray.reduce(factor) if factor > 1 else gray
    return small.point([255 if v < _INK_LEVEL else 0 for v in range(256)])


def _ink_share(mask: Image.Image) -> float:
    histogram = mask.histogram()
    return histogram[255] / max(1, mask.width * mask.height)


def estimate_skew(mask: Image.Image) -> float:
    """Return the counter-clockwise angle (degrees) that levels the text lines.

    Args:
        mask: an :func:`ink_mask` of the page.
    """
    best = _best_angle(mask, [a * 0.5 for a in range(-10, 11)], 0.0)
    fine = [best + a * 0.1 for a in range(-4, 5)]
    return round(_best_angle(mask, fine, best), 2)


def _best_angle(mask: Image.Image, angles: list[float], default: float) -> float:
    scores = {angle: _profile_score(mask, angle) for angle in angles}
    best = max(scores, key=lambda a: (scores[a], -abs(a - default)))
    return best if abs(best) <= MAX_SKEW else default


def _profile_score(mask: Image.Image, angle: float) -> float:
    turned = mask.rotate(angle, Image.Resampling.BILINEAR) if angle else mask
    rows = list(turned.resize((1, turned.height), Image.Resampling.BOX).tobytes())
    return float(sum((b - a) ** 2 for a, b in zip(rows, rows[1:], strict=False)))


def rotate_small(image: Image.Image, angle: float) -> Image.Image:
    """Rotate counter-clockwise by ``angle`` degrees, keeping size, white fill."""
    if image.mode == "1":
        gray = image.convert("L").rotate(
            angle, Image.Resampling.BILINEAR, fillcolor=255
        )
        return gray.convert("1", dither=Image.Dither.NONE)
    fill = 255 if image.mode == "L" else (255, 255, 255)
    turned = image.rotate(angle, Image.Resampling.BILINEAR, fillcolor=fill)
    turned.info = dict(image.info)
    return turned
