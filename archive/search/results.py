"""The part of a search both back ends share: filters, ranking documents from
page matches, and turning rows into hits with snippets.

Only archived documents are ever found: those received, quarantined or
reduced to a tombstone (``destroyed``), and every document of a destroyed
dossier, are left out of queries and listings alike (:func:`visible`).

A back end hands over a *page-match* select with the columns ``page_id``,
``document_id``, ``number``, ``rel`` (relevance 0–1) and ``exact`` (1 when
the page holds the query exactly as typed, with its diacritics). A document
scores ``max(exact) + max(rel)`` over its pages, so every exact match ranks
above every folded-only match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from archive.models import Document, Dossier, FieldRow, Page
from archive.search.snippets import snippet
from archive.search.types import Hit, PageHit, SearchFilters, SearchResult
from core.textfold import fold
from core.types import DocState

MAX_PAGES_PER_HIT = 10
# The state of a dossier reduced to its tombstone by disposition.
DESTROYED = "destroyed"
# The field holding the agency above the issuing one (cơ quan chủ quản).
PARENT_AGENCY = "parent_agency"


@dataclass(frozen=True)
class SearchRequest:
    """The query words, filters and paging of one search."""

    words: list[str]
    filters: SearchFilters | None
    limit: int
    offset: int
    can_see_ids: bool = False
    fuzzy: bool = False


def visible() -> list[ColumnElement[bool]]:
    """SQL conditions that let through archived documents of dossiers that
    were not destroyed: the only ones a search may show."""
    return [Document.state == DocState.archived.value, Dossier.state != DESTROYED]


def filter_clauses(filters: SearchFilters | None) -> list[ColumnElement[bool]]:
    """SQL conditions on ``document`` and ``dossier`` for ``filters``, after
    the :func:`visible` ones."""
    clauses = visible()
    if filters is None:
        return clauses
    f = filters
    if f.doc_type:
        clauses.append(
            func.sohoa_fold(Document.doc_type) == func.sohoa_fold(f.doc_type)
        )
    if f.agency:
        clauses.append(_agency_matches(fold(f.agency)))
    if f.number:
        number = func.sohoa_fold(Document.number)
        clauses.append(or_(
            number == func.sohoa_fold(f.number),
            number.startswith(fold(f.number) + "/", autoescape=True),
        ))
    if f.date_from:
        clauses.append(Document.issued_date >= f.date_from)
    if f.date_to:
        clauses.append(Document.issued_date <= f.date_to)
    if f.dossier_code:
        clauses.append(Dossier.code == f.dossier_code)
    if f.retention_state:
        clauses.append(Dossier.state == f.retention_state)
    return clauses


def _agency_matches(folded: str) -> ColumnElement[bool]:
    """The issuing agency, or a parent agency field, holds ``folded``."""
    parent = exists().where(
        FieldRow.document_id == Document.id,
        FieldRow.name == PARENT_AGENCY,
        func.sohoa_fold(FieldRow.value).contains(folded, autoescape=True),
    )
    own = func.sohoa_fold(Document.agency).contains(folded, autoescape=True)
    return or_(own, parent)


def list_documents(
    session: Session, filters: SearchFilters | None, *, limit: int, offset: int
) -> SearchResult:
    """Documents passing ``filters``, newest issue date first, score 0."""
    query = (
        select(Document, Dossier.code, func.count().over().label("total"))
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(*filter_clauses(filters))
        .order_by(
            Document.issued_date.desc().nulls_last(),
            Document.created_at.desc(),
            Document.id,
        )
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(query).all()
    hits = [_hit(doc, code, 0.0, []) for doc, code, _ in rows]
    return SearchResult(hits, rows[0].total if rows else 0)


def rank(
    session: Session,
    matches: Select[Any],
    request: SearchRequest,
) -> SearchResult:
    """Group page matches by document, filter, order, page and snippet them."""
    m = _materialized(matches, "m")
    per_doc = (
        select(
            m.c.document_id,
            func.max(m.c.exact).label("exact"),
            func.max(m.c.rel).label("rel"),
        )
        .group_by(m.c.document_id)
        .subquery("d")
    )
    score = (per_doc.c.exact + per_doc.c.rel).label("score")
    query = (
        select(Document, Dossier.code, score, func.count().over().label("total"))
        .join(per_doc, per_doc.c.document_id == Document.id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(*filter_clauses(request.filters))
        .order_by(score.desc(), Document.id)
        .limit(request.limit)
        .offset(request.offset)
    )
    rows = session.execute(query).all()
    pages = _page_hits(session, matches, [r[0].id for r in rows], request)
    hits = [_hit(doc, code, float(s), pages[doc.id]) for doc, code, s, _ in rows]
    return SearchResult(hits, rows[0].total if rows else 0, request.fuzzy)


def _page_hits(
    session: Session, matches: Select[Any], doc_ids: list[str], request: SearchRequest
) -> dict[str, list[PageHit]]:
    """The best pages of each document, in page order, with snippets."""
    if not doc_ids:
        return {}
    m = _materialized(matches, "mp")
    query = (
        select(m.c.document_id, m.c.number, m.c.rel, Page.text)
        .join(Page, Page.id == m.c.page_id)
        .where(m.c.document_id.in_(doc_ids))
    )
    by_doc: dict[str, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        by_doc[row.document_id].append(row)
    result: dict[str, list[PageHit]] = defaultdict(list)
    for doc_id, rows in by_doc.items():
        best = sorted(rows, key=lambda r: -r.rel)[:MAX_PAGES_PER_HIT]
        for row in sorted(best, key=lambda r: r.number):
            text = snippet(
                row.text, request.words,
                can_see_ids=request.can_see_ids, fuzzy=request.fuzzy,
            )
            result[doc_id].append(PageHit(row.number, text))
    return result


def _materialized(matches: Select[Any], name: str) -> CTE:
    """The page matches as a CTE, computed once on SQLite: FTS5 ranking
    functions only run in the query holding the MATCH, which a flattened
    subquery is not. PostgreSQL inlines it and pushes conditions into it."""
    return matches.cte(name).prefix_with("MATERIALIZED", dialect="sqlite")


def _hit(doc: Document, code: str, score: float, pages: list[PageHit]) -> Hit:
    return Hit(
        dossier_id=doc.dossier_id,
        dossier_code=code,
        document_id=doc.id,
        filename=doc.filename,
        doc_type=doc.doc_type,
        number=doc.number,
        issued_date=doc.issued_date,
        agency=doc.agency,
        score=round(score, 6),
        pages=pages,
    )
