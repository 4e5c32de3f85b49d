"""Full-text search of the catalogue: page-level hits with snippets.

``search(session, "quyet dinh mot cua")`` finds pages reading
``Quyết định … một cửa``: the query and the pages are compared folded
(lowercase, no diacritics, ``đ`` → ``d``), and documents whose text holds
the query exactly as typed, diacritics included, rank first. Every word must
appear on the page (AND); ``"một cửa"`` in double quotes is a phrase. Other
punctuation only separates words, so no query can break the search syntax.
Snippets mark matched words between ``«`` and ``»`` and mask citizen ID
numbers unless the caller may see them. An empty query lists the documents
that pass the filters. Only archived documents of dossiers not destroyed are
ever found; received, quarantined and destroyed ones are not.

One back end per database: :mod:`archive.search.sqlite` (FTS5) and
:mod:`archive.search.postgres` (``tsvector``, ``pg_trgm`` fallback); the
search structures come from the migrations in ``archive/migrations``.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session

from archive.search import postgres, sqlite
from archive.search.query import parse
from archive.search.results import SearchRequest, list_documents
from archive.search.types import Hit, PageHit, SearchFilters, SearchResult
from core.errors import ConfigError

__all__ = ["Hit", "PageHit", "SearchFilters", "SearchResult", "search"]

log = logging.getLogger(__name__)
_BACKENDS = {"sqlite": sqlite.search, "postgresql": postgres.search}
MAX_LIMIT = 200


def search(
    session: Session,
    query: str,
    *,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    can_see_ids: bool = False,
) -> SearchResult:
    """Find documents whose pages match ``query`` and pass ``filters``.

    Args:
        session: a catalogue session (only read from).
        query: words, ``"quoted phrases"``; blank to list by filters only.
        filters: conditions on the document and its dossier.
        limit: hits per result page, at most :data:`MAX_LIMIT`.
        offset: hits to skip, for paging.
        can_see_ids: show citizen ID numbers in snippets unmasked.

    Returns:
        The hits of this result page, best first, and the total count.
    """
    limit, offset = max(0, min(limit, MAX_LIMIT)), max(0, offset)
    if not query.strip():
        return list_documents(session, filters, limit=limit, offset=offset)
    parsed = parse(query)
    if parsed.empty:
        return SearchResult([], 0)
    dialect = session.get_bind().dialect.name
    backend = _BACKENDS.get(dialect)
    if backend is None:
        raise ConfigError(
            f"search does not run on {dialect}: set SOHOA_DATABASE_URL to a "
            "SQLite or PostgreSQL database"
        )
    request = SearchRequest(
        parsed.words(), filters, limit=limit, offset=offset, can_see_ids=can_see_ids
    )
    started = time.perf_counter()
    result = backend(session, parsed, request)
    log.debug(
        "search: %d clauses, %d documents, fuzzy=%s, %.1f ms",
        len(parsed.clauses), result.total, result.fuzzy,
        (time.perf_counter() - started) * 1000,
    )
    return result
