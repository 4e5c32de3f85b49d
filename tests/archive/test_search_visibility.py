"""Only archived documents of dossiers not destroyed are found, on both back
ends: not those received, quarantined or reduced to a tombstone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from archive.db import unit_of_work
from archive.models import Document, Dossier, Page
from archive.search import SearchFilters, SearchResult, search
from tests.archive.conftest import Seeded, corpus_pages

# name: document state, dossier state, text of its page (None: no page).
HIDDEN = {
    "received": ("received", "open", "travinh"),
    "quarantined": ("quarantined", "open", "form"),
    "tombstone": ("destroyed", "destroyed", None),
    "in_destroyed": ("archived", "destroyed", "decree"),
}
ARCHIVED = ["decree", "form", "congvan", "bare", "travinh"]
# Each finds what it finds among the archived documents, and would find
# every hidden document holding the same text.
QUERIES = {
    "quyet dinh mot cua": {"travinh", "bare", "congvan"},
    "số định danh": {"form", "congvan"},
    "đối tác công tư": {"decree", "congvan"},
    "MIDI sequence": set(),  # the English page is only "extracted"
}
FILTERS = [
    (SearchFilters(agency="Trà Vinh"), {"travinh", "form"}),
    (SearchFilters(number="1949"), {"travinh"}),
    (SearchFilters(doc_type="Nghị định"), {"decree"}),
    (SearchFilters(retention_state="destroyed"), set()),
    (SearchFilters(retention_state="open"), {"form"}),
]


def add_hidden(
    factory: sessionmaker[Session], seeded: Seeded, corpus: Path
) -> set[str]:
    """Add the documents of :data:`HIDDEN`, each a copy of an archived one
    (same type, number, date, agency and text); return their ids."""
    texts = corpus_pages(corpus)
    ids = set()
    with unit_of_work(factory) as session:
        for name, (state, dossier_state, like) in HIDDEN.items():
            twin = session.get(Document, seeded.ids[like or "travinh"])
            dossier = Dossier(code=f"HS-HIDDEN-{name}", title="", state=dossier_state)
            session.add(dossier)
            session.flush()
            sha = hashlib.sha256(f"hidden {name}".encode()).hexdigest()
            doc = Document(
                id=sha[:32], dossier_id=dossier.id, original_sha256=sha,
                filename=f"{name}.jpg", media_type="image/jpeg", state=state,
                doc_type=twin.doc_type, number=twin.number,
                issued_date=twin.issued_date, agency=twin.agency,
            )
            session.add(doc)
            for number, text in enumerate(texts[like] if like else [], start=1):
                session.add(Page(document=doc, number=number, text=text))
            ids.add(doc.id)
    return ids


@pytest.fixture
def hidden(factory: sessionmaker[Session], seeded: Seeded, corpus: Path) -> set[str]:
    return add_hidden(factory, seeded, corpus)


def found(factory: sessionmaker[Session], seeded: Seeded, hidden: set[str],
          query: str, **kwargs: object) -> SearchResult:
    """The search result, checked to hold no hidden document."""
    with factory() as session:
        result = search(session, query, **kwargs)  # type: ignore[arg-type]
    assert not {h.document_id for h in result.hits} & hidden
    assert set(seeded.ids.values()) >= {h.document_id for h in result.hits}
    return result


def test_listing_shows_archived_documents_only(factory, seeded, hidden) -> None:
    result = found(factory, seeded, hidden, "", limit=50)
    assert [seeded.name_of(h.document_id) for h in result.hits] == ARCHIVED
    assert result.total == len(ARCHIVED)


@pytest.mark.parametrize(("query", "expected"), list(QUERIES.items()))
def test_queries_skip_hidden_documents(factory, seeded, hidden, query,
                                       expected) -> None:
    result = found(factory, seeded, hidden, query)
    assert {seeded.name_of(h.document_id) for h in result.hits} == expected
    assert result.total == len(expected)


@pytest.mark.parametrize(("filters", "expected"), FILTERS)
def test_filters_skip_hidden_documents(factory, seeded, hidden, filters,
                                       expected) -> None:
    for query in ("", "quyet dinh"):
        result = found(factory, seeded, hidden, query, filters=filters)
        names = {seeded.name_of(h.document_id) for h in result.hits}
        assert names <= expected
        if not query:
            assert names == expected


def test_hidden_documents_hold_the_text_searched(factory, seeded, hidden) -> None:
    """The hidden copies really are searchable rows: pages and states kept."""
    with factory() as session:
        docs = [session.get(Document, i) for i in hidden]
        assert sorted(d.state for d in docs) == [
            "archived", "destroyed", "quarantined", "received"]
        assert sum(len(d.pages) for d in docs) == 4
