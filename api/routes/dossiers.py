"""Dossiers (hồ sơ) and their documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import OfficerUser, SessionDep
from api.schemas import (
    DocumentSummary,
    DossierPublic,
    ErrorPublic,
    ValidationErrorPublic,
)
from archive.catalogue import get_dossier

router = APIRouter(prefix="/dossiers", tags=["dossiers"], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
    404: {"model": ErrorPublic}, 422: {"model": ValidationErrorPublic},
})

DossierKey = Annotated[str, Path(min_length=1, max_length=100,
                                 description="dossier code, id or id prefix")]


@router.get("/{dossier:path}", response_model=DossierPublic)
def read_dossier(dossier: DossierKey, session: SessionDep,
                 user: OfficerUser) -> DossierPublic:
    """A dossier with its documents, by code or id."""
    found = get_dossier(session, dossier_id_or_code=dossier)
    docs = sorted(found.documents, key=lambda d: (d.created_at, d.id))
    return DossierPublic(
        id=found.id, code=found.code, title=found.title, state=found.state,
        created_at=found.created_at, retention_class=found.retention_class,
        disposal_date=found.disposal_date,
        documents=[DocumentSummary(id=d.id, filename=d.filename, state=d.state,
                                   pages=d.page_count, doc_type=d.doc_type,
                                   number=d.number, issued_date=d.issued_date)
                   for d in docs],
    )
