"""File type detection from the bytes, never from the name."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from core.errors import EmptyFile, UnsupportedFormat

_BOMS = (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")
# How far into a file a PDF header may stand (Acrobat accepts 1024 bytes).
_PDF_WINDOW = 1024


@dataclass(frozen=True)
class Kind:
    """A supported input kind: ``pdf``, ``tiff``, ``jpeg`` or ``png``."""

    name: str
    media_type: str


PDF = Kind("pdf", "application/pdf")
TIFF = Kind("tiff", "image/tiff")
JPEG = Kind("jpeg", "image/jpeg")
PNG = Kind("png", "image/png")

_OTHERS = (
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (office document?)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"RIFF", "a RIFF file (WebP/AVI/WAV)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)


def sniff(path: Path) -> Kind:
    """Return the kind of ``path`` from its first bytes.

    Raises:
        EmptyFile: the file has no bytes.
        UnsupportedFormat: the bytes are not PDF, TIFF, JPEG or PNG.
    """
    with path.open("rb") as fh:
        head = fh.read(_PDF_WINDOW)
    if not head:
        raise EmptyFile(f"{path.name}: the file is empty (0 bytes); scan it again",
                        file=path.name)
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return TIFF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if _pdf_header(head):
        return PDF
    raise UnsupportedFormat(
        f"{path.name}: {_describe(head)} is not a supported format; "
        "upload PDF, TIFF, JPEG or PNG",
        file=path.name,
    )


def _pdf_header(head: bytes) -> bool:
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    return b"%PDF-" in head


def _describe(head: bytes) -> str:
    for magic, what in _OTHERS:
        if head.startswith(magic):
            return what
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # Not final: a character cut at the end of the sample is no error.
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "an unknown binary file"
    if "\x00" in text:
        return "an unknown binary file"
    return "a text file"
