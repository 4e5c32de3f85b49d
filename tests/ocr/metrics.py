"""Character error rate for comparing OCR text with a reference."""

from __future__ import annotations

from core.textfold import nfc, squash


def levenshtein(a: str, b: str) -> int:
    """Return the edit distance between ``a`` and ``b``."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def cer(text: str, reference: str) -> float:
    """Character error rate of ``text`` against ``reference``.

    Both are NFC-normalised and their white space collapsed first, so line
    layout does not count, only the characters read.
    """
    got, ref = squash(nfc(text)), squash(nfc(reference))
    return levenshtein(got, ref) / max(1, len(ref))
