"""File type detection and validation on real corpus files and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from core.errors import (
    CorruptFile,
    EmptyFile,
    EmptyPage,
    EncryptedPdf,
    ImageTooLarge,
    UnsupportedFormat,
)
from ingest.sniff import sniff
from ingest.validate import inspect

LIMIT = 150_000_000


@pytest.mark.parametrize(
    ("name", "kind", "pages"),
    [
        ("A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf", "pdf", 2),
        ("A_vn_congvan_SGDDT_DaNang_2019_ccitt_scan.pdf", "pdf", 2),
        ("B_paperless_test_with_bom.pdf", "pdf", 2),
        ("B_paperless_multi-page-mixed.pdf", "pdf", 6),
        ("C_pillow_g4-multi.tiff", "tiff", 3),
        ("C_paperless_multi-page-images-alpha.tiff", "tiff", 3),
        ("A_vn_congvan_1906_SGDDT_2020_p1.jpg", "jpeg", 1),
        ("B_paperless_simple-no-dpi.png", "png", 1),
    ],
)
def test_real_files_are_recognised_with_their_pages(corpus, name, kind, pages):
    path = corpus / name
    found = sniff(path)
    assert found.name == kind
    inspection = inspect(path, found, dpi=300, max_pixels=LIMIT)
    assert inspection.page_count == pages
    assert inspection.good_pages == list(range(pages))


def test_type_comes_from_bytes_not_name(tmp_path, corpus):
    disguised = tmp_path / "scan.pdf"
    disguised.write_bytes((corpus / "A_vn_congvan_1906_SGDDT_2020_p1.jpg").read_bytes())
    assert sniff(disguised).name == "jpeg"


def test_text_file_named_pdf_is_refused_with_its_name(tmp_path):
    fake = tmp_path / "hoso.pdf"
    fake.write_text("Đây không phải là PDF\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match=r"hoso\.pdf: a text file"):
        sniff(fake)


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.touch()
    with pytest.raises(EmptyFile, match=r"empty\.jpg: the file is empty"):
        sniff(empty)


def test_gif_is_unsupported(tmp_path):
    gif = tmp_path / "x.gif"
    Image.new("L", (10, 10)).save(gif, format="GIF")
    with pytest.raises(UnsupportedFormat, match="GIF image"):
        sniff(gif)


def test_damaged_pdf_names_file_and_reason(corpus):
    path = corpus / "B_ocrmypdf_invalid.pdf"
    expected = r"B_ocrmypdf_invalid\.pdf: the PDF is damaged"
    with pytest.raises(CorruptFile, match=expected):
        inspect(path, sniff(path), dpi=300, max_pixels=LIMIT)


def test_truncated_pdf_is_refused_naming_the_file(tmp_path, corpus):
    data = (corpus / "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptFile, match=r"cut\.pdf: the PDF is damaged"):
        inspect(cut, sniff(cut), dpi=300, max_pixels=LIMIT)


def test_encrypted_pdf_says_what_to_do(corpus):
    path = corpus / "B_pikepdf_graph-encrypted.pdf"
    with pytest.raises(EncryptedPdf, match="remove the password"):
        inspect(path, sniff(path), dpi=300, max_pixels=LIMIT)


def test_decompression_bomb_page_is_refused(corpus):
    path = corpus / "B_ocrmypdf_hugemono.pdf"
    inspection = inspect(path, sniff(path), dpi=300, max_pixels=LIMIT)
    assert inspection.good_pages == []
    assert isinstance(inspection.problems[0].error, ImageTooLarge)
    assert "SOHOA_MAX_IMAGE_PIXELS" in inspection.problems[0].error.message


def test_image_over_pixel_limit_is_refused(corpus):
    path = corpus / "B_ocrmypdf_linn.png"
    inspection = inspect(path, sniff(path), dpi=300, max_pixels=1_000_000)
    assert isinstance(inspection.problems[0].error, ImageTooLarge)


def test_zero_size_page_is_a_page_problem(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[1].mediabox = [0, 0, 0, 0]
    path = tmp_path / "zero.pdf"
    pdf.save(path)
    inspection = inspect(path, sniff(path), dpi=300, max_pixels=LIMIT)
    assert inspection.good_pages == [0]
    assert isinstance(inspection.problems[0].error, EmptyPage)
    assert "page 2" in inspection.problems[0].error.message


def test_corrupt_image_names_file(tmp_path, corpus):
    data = (corpus / "B_paperless_simple-no-dpi.png").read_bytes()
    bad = tmp_path / "broken.png"
    bad.write_bytes(data[:40])
    with pytest.raises(CorruptFile, match=r"broken\.png"):
        inspect(Path(bad), sniff(bad), dpi=300, max_pixels=LIMIT)
