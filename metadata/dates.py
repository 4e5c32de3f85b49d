"""Place and date of issue from the place-and-date line.

``Trà Vinh, ngày 02 tháng 10 năm 2018`` gives ``issued_date`` 2018-10-02 and
``place`` Trà Vinh. The line is looked for in the page-1 header (before the
first body line); a line broken after ``tháng`` is joined with the next one.
A blank or handwritten day gives no date (the place is still returned).
"""

from __future__ import annotations

import datetime as dt
import re

from core.types import FieldValue
from metadata.layout import body_start
from metadata.lines import Line, folded

_D = r"[0-9oil|]"
DATE = re.compile(
    rf"ng[a]y\s*(?P<d>{_D}{{1,2}})?[\s.…_]*th[a]ng\s*(?P<m>{_D}{{1,2}})"
    rf"[\s.,]*n[a]m\s*(?P<y>{_D}{{4}})"
)
_DIGIT_FIX = str.maketrans("oil|", "0111")
# Words allowed inside a place name besides capitalised ones.
_PLACE_JOINERS = {"pho", "xa", "tran", "thi"}
_PLACE_ABBREVIATIONS = {"TP", "TX", "Tp"}
_WORD = re.compile(r"^[^\W\d_]+\.?$")


def find_date(lines: list[Line]) -> list[FieldValue]:
    """Return ``issued_date`` and ``place`` fields from page-1 lines."""
    header = lines[: body_start(lines)]
    for i, line in enumerate(header):
        text, key = line.text, line.key
        match = DATE.search(key)
        if not match and i + 1 < len(header) and "ngay" in key:
            text = f"{line.text} {header[i + 1].text}"
            key = folded(text)
            match = DATE.search(key)
        if match:
            return _fields(line, text, match)
    return []


def _fields(line: Line, text: str, match: re.Match[str]) -> list[FieldValue]:
    raw = text[match.start(): match.end()]
    place = place_before(text[: match.start()])
    fields: list[FieldValue] = []
    if place:
        fields.append(FieldValue("place", place, 0.9, line.page, text))
    iso = _iso(match)
    if iso:
        conf = 0.95 if place else 0.8
        fields.append(FieldValue("issued_date", iso, conf, line.page, raw))
    return fields


def _iso(match: re.Match[str]) -> str | None:
    if not match.group("d"):
        return None
    day, month, year = (int(match.group(g).translate(_DIGIT_FIX))
                        for g in ("d", "m", "y"))
    if not 1945 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def place_before(prefix: str) -> str:
    """Trailing run of capitalised words before ``, ngày``."""
    taken: list[str] = []
    for word in reversed(prefix.rstrip(" ,.;").split()):
        if len(taken) >= 5 or not _place_word(word):
            break
        taken.append(word)
    while taken and not taken[-1][0].isupper():
        taken.pop()
    return " ".join(reversed(taken))


def _place_word(word: str) -> bool:
    if not _WORD.match(word):
        return False
    if folded(word) in _PLACE_JOINERS:
        return True
    if not word[0].isupper():
        return False
    # Capitals only: an abbreviation such as UBND, not a place (TP. is one).
    return word.rstrip(".") in _PLACE_ABBREVIATIONS or not word[1:].isupper()
