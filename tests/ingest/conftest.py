"""A real embedded archive (SQLite + folder store) in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from core.settings import load_settings
from ingest.context import Context, open_context


def make_context(data_dir: Path, **ocr: object) -> Context:
    """An embedded context under ``data_dir`` with two OCR workers."""
    settings = load_settings(data_dir=data_dir)
    settings.ocr.ocr_workers = 2
    for name, value in ocr.items():
        setattr(settings.ocr, name, value)
    return open_context(settings)


@pytest.fixture
def ctx(tmp_path) -> Context:
    return make_context(tmp_path / "data")


def zero_size_page_pdf(path: Path, corpus: Path) -> Path:
    """A copy of the 1949 decision whose second page has zero size."""
    with pikepdf.open(corpus / "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf") as pdf:
        pdf.pages[1].mediabox = [0, 0, 0, 0]
        pdf.save(path)
    return path
