"""Disposition lists with four eyes: propose, then approve or reject.

An archivist proposes a list of due, unheld dossiers; a different person
with the archivist or admin role approves or rejects it. Destruction of an
approved list is in :mod:`retention.destruction`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.models import Dossier, utcnow
from core.errors import Conflict, Forbidden, InputError, NotFound
from retention.actor import Actor, require_archivist
from retention.due import due_list, is_due
from retention.holds import active_holds
from retention.models import Disposition, DispositionItem
from retention.schedule import find_dossier

log = logging.getLogger(__name__)


def propose(
    session: Session,
    dossiers: list[Dossier],
    *,
    actor: Actor,
    today: dt.date,
    note: str = "",
) -> Disposition:
    """Propose the destruction of ``dossiers`` (all due and unheld).

    Raises:
        InputError: the list is empty.
        Conflict: a dossier is not due, is held or is already listed in an
            open disposition.
    """
    require_archivist(actor, "proposing a disposition")
    if not dossiers:
        raise InputError("a disposition needs at least one dossier; "
                         "`sohoa retention due` lists those due")
    for dossier in dossiers:
        _check_proposable(session, dossier, today)
    disposition = Disposition(proposed_by=actor.label, proposer_name=actor.name,
                              note=note.strip())
    session.add(disposition)
    for dossier in dossiers:
        session.add(DispositionItem(
            disposition=disposition, dossier_id=dossier.id,
            dossier_code=dossier.code, retention_class=dossier.retention_class,
            disposal_date=dossier.disposal_date,
        ))
    session.flush()
    audit.append(session, actor=actor.label, action="disposition.proposed",
                 subject_type="disposition", subject_id=disposition.id,
                 detail={"dossiers": [d.code for d in dossiers],
                         "note": note.strip(), "today": today.isoformat()})
    log.info("disposition %s proposed: %d dossier(s)", disposition.id[:12],
             len(dossiers))
    return disposition


def proposal_targets(
    session: Session, idents: list[str], *, all_due: bool, today: dt.date
) -> list[Dossier]:
    """The dossiers named by code or id, plus every one due when ``all_due``."""
    found = [find_dossier(session, i) for i in idents]
    if all_due:
        found += [d for d in due_list(session, today=today).due if d not in found]
    return found


def decide(
    session: Session,
    disposition_id: str,
    *,
    actor: Actor,
    approve: bool,
    note: str = "",
) -> Disposition:
    """Approve or reject a proposed list, as someone other than the proposer.

    Raises:
        Forbidden: the actor proposed the list, or is not an archivist/admin.
        Conflict: the list was already decided.
    """
    require_archivist(actor, "deciding on a disposition")
    disposition = get_disposition(session, disposition_id)
    if actor.same_person(disposition.proposer_name):
        raise Forbidden(
            f"{actor.label} proposed disposition {disposition.id[:12]} and may "
            "not decide on it: another archivist or an admin must (four eyes)"
        )
    if disposition.state != "proposed":
        raise Conflict(f"disposition {disposition.id[:12]} is already "
                       f"{disposition.state}")
    disposition.state = "approved" if approve else "rejected"
    disposition.decided_by, disposition.decided_at = actor.label, utcnow()
    disposition.decision_note = note.strip()
    session.flush()
    audit.append(session, actor=actor.label,
                 action=f"disposition.{disposition.state}",
                 subject_type="disposition", subject_id=disposition.id,
                 detail={"proposed_by": disposition.proposed_by,
                         "dossiers": [i.dossier_code for i in disposition.items],
                         "note": note.strip()})
    return disposition


def get_disposition(session: Session, disposition_id: str) -> Disposition:
    """The disposition with this id (or a unique prefix of at least 8).

    Raises:
        NotFound: no such disposition.
    """
    found = session.get(Disposition, disposition_id)
    if found is None and len(disposition_id) >= 8:
        rows = session.scalars(select(Disposition).where(
            Disposition.id.startswith(disposition_id))).all()
        found = rows[0] if len(rows) == 1 else None
    if found is None:
        raise NotFound(f"no disposition {disposition_id!r}; "
                       "`sohoa retention dispositions` lists them")
    return found


def list_dispositions(session: Session) -> list[Disposition]:
    """Every disposition, newest first."""
    return list(session.scalars(
        select(Disposition).order_by(Disposition.proposed_at.desc())))


def disposition_body(disposition: Disposition) -> dict[str, Any]:
    """The JSON shape of a disposition and its items."""
    return {
        "id": disposition.id, "state": disposition.state,
        "note": disposition.note,
        "proposed_by": disposition.proposed_by,
        "proposed_at": disposition.proposed_at,
        "decided_by": disposition.decided_by,
        "decided_at": disposition.decided_at,
        "decision_note": disposition.decision_note,
        "destroyed_by": disposition.destroyed_by,
        "destroyed_at": disposition.destroyed_at,
        "certificate_key": disposition.certificate_key,
        "items": [
            {"dossier_id": i.dossier_id, "code": i.dossier_code,
             "retention_class": i.retention_class,
             "disposal_date": i.disposal_date.isoformat(),
             "outcome": i.outcome, "note": i.note}
            for i in disposition.items
        ],
    }


def _check_proposable(session: Session, dossier: Dossier, today: dt.date) -> None:
    if not is_due(dossier, today):
        when = dossier.disposal_date.isoformat() if dossier.disposal_date else (
            "never (permanent or not closed)")
        raise Conflict(f"dossier {dossier.code} is not due on {today}: its "
                       f"disposal date is {when}")
    if active_holds(session, dossier.id):
        raise Conflict(f"dossier {dossier.code} is on legal hold; release the "
                       "hold first (`sohoa retention release`)")
    open_item = session.scalar(
        select(DispositionItem.disposition_id)
        .join(Disposition)
        .where(DispositionItem.dossier_id == dossier.id,
               Disposition.state.in_(("proposed", "approved")))
    )
    if open_item is not None:
        raise Conflict(f"dossier {dossier.code} is already listed in "
                       f"disposition {open_item[:12]}")
