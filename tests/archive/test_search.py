"""Full-text search on both back ends, over real Vietnamese page texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive.db import unit_of_work
from archive.models import Document, FieldRow, Page
from archive.search import SearchFilters, SearchResult, search
from core.types import PageText
from metadata import extract
from tests.archive.conftest import Seeded, fill

HOSTILE = [
    '"', "*", "NEAR(", "-", "OR", "AND NOT", '"quyết', "quyết*", "{text}: x",
    "text_folded:quyet", "^a", "a:b", "'; DROP TABLE page; --", "()", "\\",
    "'", "&|!<->", ":*", "NEAR(quyết định, 2)", "x" * 3000, "đ" * 50,
]


def fill_archived(factory: sessionmaker[Session], corpus: Path) -> Seeded:
    """The catalogue of :func:`fill` with its ``extracted`` document (the
    English page ``linn``) archived too, so all six can be found."""
    seeded = fill(factory, corpus)
    with unit_of_work(factory) as session:
        session.execute(update(Document).where(Document.id == seeded.ids["linn"])
                        .values(state="archived"))
    return seeded


@pytest.fixture
def seeded(factory: sessionmaker[Session], corpus: Path) -> Seeded:
    """Six archived documents (see :func:`fill_archived`)."""
    return fill_archived(factory, corpus)


def names(result: SearchResult, seeded: Seeded) -> list[str]:
    return [seeded.name_of(h.document_id) for h in result.hits]


def run(factory: sessionmaker[Session], query: str, **kwargs: object) -> SearchResult:
    with factory() as session:
        return search(session, query, **kwargs)  # type: ignore[arg-type]


def test_folded_query_finds_decision(factory, seeded: Seeded) -> None:
    result = run(factory, "quyet dinh mot cua")
    found = names(result, seeded)
    assert found[0] == "travinh"
    assert set(found) == {"travinh", "bare", "congvan"}
    assert result.total == 3
    travinh = result.hits[0]
    assert [p.page for p in travinh.pages] == [1, 2]
    assert "«một» «cửa»" in travinh.pages[0].snippet
    assert travinh.number == "1949/QĐ-UBND"
    assert travinh.dossier_code == "HS-2018-TV-0001"


def test_exact_diacritics_rank_first(factory, seeded: Seeded) -> None:
    result = run(factory, "Quyết định")
    found = names(result, seeded)
    assert set(found) == {"travinh", "congvan", "bare"}
    assert found[-1] == "bare"  # only "QUYET DINH" without diacritics
    assert result.hits[0].score > 1 > result.hits[-1].score > 0
    assert "«QUYET» «DINH»" in result.hits[-1].pages[0].snippet


def test_bare_query_matches_both_forms_alike(factory, seeded: Seeded) -> None:
    result = run(factory, "quyet dinh")
    assert set(names(result, seeded)) == {"travinh", "congvan", "bare"}
    assert all(0 < h.score < 1 for h in result.hits)


@pytest.mark.parametrize(
    ("query", "name", "pages"),
    [
        ('"hiệu lực thi hành"', "travinh", [2]),
        ("Luật Tổ chức Chính quyền", "travinh", [1]),
        ("COVID-19 hoc sinh", "congvan", [1]),
        ("Bao cao cong tac chuan bi", "congvan", [2]),
        ("28/2021/NĐ-CP", "decree", [1]),
        ("MIDI sequence", "linn", [1]),
    ],
)
def test_page_numbers_of_hits(factory, seeded, query, name, pages) -> None:
    result = run(factory, query)
    assert names(result, seeded)[0] == name
    assert [p.page for p in result.hits[0].pages] == pages


def test_phrase_needs_words_in_a_row(factory, seeded: Seeded) -> None:
    assert names(run(factory, '"thi hành hiệu lực"'), seeded) == []
    # The bare decision has "thi tran", "hanh chinh", "hieu luc" apart.
    assert names(run(factory, "thi hành hiệu lực"), seeded) == ["travinh", "bare"]


def test_snippet_marks_text_as_read(factory, seeded: Seeded) -> None:
    hit = run(factory, "tinh tra vinh").hits[0]
    assert hit.document_id == seeded.ids["travinh"]
    assert "«TỈNH» «TRÀ» «VINH»" in hit.pages[0].snippet


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(doc_type="quyết định"), {"travinh", "bare"}),
        (SearchFilters(doc_type="Quyết định", agency="càng long"), {"bare"}),
        (SearchFilters(agency="Trà Vinh"), {"travinh", "form"}),
        (SearchFilters(number="1949"), {"travinh"}),
        (SearchFilters(number="1949/qđ-ubnd"), {"travinh"}),
        (SearchFilters(date_from=dt.date(2019, 1, 1), date_to=dt.date(2020, 12, 31)),
         {"bare", "congvan"}),
        (SearchFilters(date_from=dt.date(2021, 3, 26)), {"decree"}),
        (SearchFilters(dossier_code="HS-2020-DN-0042"), {"congvan"}),
        (SearchFilters(retention_state="open"), {"form", "linn"}),
        (SearchFilters(agency="100%_"), set()),
    ],
)
def test_filters_alone_list_documents(factory, seeded, filters, expected) -> None:
    result = run(factory, "", filters=filters)
    assert set(names(result, seeded)) == expected
    assert result.total == len(expected)
    assert all(h.score == 0 and h.pages == [] for h in result.hits)


def test_filters_narrow_a_query(factory, seeded: Seeded) -> None:
    query = "quyet dinh"
    by_type = run(factory, query, filters=SearchFilters(doc_type="Công văn"))
    assert names(by_type, seeded) == ["congvan"]
    by_date = run(factory, query, filters=SearchFilters(date_to=dt.date(2019, 12, 31)))
    assert set(names(by_date, seeded)) == {"travinh", "bare"}
    by_number = run(factory, query, filters=SearchFilters(number="1906"))
    assert names(by_number, seeded) == ["congvan"]


def test_listing_orders_newest_first_and_pages(factory, seeded: Seeded) -> None:
    everything = run(factory, "")
    assert names(everything, seeded) == [
        "decree", "form", "congvan", "bare", "travinh", "linn",
    ]
    second = run(factory, "", limit=2, offset=2)
    assert names(second, seeded) == ["congvan", "bare"]
    assert second.total == 6


def test_paging_a_query(factory, seeded: Seeded) -> None:
    full = names(run(factory, "quyet dinh"), seeded)
    pages = [names(run(factory, "quyet dinh", limit=1, offset=i), seeded)
             for i in range(3)]
    assert [p[0] for p in pages] == full
    assert run(factory, "quyet dinh", limit=1, offset=9).hits == []


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_do_not_raise(factory, seeded, query) -> None:
    result = run(factory, query)
    assert result.total == len(result.hits)
    for hit in result.hits:
        assert hit.document_id in seeded.ids.values()


def test_operator_words_are_plain_words(factory, seeded: Seeded) -> None:
    assert names(run(factory, "touch OR key"), seeded) == ["linn"]
    assert names(run(factory, '"quyết'), seeded)[:2] != []


def test_citizen_ids_masked_in_snippets(factory, seeded: Seeded) -> None:
    masked = run(factory, "số định danh").hits[0].pages[0].snippet
    assert "084201001234" not in masked and "025123456" not in masked
    assert "*********234" in masked and "******456" in masked
    shown = run(factory, "số định danh", can_see_ids=True).hits[0].pages[0].snippet
    assert "084201001234" in shown and "025123456" in shown


def test_index_follows_page_changes(factory, seeded: Seeded) -> None:
    with unit_of_work(factory) as session:
        page = session.scalars(
            select(Page).where(Page.document_id == seeded.ids["linn"])
        ).one()
        page.text = "Biên bản bàn giao hồ sơ lưu trữ xã Xuân Lộc"
    assert names(run(factory, "bien ban xuan loc"), seeded) == ["linn"]
    assert names(run(factory, "LinnSequencer"), seeded) == []
    with unit_of_work(factory) as session:
        session.execute(delete(Page).where(Page.document_id == seeded.ids["linn"]))
    assert names(run(factory, "bien ban xuan loc"), seeded) == []


def _store_extracted_fields(factory, seeded: Seeded, corpus: Path) -> None:
    """Give the 1906 letter the fields read from its transcripts, as ingest
    does: the agency on the row, the parent agency only as a field."""
    texts = [(corpus / f"A_vn_congvan_1906_SGDDT_2020_p{n}.gt.txt").read_text()
             for n in (1, 2)]
    fields = extract([PageText(n, t) for n, t in enumerate(texts, start=1)])
    with unit_of_work(factory) as session:
        letter = session.get(Document, seeded.ids["congvan"])
        letter.agency = next(f.value for f in fields if f.name == "agency")
        for f in fields:
            session.add(FieldRow(document_id=letter.id, name=f.name, value=f.value,
                                 confidence=f.confidence, page=f.page, raw=f.raw))
        # Another field naming the city must not count as an agency.
        session.add(FieldRow(document_id=seeded.ids["bare"], name="place",
                             value="Đà Nẵng", confidence=0.9, page=1))


@pytest.mark.parametrize("agency", ["Đà Nẵng", "da nang", "UBND THÀNH PHỐ",
                                    "sở giáo dục", "Giao duc va dao tao"])
def test_agency_filter_matches_the_parent_agency(
    factory, seeded: Seeded, corpus: Path, agency: str
) -> None:
    _store_extracted_fields(factory, seeded, corpus)
    with factory() as session:
        letter = session.get(Document, seeded.ids["congvan"])
        assert letter.agency == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    filters = SearchFilters(agency=agency)
    assert names(run(factory, "", filters=filters), seeded) == ["congvan"]
    assert names(run(factory, "hoc sinh", filters=filters), seeded) == ["congvan"]
    assert run(factory, "quyet dinh", filters=filters).total == 1
    elsewhere = SearchFilters(agency=agency, doc_type="Quyết định")
    assert run(factory, "", filters=elsewhere).hits == []
