"""The destruction certificate (biên bản hủy tài liệu hết giá trị).

One JSON document (dossiers, counts, checksums, proposer, approver, dates,
legal basis) and a PDF rendering of it, stored side by side under
``certificates/<disposition-id>.{json,pdf}``, kept permanently: each gets a
COMPLIANCE retention of :data:`KEEP_YEARS` years and a legal hold, which
has no expiry date.

The PDF uses DejaVu Sans (Debian ``fonts-dejavu-core``), which has every
Vietnamese letter. Without it the PDF falls back to a built-in font with
the diacritics removed, says so on the page and logs a warning; the JSON,
always complete, stays the reference.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import unicodedata
from pathlib import Path
from typing import Any

from fpdf import FPDF

from archive.store import ObjectInfo, ObjectStore

log = logging.getLogger(__name__)

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
KEEP_YEARS = 100
TITLE = "BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ"
FALLBACK_NOTE = (
    "Font DejaVuSans not found (install fonts-dejavu-core): Vietnamese "
    "diacritics are removed in this PDF; the JSON beside it is complete."
)


def find_font(configured: Path | None = None) -> Path | None:
    """The TrueType font for the PDF, or ``None`` when none is installed."""
    for path in (configured, *FONT_PATHS):
        if path is not None and Path(path).is_file():
            return Path(path)
    return None


def render_pdf(body: dict[str, Any], *, font: Path | None) -> bytes:
    """Render the certificate ``body`` as a PDF."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if font is not None:
        pdf.add_font("cert", "", str(font))
        pdf.set_font("cert", size=10)
        text = str
    else:
        log.warning("certificate PDF without Vietnamese font: %s", FALLBACK_NOTE)
        pdf.set_font("Helvetica", size=10)
        text = _ascii
    width = pdf.epw

    def line(value: str, size: int = 10, gap: float = 6) -> None:
        pdf.set_font_size(size)
        pdf.multi_cell(width, gap, text(value), new_x="LMARGIN", new_y="NEXT")

    line(TITLE, 14, 8)
    if font is None:
        line(FALLBACK_NOTE, 8, 5)
    for label, value in _header(body):
        line(f"{label}: {value}")
    pdf.ln(2)
    line(f"Hồ sơ đã hủy / dossiers destroyed: {body['counts']['destroyed']}", 11)
    for item in body["dossiers"]:
        line(f"- {item['code']} ({item['dossier_id']}) · class "
             f"{item['retention_class']} · disposal {item['disposal_date']} · "
             f"{item['outcome']} · {len(item['objects'])} object(s)")
        for obj in item["objects"]:
            line(f"    {obj['key']}  sha256 {obj['sha256']}", 7, 4)
    return bytes(pdf.output())


def store_certificate(
    store: ObjectStore, body: dict[str, Any], *, now: dt.datetime,
    font: Path | None,
) -> dict[str, ObjectInfo]:
    """Store the JSON and the PDF, locked for good; return them by key."""
    data = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True,
                      default=str).encode("utf-8")
    pdf = render_pdf(body, font=font)
    until = now + dt.timedelta(days=round(365.25 * KEEP_YEARS))
    base = f"certificates/{body['disposition_id']}"
    stored = {}
    for key, content, media in ((f"{base}.json", data, "application/json"),
                                (f"{base}.pdf", pdf, "application/pdf")):
        info = store.put_bytes(key, content, media_type=media, retain_until=until)
        store.set_legal_hold(key, True)
        stored[key] = info
    log.info("destruction certificate %s stored, kept until %s", base,
             until.date())
    return stored


def _header(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Danh mục / disposition", body["disposition_id"]),
        ("Đề xuất / proposed by", f"{body['proposed_by']}, {body['proposed_at']}"),
        ("Phê duyệt / approved by", f"{body['approved_by']}, {body['approved_at']}"),
        ("Thực hiện hủy / destroyed by",
         f"{body['destroyed_by']}, {body['destroyed_at']}"),
        ("Căn cứ / legal basis", "; ".join(body["legal_basis"])),
        ("Số lượng / counts", ", ".join(
            f"{k} {v}" for k, v in sorted(body["counts"].items()))),
    ]


def _ascii(value: str) -> str:
    """Drop the diacritics, keep the case, for the built-in font."""
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("đ", "d").encode("latin-1", "replace").decode("latin-1")
