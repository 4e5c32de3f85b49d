"""Batches: upload from a scanning station, then follow the progress."""

from __future__ import annotations

import shutil
import uuid

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from api.batch_form import DOSSIER_FIELD, batch_station, validate_dossier_code
from api.deps import ContextDep, ReadableBatch, SessionDep, StationUser
from api.schemas import (
    BatchAccepted,
    BatchPublic,
    ErrorPublic,
    QuarantinePublic,
    ValidationErrorPublic,
)
from api.upload import UploadInvalid, spool_upload
from archive.catalogue import batch_progress
from archive.models import Batch, Document, Quarantine
from core.types import DocState
from ingest.batch import open_batch

router = APIRouter(prefix="/batches", tags=["batches"], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
})

_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {
        "type": "object", "required": ["files"],
        "properties": {
            "files": {"type": "array",
                      "items": {"type": "string", "format": "binary"}},
            "dossier": {"type": "string", "maxLength": 100,
                        "description": "dossier code: letters, digits and "
                        "'. _ - /', e.g. HS-2024-TV-0001"},
            "station": {"type": "string",
                        "description": "station name, for admin keys (default: "
                        "the key's name); a station key is always recorded "
                        "under its own name"},
        },
    },
}}}}


@router.post("", status_code=202, response_model=BatchAccepted,
             openapi_extra=_FORM, responses={
                 413: {"model": ErrorPublic}, 422: {"model": ErrorPublic}})
async def upload_batch(request: Request, ctx: ContextDep,
                       user: StationUser) -> BatchAccepted:
    """Upload files as one batch; it is processed in the background.

    The batch is recorded under the station of the caller: a `station` key
    always records its own name (a `station` form field is then only
    logged), so that it can follow its batches and no other station's; an
    admin key records the form's `station`, or its own name. A `dossier`
    code has 1 to 100 letters, digits and `. _ - /`, without `..` and
    without a separator at either end. A body cut short before its closing
    boundary is refused (422 `upload.invalid`) and leaves nothing behind.
    """
    uploads = ctx.settings.data_dir / "uploads"
    incoming = uploads / f".incoming-{uuid.uuid4().hex}"
    try:
        spooled = await spool_upload(
            request, incoming, max_file_bytes=ctx.settings.ocr.max_file_bytes
        )
        if not spooled.files:
            raise UploadInvalid("the upload holds no file; send them as 'files'")
        dossier = spooled.fields.get(DOSSIER_FIELD) or None
        if dossier is not None:
            dossier = validate_dossier_code(dossier)
        station = batch_station(user, spooled.fields.get("station") or None)
        batch_id = await run_in_threadpool(
            open_batch, ctx, station=station, files_total=len(spooled.files),
            status="queued",
        )
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    folder = uploads / batch_id
    incoming.rename(folder)
    request.app.state.dispatcher.submit(batch_id, folder, dossier, station)
    return BatchAccepted(id=batch_id, status="queued", files=len(spooled.files),
                         # Relative: the Host header is the client's to forge.
                         progress_url=request.app.url_path_for(
                             "read_batch", batch_id=batch_id))


@router.get("/{batch_id}", response_model=BatchPublic,
            responses={404: {"model": ErrorPublic},
                       422: {"model": ValidationErrorPublic}})
def read_batch(batch_id: ReadableBatch, session: SessionDep) -> BatchPublic:
    """Progress of a batch, its quarantined files and archived documents.

    Officers, archivists and admins read every batch; a `station` key reads
    only the batches recorded under its own name, and another station's
    batch answers 404 as if it did not exist.
    """
    progress = batch_progress(session, batch_id=batch_id)
    station = session.get(Batch, progress.batch_id).station
    problems = session.scalars(
        select(Quarantine).where(Quarantine.batch_id == progress.batch_id)
        .order_by(Quarantine.id)
    )
    archived = session.scalars(
        select(Document.id).where(Document.batch_id == progress.batch_id,
                                  Document.state == DocState.archived)
        .order_by(Document.created_at, Document.id)
    )
    return BatchPublic(
        id=progress.batch_id, station=station, status=progress.status,
        files_total=progress.files_total, files_done=progress.files_done,
        pages_total=progress.pages_total, pages_done=progress.pages_done,
        duplicates=progress.duplicates, quarantined=progress.quarantined,
        created_at=progress.created_at, finished_at=progress.finished_at,
        quarantine=[QuarantinePublic(filename=q.filename, page=q.page,
                                     code=q.code, reason=q.reason)
                    for q in problems],
        documents=list(archived),
        error=progress.error,
    )
