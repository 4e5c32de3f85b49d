"""Moving files between a worker's disk and the object store.

Workers share nothing but the store and the catalogue: uploads arrive under
``uploads/<batch-id>/``, each page's outputs go to ``work/<document-id>/<n>/``
and the document's last stage reads them back from there.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Any

from core.errors import StorageError
from ingest.collect import collect
from ingest.context import Context

log = logging.getLogger(__name__)

CHUNK = 1 << 20
CACHE_MAX_AGE = 3600.0


def upload_prefix(batch_id: str) -> str:
    """Where the files of a batch wait for ``receive_batch``."""
    return f"uploads/{batch_id}/"


def work_prefix(document_id: str, number: int) -> str:
    """Where the outputs of one page wait for ``finish_document``."""
    return f"work/{document_id}/{number}/"


def fetch(ctx: Context, key: str, dest: Path) -> Path:
    """Stream the object ``key`` to ``dest`` (written whole or not at all)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f"{dest.name}.{os.getpid()}.part")
    with ctx.store.open(key) as src, part.open("wb") as out:
        shutil.copyfileobj(src, out, CHUNK)
    part.replace(dest)
    return dest


def cached_original(ctx: Context, sha256: str) -> Path:
    """A local copy of ``originals/<sha256>``, kept for the next pages."""
    cache = ctx.settings.work_dir / "originals"
    path = cache / sha256
    if path.exists():
        path.touch()
        return path
    _prune(cache)
    return fetch(ctx, f"originals/{sha256}", path)


def _prune(cache: Path) -> None:
    if not cache.is_dir():
        return
    old = time.time() - CACHE_MAX_AGE
    for item in cache.iterdir():
        if item.stat().st_mtime < old:
            item.unlink(missing_ok=True)


def put_uploads(
    ctx: Context, batch_id: str, paths: list[Path], *, per_folder: bool = False
) -> int:
    """Put the files under ``paths`` into ``uploads/<batch-id>/``.

    With ``per_folder`` each key carries the file's folder name, which
    ``receive_batch`` uses as the dossier code. Returns the file count.
    """
    names: set[str] = set()
    uploads, skipped = collect(paths)
    for _path, reason in skipped:
        log.warning("batch %s: skipped %s", batch_id[:12], reason)
    for upload in uploads:
        name = _unique(_segment(upload.path.name), names)
        group = f"{_segment(upload.group)}/" if per_folder else ""
        key = f"{upload_prefix(batch_id)}{group}{name}"
        ctx.store.put_file(key, upload.path)
    log.info("batch %s: %d file(s) uploaded", batch_id[:12], len(uploads))
    return len(uploads)


def _segment(name: str) -> str:
    clean = unicodedata.normalize("NFC", name).replace("/", "_").replace("\\", "_")
    clean = "".join(c if c.isprintable() else "_" for c in clean).lstrip(".")
    return clean or "file"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def put_page(ctx: Context, document_id: str, outcome: dict[str, Any]) -> dict:
    """Store a page's JSON, one-page PDF and thumbnail; return their keys."""
    prefix = work_prefix(document_id, outcome["number"])
    part = outcome["part"]
    keys: dict[str, Any] = {"part": {"kind": part["kind"], "index": part["index"]}}
    if part["kind"] == "ocr":
        keys["pdf"] = f"{prefix}page.pdf"
        ctx.store.put_file(keys["pdf"], Path(part["path"]),
                           media_type="application/pdf")
    keys["thumb"] = f"{prefix}thumb.webp"
    ctx.store.put_file(keys["thumb"], Path(outcome["thumb"]), media_type="image/webp")
    keys["json"] = f"{prefix}page.json"
    body = json.dumps(outcome["page"], ensure_ascii=False).encode()
    ctx.store.put_bytes(keys["json"], body, media_type="application/json")
    return keys


def get_page(
    ctx: Context, number: int, keys: dict[str, Any], *, work_dir: Path,
    original: Path,
) -> dict[str, Any]:
    """Fetch a page's outputs into ``work_dir`` as a pipeline page outcome."""
    stem = work_dir / f"page-{number:04d}"
    with ctx.store.open(keys["json"]) as src:
        page = json.load(src)
    part = dict(keys["part"])
    if part["kind"] == "ocr":
        part["path"] = str(fetch(ctx, keys["pdf"], stem.with_suffix(".pdf")))
    else:
        part["path"] = str(original)
    thumb = fetch(ctx, keys["thumb"], stem.with_suffix(".webp"))
    return {"number": number, "page": page, "part": part, "thumb": str(thumb)}


def remove_prefix(ctx: Context, prefix: str) -> None:
    """Delete the scratch objects under ``prefix``; failures only warn."""
    try:
        for info in list(ctx.store.list(prefix)):
            ctx.store.delete(info.key)
    except StorageError as exc:
        log.warning("scratch objects under %s left behind: %s", prefix, exc.message)
