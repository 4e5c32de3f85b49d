"""Catalogue fixtures: an engine per back end, and a catalogue filled with
real Vietnamese page texts from the corpus."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.db import init_schema, make_engine, session_factory, unit_of_work
from archive.models import Batch, Document, Dossier, FieldRow, Page

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.db)]

# A decision that lost its diacritics in a poor scan: only the folded form.
BARE_DECISION = (
    "UBND HUYEN CANG LONG\nSo: 12/QD-UBND\nQUYET DINH\n"
    "Ve viec cong bo thu tuc hanh chinh thuc hien theo co che mot cua "
    "tai UBND cac xa, thi tran.\nQuyet dinh nay co hieu luc tu ngay ky."
)
CITIZEN_FORM = (
    "Mẫu CC01 ban hành kèm theo Thông tư số 41/2019/TT-BCA ngày 01/10/2019\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "TỜ KHAI CĂN CƯỚC CÔNG DÂN\n1. Họ, chữ đệm và tên: Nguyễn Văn An\n"
    "2. Số CMND đã được cấp: 025123456\n"
    "3. Số định danh cá nhân: 084201001234\n4. Nơi thường trú: Trà Vinh"
)
DECREE = (
    "CHÍNH PHỦ\nSố: 28/2021/NĐ-CP\nHà Nội, ngày 26 tháng 3 năm 2021\n"
    "NGHỊ ĐỊNH\nQuy định cơ chế quản lý tài chính dự án "
    "đầu tư theo phương "
    "thức đối tác công tư\nCăn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 "
    "năm 2015;\nCăn cứ Luật Đầu tư theo phương thức đối tác công tư ngày "
    "18 tháng 6 năm 2020;"
)


@dataclass(frozen=True)
class Seeded:
    """Ids of the documents of the filled catalogue, by a short name."""

    ids: dict[str, str]
    dossiers: dict[str, str]
    batch_id: str

    def name_of(self, document_id: str) -> str:
        """The short name of ``document_id``."""
        return {v: k for k, v in self.ids.items()}[document_id]


@pytest.fixture(params=BACKENDS)
def catalogue_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty catalogue on each back end."""
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_database"))
    return f"sqlite:///{tmp_path / 'catalogue' / 'sohoa.db'}"


@pytest.fixture
def engine(catalogue_url: str) -> Iterator[Engine]:
    """An engine on a catalogue migrated to the head."""
    eng = make_engine(catalogue_url)
    init_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """The session factory of ``engine``."""
    return session_factory(engine)


@pytest.fixture
def seeded(factory: sessionmaker[Session], corpus: Path) -> Seeded:
    """The catalogue filled with six documents (see :func:`fill`)."""
    return fill(factory, corpus)


def doc_id(name: str) -> str:
    """A stable document id, as ingest derives it from the SHA-256."""
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def corpus_pages(corpus: Path) -> dict[str, list[str]]:
    """Page texts per document name, read from the corpus transcripts."""
    truth = json.loads(
        (corpus / "A_vn_quyetdinh_1949_TraVinh_2018_rendered.truth.json").read_text()
    )
    lines = truth["text"].splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("Điều 1"))
    gt = "A_vn_congvan_1906_SGDDT_2020_p{}.gt.txt"
    return {
        "travinh": ["\n".join(lines[:cut]), "\n".join(lines[cut:])],
        "congvan": [(corpus / gt.format(n)).read_text() for n in (1, 2)],
        "bare": [BARE_DECISION],
        "form": [CITIZEN_FORM],
        "decree": [DECREE],
        "linn": [(corpus / "B_ocrmypdf_linn.txt").read_text()],
    }


# name: dossier code, dossier state, doc_type, number, date, agency
_META = {
    "travinh": ("HS-2018-TV-0001", "closed", "Quyết định", "1949/QĐ-UBND",
                dt.date(2018, 10, 2), "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH"),
    "congvan": ("HS-2020-DN-0042", "closed", "Công văn", "1906/SGDĐT-CTrTT",
                dt.date(2020, 7, 26), "SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ ĐÀ NẴNG"),
    "bare": ("HS-2019-CL-0007", "closed", "Quyết định", "12/QĐ-UBND",
             dt.date(2019, 5, 10), "ỦY BAN NHÂN DÂN HUYỆN CÀNG LONG"),
    "form": ("HS-2021-TV-0100", "open", "Tờ khai", None,
             dt.date(2021, 3, 15), "CÔNG AN TỈNH TRÀ VINH"),
    "decree": ("HS-2021-CP-0028", "closed", "Nghị định", "28/2021/NĐ-CP",
               dt.date(2021, 3, 26), "CHÍNH PHỦ"),
    "linn": ("HS-1990-XX-0001", "open", None, None, None, None),
}


def fill(factory: sessionmaker[Session], corpus: Path) -> Seeded:
    """Insert one batch and, per corpus document, a dossier, the document,
    its pages and two fields; the form's page needs a rescan."""
    pages = corpus_pages(corpus)
    ids, dossiers = {}, {}
    with unit_of_work(factory) as session:
        batch = Batch(station="quay-1", files_total=6, files_done=5,
                      pages_total=8, pages_done=7)
        session.add(batch)
        for name, (code, state, doc_type, number, date, agency) in _META.items():
            dossier = Dossier(code=code, title=f"Hồ sơ {code}", state=state)
            session.add(dossier)
            session.flush()
            doc = Document(
                id=doc_id(name), dossier_id=dossier.id, batch_id=batch.id,
                original_sha256=hashlib.sha256(name.encode()).hexdigest(),
                filename=f"{name}.pdf", media_type="application/pdf",
                state="archived" if name != "linn" else "extracted",
                page_count=len(pages[name]), doc_type=doc_type, number=number,
                issued_date=date, agency=agency,
            )
            session.add(doc)
            for number_, text in enumerate(pages[name], start=1):
                session.add(Page(document=doc, number=number_, text=text,
                                 mean_conf=41.0 if name == "form" else 88.0,
                                 needs_rescan=name == "form"))
            if number:
                session.add(FieldRow(document=doc, name="number", value=number,
                                     confidence=0.93, page=1, raw=number))
            session.add(FieldRow(document=doc, name="doc_type",
                                 value=doc_type or "", confidence=0.8, page=1))
            ids[name], dossiers[name] = doc.id, dossier.id
        batch_id = batch.id
    return Seeded(ids, dossiers, batch_id)
