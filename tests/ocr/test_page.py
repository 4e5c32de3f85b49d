"""OCR of whole pages with the real tesseract engine, on corpus scans."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from core.errors import OcrError
from core.textfold import fold
from core.types import PageSource
from ocr.page import PageJob, ocr_page
from ocr.pdf import pdf_text
from tests.ocr.conftest import frames
from tests.ocr.metrics import cer

pytestmark = pytest.mark.ocr

# Bounds set with margin over measured values (tesseract 5.3.0, Debian
# "fast" vie/eng models): linn.png 1.0 %, the 82-dpi 1906 letter 9.3 %.
LINN_MAX_CER = 0.03
CONGVAN_1906_MAX_CER = 0.13


def test_quyetdinh_text_skew_and_confidence(quyetdinh):
    page, _ = quyetdinh
    assert "quyet dinh" in fold(page.text)
    assert "1949" in page.text
    assert "tra vinh" in fold(page.text)
    assert 0.3 <= abs(page.skew) <= 1.5
    assert page.rotation == 0
    assert page.mean_conf > 70
    assert not page.needs_rescan
    assert page.source is PageSource.ocr
    assert (page.width, page.height, page.dpi) == (2482, 3507, 300)


def test_quyetdinh_words_lie_on_the_page(quyetdinh):
    page, job = quyetdinh
    assert len(page.words) > 200
    for word in page.words:
        left, top, right, bottom = word.box
        assert 0 <= left < right <= page.width
        assert 0 <= top < bottom <= page.height
    lines = [w.line for w in page.words]
    assert lines == sorted(lines)
    with Image.open(job.out_image) as upright:
        assert upright.size == (page.width, page.height)


def test_quyetdinh_searchable_pdf(quyetdinh):
    _, job = quyetdinh
    texts = pdf_text(job.out_pdf)
    assert len(texts) == 1
    assert "1949" in texts[0]
    assert "tra vinh" in fold(texts[0])
    with pdfplumber.open(job.out_pdf) as pdf:
        sheet = pdf.pages[0]
        # A4 at 300 dpi: the page keeps its physical size.
        assert abs(float(sheet.width) - 595.4) < 1.5
        assert abs(float(sheet.height) - 841.9) < 1.5
        words = sheet.extract_words()
        assert len(words) > 200
        for word in words:
            assert 0 <= word["x0"] < word["x1"] <= sheet.width + 0.5
            assert 0 <= word["top"] < word["bottom"] <= sheet.height + 0.5


def test_cardinal_pages_are_turned_upright(cardinal, corpus):
    assert [p.rotation for p in cardinal] == [0, 270, 180, 90]
    reference = {
        w.strip(".,;:()\"'").lower()
        for w in (corpus / "B_ocrmypdf_linn.txt").read_text().split()
    }
    reference = {w for w in reference if len(w) >= 4}
    for page in cardinal:
        found = {w.text.strip(".,;:()\"'").lower() for w in page.words}
        assert len(reference & found) >= 0.6 * len(reference), page.number
        assert page.mean_conf > 85
        assert "LinnSequencer" in page.text


def test_linn_png_without_dpi(corpus, run_page):
    page, job = run_page(corpus / "B_ocrmypdf_linn.png", "eng")
    reference = (corpus / "B_ocrmypdf_linn.txt").read_text()
    assert "LinnSequencer" in page.text
    assert page.dpi == 300  # 2550 x 3300 pixels without DPI: a Letter page
    assert cer(page.text, reference) < LINN_MAX_CER
    with pdfplumber.open(job.out_pdf) as pdf:
        assert round(float(pdf.pages[0].width)) == 612


def test_low_resolution_letter_1906(corpus, run_page):
    name = "A_vn_congvan_1906_SGDDT_2020_p1"
    page, _ = run_page(corpus / f"{name}.jpg", "vie")
    reference = (corpus / f"{name}.gt.txt").read_text("utf-8")
    assert "1906" in page.text
    assert "so giao duc va dao tao" in fold(page.text)
    assert cer(page.text, reference) < CONGVAN_1906_MAX_CER
    assert page.dpi == 150  # 82 dpi guessed from A4, enlarged towards 150


def test_alpha_tiff_frames(corpus, tmp_path, run_page):
    paths = frames(corpus / "C_paperless_multi-page-images-alpha.tiff", tmp_path)
    assert len(paths) == 3
    for number, path in enumerate(paths, 1):
        page, _ = run_page(path, "eng", number=number)
        assert page.text == f"This is a multi page document. Page {number}."
        assert not page.needs_rescan


def test_g4_fax_frames_and_a_blank_page(corpus, tmp_path, run_page):
    paths = frames(corpus / "C_pillow_g4-multi.tiff", tmp_path)
    for number, path in enumerate(paths, 1):
        page, _ = run_page(path, "eng", number=number)
        # Each 400-dpi frame holds only the small word "Page<n>".
        assert fold(page.text).startswith("page")
        assert page.dpi == 400 and not page.needs_rescan
    with Image.open(paths[0]) as frame:
        blank_half = tmp_path / "blank.tif"
        frame.crop((0, frame.height // 2, frame.width, frame.height)).save(
            blank_half, dpi=(400, 400), compression="group4"
        )
    page, job = run_page(blank_half, "eng")
    assert page.text == "" and page.words == []
    assert page.needs_rescan is False
    assert pdf_text(job.out_pdf) == [""]


def test_timeout_raises_ocr_error_with_context(corpus, tmp_path):
    job = PageJob(str(corpus / "B_ocrmypdf_linn.png"), 7, 0, "eng", 0.001,
                  str(tmp_path / "out.pdf"))
    with pytest.raises(OcrError) as caught:
        ocr_page(job)
    assert caught.value.context["page"] == 7
    assert "B_ocrmypdf_linn.png" in caught.value.message


def test_job_round_trips_and_runs_in_a_process_pool(corpus, tmp_path):
    job = PageJob(str(corpus / "B_paperless_simple-no-dpi.png"), 1, 0, "eng",
                  60.0, str(tmp_path / "simple.pdf"), None, 60.0)
    assert PageJob.from_dict(json.loads(json.dumps(job.to_dict()))) == job
    assert pickle.loads(pickle.dumps(job)) == job
    with ProcessPoolExecutor(max_workers=1) as pool:
        page = pool.submit(ocr_page, job).result(timeout=120)
    assert page.text == "This is a test document."
    # No DPI: 70 guessed, then enlarged 150/70 times for tesseract.
    assert (page.dpi, page.width, page.height) == (150, 1108, 315)
    assert Path(job.out_pdf).read_bytes().startswith(b"%PDF")
    with pdfplumber.open(job.out_pdf) as pdf:
        assert round(float(pdf.pages[0].width)) == round(517 / 70 * 72)
