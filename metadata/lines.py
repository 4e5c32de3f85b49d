"""Line normalisation and header-block splitting of OCR page text.

Every line is kept twice: as read (NFC, white space squashed) and folded
(lowercase, no diacritics) with the same length, so that a match found on
the folded form can be sliced out of the text as read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.textfold import fold, nfc, squash
from core.types import PageText, Word

# Start of the right header block: national title or motto (folded).
MOTTO = re.compile(
    r"c[o0]ng\s*h[o0][aà]\s*x[a]|c[o0]ng\s+h\w{2,3}\s+x[a]\b"
    r"|d[o0]c\s*l[a]p\s*[-–—~]|d[o0]c\s*l[a]p\s+t[uư]\s*d[o0]"
    r"|\bt[uy]\s*d[o0]\s*[-–—~]\s*h"
)


def folded(text: str) -> str:
    """Fold ``text`` character by character, keeping its length."""
    return "".join((fold(ch) or " ")[0] for ch in text)


@dataclass(frozen=True)
class Line:
    """One non-empty line of a page, as read and folded."""

    text: str
    key: str
    page: int
    index: int


def make_line(text: str, page: int, index: int) -> Line:
    """Build a :class:`Line` from raw text."""
    clean = squash(nfc(text))
    return Line(clean, folded(clean), page, index)


def page_lines(page: PageText) -> list[Line]:
    """Non-empty lines of a page, in reading order."""
    raw = [squash(nfc(t)) for t in page.text.splitlines()]
    kept = [t for t in raw if t]
    return [make_line(t, page.number, i) for i, t in enumerate(kept)]


def split_motto(text: str) -> tuple[str, str]:
    """Split a merged header line at the national title or motto.

    Returns (left block part, right block part); the right part is empty
    when the line holds no motto.
    """
    match = MOTTO.search(folded(text))
    if not match:
        return text, ""
    return text[: match.start()].strip(), text[match.start():].strip()


def rows_from_words(words: list[Word]) -> list[list[Word]]:
    """Group words into rows by vertical overlap, each row sorted by x."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        centre = (word.box[1] + word.box[3]) / 2
        if rows and _row_top(rows[-1]) <= centre <= _row_bottom(rows[-1]):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(r, key=lambda w: w.box[0]) for r in rows]


def _row_top(row: list[Word]) -> float:
    return sum(w.box[1] for w in row) / len(row)


def _row_bottom(row: list[Word]) -> float:
    return sum(w.box[3] for w in row) / len(row)


def row_text(row: list[Word]) -> str:
    """Text of a row of words, NFC and squashed."""
    return squash(nfc(" ".join(w.text for w in row)))


def letters(text: str) -> str:
    """The letters of ``text``."""
    return "".join(c for c in text if c.isalpha())


def is_upper_text(text: str, share: float = 0.8) -> bool:
    """True when at least ``share`` of the letters (two or more) are capitals."""
    chars = letters(text)
    if len(chars) < 2:
        return False
    return sum(c.isupper() for c in chars) / len(chars) >= share


def restore_phrases(text: str, phrases: tuple[str, ...]) -> str:
    """Spell known capital phrases with their marks wherever their folded
    form occurs in ``text`` (``THÀNH PHÓ`` -> ``THÀNH PHỐ``)."""
    for phrase in phrases:
        pattern = rf"(?<!\w){re.escape(folded(phrase))}(?!\w)"
        for match in re.finditer(pattern, folded(text)):
            text = text[: match.start()] + phrase + text[match.end():]
    return text
