"""Born-digital text layers versus pages that must be OCRed."""

from __future__ import annotations

import unicodedata

import pytest

from core.errors import CorruptFile
from core.types import PageSource
from ocr.textlayer import clean_text, read_text_layer

MIXED = "B_paperless_multi-page-mixed.pdf"
FORM = "A_vn_form_to-khai-CCCD_CC01_TT41-2019-BCA.pdf"
DANANG = "A_vn_congvan_SGDDT_DaNang_2019_ccitt_scan.pdf"


def test_mixed_pdf_is_decided_per_page(corpus):
    pages = [read_text_layer(corpus / MIXED, i) for i in range(6)]
    assert pages[:3] == [None, None, None]
    for number, page in enumerate(pages[3:], 4):
        assert page is not None
        assert page.text == f"This is a multi page document. Page {number}."
        assert page.number == number
        assert page.source is PageSource.text_layer
        assert page.mean_conf == 100.0
        assert [w.text for w in page.words][-2:] == ["Page", f"{number}."]
        # A Letter page (612 x 792 pt) in pixels at 300 dpi.
        assert (page.width, page.height, page.dpi) == (2550, 3300, 300)
        assert all(0 <= w.box[0] < w.box[2] <= 2550 for w in page.words)


def test_scan_under_a_garbled_text_layer_is_ocred(corpus):
    assert read_text_layer(corpus / DANANG, 0) is None
    assert read_text_layer(corpus / DANANG, 1) is None


def test_born_digital_vietnamese_form(corpus):
    page = read_text_layer(corpus / FORM, 0, dpi=150)
    assert page is not None
    assert "TỜ KHAI CĂN CƯỚC CÔNG DÂN" in page.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text
    assert "1. Họ, chữ đệm và tên" in page.text
    assert unicodedata.is_normalized("NFC", page.text)
    # Dotted leaders are shrunk to one ellipsis, leader-only lines dropped.
    assert "……" not in page.text and "..." not in page.text
    assert "3. Ngày, tháng, năm sinh: / / ; 4. Giới tính (Nam/nữ):" in page.text
    assert not any(set(w.text) <= {".", "…"} for w in page.words)
    assert (page.width, page.height) == (1241, 1754)  # 595.44 x 841.92 pt
    lines = [w.line for w in page.words]
    assert lines == sorted(lines) and lines[-1] > 20


def test_empty_last_page_of_the_form_needs_ocr(corpus):
    assert read_text_layer(corpus / FORM, 2) is None


def test_clean_text_leaders():
    raw = "12. Quê quán:\n……………..………… ……..\nHà Nội, ngày ..... tháng"
    assert clean_text(raw) == "12. Quê quán:\nHà Nội, ngày … tháng"
    assert clean_text("Quye\u0302\u0301t") == "Quyết"


def test_broken_pdf_and_missing_page(corpus):
    with pytest.raises(CorruptFile):
        read_text_layer(corpus / "B_ocrmypdf_invalid.pdf", 0)
    with pytest.raises(CorruptFile) as caught:
        read_text_layer(corpus / MIXED, 6)
    assert caught.value.context["page"] == 7
