"""Batches: upload from a scanning station, then follow the progress."""

from __future__ import annotations

import shutil
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from api.deps import ContextDep, ReaderUser, SessionDep, StationUser
from api.schemas import BatchAccepted, BatchPublic, ErrorPublic, QuarantinePublic
from api.upload import UploadInvalid, spool_upload
from archive.catalogue import batch_progress
from archive.models import Batch, Document, Quarantine
from core.types import DocState
from ingest.batch import open_batch

router = APIRouter(prefix="/batches", tags=["batches"], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
})

BatchId = Annotated[str, Path(min_length=8, max_length=32, pattern="^[0-9a-f]+$")]
MAX_CODE = 100

_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {
        "type": "object", "required": ["files"],
        "properties": {
            "files": {"type": "array",
                      "items": {"type": "string", "format": "binary"}},
            "dossier": {"type": "string", "description": "dossier code"},
            "station": {"type": "string",
                        "description": "station name (default: the key's name)"},
        },
    },
}}}}


@router.post("", status_code=202, response_model=BatchAccepted,
             openapi_extra=_FORM, responses={
                 413: {"model": ErrorPublic}, 422: {"model": ErrorPublic}})
async def upload_batch(request: Request, ctx: ContextDep,
                       user: StationUser) -> BatchAccepted:
    """Upload files as one batch; it is processed in the background."""
    uploads = ctx.settings.data_dir / "uploads"
    incoming = uploads / f".incoming-{uuid.uuid4().hex}"
    try:
        spooled = await spool_upload(
            request, incoming, max_file_bytes=ctx.settings.ocr.max_file_bytes
        )
        if not spooled.files:
            raise UploadInvalid("the upload holds no file; send them as 'files'")
        dossier = spooled.fields.get("dossier") or None
        if dossier and len(dossier) > MAX_CODE:
            raise UploadInvalid(f"a dossier code has at most {MAX_CODE} characters")
        station = (spooled.fields.get("station") or user.name)[:MAX_CODE]
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
                         progress_url=str(request.url_for("read_batch",
                                                          batch_id=batch_id)))


@router.get("/{batch_id}", response_model=BatchPublic,
            responses={404: {"model": ErrorPublic}})
def read_batch(batch_id: BatchId, session: SessionDep,
               user: ReaderUser) -> BatchPublic:
    """Progress of a batch, its quarantined files and archived documents."""
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
    )
