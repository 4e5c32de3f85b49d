"""What the text fields of an upload form may hold: the dossier code and the
station a batch is recorded under."""

from __future__ import annotations

import logging

from api.auth import Principal
from api.upload import UploadInvalid
from core import codes

log = logging.getLogger(__name__)

DOSSIER_FIELD = "dossier"


def validate_dossier_code(value: str, *, field: str = DOSSIER_FIELD) -> str:
    """Return ``value`` (NFC) when it is a well-formed dossier code
    (:mod:`core.codes`).

    Raises:
        UploadInvalid: ``value`` is not such a code; the message names
            ``field`` and says what is allowed.
    """
    code = codes.normalise(value)
    problem = codes.code_problem(code)
    if problem:
        raise UploadInvalid(f"form field {field!r}: {problem}; {codes.RULE}",
                            field=field)
    return code


def batch_station(user: Principal, given: str | None) -> str:
    """The station a batch of ``user`` is recorded under.

    A ``station`` key always records its own name, so that it can read the
    batch back and no other station's; a station named in the form is only
    logged. Other roles record the form's station, or their key's name.
    """
    if user.role != "station":
        return (given or user.name)[:codes.MAX_CODE]
    if given and given != user.name:
        log.info("upload by station key %s names station %r in its form; "
                 "recorded under the key's name", user.prefix, given[:codes.MAX_CODE])
    return user.name[:codes.MAX_CODE]
