"""Citizen ids (CCCD, CMND) and one-stop dossier codes.

A CCCD is 12 digits ``PPP G YY NNNNNN``: PPP a province code of birth
registration, G the century and sex (0–3 for births 1900–2099). A CMND is 9
digits and is only taken next to a label, since 9-digit runs are common
(amounts ``100.000.000``). A number inside a longer digit run, a 10-digit
phone number or a date never matches. The province code set is that of the
63 provinces (001 Hà Nội … 084 Trà Vinh … 096 Cà Mau). These are personal
data: they are logged masked only.

Dossier codes follow the receipt pattern of the office, which differs
between offices, so the patterns are arguments with a default list.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from core.masking import mask_id
from core.types import FieldValue
from metadata.lines import Line

logger = logging.getLogger(__name__)

PROVINCE_CODES = frozenset(f"{n:03d}" for n in (
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
    33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58,
    60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87,
    89, 91, 92, 93, 94, 95, 96,
))
_LABEL = re.compile(r"cccd|cmnd|cmtnd|can cuoc|dinh danh|chung minh")
_ID = re.compile(
    r"(?<![\d/.,-])(?<!\d )"
    r"(\d{12}|\d{3}[ .]\d[ .]?\d{2}[ .]\d{6}|\d{3}(?:[ .]\d{3}){3}"
    r"|\d{9}|\d{3}(?:[ .]\d{3}){2})"
    r"(?![\d/-])(?![.,]\d)(?! \d)"
)

# Receipt codes of one-stop offices, e.g. 000.00.00.H30-201203-0001 or
# H38.20-241204-0001 (procedure codes such as 1.011442.000.00.00.H38 are not).
DEFAULT_DOSSIER_PATTERNS: tuple[str, ...] = (
    r"(?<![\w.])\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}(?![\w-])",
    r"(?<![\w.])[A-Z]\d{2}(?:\.\d{1,3}){1,3}-\d{6}-\d{4}(?![\w-])",
)


def find_citizen_ids(pages: list[list[Line]]) -> list[FieldValue]:
    """Return one ``citizen_id`` field per distinct id found."""
    fields: dict[str, FieldValue] = {}
    for lines in pages:
        for i, line in enumerate(lines):
            near = " ".join(ln.key for ln in lines[max(0, i - 1): i + 1])
            labelled = bool(_LABEL.search(near))
            for match in _ID.finditer(line.text):
                value = re.sub(r"[ .]", "", match.group(1))
                conf = id_confidence(value, labelled=labelled)
                if conf and value not in fields:
                    logger.debug("citizen id %s found on page %d",
                                 mask_id(value), line.page)
                    fields[value] = FieldValue("citizen_id", value, conf,
                                               line.page, line.text)
    return list(fields.values())


def id_confidence(value: str, *, labelled: bool) -> float:
    """Confidence that ``value`` (9 or 12 digits) is a citizen id; 0 = no."""
    if len(value) == 9:
        return 0.8 if labelled else 0.0
    valid = value[:3] in PROVINCE_CODES and value[3] in "0123"
    if valid:
        return 0.95 if labelled else 0.6
    return 0.3 if labelled else 0.0


def find_dossier_codes(
    pages: list[list[Line]], patterns: Sequence[str | re.Pattern[str]] | None
) -> list[FieldValue]:
    """Return one ``dossier_code`` field per distinct code found."""
    compiled = list(_compile(patterns or DEFAULT_DOSSIER_PATTERNS))
    seen: dict[str, FieldValue] = {}
    for lines in pages:
        for line in lines:
            for pattern in compiled:
                for match in pattern.finditer(line.text):
                    code = match.group(0)
                    seen.setdefault(code, FieldValue("dossier_code", code, 0.9,
                                                     line.page, line.text))
    return list(seen.values())


def _compile(patterns: Iterable[str | re.Pattern[str]]) -> Iterable[re.Pattern[str]]:
    for pattern in patterns:
        yield pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
