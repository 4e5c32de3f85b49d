"""Number and symbol (số và ký hiệu) of a document: ``1949/QĐ-UBND``.

Read only from the ``Số:`` label of the page-1 header, never from a body
citation (``Căn cứ Quyết định số 985/QĐ-TTg``): a body ``số`` has no colon
and sits after the first body line. ``code_number`` is the number before
the first slash and ``code_notation`` everything after it, so that
``number == code_number + "/" + code_notation`` (``28`` and ``2021/NĐ-CP``
for a decree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.types import FieldValue
from metadata.layout import body_start
from metadata.lines import Line
from metadata.vocab import canonical_issuer, canonical_type

# "Số:" as OCR reads it (folded): "so:", "so :", "s6:", "so." at line start.
LABEL = re.compile(r"(?:^|(?<=\s))[\W_]{0,2}s[o06]\s*[:;]\s*|"
                   r"^[\W_]{0,2}s[o06][.]?\s+(?=[0-9oil|])")
_NUMBER = re.compile(r"^([0-9OoIl|]{0,6})[.,'’`]?/(\S+)")
_DIGIT_FIX = str.maketrans("OoIl|", "00111")
_SEGMENT = re.compile(r"([/-])")


@dataclass(frozen=True)
class Symbol:
    """A symbol after clean-up, with what the clean-up had to guess."""

    text: str
    restored: bool
    unknown: int


def find_number(lines: list[Line]) -> list[FieldValue]:
    """Return ``number``, ``code_number`` and ``code_notation`` fields."""
    for line in lines[: body_start(lines)]:
        label = LABEL.search(line.key)
        if not label:
            continue
        fields = _parse(line, line.text[label.end():], ":" in label.group())
        if fields:
            return fields
    return []


def _parse(line: Line, rest: str, colon: bool) -> list[FieldValue]:
    rest = re.sub(r"\s*([/-])\s*", r"\1", rest)
    match = _NUMBER.match(rest)
    if not match:
        return []
    raw_digits, raw_symbol = match.groups()
    digits = raw_digits.translate(_DIGIT_FIX)
    symbol = clean_symbol(raw_symbol.rstrip(".,;:"))
    if not symbol.text:
        return []
    conf = _confidence(symbol, colon, digits != raw_digits)
    if not _plausible_middle(symbol.text):
        # "4/35/SGDĐT-…": a second slash must follow a year (28/2021/NĐ-CP);
        # anything else is a misread (often a handwritten number).
        conf = round(conf * 0.5, 2)
    raw = line.text
    if not any(c.isdigit() for c in raw_digits):
        # Number left blank or handwritten: only the symbol is known.
        weak = round(conf * 0.7, 2)
        return [FieldValue("code_notation", symbol.text, weak, line.page, raw)]
    notation = FieldValue("code_notation", symbol.text, conf, line.page, raw)
    return [
        FieldValue("number", f"{digits}/{symbol.text}", conf, line.page, raw),
        FieldValue("code_number", digits, conf, line.page, raw),
        notation,
    ]


def _plausible_middle(notation: str) -> bool:
    if "/" not in notation:
        return True
    year = notation.split("/", 1)[0]
    return year.isdigit() and len(year) == 4 and 1945 <= int(year) <= 2100


def _confidence(symbol: Symbol, colon: bool, digits_fixed: bool) -> float:
    conf = 0.95 if symbol.unknown == 0 else 0.8
    conf -= 0.05 * symbol.restored + 0.05 * digits_fixed + 0.1 * (not colon)
    return round(conf, 2)


def clean_symbol(raw: str) -> Symbol:
    """Restore the spelling of a symbol's parts where the vocabulary is sure.

    ``QD-UBND`` becomes ``QĐ-UBND``, ``§GDĐT`` becomes ``SGDĐT``; unknown
    parts are kept as read and counted.
    """
    raw = re.sub(r"^[§$5](?=[A-ZĐ])", "S", raw)
    parts = _SEGMENT.split(raw)
    out: list[str] = []
    restored, unknown, first_word = False, 0, True
    for part in parts:
        fixed, known = _clean_part(part, first_word)
        if part and part not in "/-" and not _is_digits(part):
            first_word = False
        restored |= fixed != part and known
        unknown += not known
        out.append(fixed)
    return Symbol("".join(out), restored, unknown)


def _clean_part(part: str, first_word: bool) -> tuple[str, bool]:
    if not part or part in "/-":
        return part, True
    if _is_digits(part):
        return part.translate(_DIGIT_FIX), True
    canon = (canonical_type(part) if first_word else None) or canonical_issuer(part)
    if canon:
        return canon, True
    return part, False


def _is_digits(part: str) -> bool:
    return sum(c.isdigit() for c in part) >= max(1, len(part) - 1) and \
        all(c.isdigit() or c in "OoIl" for c in part)
