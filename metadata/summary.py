"""Summary (trích yếu) of a document.

For a titled document it is the line(s) under the title up to the first
body line, an authority line in capitals or a blank gap in the layout,
joined across broken lines. For a công văn it is the ``V/v …`` line(s)
under the number; the ``V/v`` prefix is kept, spelled ``V/v``, as the
corpus truth and the registers of one-stop offices write it.
"""

from __future__ import annotations

import re

from core.types import FieldValue
from metadata.dates import DATE, place_before
from metadata.doctype import VV
from metadata.layout import body_start, title_index
from metadata.lines import Line, is_upper_text, split_motto
from metadata.number import LABEL

_MAX_LINES = 6
_MAX_VV_LINES = 3
# A place-and-date line, even when misread ("Da Nang, ngay,94 thcing").
_PLACE_DATE = re.compile(r",\s*ngay\b")
_VV_PREFIX = re.compile(r"^[\W_]{0,3}[vV]\s*/\s*[vVyY]\b\s*")


def find_summary(lines: list[Line]) -> list[FieldValue]:
    """Return the ``summary`` field of page 1."""
    end = body_start(lines)
    index = title_index(lines)
    if index is not None:
        parts = _collect(lines[index + 1: end], _MAX_LINES)
        conf = 0.9
    else:
        start = next((i for i, ln in enumerate(lines[:end]) if VV.match(ln.key)),
                     None)
        if start is None:
            return []
        first = _VV_PREFIX.sub("V/v ", lines[start].text, count=1)
        parts = [first, *_collect(lines[start + 1: end], _MAX_VV_LINES)]
        conf = 0.85
    text = " ".join(parts).strip().rstrip(" .;,")
    if not text or text == "V/v":
        return []
    return [FieldValue("summary", text, conf, lines[0].page, "\n".join(parts))]


def _collect(candidates: list[Line], limit: int) -> list[str]:
    parts: list[str] = []
    for line in candidates[:limit]:
        text = _summary_part(line)
        if not text:
            break
        parts.append(text)
    return parts


def _summary_part(line: Line) -> str:
    """Left part of a summary line, or '' when the summary has ended."""
    if is_upper_text(line.text, 0.9) or LABEL.match(line.key):
        return ""
    left = split_motto(line.text)[0]
    date = DATE.search(line.key) or _PLACE_DATE.search(line.key)
    if date:
        left = _before_place(line.text[: date.start()])
    return left.strip()


def _before_place(prefix: str) -> str:
    """Drop the place name in front of ``, ngày`` from a merged line."""
    text = prefix.rstrip(" ,")
    place = place_before(text)
    return text[: len(text) - len(place)] if place else text
