"""Extraction from real tesseract output (``lang="vie"``) of corpus scans.

Each page is recognised once per test session (about 20 s for the five
pages on two cores); nothing is cached across runs.
"""

from __future__ import annotations

import pytest

from core.types import PageText
from metadata import extract
from tests.metadata.layouts import values

pytestmark = pytest.mark.ocr

DECISION = "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"
DECREE = "A_vn_nghidinh_28-2021-ND-CP_p1_scan.jpg"
LETTER = "A_vn_congvan_1906_SGDDT_2020_p{}.jpg"


def text_only(pages: list[PageText]) -> list[PageText]:
    return [PageText(p.number, p.text) for p in pages]


@pytest.fixture(params=["words", "text"])
def use(request):
    """Run each test with word boxes and with the bare text."""
    return (lambda pages: pages) if request.param == "words" else text_only


def test_decision_1949(ocr_pages, truth_1949, use):
    pages = use([ocr_pages(DECISION, 0), ocr_pages(DECISION, 1)])
    got = values(extract(pages))
    assert got["number"] == truth_1949["number"]
    assert got["issued_date"] == truth_1949["date"]
    assert got["place"] == "Trà Vinh"
    assert got["doc_type"] == truth_1949["type_name"]
    assert got["agency"] == "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH"
    assert got["summary"] == truth_1949["summary"]
    assert got["signer_name"] == truth_1949["signer_name"]
    assert got["signer_capacity"].endswith("KT. CHỦ TỊCH, PHÓ CHỦ TỊCH")


def test_decision_1949_page_1_alone_never_takes_the_citation(ocr_pages):
    page = ocr_pages(DECISION, 0)
    assert "985/QĐ-TTg" in page.text
    numbers = [f.value for f in extract([page]) if f.name == "number"]
    assert numbers == ["1949/QĐ-UBND"]


def test_decree_28_2021(ocr_pages, use):
    got = values(extract(use([ocr_pages(DECREE, 0)])))
    assert got["number"] == "28/2021/NĐ-CP"
    assert got["code_number"] == "28"
    assert got["issued_date"] == "2021-03-26"
    assert got["place"] == "Hà Nội"
    assert got["doc_type"] == "Nghị định"
    assert got["summary"] == (
        "Quy định cơ chế quản lý tài chính dự án đầu tư theo phương thức "
        "đối tác công tư")


def test_letter_1906(ocr_pages, use):
    pages = use([ocr_pages(LETTER.format(1), 0), ocr_pages(LETTER.format(2), 0)])
    got = values(extract(pages))
    assert got["number"] == "1906/SGDĐT-CTrTT"
    assert got["issued_date"] == "2020-07-26"
    assert got["agency"] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert got["parent_agency"] == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert got["doc_type"] == "Công văn"
    assert got["summary"].startswith("V/v khẩn trương thực hiện các biện pháp")
    assert got["signer_name"] == "Lê Thị Bích Thuận"
