"""Document type (tên loại) from the title, the symbol and the ``V/v`` line.

Three clues, in order of weight: the centred title in capitals
(``QUYẾT ĐỊNH``, ``TỜ KHAI …``), the type abbreviation of the symbol
(``QĐ-UBND`` → Quyết định, ``2021/NĐ-CP`` → Nghị định) and, for a công văn,
a ``V/v`` summary with no title. Confidence is highest when clues agree.
"""

from __future__ import annotations

import re

from core.types import FieldValue
from metadata.layout import title_index, title_of
from metadata.lines import Line
from metadata.vocab import type_name

# "V/v" as OCR reads it (folded): "v/v", "v/y", "'v/v", "v / v".
VV = re.compile(r"^[\W_]{0,3}v\s*/\s*[vy]\b")
CONG_VAN = "Công văn"


def type_from_notation(notation: str) -> str | None:
    """Type name of a symbol's type abbreviation, if it has one."""
    parts = [p for p in notation.split("/") if not p.isdigit()]
    if not parts:
        return None
    return type_name(parts[0].split("-")[0])


def find_doc_type(lines: list[Line], notation: str | None) -> list[FieldValue]:
    """Return the ``doc_type`` field of page 1."""
    index = title_index(lines)
    title = title_of(lines[index]) if index is not None else None
    by_symbol = type_from_notation(notation) if notation else None
    page = lines[0].page if lines else 1
    if title:
        agree = {None: 0.85, title: 0.95}
        conf = agree.get(by_symbol, 0.6)
        return [FieldValue("doc_type", title, conf, page, lines[index].text)]
    if by_symbol:
        return [FieldValue("doc_type", by_symbol, 0.75, page, notation or "")]
    vv = next((ln for ln in lines[:25] if VV.match(ln.key)), None)
    if vv:
        return [FieldValue("doc_type", CONG_VAN, 0.85, vv.page, vv.text)]
    return []
