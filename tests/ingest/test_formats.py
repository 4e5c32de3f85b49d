"""Every supported kind of scan goes through the pipeline and is read:
LZW and G4 TIFF, CMYK JPEG, a JPEG turned by its EXIF tag, PNG with alpha."""

from __future__ import annotations

import pytest
from PIL import Image
from sqlalchemy import select

from archive.models import Document, Page
from core.textfold import fold
from ingest.pipeline import run_batch
from ingest.render import render_pdf_page

pytestmark = pytest.mark.ocr

DECISION = "A_vn_quyetdinh_1949_TraVinh_2018_rendered.pdf"
_EXIF_ORIENTATION = 0x0112


@pytest.fixture(scope="module")
def page(corpus) -> Image.Image:
    """Page 1 of the Trà Vinh decision at 200 dpi, grey."""
    return render_pdf_page(corpus / DECISION, 0, dpi=200).convert("L")


def _variants(page: Image.Image, folder):
    page.save(folder / "lzw.tif", compression="tiff_lzw", dpi=(200, 200))
    page.convert("1").save(folder / "g4.tif", compression="group4", dpi=(200, 200))
    page.convert("CMYK").save(folder / "cmyk.jpg", dpi=(200, 200))
    # Stored turned by 90°, with the EXIF tag that says how to turn it back.
    exif = Image.Exif()
    exif[_EXIF_ORIENTATION] = 6
    page.transpose(Image.Transpose.ROTATE_90).save(
        folder / "exif.jpg", exif=exif, dpi=(200, 200))
    rgba = page.convert("RGBA")
    rgba.putalpha(255)
    rgba.save(folder / "alpha.png", dpi=(200, 200))


def test_every_kind_is_read(ctx, page, tmp_path):
    folder = tmp_path / "kinds"
    folder.mkdir()
    _variants(page, folder)
    report = run_batch(ctx, [folder], dossier_code="HS-KINDS")
    assert (report.documents, report.quarantined) == (5, [])
    with ctx.sessions() as session:
        rows = session.execute(
            select(Document.filename, Document.number, Page.text, Page.rotation)
            .join(Page, Page.document_id == Document.id)).all()
    assert len(rows) == 5
    for filename, number, text, rotation in rows:
        assert "quyet dinh" in fold(text), filename
        assert number == "1949/QĐ-UBND", filename
        assert rotation == 0, filename  # upright once EXIF is applied
