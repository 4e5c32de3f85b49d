"""Extraction from corpus texts: the 1949 decision's truth and the 1906
letter's transcripts, compared with their known fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.types import FIELD_NAMES, PageText
from metadata import extract
from tests.metadata.layouts import pages_1949, values


@pytest.fixture(scope="module")
def fields_1949(truth_1949):
    return extract(pages_1949(truth_1949))


@pytest.fixture(scope="module")
def fields_1906(corpus: Path):
    texts = [(corpus / f"A_vn_congvan_1906_SGDDT_2020_p{i}.gt.txt")
             .read_text(encoding="utf-8") for i in (1, 2)]
    return extract([PageText(i + 1, t) for i, t in enumerate(texts)])


def test_1949_fields_match_truth(fields_1949, truth_1949):
    got = values(fields_1949)
    assert got["number"] == truth_1949["number"] == "1949/QĐ-UBND"
    assert got["code_number"] == "1949"
    assert got["code_notation"] == "QĐ-UBND"
    assert got["issued_date"] == truth_1949["date"]
    assert got["place"] == "Trà Vinh"
    assert got["doc_type"] == truth_1949["type_name"]
    assert got["summary"] == truth_1949["summary"]
    assert got["signer_name"] == truth_1949["signer_name"]


def test_1949_agency_is_the_joined_header_name(fields_1949, truth_1949):
    got = values(fields_1949)
    assert got["agency"] == "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH"
    assert got["agency"].endswith(truth_1949["agency"])
    assert "parent_agency" not in got


def test_1949_signer_capacity_keeps_the_whole_block(fields_1949):
    got = values(fields_1949)
    assert got["signer_capacity"] == (
        "TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH, PHÓ CHỦ TỊCH")


def test_1949_body_citation_is_never_the_number(fields_1949, truth_1949):
    assert "985/QĐ-TTg" in truth_1949["text"]
    numbers = [f.value for f in fields_1949 if f.name == "number"]
    assert numbers == ["1949/QĐ-UBND"]


def test_1949_body_alone_gives_no_number(truth_1949):
    """Without the header, the cited 985/QĐ-TTg must not become the number."""
    got = values(extract([PageText(1, truth_1949["text"])]))
    assert "number" not in got
    assert "code_notation" not in got


def test_fields_are_well_formed(fields_1949, fields_1906):
    for field in [*fields_1949, *fields_1906]:
        assert field.name in FIELD_NAMES
        assert 0.0 < field.confidence <= 1.0
        assert field.page in (1, 2)
        assert field.raw


def test_1906_letter_fields(fields_1906):
    got = values(fields_1906)
    assert got["number"] == "1906/SGDĐT-CTrTT"
    assert got["code_notation"] == "SGDĐT-CTrTT"
    assert got["issued_date"] == "2020-07-26"
    assert got["place"] == "Đà Nẵng"
    assert got["agency"] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert got["parent_agency"] == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert got["doc_type"] == "Công văn"
    assert got["summary"] == (
        "V/v khẩn trương thực hiện các biện pháp phòng, chống dịch COVID-19")


def test_1906_signer_comes_from_page_2(fields_1906):
    by_name = {f.name: f for f in fields_1906}
    assert by_name["signer_name"].value == "Lê Thị Bích Thuận"
    assert by_name["signer_name"].page == 2
    assert by_name["signer_capacity"].value == "GIÁM ĐỐC"


def test_1906_cited_letters_are_not_the_number(fields_1906):
    numbers = {f.value for f in fields_1906 if f.name == "number"}
    assert numbers == {"1906/SGDĐT-CTrTT"}


def test_born_digital_form_is_a_to_khai(corpus: Path):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(corpus / "A_vn_form_to-khai-CCCD_CC01_TT41-2019-BCA.pdf")
    pages = [PageText(i + 1, doc[i].get_textpage().get_text_range())
             for i in range(len(doc))]
    got = values(extract(pages))
    assert got["doc_type"] == "Tờ khai"
    assert "number" not in got


def test_no_pages_no_fields():
    assert extract([]) == []
