"""Signer block at the end of a document: capacity and full name.

The block sits at the bottom right of the last page: an optional authority
prefix (``TM.``, ``KT.``, ``Q.``, ``TL.``, ``TUQ.``) with the body it acts
for, the position in capitals (``PHÓ CHỦ TỊCH``), then the full name. OCR
merges it with the ``Nơi nhận`` list on the left, so the capacity is read as
the trailing run of capital words of each line, and the name as the last
run of two to five capitalised words ending a line (a known family name
first is preferred). ``signer_capacity`` joins the block's capital lines
with ", ": ``TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH, PHÓ CHỦ TỊCH``.
"""

from __future__ import annotations

import re

from core.types import FieldValue
from metadata.lines import Line, folded, restore_phrases
from metadata.vocab import (
    AUTHORITY_PREFIXES,
    POSITIONS,
    SIGNER_PHRASES,
    SURNAMES,
)

_WINDOW = 14
_UPPER_WORD = re.compile(r"^[^\W\d_]+\.?$|^&$")
_POSITION = re.compile(r"(?<!\w)(?:" + "|".join(POSITIONS) + r")(?!\w)")


def find_signer(pages: list[list[Line]]) -> list[FieldValue]:
    """Return ``signer_capacity`` and ``signer_name`` from the last pages."""
    for lines in reversed(pages[-2:]):
        fields = _signer(lines)
        if fields:
            return fields
    return []


def _signer(lines: list[Line]) -> list[FieldValue]:
    start = _first_capacity(lines)
    if start is None:
        return []
    window = lines[start: start + _WINDOW]
    capacity = [c for c in (capacity_tail(ln.text) for ln in window[:5]) if c]
    fields = [FieldValue("signer_capacity", ", ".join(capacity), 0.85,
                         window[0].page, "\n".join(ln.text for ln in window))]
    name = _name(window[1:])
    if name:
        line, value, conf = name
        fields.append(FieldValue("signer_name", value, conf, line.page, line.text))
    return fields


def _first_capacity(lines: list[Line]) -> int | None:
    found = [i for i, ln in enumerate(lines) if capacity_tail(ln.text)]
    if not found:
        return None
    # The block is the last group of capacity lines on the page.
    start = found[-1]
    while start - 1 in found:
        start -= 1
    return start


def capacity_tail(text: str) -> str:
    """Trailing run of capital words holding a position or authority prefix."""
    words = text.split()
    taken: list[str] = []
    for word in reversed(words):
        if not (_UPPER_WORD.match(word) and word.upper() == word):
            break
        taken.append(word)
    taken.reverse()
    # An authority prefix starts the block: "VT, TCCB. TUQ. BỘ TRƯỞNG".
    prefix = next((i for i, w in enumerate(taken)
                   if folded(w) in AUTHORITY_PREFIXES), 0)
    tail = restore_phrases(" ".join(taken[prefix:]), SIGNER_PHRASES)
    key = folded(tail)
    if len(tail.replace(".", "")) < 2:
        return ""
    if key.startswith(AUTHORITY_PREFIXES) or _POSITION.search(key):
        return tail
    return ""


def name_tail(text: str) -> list[str]:
    """Trailing run of capitalised words of a line (``Trần Anh Dũng``)."""
    taken: list[str] = []
    for word in reversed(text.split()):
        if not _is_name_word(word) or len(taken) >= 5:
            break
        taken.append(word)
    return list(reversed(taken))


def _is_name_word(word: str) -> bool:
    return word.isalpha() and word[0].isupper() and (
        len(word) == 1 or word[1:].islower())


def _name(lines: list[Line]) -> tuple[Line, str, float] | None:
    best: tuple[Line, str, float] | None = None
    for line in lines:
        words = name_tail(line.text)
        while words and folded(words[0]) not in SURNAMES and len(words) > 2:
            words = words[1:]
        if len(words) < 2:
            continue
        known = folded(words[0]) in SURNAMES
        if best is None or known or best[2] < 0.9:
            best = (line, " ".join(words), 0.9 if known else 0.6)
    return best
