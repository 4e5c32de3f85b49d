"""The one wrapper around the tesseract program.

Only this module touches pytesseract. A page is recognised by ONE tesseract
run that writes both the TSV words and a one-page searchable PDF (the page
image with tesseract's invisible glyphless text layer). Every run gets a
timeout and ``OMP_THREAD_LIMIT=1`` in its own environment, so parallel pages
do not fight over cores; nothing is set globally.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image

from core.errors import MissingDependency, OcrError
from ocr.words import Recognition, parse_tsv

log = logging.getLogger(__name__)

JPEG_QUALITY = 85

# Lines tesseract prints on stderr that say nothing is wrong.
_BENIGN = (
    "Estimating resolution as",
    "Detected ",  # "Detected 12 diacritics" on noisy scans
    "Empty page!!",
    "Too few characters. Skipping this page",
    "Warning. Invalid resolution",
)
_OSD_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_OSD_CONF = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation guess: turn the image ``rotate`` degrees
    clockwise to make it upright."""

    rotate: int
    confidence: float


@functools.cache
def installed_languages() -> frozenset[str]:
    """Return the tesseract language models installed on this machine.

    Raises:
        MissingDependency: tesseract itself is not installed.
    """
    try:
        return frozenset(pytesseract.get_languages())
    except pytesseract.TesseractNotFoundError as e:
        raise MissingDependency(
            "tesseract is not installed; install the Debian package "
            "tesseract-ocr (apt-get install tesseract-ocr tesseract-ocr-vie)"
        ) from e


def check_languages(langs: str) -> None:
    """Check that every language of ``langs`` (``vie+eng``) is installed.

    Raises:
        MissingDependency: names the missing language and its Debian package.
    """
    missing = [lang for lang in langs.split("+") if lang not in installed_languages()]
    if missing:
        packages = " ".join(f"tesseract-ocr-{m.lower().replace('_', '-')}"
                            for m in missing)
        raise MissingDependency(
            f"tesseract language {'+'.join(missing)!r} is not installed; "
            f"install it with: apt-get install {packages}",
            languages=langs,
        )


def recognise(
    image: Image.Image,
    *,
    dpi: int,
    languages: str,
    timeout: float,
    source: str = "",
    page: int | None = None,
) -> Recognition:
    """Recognise an upright page image once: TSV words plus a searchable PDF.

    Args:
        image: the page, mode ``1``, ``L`` or ``RGB``.
        dpi: the image resolution; it sets the PDF page size.
        languages: tesseract languages, e.g. ``vie`` or ``vie+eng``.
        timeout: seconds before the run is killed.
        source: file name for log lines and errors.
        page: page number for log lines and errors.

    Raises:
        OcrError: tesseract failed or ran past ``timeout``.
        MissingDependency: a language model is missing.
    """
    with tempfile.TemporaryDirectory(prefix="sohoa-tess-") as tmp:
        folder = Path(tmp)
        src = save_input(image, folder / "page", dpi)
        base = folder / "out"
        args = [str(src), str(base), "-l", languages, "--dpi", str(dpi),
                "--psm", "3", "-c", "tessedit_create_tsv=1",
                "-c", "tessedit_create_pdf=1"]
        _run(args, timeout=timeout, source=source, page=page)
        result = parse_tsv(base.with_suffix(".tsv").read_text("utf-8"))
        result.pdf = base.with_suffix(".pdf").read_bytes()
    return result


def detect_orientation(
    image: Image.Image,
    *,
    timeout: float,
    source: str = "",
    page: int | None = None,
) -> Orientation | None:
    """Run tesseract OSD (``--psm 0``); ``None`` when it cannot tell.

    Raises:
        OcrError: tesseract crashed or ran past ``timeout``.
    """
    with tempfile.TemporaryDirectory(prefix="sohoa-osd-") as tmp:
        src = save_input(image, Path(tmp) / "page", 300)
        args = [str(src), "stdout", "--psm", "0", "--dpi", "300"]
        proc = _run(args, timeout=timeout, source=source, page=page, check=False,
                    quiet=True)
    rotate, conf = _OSD_ROTATE.search(proc.stdout), _OSD_CONF.search(proc.stdout)
    if proc.returncode or not rotate or not conf:
        log.debug("orientation unknown for %s page %s", source, page)
        return None
    return Orientation(int(rotate.group(1)) % 360, float(conf.group(1)))


def save_input(image: Image.Image, stem: Path, dpi: int) -> Path:
    """Write ``image`` where tesseract can read it and embed it compactly.

    Bilevel pages become CCITT G4 TIFF, others JPEG; tesseract's PDF
    renderer embeds both without re-encoding them.
    """
    if image.mode == "1":
        path = stem.with_suffix(".tif")
        image.save(path, "TIFF", compression="group4", dpi=(dpi, dpi))
    else:
        path = stem.with_suffix(".jpg")
        rgb_or_gray = image if image.mode in ("L", "RGB") else image.convert("RGB")
        rgb_or_gray.save(path, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi))
    return path


def _run(
    args: list[str],
    *,
    timeout: float,
    source: str,
    page: int | None,
    check: bool = True,
    quiet: bool = False,
) -> subprocess.CompletedProcess[str]:
    cmd = [pytesseract.pytesseract.tesseract_cmd, *args]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise OcrError(
            f"tesseract ran past {timeout:g} s on {source or 'an image'} page "
            f"{page}; raise SOHOA_OCR_TIMEOUT or check the page image",
            file=source, page=page,
        ) from e
    except FileNotFoundError as e:
        installed_languages.cache_clear()
        raise MissingDependency(
            "tesseract is not installed; install the Debian package tesseract-ocr"
        ) from e
    _log_stderr(proc.stderr, source, page, quiet=quiet)
    if check and proc.returncode:
        _raise_failure(proc, source, page)
    return proc


def _raise_failure(
    proc: subprocess.CompletedProcess[str], source: str, page: int | None
) -> None:
    if "Failed loading language" in proc.stderr:
        lang = re.search(r"Failed loading language '([^']+)'", proc.stderr)
        check_languages(lang.group(1) if lang else "")
    last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
    raise OcrError(
        f"tesseract failed (exit {proc.returncode}) on {source or 'an image'} "
        f"page {page}: {last}; check that the page image opens",
        file=source, page=page,
    )


def _log_stderr(stderr: str, source: str, page: int | None, *, quiet: bool) -> None:
    for line in stderr.splitlines():
        line = line.strip()
        if not line:
            continue
        benign = quiet or line.startswith(_BENIGN)
        level = logging.DEBUG if benign else logging.WARNING
        log.log(level, "tesseract on %s page %s: %s", source, page, line)
