"""Vietnamese text folding: lowercase, no diacritics, ``đ`` to ``d``.

Search indexes both the text as read and its folded form, so that
``quyet dinh`` finds ``Quyết định``.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return the NFC form; OCR and PDFs mix composed and decomposed marks."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase, strip combining marks and map ``đ``/``Đ`` to ``d``."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("ð", "d")


def squash(text: str) -> str:
    """Collapse runs of white space into one space and trim."""
    return _SPACE.sub(" ", text).strip()


def has_diacritics(text: str) -> bool:
    """True when folding would change the lowercased text."""
    lowered = text.lower()
    return fold(lowered) != lowered
