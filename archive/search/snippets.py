"""Snippets of page text around the matched words, built the same way for
every back end.

Words are compared folded, so the text as read is highlighted even when only
the folded form matched (``quyet`` marks ``Quyết``). Citizen ID numbers
(9- or 12-digit runs) are masked over the whole page before the window is
cut, so no part of a number leaks at the edge of a snippet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from archive.search.types import MARK_CLOSE, MARK_OPEN
from core.masking import mask_ids_in
from core.textfold import fold, has_diacritics, squash

_WORD = re.compile(r"[^\W_]+")
WINDOW_WORDS = 24
LEAD_WORDS = 6
# Shorter words are too often one letter from another word to mark.
FUZZY_MIN_LETTERS = 4


def snippet(
    text: str, words: Iterable[str], *, can_see_ids: bool = False, fuzzy: bool = False
) -> str:
    """Return a short excerpt of ``text`` with the matched words marked.

    When some words of the page are written exactly as typed (diacritics
    included), only those are marked; otherwise every word equal to a query
    word once folded.

    Args:
        text: the page text as read.
        words: the query words (any case, with or without diacritics).
        can_see_ids: keep citizen ID numbers readable.
        fuzzy: also mark words one letter away from a query word.
    """
    if not can_see_ids:
        text = mask_ids_in(text)
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return ""
    page_words = [text[s:e].lower() for s, e in spans]
    hits = _hits(page_words, [w.lower() for w in words], fuzzy)
    first = _best_start(hits, [fold(w) for w in page_words])
    last = min(len(spans), first + WINDOW_WORDS) - 1
    marked = _mark(text, spans, set(hits), first, last)
    prefix = "… " if first > 0 else ""
    suffix = " …" if last < len(spans) - 1 else ""
    return prefix + squash(marked) + suffix


def _hits(page_words: list[str], query: list[str], fuzzy: bool) -> list[int]:
    """Indexes of the page words to mark, query word by query word: the
    words written exactly as typed if there are any, else the words equal
    once folded (or, when ``fuzzy``, one letter away)."""
    folded_page = [fold(w) for w in page_words]
    marked: set[int] = set()
    for word in dict.fromkeys(query):
        exact = [i for i, w in enumerate(page_words) if w == word]
        if exact and has_diacritics(word):
            marked.update(exact)
            continue
        target = fold(word)
        near = fuzzy and len(target) >= FUZZY_MIN_LETTERS
        marked.update(
            i for i, w in enumerate(folded_page)
            if w == target or (near and len(w) >= FUZZY_MIN_LETTERS
                               and _one_edit(w, target))
        )
    return sorted(marked)


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one substitution, insertion or
    deletion."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _best_start(hits: list[int], folded: list[str]) -> int:
    """Index of the first word of the window showing the most distinct
    matched words, starting a few words before a match."""
    if not hits:
        return 0
    best, best_count = hits[0], 0
    for hit in hits:
        inside = {folded[h] for h in hits if hit <= h < hit + WINDOW_WORDS - LEAD_WORDS}
        if len(inside) > best_count:
            best, best_count = hit, len(inside)
    return max(0, best - LEAD_WORDS)


def _mark(
    text: str, spans: list[tuple[int, int]], hits: set[int], first: int, last: int
) -> str:
    out: list[str] = []
    cursor = spans[first][0]
    for index in range(first, last + 1):
        start, end = spans[index]
        out.append(text[cursor:start])
        word = text[start:end]
        out.append(f"{MARK_OPEN}{word}{MARK_CLOSE}" if index in hits else word)
        cursor = end
    return "".join(out)
