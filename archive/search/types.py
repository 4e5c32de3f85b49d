"""What a search takes and returns: filters, hits and pages of hits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Highlighted words of a snippet are wrapped in these marks.
MARK_OPEN = "«"
MARK_CLOSE = "»"


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search; every filter set must hold (AND).

    ``doc_type`` and ``agency`` ignore case and diacritics; ``agency`` matches
    a part of the name (``Trà Vinh`` finds ``ỦY BAN NHÂN DÂN TỈNH TRÀ VINH``),
    of the issuing agency or of its parent agency (``Đà Nẵng`` finds a
    ``SỞ GIÁO DỤC VÀ ĐÀO TẠO`` under ``UBND THÀNH PHỐ ĐÀ NẴNG``).
    ``number`` matches the whole number/symbol or its number part
    (``1949`` finds ``1949/QĐ-UBND``). ``date_from``/``date_to`` bound the
    issue date, both inclusive. ``dossier_code`` is exact.
    ``retention_state`` is the dossier's ``state`` (``open``, ``closed`` …).
    """

    doc_type: str | None = None
    agency: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    number: str | None = None
    dossier_code: str | None = None
    retention_state: str | None = None


@dataclass(frozen=True)
class PageHit:
    """One matching page: its number (from 1) and a snippet of its text with
    the matched words between ``«`` and ``»``."""

    page: int
    snippet: str


@dataclass(frozen=True)
class Hit:
    """One matching document with its dossier, fields and matching pages.

    ``score`` orders the hits: 1 plus the relevance (0–1) when the query has
    diacritics and the text has them exactly as typed, the relevance alone
    otherwise, 0 when listing by filters only.
    """

    dossier_id: str
    dossier_code: str
    document_id: str
    filename: str
    doc_type: str | None
    number: str | None
    issued_date: dt.date | None
    agency: str | None
    score: float
    pages: list[PageHit] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResult:
    """A page of hits; ``total`` counts every matching document and
    ``fuzzy`` tells that the hits come from the trigram fallback."""

    hits: list[Hit]
    total: int
    fuzzy: bool = False
