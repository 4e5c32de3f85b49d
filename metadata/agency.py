"""Issuing agency and parent agency from the left header block.

The left block holds, per Decree 30/2020, the parent agency then the issuing
agency, in capitals. Rule for two-line blocks: when the second line starts
with a territorial level (``TỈNH``, ``THÀNH PHỐ``, ``HUYỆN``, ``XÃ`` …) or the
first ends with ``VÀ``/``&``, the two lines are one name split for width, so
``ỦY BAN NHÂN DÂN`` / ``TỈNH TRÀ VINH`` gives ``agency`` = ``ỦY BAN NHÂN DÂN
TỈNH TRÀ VINH`` and no parent (the name the decision itself uses as its
authority line; the corpus truth ``TỈNH TRÀ VINH`` is contained in it).
Otherwise the last name is the issuing agency and the one above it the
parent: ``UBND THÀNH PHỐ ĐÀ NẴNG`` / ``SỞ GIÁO DỤC VÀ ĐÀO TẠO``.

OCR often merges the left and right header blocks on one line. With word
boxes, words left of the right block (the x where ``CỘNG HÒA`` / ``Độc lập``
start, else half the page width) form the left block; without them the line
is cut at the national title or motto.
"""

from __future__ import annotations

import re

from core.types import FieldValue, PageText, Word
from metadata.layout import body_start, title_index
from metadata.lines import (
    MOTTO,
    Line,
    folded,
    is_upper_text,
    restore_phrases,
    row_text,
    rows_from_words,
    split_motto,
)
from metadata.number import LABEL
from metadata.vocab import ADMIN_LEVELS, AGENCY_PHRASES

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def find_agency(page: PageText, lines: list[Line]) -> list[FieldValue]:
    """Return ``agency`` and, when shown, ``parent_agency`` of page 1."""
    rows = _left_rows_from_words(page) if page.words and page.width else None
    if not rows:
        rows = _left_rows_from_text(lines)
    names = [r for r in (_clean(r) for r in rows) if r]
    return _fields(_group(names), page.number)


def _left_rows_from_text(lines: list[Line]) -> list[str]:
    end = _header_end(lines, [ln.key for ln in lines])
    return [split_motto(line.text)[0] for line in lines[:end]]


def _header_end(lines: list[Line], keys: list[str]) -> int:
    for i, key in enumerate(keys[: body_start(lines)]):
        if LABEL.match(key):
            return i
    title = title_index(lines)
    return title if title is not None else min(len(lines), 4)


def _left_rows_from_words(page: PageText) -> list[str] | None:
    rows = rows_from_words(page.words)
    keys = [folded(row_text(r)) for r in rows]
    label = next((i for i, k in enumerate(keys[:30]) if LABEL.match(k)), None)
    if label is None:
        return None
    header = rows[:label]
    split_x = _right_block_x(header) or page.width / 2
    tolerance = page.width * 0.01
    return [row_text([w for w in r if w.box[0] < split_x - tolerance])
            for r in header]


def _right_block_x(rows: list[list[Word]]) -> float | None:
    starts = []
    for row in rows:
        for i, word in enumerate(row):
            tail = folded(" ".join(w.text for w in row[i: i + 4]))
            if MOTTO.match(tail):
                starts.append(word.box[0])
                break
    return min(starts) if starts else None


def _clean(row: str) -> str:
    words = _EDGE.sub("", row).split()
    # Misread motto remains ("Dc 1p") trail the name: drop lowercase tails.
    while words and any(c.islower() or c.isdigit() for c in words[-1]):
        words.pop()
    text = _EDGE.sub("", " ".join(words))
    if not is_upper_text(text, 0.8) or MOTTO.search(folded(text)):
        return ""
    if not any(len(w) >= 2 and w.isalpha() for w in text.split()):
        return ""
    return restore_phrases(text, AGENCY_PHRASES)


def _group(names: list[str]) -> list[str]:
    groups: list[list[str]] = []
    for name in names:
        key = folded(name) + " "
        joins = key.startswith(ADMIN_LEVELS) or (
            groups and groups[-1][-1].endswith((" VÀ", "&", ",")))
        if groups and joins:
            groups[-1].append(name)
        else:
            groups.append([name])
    return [" ".join(g) for g in groups]


def _fields(names: list[str], page: int) -> list[FieldValue]:
    if not names:
        return []
    conf = 0.9 if len(names) <= 2 else 0.7
    raw = " / ".join(names)
    fields = [FieldValue("agency", names[-1], _quality(names[-1], conf),
                         page, raw)]
    if len(names) >= 2:
        parent_conf = _quality(names[-2], conf - 0.05)
        fields.append(FieldValue("parent_agency", names[-2], parent_conf,
                                 page, raw))
    return fields


def _quality(name: str, conf: float) -> float:
    """Lower the confidence of a name holding what a name never holds."""
    clean = all(c.isupper() or c in " &-,.()" for c in name)
    return round(conf if clean else conf * 0.5, 2)
