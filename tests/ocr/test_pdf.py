"""Assembling the searchable PDF from OCR pages and original pages."""

from __future__ import annotations

import pikepdf
import pytest

from core.errors import CorruptFile
from ocr.engine import NullEngine
from ocr.page import PageJob, ocr_page
from ocr.pdf import PdfPart, assemble, pdf_text

MIXED = "B_paperless_multi-page-mixed.pdf"


@pytest.mark.ocr
def test_ocr_page_and_original_page(corpus, tmp_path, run_page):
    _, job = run_page(corpus / "B_paperless_simple-no-dpi.png", "eng")
    out = assemble(
        [PdfPart.ocr(job.out_pdf), PdfPart.original(corpus / MIXED, 4)],
        tmp_path / "doc.pdf",
    )
    texts = pdf_text(out)
    assert len(texts) == 2
    assert texts[0] == "This is a test document."
    assert texts[1] == "This is a multi page document. Page 5."


def test_original_pages_keep_their_order_and_size(corpus, tmp_path):
    parts = [PdfPart.original(corpus / MIXED, i) for i in (5, 0, 3)]
    out = assemble(parts, tmp_path / "doc.pdf")
    texts = pdf_text(out)
    assert texts == ["This is a multi page document. Page 6.", "",
                     "This is a multi page document. Page 4."]
    with pikepdf.open(out) as pdf:
        widths = [round(float(p.mediabox[2])) for p in pdf.pages]
    assert widths == [612, 594, 612]


def test_null_engine_page_in_a_document(corpus, tmp_path):
    job = PageJob(str(corpus / "A_vn_congvan_1906_SGDDT_2020_p2.jpg"), 2, 0,
                  "vie", 10.0, str(tmp_path / "p2.pdf"), engine="null")
    page = ocr_page(job, NullEngine())
    assert page.text == "" and page.words == [] and page.needs_rescan
    out = assemble([PdfPart.ocr(job.out_pdf), PdfPart.original(corpus / MIXED, 3)],
                   tmp_path / "doc.pdf")
    assert pdf_text(out) == ["", "This is a multi page document. Page 4."]


def test_missing_page_is_reported(corpus, tmp_path):
    with pytest.raises(CorruptFile) as caught:
        assemble([PdfPart.original(corpus / MIXED, 9)], tmp_path / "doc.pdf")
    assert "has no page 10" in caught.value.message
    with pytest.raises(CorruptFile):
        assemble([PdfPart.ocr(corpus / "B_ocrmypdf_invalid.pdf")],
                 tmp_path / "doc2.pdf")
