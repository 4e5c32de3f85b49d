"""Search on SQLite with the FTS5 table ``page_fts``.

Every query runs on the folded column (so ``quyet dinh`` finds
``Quyết định``); when it was typed with diacritics, pages whose text column
matches it too are flagged ``exact``. Relevance is FTS5 ``bm25`` mapped to
0–1.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, column, literal, literal_column, select, table
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from archive.models import Page
from archive.search.query import ParsedQuery, fts5_match
from archive.search.results import SearchRequest, rank
from archive.search.types import SearchResult

_FTS = table("page_fts", column("rowid"))
# bm25() is negative, more negative is better: x / (1 + x) of its opposite.
_REL = literal_column("(-bm25(page_fts)) / (1.0 - bm25(page_fts))")


def page_matches(parsed: ParsedQuery) -> Select[Any]:
    """Pages matching every clause of ``parsed`` (see module docstring)."""
    folded = sql("page_fts MATCH :folded_q").bindparams(
        folded_q=fts5_match(parsed.folded(), "text_folded")
    )
    return (
        select(
            Page.id.label("page_id"),
            Page.document_id.label("document_id"),
            Page.number.label("number"),
            _REL.label("rel"),
            _exact(parsed).label("exact"),
        )
        .select_from(_FTS)
        .join(Page, Page.id == _FTS.c.rowid)
        .where(folded)
    )


def _exact(parsed: ParsedQuery) -> Any:
    if not parsed.has_diacritics:
        return literal(0)
    exact_ids = select(_FTS.c.rowid).where(
        sql("page_fts MATCH :exact_q").bindparams(
            exact_q=fts5_match(parsed.clauses, "text")
        )
    )
    return case((Page.id.in_(exact_ids), 1), else_=0)


def search(
    session: Session, parsed: ParsedQuery, request: SearchRequest
) -> SearchResult:
    """Run ``parsed`` on FTS5 and rank the documents."""
    return rank(session, page_matches(parsed), request)
