"""Streaming a multipart upload to a folder, one file per part.

The body is parsed as it arrives: file parts go straight to disk under a
safe name and a part over the size limit stops the upload at once, so no
upload is ever held whole in memory or written past the limit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import anyio
from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from core.errors import InputError

FILE_FIELD = "files"
MAX_TEXT_FIELD = 1000
MAX_NAME_CHARS = 150
_UNSAFE = re.compile(r"[^\w.\-() ]+", re.UNICODE)


class UploadInvalid(InputError):
    code = "upload.invalid"


class UploadTooLarge(InputError):
    code = "upload.too_large"
    http_status = 413


@dataclass
class SpooledUpload:
    """What an upload left on disk: stored file names and the text fields."""

    folder: Path
    files: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def safe_filename(name: str, *, fallback: str) -> str:
    """A file name that stays inside its folder and reads the same.

    Folders (``../../x.pdf`` or ``C:\\x.pdf``), NUL and control characters
    and leading dots are dropped; Vietnamese letters are kept (NFC). An
    empty result becomes ``fallback``.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        keep = MAX_NAME_CHARS - len(suffix) - 1
        name = f"{stem[:keep]}.{suffix}" if dot and keep > 0 else name[:MAX_NAME_CHARS]
    return name or fallback


def unique_in(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/name-2.ext``… when that is taken."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


class _Spooler:
    """Multipart callbacks writing file parts to disk as they come."""

    def __init__(self, folder: Path, max_file_bytes: int) -> None:
        self.result = SpooledUpload(folder)
        self.max_file_bytes = max_file_bytes
        self._header_field = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._text: bytearray | None = None
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._size = 0
        self._pending: list[tuple[BinaryIO, bytes]] = []
        self._to_close: list[BinaryIO] = []
        self.ended = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        key = self._header_field.lower()
        self._headers[key] = self._headers.get(key, b"") + data[start:end]

    def on_header_end(self) -> None:
        self._header_field = b""

    def on_end(self) -> None:
        self.ended = True

    def on_part_begin(self) -> None:
        self._headers, self._size = {}, 0

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition",
                                                            b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        if raw is None and self._name != FILE_FIELD:
            self._text = bytearray()
            return
        fallback = f"upload-{len(self.result.files) + 1}"
        name = safe_filename((raw or b"").decode("utf-8", "replace"),
                             fallback=fallback)
        self._path = unique_in(self.result.folder, name)
        self._file = self._path.open("xb")
        self.result.files.append(self._path.name)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._size += end - start
        if self._file is not None:
            if self._size > self.max_file_bytes:
                raise UploadTooLarge(
                    f"{self._path.name}: over the limit of "
                    f"{self.max_file_bytes} bytes per file "
                    "(SOHOA_MAX_FILE_BYTES); split it or raise the limit",
                    file=self._path.name,
                )
            self._pending.append((self._file, data[start:end]))
        elif self._text is not None:
            if self._size > MAX_TEXT_FIELD:
                raise UploadInvalid(f"form field {self._name!r} is over "
                                    f"{MAX_TEXT_FIELD} bytes")
            self._text += data[start:end]

    def on_part_end(self) -> None:
        if self._file is not None:
            self._to_close.append(self._file)
        elif self._text is not None:
            value = self._text.decode("utf-8", "replace").strip()
            self.result.fields[self._name] = value
        self._file, self._text = None, None

    def flush(self) -> None:
        """Write the data parsed so far and close finished files."""
        for handle, data in self._pending:
            handle.write(data)
        for handle in self._to_close:
            handle.close()
        self._pending, self._to_close = [], []

    def abort(self) -> None:
        """Close every open file (after an error)."""
        for handle in {id(h): h for h, _ in self._pending}.values():
            handle.close()
        for handle in [*self._to_close, self._file]:
            if handle is not None:
                handle.close()


async def spool_upload(
    request: Request, folder: Path, *, max_file_bytes: int
) -> SpooledUpload:
    """Parse the multipart body of ``request`` into ``folder``.

    Raises:
        UploadInvalid: the body is not ``multipart/form-data``, is malformed
            or cut short before its closing boundary, or a text field is too
            long.
        UploadTooLarge: a file is over ``max_file_bytes``.
    """
    ctype, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UploadInvalid("send the files as multipart/form-data, field 'files'")
    folder.mkdir(parents=True, exist_ok=False)
    spooler = _Spooler(folder, max_file_bytes)
    parser = MultipartParser(boundary, _callbacks(spooler))
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            await anyio.to_thread.run_sync(spooler.flush)
        parser.finalize()
        spooler.flush()
        if not spooler.ended:
            raise UploadInvalid("the multipart body ends before its closing "
                                "boundary; the upload was cut short, send it again")
    except MultipartParseError as exc:
        spooler.abort()
        raise UploadInvalid(f"the multipart body is malformed: {exc}") from exc
    except BaseException:
        spooler.abort()
        raise
    return spooler.result


def _callbacks(spooler: _Spooler) -> dict:
    names = ("on_part_begin", "on_part_data", "on_part_end", "on_header_field",
             "on_header_value", "on_header_end", "on_headers_finished", "on_end")
    return {name: getattr(spooler, name) for name in names}
