"""Page texts laid out the way tesseract reads a Decree 30/2020 header.

Tesseract reads the two header blocks side by side, so each printed row of
the left block shares a line with the right block.
"""

from __future__ import annotations

import textwrap

from core.types import PageText

HEADER_1949 = (
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH TRÀ VINH Độc lập - Tự do - Hạnh phúc\n"
    "Số: 1949/QĐ-UBND Trà Vinh, ngày 02 tháng 10 năm 2018\n"
    "QUYẾT ĐỊNH\n"
)

SIGNER_BLOCK_1949 = (
    "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n"
    "- Cục Kiểm soát TTHC - VPCP; KT. CHỦ TỊCH\n"
    "- TT TU, TT HĐND tỉnh (b/c); PHÓ CHỦ TỊCH\n"
    "- CT, các PCT UBND tỉnh;\n"
    "- Như Điều 3;\n"
    "- Lưu: VT, KSTT.\n"
)


def pages_1949(truth: dict) -> list[PageText]:
    """Page 1 (header, title, summary over lines, body) and page 2 (signer)
    of decision 1949 built from its truth JSON."""
    summary = "\n".join(textwrap.wrap(truth["summary"], 62))
    page1 = f"{HEADER_1949}{summary}\n{truth['text']}\n"
    page2 = f"{SIGNER_BLOCK_1949}\n{truth['signer_name']}\n"
    return [PageText(1, page1), PageText(2, page2)]


def values(fields) -> dict[str, str]:
    """Field name -> value of the first field of each name."""
    out: dict[str, str] = {}
    for field in fields:
        out.setdefault(field.name, field.value)
    return out
