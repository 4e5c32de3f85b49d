"""Hooks for auditable events of the API, called where they happen.

The tamper-evident audit log plugs in here; until then each event is logged
at INFO without the identifier itself.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def on_id_view(*, actor: str, role: str, document_id: str, fields: list[str]) -> None:
    """A role allowed to see citizen IDs was shown them unmasked.

    Args:
        actor: name and key prefix of the caller, e.g. ``an (1a2b3c4d)``.
        role: the caller's role.
        document_id: the document whose fields were shown.
        fields: names of the unmasked fields (never their values).
    """
    log.info("unmasked %s of document %s shown to %s (%s)",
             ", ".join(fields), document_id[:12], actor, role)
