"""What the text fields of an upload form may hold: the dossier code and the
station a batch is recorded under."""

from __future__ import annotations

import logging
import unicodedata

from api.auth import Principal
from api.upload import UploadInvalid
from core.textfold import fold

log = logging.getLogger(__name__)

MAX_CODE = 100
SEPARATORS = frozenset("._-/")
DOSSIER_FIELD = "dossier"


def validate_dossier_code(value: str, *, field: str = DOSSIER_FIELD) -> str:
    """Return ``value`` (NFC) when it is a well-formed dossier code.

    A code has 1 to :data:`MAX_CODE` characters: letters (Vietnamese ones
    included), digits and the separators ``. _ - /``; it neither starts nor
    ends with a separator and holds no ``..``.

    Raises:
        UploadInvalid: ``value`` is not such a code; the message names
            ``field`` and says what is allowed.
    """
    code = unicodedata.normalize("NFC", value)
    problem = _code_problem(code)
    if problem:
        raise UploadInvalid(
            f"form field {field!r}: {problem}; a dossier code has 1 to {MAX_CODE} "
            "letters, digits and '. _ - /' (e.g. HS-2024-TV-0001)",
            field=field,
        )
    return code


def _code_problem(code: str) -> str | None:
    """What is wrong with ``code``, or ``None``."""
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


def _allowed(char: str) -> bool:
    """A digit, a separator, or a Latin letter with or without diacritics."""
    if char in SEPARATORS or (char.isascii() and char.isalnum()):
        return True
    base = fold(char)
    return char.isalpha() and len(base) == 1 and base.isascii() and base.isalpha()


def batch_station(user: Principal, given: str | None) -> str:
    """The station a batch of ``user`` is recorded under.

    A ``station`` key always records its own name, so that it can read the
    batch back and no other station's; a station named in the form is only
    logged. Other roles record the form's station, or their key's name.
    """
    if user.role != "station":
        return (given or user.name)[:MAX_CODE]
    if given and given != user.name:
        log.info("upload by station key %s names station %r in its form; "
                 "recorded under the key's name", user.prefix, given[:MAX_CODE])
    return user.name[:MAX_CODE]
