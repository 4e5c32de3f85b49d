"""The form of a dossier code (mã hồ sơ), the same at every entry point.

Offices number their dossiers differently, so the rule is only what keeps a
code safe to show, search and use in object keys: 1 to :data:`MAX_CODE`
characters of letters (Vietnamese ones included), digits and ``. _ - /``,
not starting or ending with a separator, with no ``..``.
"""

from __future__ import annotations

import unicodedata

from core.textfold import fold

MAX_CODE = 100
SEPARATORS = frozenset("._-/")
RULE = (f"a dossier code has 1 to {MAX_CODE} letters, digits and '. _ - /' "
        "(e.g. HS-2024-TV-0001)")


def code_problem(code: str) -> str | None:
    """What is wrong with ``code`` (already NFC), or ``None``."""
    if not code:
        return "it is empty"
    if len(code) > MAX_CODE:
        return f"it has {len(code)} characters"
    bad = next((c for c in code if not _allowed(c)), None)
    if bad is not None:
        return f"character U+{ord(bad):04X} is not allowed"
    if code[0] in SEPARATORS or code[-1] in SEPARATORS:
        return "it starts or ends with a separator"
    if ".." in code:
        return "it holds '..'"
    return None


def normalise(code: str) -> str:
    """``code`` in NFC, the form it is stored and compared in."""
    return unicodedata.normalize("NFC", code)


def _allowed(char: str) -> bool:
    """A digit, a separator, or a Latin letter with or without diacritics."""
    if char in SEPARATORS or (char.isascii() and char.isalnum()):
        return True
    base = fold(char)
    return char.isalpha() and len(base) == 1 and base.isascii() and base.isalpha()


def from_name(name: str) -> str | None:
    """A code made from a folder name (``--per-folder``): characters a code
    may not hold become ``-``; ``None`` when nothing usable is left."""
    chars = [c if _allowed(c) else "-" for c in normalise(name)]
    code = "".join(chars)
    while "--" in code or ".." in code:
        code = code.replace("--", "-").replace("..", ".")
    code = code.strip("".join(SEPARATORS))[:MAX_CODE].strip("".join(SEPARATORS))
    return code or None
