"""Search on PostgreSQL with the ``tsvector`` columns of ``page``, and a
trigram fallback for noisy OCR.

Every query runs on ``search_folded``; when it was typed with diacritics,
pages whose ``search_exact`` matches it too are flagged ``exact``. Relevance
is ``ts_rank`` normalised to 0–1 (``rank / (rank + 1)``). When the
``tsvector`` match finds no document, each folded query word that no page
holds is looked up with ``pg_trgm`` word similarity (``%>``, threshold
:data:`FUZZY_THRESHOLD`) in ``text_folded``, the others still through the
``tsvector``; so a word with one wrong letter in the scan, or in the query,
still finds the page. Queries with a
quoted phrase get no fallback.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from archive.models import Document, Dossier, Page
from archive.search.query import Clause, ParsedQuery, tsquery
from archive.search.results import SearchRequest, rank, visible
from archive.search.types import SearchResult

# Vietnamese syllables are short: one wrong letter in five leaves 0.5–0.6.
FUZZY_THRESHOLD = 0.5
# Time the fallback may take before it gives up and nothing is found.
FUZZY_BUDGET_MS = 800
_QUERY_CANCELED = "57014"
log = logging.getLogger(__name__)
_EXACT = literal_column("page.search_exact", TSVECTOR)
_FOLDED = literal_column("page.search_folded", TSVECTOR)


def page_matches(parsed: ParsedQuery) -> Select[Any]:
    """Pages whose folded ``tsvector`` matches every clause of ``parsed``."""
    folded_q = cast(bindparam("folded_q", tsquery(parsed.folded())), TSQUERY)
    return select(
        Page.id.label("page_id"),
        Page.document_id.label("document_id"),
        Page.number.label("number"),
        cast(func.ts_rank(_FOLDED, folded_q, 32), Float).label("rel"),
        _exact(parsed).label("exact"),
    ).where(_FOLDED.op("@@")(folded_q))


def _exact(parsed: ParsedQuery) -> Any:
    if not parsed.has_diacritics:
        return literal(0)
    exact_q = cast(bindparam("exact_q", tsquery(parsed.clauses)), TSQUERY)
    return case((_EXACT.op("@@")(exact_q), 1), else_=0)


def fuzzy_matches(session: Session, parsed: ParsedQuery) -> Select[Any]:
    """Pages holding every folded query word: through the ``tsvector`` for
    words the catalogue knows, through trigram similarity for the others."""
    words = list(dict.fromkeys(w for c in parsed.folded() for w in c.words))
    known = [w for w in words if _indexed(session, w)]
    unknown = [w for w in words if w not in known]
    conditions = [_FOLDED.op("@@")(cast(literal(tsquery((Clause((w,)),))), TSQUERY))
                  for w in known]
    conditions += [Page.text_folded.op("%>")(w) for w in unknown]
    similarity = [func.word_similarity(w, Page.text_folded) for w in unknown]
    rel = sum(similarity[1:], similarity[0]) / len(unknown) if unknown else 1.0
    return select(
        Page.id.label("page_id"),
        Page.document_id.label("document_id"),
        Page.number.label("number"),
        cast(rel, Float).label("rel"),
        literal(0).label("exact"),
    ).where(and_(*conditions))


def _indexed(session: Session, word: str) -> bool:
    """True when some page a search may show holds ``word`` (folded) as a
    whole word."""
    query = tsquery((Clause((word,)),))
    found = session.execute(
        select(literal(1))
        .select_from(Page)
        .join(Document, Document.id == Page.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(_FOLDED.op("@@")(cast(literal(query), TSQUERY)), *visible())
        .limit(1)
    )
    return found.first() is not None


def _has_phrase(parsed: ParsedQuery) -> bool:
    """Phrases ask for words in a row, which trigrams cannot check."""
    return any(len(c.words) > 1 for c in parsed.clauses)


def search(
    session: Session, parsed: ParsedQuery, request: SearchRequest
) -> SearchResult:
    """Run ``parsed`` on the ``tsvector`` columns, then on trigrams if needed."""
    result = rank(session, page_matches(parsed), request)
    if result.total or request.offset or _has_phrase(parsed):
        return result
    fuzzy = _fuzzy_within_budget(session, parsed, request)
    return fuzzy if fuzzy is not None and fuzzy.total else result


def _fuzzy_within_budget(
    session: Session, parsed: ParsedQuery, request: SearchRequest
) -> SearchResult | None:
    """The trigram fallback, given at most :data:`FUZZY_BUDGET_MS`; ``None``
    when it ran out (a word matching nothing scans the trigram index, which
    on a large catalogue takes seconds)."""
    savepoint = session.begin_nested()
    try:
        session.execute(
            sql("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true),"
                " set_config('statement_timeout', :ms, true)"),
            {"t": str(FUZZY_THRESHOLD), "ms": str(FUZZY_BUDGET_MS)},
        )
        fuzzy = rank(session, fuzzy_matches(session, parsed),
                     replace(request, fuzzy=True))
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != _QUERY_CANCELED:
            raise
        savepoint.rollback()
        log.info("fuzzy search gave up after %d ms", FUZZY_BUDGET_MS)
        return None
    savepoint.rollback()  # also drops the two settings
    return fuzzy
