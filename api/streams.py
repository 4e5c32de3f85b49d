"""Answers that stream stored objects, and page images rendered from PDFs."""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

import pypdfium2 as pdfium
from fastapi.responses import Response, StreamingResponse
from PIL import Image

from archive.store import ObjectStore
from core.errors import NotFound
from core.textfold import fold

CHUNK = 256 * 1024
IMAGE_DPI = 150
# pdfium is not thread-safe: one rendering at a time in this process.
_PDFIUM = threading.Lock()


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """A ``Content-Disposition`` value safe for any file name (RFC 6266).

    ``filename`` is an ASCII fallback without diacritics; ``filename*``
    carries the real name in UTF-8 (RFC 5987), e.g. ``Quyết định.pdf``.
    """
    name = unicodedata.normalize("NFC", filename)
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in "._-() ") else "_"
        for c in fold(name) if not unicodedata.category(c).startswith("C")
    ).strip() or "download"
    kind = "attachment" if attachment else "inline"
    return (f'{kind}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


def stream_object(
    store: ObjectStore,
    key: str,
    *,
    media_type: str,
    filename: str | None = None,
    attachment: bool = False,
) -> StreamingResponse:
    """Stream the object at ``key``; 404 (``storage.not_found``) if missing."""
    info = store.stat(key)
    headers = {"Content-Length": str(info.size)}
    if info.sha256:
        headers["ETag"] = f'"{info.sha256}"'
    if filename:
        headers["Content-Disposition"] = content_disposition(
            filename, attachment=attachment
        )
    return StreamingResponse(_chunks(store, key), media_type=media_type,
                             headers=headers)


def _chunks(store: ObjectStore, key: str) -> Iterator[bytes]:
    with store.open(key) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def page_png(
    store: ObjectStore, key: str, number: int, *, dpi: int = IMAGE_DPI
) -> Response:
    """Render page ``number`` (from 1) of the PDF at ``key`` as a PNG."""
    with tempfile.TemporaryFile() as spool:
        with store.open(key) as stream:
            shutil.copyfileobj(stream, spool, CHUNK)
        spool.seek(0)
        image = _render(spool, number, dpi)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return Response(out.getvalue(), media_type="image/png")


def _render(pdf_file: BinaryIO, number: int, dpi: int) -> Image.Image:
    with _PDFIUM:
        pdf = pdfium.PdfDocument(pdf_file)
        try:
            if not 1 <= number <= len(pdf):
                raise NotFound(f"page {number} does not exist; the document has "
                               f"{len(pdf)} page(s)", page=number)
            bitmap = pdf[number - 1].render(scale=dpi / 72)
            return bitmap.to_pil().copy()
        finally:
            pdf.close()
