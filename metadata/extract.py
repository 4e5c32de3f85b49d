"""Metadata extraction: every field of a document from its page texts.

Pure and fast: text in, fields out, no I/O. Page 1 gives the header fields
(number, date, place, agency, type, summary), the last pages the signer,
all pages the identifiers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from core.types import FieldValue, PageText
from metadata.agency import find_agency
from metadata.dates import find_date
from metadata.doctype import find_doc_type
from metadata.identifiers import find_citizen_ids, find_dossier_codes
from metadata.lines import page_lines
from metadata.number import find_number
from metadata.signer import find_signer
from metadata.summary import find_summary

logger = logging.getLogger(__name__)


def extract(
    pages: list[PageText],
    dossier_patterns: Sequence[str | re.Pattern[str]] | None = None,
) -> list[FieldValue]:
    """Return every metadata field found in the pages of one document.

    Args:
        pages: OCR or text-layer text of the document's pages, in order.
        dossier_patterns: regexes of the office's dossier codes; defaults to
            :data:`metadata.identifiers.DEFAULT_DOSSIER_PATTERNS`.

    Returns:
        Fields named as in :data:`core.types.FIELD_NAMES`, each with its
        confidence (0–1), 1-based page and the text it was read from.
    """
    if not pages:
        return []
    lines = [page_lines(p) for p in pages]
    first = lines[0]
    fields: list[FieldValue] = []

    # Header of page 1: number and symbol, place and date, agency.
    fields += find_number(first)
    fields += find_date(first)
    fields += find_agency(pages[0], first)

    # Type and summary, using the symbol's type abbreviation as a clue.
    notation = next((f.value for f in fields if f.name == "code_notation"), None)
    fields += find_doc_type(first, notation)
    fields += find_summary(first)

    # Signer block of the last pages.
    fields += find_signer(lines)

    # Identifiers anywhere in the document.
    fields += find_dossier_codes(lines, dossier_patterns)
    fields += find_citizen_ids(lines)

    logger.debug("metadata: %d fields from %d pages", len(fields), len(pages))
    return fields
