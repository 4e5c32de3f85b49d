"""The tesseract wrapper: languages, one run for words and PDF, timeouts."""

from __future__ import annotations

import io
import os

import pikepdf
import pytest
from PIL import Image

from core.errors import MissingDependency, OcrError
from ocr import tesseract
from ocr.preprocess import load_page

pytestmark = pytest.mark.ocr


def test_installed_languages_pass():
    tesseract.check_languages("vie+eng")
    assert {"vie", "eng", "osd"} <= tesseract.installed_languages()


def test_missing_language_names_the_debian_package():
    with pytest.raises(MissingDependency) as caught:
        tesseract.check_languages("vie+xyz")
    assert "'xyz'" in caught.value.message
    assert "apt-get install tesseract-ocr-xyz" in caught.value.message
    assert caught.value.code == "dependency.missing"


def test_one_run_gives_words_and_pdf(corpus):
    image = load_page(corpus / "B_paperless_simple-no-dpi.png")
    before = dict(os.environ)
    result = tesseract.recognise(image, dpi=70, languages="eng", timeout=60)
    assert os.environ == before  # OMP_THREAD_LIMIT only in the child's env
    assert result.text == "This is a test document."
    assert [w.text for w in result.words] == ["This", "is", "a", "test", "document."]
    assert all(w.conf > 80 for w in result.words)
    assert result.words[0].box[0] < result.words[1].box[0]
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].mediabox]
        assert box[2] == pytest.approx(517 / 70 * 72, abs=1)
        assert box[3] == pytest.approx(147 / 70 * 72, abs=1)


def test_timeout_becomes_ocr_error(corpus):
    image = load_page(corpus / "B_ocrmypdf_linn.png")
    with pytest.raises(OcrError) as caught:
        tesseract.recognise(image, dpi=300, languages="eng", timeout=0.001,
                            source="linn.png", page=3)
    assert caught.value.context == {"file": "linn.png", "page": 3}
    assert "ran past" in caught.value.message


def test_orientation_of_a_blank_page_is_unknown():
    blank = Image.new("L", (1200, 1600), 255)
    assert tesseract.detect_orientation(blank, timeout=30) is None


def test_bilevel_pages_are_embedded_as_g4(tmp_path, corpus):
    image = load_page(corpus / "B_ocrmypdf_linn.png")
    assert image.mode == "1"
    path = tesseract.save_input(image, tmp_path / "page", 300)
    with Image.open(path) as saved:
        assert saved.info["compression"] == "group4"
