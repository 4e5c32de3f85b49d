"""Hooks for auditable events of the API, called where they happen.

Each event goes to the tamper-evident audit log (:mod:`archive.audit`) in
the caller's session, without personal data: field names and a SHA-256 of
a corrected value, never an identifier itself. Each is logged at INFO too.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.orm import Session

from archive import audit

log = logging.getLogger(__name__)


def on_id_view(
    *,
    actor: str,
    role: str,
    document_id: str,
    fields: list[str],
    session: Session | None = None,
) -> None:
    """A role allowed to see citizen IDs was shown them unmasked.

    Args:
        actor: name and key prefix of the caller, e.g. ``an (1a2b3c4d)``.
        role: the caller's role.
        document_id: the document whose fields were shown.
        fields: names of the unmasked fields (never their values).
        session: the request's session; the event is appended and committed
            in it (a read request has nothing else to commit).
    """
    log.info("unmasked %s of document %s shown to %s (%s)",
             ", ".join(fields), document_id[:12], actor, role)
    if session is not None:
        audit.append(session, actor=actor, action="document.id_viewed",
                     subject_type="document", subject_id=document_id,
                     detail={"role": role, "fields": fields})
        session.commit()


def on_field_corrected(
    session: Session, *, actor: str, document_id: str, name: str, value: str
) -> None:
    """A field was corrected by hand; append the event to the caller's unit
    of work (the value is kept as its SHA-256 only)."""
    digest = hashlib.sha256(value.strip().encode("utf-8")).hexdigest()
    audit.append(session, actor=actor, action="field.corrected",
                 subject_type="document", subject_id=document_id,
                 detail={"field": name, "value_sha256": digest})
