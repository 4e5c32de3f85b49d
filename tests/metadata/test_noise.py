"""OCR noise on the header of decision 1949: every variant still gives the
document's own fields."""

from __future__ import annotations

import pytest

from core.types import PageText, Word
from metadata import extract
from tests.metadata.layouts import values

BODY = (
    "Căn cứ Quyết định số 985/QĐ-TTg ngày 08/8/2018 "
    "của Thủ tướng Chính phủ;\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai.\n"
)
SUMMARY = ("Ban hành Kế hoạch triển khai Nghị định số 61/2018/NĐ-CP ngày "
           "23/4/2018 của Chính phủ")


def page(header: str, summary: str = SUMMARY) -> list[PageText]:
    return [PageText(1, f"{header}\n{summary}\n{BODY}")]


MERGED = (
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH TRÀ VINH Độc lập - Tự do - Hạnh phúc\n"
    "Số: 1949/QĐ-UBND Trà Vinh, ngày 02 tháng 10 năm 2018\n"
    "QUYẾT ĐỊNH"
)
VARIANTS = {
    "no diacritics": MERGED.replace("Số: 1949/QĐ", "So: 1949/QD")
    .replace("ngày", "ngay").replace("tháng", "thang").replace("năm", "nam"),
    "O for 0": MERGED.replace("02 tháng 10 năm 2018", "O2 tháng 1O năm 2O18"),
    "l for 1 in number": MERGED.replace("1949/", "l949/"),
    "Sô with space": MERGED.replace("Số:", "Sô :"),
    "spaces around slash": MERGED.replace("1949/QĐ-UBND", "1949 / QĐ - UBND"),
    "blocks on separate lines": (
        "ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 1949/QĐ-UBND\n"
        "Trà Vinh, ngày 02 tháng 10 năm 2018\nQUYẾT ĐỊNH"),
    "date line broken": MERGED.replace("tháng 10 năm", "tháng 10\nnăm"),
    "lower-case symbol and title": MERGED.replace("QĐ-UBND", "qđ-ubnd")
    .replace("QUYẾT ĐỊNH", "Quyết định"),
    "header without marks": MERGED.replace("ỦY BAN NHÂN DÂN", "UY BAN NHAN DAN"),
}


@pytest.mark.parametrize("header", VARIANTS.values(), ids=VARIANTS.keys())
def test_header_noise(header):
    got = values(extract(page(header)))
    assert got["number"] == "1949/QĐ-UBND"
    assert got["code_number"] == "1949"
    assert got["issued_date"] == "2018-10-02"
    assert got["doc_type"] == "Quyết định"
    assert got["agency"] == "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH"
    assert got["summary"] == SUMMARY


def test_restored_symbol_has_lower_confidence():
    clean = {f.name: f for f in extract(page(MERGED))}
    noisy = {f.name: f for f in extract(page(VARIANTS["no diacritics"]))}
    assert noisy["number"].value == clean["number"].value
    assert noisy["number"].confidence < clean["number"].confidence


def test_unknown_symbol_kept_as_read_with_lower_confidence():
    header = MERGED.replace("1949/QĐ-UBND", "1949/QD-XYZW")
    number = {f.name: f for f in extract(page(header))}["number"]
    assert number.value == "1949/QĐ-XYZW"
    assert number.confidence <= 0.8


def test_summary_broken_over_lines_is_joined():
    broken = SUMMARY.replace(" ngày ", "\nngày ").replace(" của ", "\ncủa ")
    got = values(extract(page(MERGED, broken)))
    assert got["summary"] == SUMMARY


@pytest.mark.parametrize(("date", "why"), [
    ("ngày 31 tháng 02 năm 2018", "no such day"),
    ("ngày    tháng 10 năm 2018", "day left blank"),
    ("ngày 02 tháng 10 năm 1890", "year out of range"),
])
def test_invalid_or_missing_day_gives_no_date(date, why):
    header = MERGED.replace("ngày 02 tháng 10 năm 2018", date)
    got = values(extract(page(header)))
    assert "issued_date" not in got, why
    assert got["place"] == "Trà Vinh"


def test_handwritten_number_keeps_only_the_symbol():
    header = MERGED.replace("1949/QĐ-UBND", "/QĐ-UBND")
    fields = {f.name: f for f in extract(page(header))}
    assert "number" not in fields
    assert fields["code_notation"].value == "QĐ-UBND"
    assert fields["code_notation"].confidence < 0.7


def _word(text: str, left: int, top: int) -> Word:
    return Word(text, 90.0, (left, top, left + 40 * len(text), top + 40))


def test_word_boxes_split_a_merged_header_with_an_unreadable_motto():
    """The right block is garbage here, so only the boxes can split it."""
    rows = [["ỦY", "BAN", "NHÂN", "DÂN"], ["TỈNH", "TRÀ", "VINH"]]
    words = []
    for y, row in enumerate(rows):
        words += [_word(t, 100 + 200 * i, 100 + 80 * y) for i, t in enumerate(row)]
        words += [_word("XQW", 1600, 100 + 80 * y), _word("ZZZ", 1800, 100 + 80 * y)]
    words += [_word("Số:", 100, 260), _word("1949/QĐ-UBND", 260, 260)]
    text = ("ỦY BAN NHÂN DÂN XQW ZZZ\nTỈNH TRÀ VINH XQW ZZZ\n"
            "Số: 1949/QĐ-UBND\nQUYẾT ĐỊNH\n" + SUMMARY)
    with_boxes = values(extract([PageText(1, text, words, width=2480)]))
    text_only = values(extract([PageText(1, text)]))
    assert with_boxes["agency"] == "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH"
    assert text_only["agency"] != with_boxes["agency"]


def test_vv_line_merged_with_the_date_line_keeps_its_own_words():
    text = ("UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
            "Số: 1906/SGDĐT-CTrTT\n"
            "V/v khẩn trương thực hiện các biện\n"
            "pháp phòng, chống dịch COVID-19. Đà Nẵng, ngày 26 tháng 7 năm 2020\n"
            "Kính gửi: Các trường trực thuộc Sở.")
    got = values(extract([PageText(1, text)]))
    assert got["summary"] == (
        "V/v khẩn trương thực hiện các biện pháp phòng, chống dịch COVID-19")
    assert got["issued_date"] == "2020-07-26"
    assert got["place"] == "Đà Nẵng"
    assert got["doc_type"] == "Công văn"


def test_title_and_symbol_disagreeing_lowers_confidence():
    header = MERGED.replace("1949/QĐ-UBND", "1949/KH-UBND")
    doc_type = {f.name: f for f in extract(page(header))}["doc_type"]
    assert doc_type.value == "Quyết định"
    assert doc_type.confidence == 0.6


def test_misread_number_with_two_slashes_gets_low_confidence():
    from core.types import PageText
    from metadata import extract

    text = ("UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
            "Số: 4/35 /SGDĐT-CTrTT Đà Nẵng, ngày 31 tháng 5 năm 2019\n"
            "V/v bảo đảm TTATGT cho HS, SV\n")
    fields = {f.name: f for f in extract([PageText(number=1, text=text)])}
    assert fields["number"].value == "4/35/SGDĐT-CTrTT"
    assert fields["number"].confidence < 0.5
