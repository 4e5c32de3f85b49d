"""Both search back ends return the same documents for the same queries on
the corpus, and PostgreSQL's trigram fallback finds noisy words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, sessionmaker

from archive.db import init_schema, make_engine, session_factory, unit_of_work
from archive.models import Document, Dossier, Page
from archive.search import SearchFilters, search
from tests.archive.conftest import Seeded, fill
from tests.archive.test_search import fill_archived
from tests.archive.test_search_visibility import QUERIES as HIDING_QUERIES
from tests.archive.test_search_visibility import add_hidden

pytestmark = pytest.mark.db

# Each finds at least one document.
QUERIES = [
    "quyet dinh mot cua", "Quyết định", "quyết định", "QUYẾT ĐỊNH", "một cửa",
    '"một cửa liên thông"', "Trà Vinh", "985/QĐ-TTg", "QĐ-UBND", "61/2018/NĐ-CP",
    "COVID-19", "hoc sinh nghi hoc", "Đà Nẵng", "đối tác công tư", "CMND",
    "thủ tục hành chính", "Sequencer", "hiệu lực", "ubnd", "năm 2020",
]
# Each finds nothing.
NOTHING = ["'; DROP TABLE page; --", '"', "NEAR(", "-", '"cửa liên một"']


Catalogue = tuple[sessionmaker[Session], Seeded]


def _catalogue(url: str, corpus: Path, *, hidden: bool = False
               ) -> Iterator[Catalogue]:
    """Six archived documents, or (``hidden``) the five archived ones of
    :func:`fill` beside documents no search may show."""
    engine = make_engine(url)
    init_schema(engine)
    factory = session_factory(engine)
    if hidden:
        seeded = fill(factory, corpus)
        add_hidden(factory, seeded, corpus)
    else:
        seeded = fill_archived(factory, corpus)
    yield factory, seeded
    engine.dispose()


@pytest.fixture
def both(
    tmp_path: Path, pg_database: str, corpus: Path
) -> Iterator[list[tuple[sessionmaker[Session], Seeded]]]:
    """The same catalogue on SQLite and on PostgreSQL."""
    lite = _catalogue(f"sqlite:///{tmp_path / 'parity.db'}", corpus)
    pg = _catalogue(pg_database, corpus)
    yield [next(lite), next(pg)]
    for gen in (lite, pg):
        next(gen, None)


@pytest.fixture
def both_hidden(tmp_path: Path, pg_database: str, corpus: Path) -> Iterator[list]:
    """The catalogue with hidden documents on SQLite and on PostgreSQL."""
    lite = _catalogue(f"sqlite:///{tmp_path / 'hidden.db'}", corpus, hidden=True)
    pg = _catalogue(pg_database, corpus, hidden=True)
    yield [next(lite), next(pg)]
    for gen in (lite, pg):
        next(gen, None)


def _found(factory, seeded: Seeded, query: str, **kwargs) -> dict[str, bool]:
    """Names of the documents found, each with True if it matched exactly."""
    with factory() as session:
        result = search(session, query, **kwargs)
    assert not result.fuzzy, query
    return {seeded.name_of(h.document_id): h.score >= 1 for h in result.hits}


def _names(factory, seeded: Seeded, query: str, **kwargs) -> list[str]:
    return list(_found(factory, seeded, query, **kwargs))


@pytest.mark.parametrize("query", QUERIES)
def test_same_documents_on_both_back_ends(both, query: str) -> None:
    (lite, lite_seed), (pg, pg_seed) = both
    on_sqlite = _found(lite, lite_seed, query)
    assert on_sqlite
    assert on_sqlite == _found(pg, pg_seed, query)


@pytest.mark.parametrize("query", NOTHING)
def test_nothing_on_both_back_ends(both, query: str) -> None:
    for factory, seeded in both:
        assert _found(factory, seeded, query) == {}


def test_same_documents_with_filters(both) -> None:
    (lite, lite_seed), (pg, pg_seed) = both
    filters = SearchFilters(agency="tra vinh")
    for query in ("", "quyet dinh", "cong dan"):
        assert set(_names(lite, lite_seed, query, filters=filters)) == set(
            _names(pg, pg_seed, query, filters=filters)
        )


def test_only_archived_documents_on_both(both_hidden) -> None:
    filters = SearchFilters(agency="tra vinh")
    for factory, seeded in both_hidden:
        for query, expected in HIDING_QUERIES.items():
            assert set(_names(factory, seeded, query)) == expected, query
        listed = _names(factory, seeded, "", limit=50)
        assert listed == ["decree", "form", "congvan", "bare", "travinh"]
        assert set(_names(factory, seeded, "", filters=filters)) == {
            "travinh", "form"}
        with factory() as session:
            # The English page is only "extracted": no trigram match either.
            assert search(session, "Sequencr").hits == []


def test_exact_form_ranks_first_on_both(both) -> None:
    for factory, seeded in both:
        assert _names(factory, seeded, "Quyết định")[-1] == "bare"


@pytest.fixture
def pg_factory(pg_database: str, corpus: Path) -> Iterator[tuple]:
    yield from _catalogue(pg_database, corpus)


@pytest.mark.parametrize(
    ("query", "name", "marked"),
    [
        ("Trà Vinb", "travinh", "«TRÀ» «VINH»"),
        ("Sequencr", "linn", "«Sequencer»"),
        ("khẩn trươmg", "congvan", "«khẩn» «trương»"),
    ],
)
def test_trigram_fallback_finds_a_wrong_letter(pg_factory, query, name, marked) -> None:
    factory, seeded = pg_factory
    with factory() as session:
        result = search(session, query)
    assert result.fuzzy
    found = {seeded.name_of(h.document_id): h for h in result.hits}
    assert name in found
    assert any(marked in p.snippet for p in found[name].pages)


def test_no_fallback_for_phrases_or_nonsense(pg_factory) -> None:
    factory, _ = pg_factory
    with factory() as session:
        assert search(session, '"vinh trà"').hits == []
        assert search(session, "zqxwv").hits == []


def test_fallback_ignores_words_of_hidden_documents(pg_factory) -> None:
    """A misread word that only a received document holds still goes to the
    trigram fallback, which finds the archived page with the right word."""
    factory, seeded = pg_factory
    with unit_of_work(factory) as session:
        dossier = Dossier(code="HS-RECEIVED-1", title="")
        session.add(dossier)
        session.flush()
        doc = Document(id="f" * 32, dossier_id=dossier.id, original_sha256="f" * 64,
                       filename="scan.jpg", media_type="image/jpeg",
                       state="received")
        session.add(Page(document=doc, number=1, text="LinnSequencr touch key"))
    with factory() as session:
        result = search(session, "LinnSequencr")
    assert result.fuzzy
    assert [seeded.name_of(h.document_id) for h in result.hits] == ["linn"]


def test_fallback_out_of_time_finds_nothing_and_leaves_the_session_usable(
    pg_factory, monkeypatch
) -> None:
    """On a large catalogue the trigram scan can take seconds: past its
    budget it gives up, and the session goes on working."""
    from archive.search import postgres as pg_search

    factory, seeded = pg_factory
    with factory() as session:
        session.execute(sql_text("SELECT set_config('statement_timeout', '0', false)"))
        monkeypatch.setattr(pg_search, "FUZZY_BUDGET_MS", 1)
        monkeypatch.setattr(pg_search, "fuzzy_matches", _slow(pg_search.fuzzy_matches))
        assert search(session, "Trà Vinb").hits == []
        monkeypatch.undo()
        assert search(session, "Trà Vinb").fuzzy
        timeout = session.execute(sql_text("SHOW statement_timeout")).scalar()
    assert timeout == "0"


def _slow(build):
    """Wrap the fallback's query with a 50 ms sleep per page."""
    from sqlalchemy import func as sa_func

    def slow(session, parsed):
        query = build(session, parsed)
        return query.where(sa_func.pg_sleep(0.05).is_not(None))

    return slow
