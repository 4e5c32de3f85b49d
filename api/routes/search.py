"""Full-text search over documents, with filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import OfficerUser, SessionDep
from api.schemas import ErrorPublic, SearchPublic, ValidationErrorPublic
from archive.search import SearchFilters, search

router = APIRouter(tags=["search"], responses={
    401: {"model": ErrorPublic}, 403: {"model": ErrorPublic},
    422: {"model": ValidationErrorPublic},
})


@router.get("/search", response_model=SearchPublic)
def search_documents(
    session: SessionDep,
    user: OfficerUser,
    q: Annotated[str, Query(max_length=500,
                            description="words, with or without diacritics; "
                            "\"quoted phrase\"")] = "",
    doc_type: Annotated[str | None, Query(alias="type", max_length=60,
                                          description="e.g. Quyết định")] = None,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
    number: Annotated[str | None, Query(max_length=60,
                                        description="e.g. 1949/QĐ-UBND")] = None,
    dossier: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict:
    """Documents matching the query and filters, best first, with the
    matching pages and snippets (citizen IDs masked for officers)."""
    filters = SearchFilters(doc_type=doc_type, agency=agency, date_from=date_from,
                            date_to=date_to, number=number, dossier_code=dossier)
    result = search(session, q, filters=filters, limit=limit, offset=offset,
                    can_see_ids=user.can_see_ids)
    return {"data": [dataclasses.asdict(h) for h in result.hits],
            "count": result.total, "fuzzy": result.fuzzy}
