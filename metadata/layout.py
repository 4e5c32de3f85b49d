"""Where things sit on page 1: header, title, body start.

Decree 30/2020 puts the agency, the number and the place-and-date line at
the top, the type name centred under them, the summary under the type name,
then the body (``Căn cứ``, ``Kính gửi``, ``Điều 1`` …).
"""

from __future__ import annotations

import re

from core.textfold import fold
from metadata.lines import Line, is_upper_text
from metadata.vocab import BODY_STARTS, TITLE_NAMES

_TITLES = sorted({fold(t) for t in TITLE_NAMES}, key=len, reverse=True)
_TITLE_NAME = {fold(t): t for t in TITLE_NAMES}
_PUNCT_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_HEADER_LINES = 25
_BODY = re.compile(r"^[\W_]*(?:" + "|".join(BODY_STARTS) + ")")


def body_start(lines: list[Line]) -> int:
    """Index of the first body line of page 1 (``len(lines)`` if none)."""
    for i, line in enumerate(lines):
        if _BODY.match(line.key):
            return i
    return len(lines)


def title_of(line: Line) -> str | None:
    """Type name when ``line`` is a centred type title (``QUYẾT ĐỊNH``)."""
    if line.text.rstrip().endswith(":"):
        return None
    key = _PUNCT_EDGE.sub("", line.key)
    for title in _TITLES:
        if key == title:
            return _TITLE_NAME[title]
        if key.startswith(title + " ") and is_upper_text(line.text, 0.9):
            return _TITLE_NAME[title]
    return None


def title_index(lines: list[Line]) -> int | None:
    """Index of the type title among the header lines of page 1."""
    end = min(body_start(lines), _HEADER_LINES)
    for i in range(end):
        if title_of(lines[i]):
            return i
    return None
