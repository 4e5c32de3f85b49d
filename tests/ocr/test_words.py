"""Words and page text from tesseract TSV, and the null engine."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from core.errors import ConfigError
from core.types import Word
from ocr.engine import NullEngine, TesseractEngine, get_engine
from ocr.words import mean_conf, parse_tsv, vertical_share

HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop"
          "\twidth\theight\tconf\ttext")


def _row(block, par, line, word, box, conf, text, level=5):
    left, top, width, height = box
    return (f"{level}\t1\t{block}\t{par}\t{line}\t{word}\t{left}\t{top}\t{width}"
            f"\t{height}\t{conf}\t{text}")


def test_tsv_to_words_and_text():
    tsv = "\n".join([
        HEADER,
        _row(1, 1, 1, 0, (0, 0, 500, 40), -1, "", level=4),
        _row(1, 1, 1, 1, (10, 5, 90, 30), 96.5, "QUYE\u0302\u0301T"),
        _row(1, 1, 1, 2, (100, 5, 190, 30), 91.25, "ĐỊNH"),
        _row(1, 1, 2, 1, (10, 50, 60, 80), 88, "Số"),
        _row(1, 1, 2, 2, (70, 50, 90, 80), 95, " "),
        _row(2, 1, 1, 1, (10, 200, 80, 230), 70, "1949/QĐ-UBND"),
    ])
    result = parse_tsv(tsv + "\n")
    assert result.text == "QUYẾT ĐỊNH\nSố\n\n1949/QĐ-UBND"
    assert result.words[0] == Word("QUYẾT", 96.5, (10, 5, 100, 35), 0)
    assert [w.line for w in result.words] == [0, 0, 1, 2]
    assert result.mean_conf == pytest.approx((96.5 + 91.25 + 88 + 70) / 4)


def test_confidence_ignores_unread_words():
    words = [Word("a", 90, (0, 0, 1, 1)), Word("", 10, (0, 0, 1, 1)),
             Word("b", -1, (0, 0, 1, 1))]
    assert mean_conf(words) == 90
    assert mean_conf([]) == 0.0


def test_vertical_share():
    tall = Word("abc", 90, (0, 0, 10, 40))
    wide = Word("abc", 90, (0, 0, 40, 10))
    assert vertical_share([tall, tall, wide, Word("a", 9, (0, 0, 1, 9))]) == 2 / 3


def test_null_engine_writes_an_image_pdf(corpus):
    engine = get_engine("null")
    assert isinstance(engine, NullEngine)
    image = Image.open(corpus / "B_paperless_simple-no-dpi.png")
    result = engine.recognise(image, 70, "vie", 1.0)
    assert result.words == [] and result.text == ""
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert len(pdf.pages) == 1
        assert round(float(pdf.pages[0].mediabox[2])) == round(517 / 70 * 72)
    assert engine.detect_rotation(image, 1.0) == 0


def test_engine_names():
    assert isinstance(get_engine("tesseract"), TesseractEngine)
    with pytest.raises(ConfigError):
        get_engine("abbyy")
