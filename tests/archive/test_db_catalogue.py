"""Read queries of the catalogue used by the CLI and the API."""

from __future__ import annotations

import pytest

from archive.catalogue import (
    batch_progress,
    document_fields,
    get_document,
    get_dossier,
    rescan_pages,
)
from core.errors import Conflict, NotFound


def test_get_document_by_id_and_prefix(factory, seeded) -> None:
    full = seeded.ids["travinh"]
    with factory() as session:
        by_id = get_document(session, document_id=full)
        by_prefix = get_document(session, document_id=full[:8].upper())
    assert by_id.id == by_prefix.id == full
    assert [p.number for p in by_id.pages] == [1, 2]
    assert by_id.pages[0].text.startswith("ỦY BAN NHÂN DÂN TỈNH TRÀ VINH")
    assert by_id.dossier.code == "HS-2018-TV-0001"
    assert {f.name for f in by_id.fields} == {"number", "doc_type"}


@pytest.mark.parametrize("bad", ["4aa361b", "zzzzzzzzzz", "ffffffffffff"])
def test_get_document_unknown_names_the_id(factory, seeded, bad) -> None:
    with factory() as session, pytest.raises(NotFound, match=bad):
        get_document(session, document_id=bad)


def test_ambiguous_prefix_is_a_conflict(factory, seeded) -> None:
    from archive.models import Document
    with factory() as session:
        doc = get_document(session, document_id=seeded.ids["linn"])
        twin = seeded.ids["linn"][:10] + "0" * 22
        session.add(Document(
            id=twin, dossier_id=doc.dossier_id, original_sha256="1" * 64,
            filename="twin.pdf", media_type="application/pdf",
        ))
        session.flush()
        with pytest.raises(Conflict, match="more than one document"):
            get_document(session, document_id=twin[:10])
        session.rollback()


def test_get_dossier_by_code_or_id(factory, seeded) -> None:
    with factory() as session:
        by_code = get_dossier(session, dossier_id_or_code="HS-2020-DN-0042")
        by_id = get_dossier(session, dossier_id_or_code=seeded.dossiers["congvan"])
        with pytest.raises(NotFound, match="HS-0000"):
            get_dossier(session, dossier_id_or_code="HS-0000")
    assert by_code.id == by_id.id == seeded.dossiers["congvan"]
    assert [d.filename for d in by_code.documents] == ["congvan.pdf"]


def test_document_fields(factory, seeded) -> None:
    with factory() as session:
        fields = document_fields(session, document_id=seeded.ids["decree"])
    assert [(f.name, f.value) for f in fields] == [
        ("doc_type", "Nghị định"), ("number", "28/2021/NĐ-CP"),
    ]


def test_rescan_pages(factory, seeded) -> None:
    with factory() as session:
        pages = rescan_pages(session)
    assert [(p.document_id, p.page, p.dossier_code, p.mean_conf) for p in pages] == [
        (seeded.ids["form"], 1, "HS-2021-TV-0100", 41.0),
    ]


def test_batch_progress(factory, seeded) -> None:
    with factory() as session:
        progress = batch_progress(session, batch_id=seeded.batch_id[:12])
    assert progress.batch_id == seeded.batch_id
    assert (progress.files_total, progress.files_done) == (6, 5)
    assert (progress.pages_total, progress.pages_done) == (8, 7)
    assert progress.documents_by_state == {"archived": 5, "extracted": 1}
