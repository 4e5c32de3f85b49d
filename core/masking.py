"""Masking of personal identifiers (CCCD, CMND) in logs and output."""

from __future__ import annotations

import re

# 9 or 12 digits standing alone (not inside a longer run of digits or
# letters, such as a hex checksum or a timestamp): CMND and CCCD numbers.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{9}|\d{12})(?![0-9A-Za-z])")


def mask_id(value: str, keep: int = 3) -> str:
    """Mask all but the last ``keep`` digits: ``*********123``."""
    digits = value.strip()
    if len(digits) <= keep:
        return "*" * len(digits)
    return "*" * (len(digits) - keep) + digits[-keep:]


def mask_ids_in(text: str) -> str:
    """Mask every 9- or 12-digit run of ``text``."""
    return _ID.sub(lambda m: mask_id(m.group(1)), text)
