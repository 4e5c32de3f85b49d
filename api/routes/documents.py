"""Documents: metadata, files, page images, field corrections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import audit_hook
from api.auth import Principal
from api.deps import ContextDep, OfficerUser, SessionDep
from api.fields import correct_field
from api.schemas import (
    DocumentPublic,
    ErrorPublic,
    FieldPublic,
    FieldUpdate,
    ValidationErrorPublic,
)
from api.streams import page_png, stream_object
from archive.catalogue import get_document
from archive.db import unit_of_work
from archive.export import metadata_of
from archive.models import Document, StoredObject
from core.errors import NotFound
from core.masking import mask_id

router = APIRouter(prefix="/documents", tags=["documents"], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
    404: {"model": ErrorPublic}, 422: {"model": ValidationErrorPublic},
})

DocId = Annotated[str, Path(min_length=8, max_length=32, pattern="^[0-9a-f]+$",
                            description="document id or a unique prefix")]
PageNo = Annotated[int, Path(ge=1, le=100_000, description="page, from 1")]
ID_FIELDS = ("citizen_id",)


@router.get("/{document_id}", response_model=DocumentPublic)
def read_document(document_id: DocId, session: SessionDep,
                  user: OfficerUser) -> dict:
    """A document's metadata and fields (citizen IDs masked for officers)."""
    doc = get_document(session, document_id=document_id)
    body = metadata_of(session, doc, can_see_ids=user.can_see_ids)
    shown = sorted({f["name"] for f in body["fields"] if f["name"] in ID_FIELDS})
    if shown and user.can_see_ids:
        audit_hook.on_id_view(actor=user.actor, role=user.role,
                              document_id=doc.id, fields=shown, session=session)
    return body


@router.get("/{document_id}/pdf", response_class=StreamingResponse,
            responses={200: {"content": {"application/pdf": {}}}})
def read_pdf(document_id: DocId, session: SessionDep, ctx: ContextDep,
             user: OfficerUser) -> StreamingResponse:
    """The searchable PDF (page images with an invisible text layer)."""
    doc = get_document(session, document_id=document_id)
    key = _object_key(session, doc, f"derived/{doc.id}/searchable.pdf")
    return stream_object(ctx.store, key, media_type="application/pdf",
                         filename=_stem(doc.filename) + ".pdf")


@router.get("/{document_id}/original", response_class=StreamingResponse,
            responses={200: {"content": {"application/octet-stream": {}}}})
def read_original(document_id: DocId, session: SessionDep, ctx: ContextDep,
                  user: OfficerUser) -> StreamingResponse:
    """The original file as uploaded, byte for byte."""
    doc = get_document(session, document_id=document_id)
    key = _object_key(session, doc, f"originals/{doc.original_sha256}")
    return stream_object(ctx.store, key, media_type=doc.media_type,
                         filename=doc.filename, attachment=True)


@router.get("/{document_id}/pages/{number}/thumbnail",
            response_class=StreamingResponse,
            responses={200: {"content": {"image/webp": {}}}})
def read_thumbnail(document_id: DocId, number: PageNo, session: SessionDep,
                   ctx: ContextDep, user: OfficerUser) -> StreamingResponse:
    """The stored thumbnail of a page (WebP)."""
    doc = get_document(session, document_id=document_id)
    key = _object_key(session, doc, f"derived/{doc.id}/thumbs/{number}.webp")
    return stream_object(ctx.store, key, media_type="image/webp")


@router.get("/{document_id}/pages/{number}/image", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def read_page_image(document_id: DocId, number: PageNo, session: SessionDep,
                    ctx: ContextDep, user: OfficerUser) -> Response:
    """A page of the searchable PDF rendered as PNG at 150 dpi."""
    doc = get_document(session, document_id=document_id)
    key = _object_key(session, doc, f"derived/{doc.id}/searchable.pdf")
    return page_png(ctx.store, key, number)


@router.patch("/{document_id}/fields/{name}", response_model=FieldPublic)
def update_field(document_id: DocId, name: str, update: FieldUpdate,
                 ctx: ContextDep, user: OfficerUser) -> FieldPublic:
    """Correct a field; records who verified it and when."""
    with unit_of_work(ctx.sessions) as session:
        doc = get_document(session, document_id=document_id)
        row = correct_field(session, doc, name=name, value=update.value,
                            actor=user.actor)
        audit_hook.on_field_corrected(session, actor=user.actor,
                                      document_id=doc.id, name=name,
                                      value=update.value)
        return _field_public(row, user)


def _field_public(row, user: Principal) -> FieldPublic:
    value = row.value
    if row.name in ID_FIELDS and not user.can_see_ids:
        value = mask_id(value)
    return FieldPublic(name=row.name, value=value,
                       confidence=round(row.confidence, 3), page=row.page,
                       verified_by=row.verified_by, verified_at=row.verified_at)


def _object_key(session: Session, doc: Document, key: str) -> str:
    found = session.scalar(
        select(StoredObject.key).where(
            StoredObject.key == key, StoredObject.document_id == doc.id,
            StoredObject.deleted_at.is_(None),
        )
    )
    if found is None:
        raise NotFound(
            f"document {doc.id[:12]} has no {key.rsplit('/', 1)[-1]} "
            f"(state {doc.state}); it exists once the document is archived",
            document_id=doc.id,
        )
    return found


def _stem(filename: str) -> str:
    stem, dot, _ = filename.rpartition(".")
    return stem if dot and stem else filename
