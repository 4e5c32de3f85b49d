"""Legal holds on dossiers, one by one or on a search result set.

A held dossier cannot be proposed for or undergo destruction. Its objects
get a legal hold in the store too, which no retention date overrides;
releasing the last active hold of a dossier lifts the objects' hold.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.models import Dossier, utcnow
from archive.search import search
from archive.search.types import SearchFilters
from archive.store import ObjectStore
from core.errors import Conflict, InputError, NotFound
from retention.actor import Actor, require_archivist
from retention.models import Hold
from retention.schedule import dossier_objects, find_dossier

log = logging.getLogger(__name__)

QUERY_LIMIT = 200


def place_hold(
    session: Session,
    store: ObjectStore | None,
    dossiers: list[Dossier],
    *,
    actor: Actor,
    reason: str,
    reference: str,
    query: str | None = None,
) -> list[Hold]:
    """Put a hold on each dossier (one group) and on their objects.

    Raises:
        InputError: no reason or reference, or no dossier.
        Conflict: a dossier was already destroyed.
    """
    require_archivist(actor, "placing a legal hold")
    if not reason.strip() or not reference.strip():
        raise InputError("a hold needs a reason (--reason) and a reference "
                         "(--reference), e.g. the case or inspection number")
    if not dossiers:
        raise InputError("no dossier to hold: check the codes or the query")
    group = uuid.uuid4().hex
    holds = []
    for dossier in dossiers:
        if dossier.state == "destroyed":
            raise Conflict(f"dossier {dossier.code} was destroyed; nothing to hold")
        hold = Hold(group_id=group, dossier_id=dossier.id, reason=reason.strip(),
                    reference=reference.strip(), query=query,
                    placed_by=actor.label)
        session.add(hold)
        holds.append(hold)
        objects = _set_object_holds(session, store, dossier.id, on=True)
        session.flush()
        audit.append(session, actor=actor.label, action="hold.placed",
                     subject_type="dossier", subject_id=dossier.id,
                     detail={"hold_id": hold.id, "group_id": group,
                             "reference": reference.strip(),
                             "reason": reason.strip(), "objects": objects,
                             "query": query})
    log.info("hold %s placed on %d dossier(s)", group[:12], len(holds))
    return holds


def hold_targets(
    session: Session, idents: list[str], query: str | None
) -> list[Dossier]:
    """The dossiers named by code or id, then those ``query`` finds."""
    found = [find_dossier(session, i) for i in idents]
    if query:
        found += [d for d in dossiers_for_query(session, query) if d not in found]
    return found


def dossiers_for_query(session: Session, query: str) -> list[Dossier]:
    """The distinct dossiers of every document that matches ``query``."""
    ids: list[str] = []
    offset = 0
    while True:
        result = search(session, query, filters=SearchFilters(),
                        limit=QUERY_LIMIT, offset=offset)
        for hit in result.hits:
            if hit.dossier_id not in ids:
                ids.append(hit.dossier_id)
        offset += QUERY_LIMIT
        if not result.hits or offset >= result.total:
            break
    return [find_dossier(session, i) for i in ids]


def release_hold(
    session: Session,
    store: ObjectStore | None,
    hold_id: str,
    *,
    actor: Actor,
    reason: str,
) -> list[Hold]:
    """Release a hold, or every hold of a group when ``hold_id`` is a group.

    The objects' legal hold is lifted for dossiers with no other active hold.

    Raises:
        NotFound: no active hold with this id or group.
    """
    require_archivist(actor, "releasing a legal hold")
    holds = list(session.scalars(
        select(Hold).where((Hold.id == hold_id) | (Hold.group_id == hold_id))
        .where(Hold.released_at.is_(None))
    ))
    if not holds:
        raise NotFound(f"no active hold {hold_id!r}; `sohoa retention holds` "
                       "lists them")
    for hold in holds:
        hold.released_at, hold.released_by = utcnow(), actor.label
        hold.release_reason = reason.strip()
        session.flush()
        objects = 0
        if not active_holds(session, hold.dossier_id):
            objects = _set_object_holds(session, store, hold.dossier_id, on=False)
        audit.append(session, actor=actor.label, action="hold.released",
                     subject_type="dossier", subject_id=hold.dossier_id,
                     detail={"hold_id": hold.id, "group_id": hold.group_id,
                             "reference": hold.reference,
                             "reason": reason.strip(), "objects": objects})
    return holds


def active_holds(session: Session, dossier_id: str) -> list[Hold]:
    """The holds of a dossier not yet released."""
    return list(session.scalars(
        select(Hold).where(Hold.dossier_id == dossier_id,
                           Hold.released_at.is_(None))
    ))


def held_dossier_ids(session: Session) -> set[str]:
    """Ids of every dossier with an active hold."""
    return set(session.scalars(
        select(Hold.dossier_id).where(Hold.released_at.is_(None))
    ))


def list_holds(session: Session, *, active_only: bool = True) -> list[Hold]:
    """Holds, newest first."""
    query = select(Hold).order_by(Hold.placed_at.desc())
    if active_only:
        query = query.where(Hold.released_at.is_(None))
    return list(session.scalars(query))


def hold_body(hold: Hold) -> dict:
    """The JSON shape of a hold."""
    return {"id": hold.id, "group_id": hold.group_id,
            "dossier_id": hold.dossier_id, "reason": hold.reason,
            "reference": hold.reference, "query": hold.query,
            "placed_by": hold.placed_by, "placed_at": hold.placed_at,
            "released_by": hold.released_by, "released_at": hold.released_at}


def hold_rows(session: Session, holds: list[Hold]) -> list[dict]:
    """:func:`hold_body` of each hold, with its dossier's ``dossier_code``."""
    ids = {h.dossier_id for h in holds}
    found = session.execute(
        select(Dossier.id, Dossier.code).where(Dossier.id.in_(ids)))
    codes = {dossier_id: code for dossier_id, code in found}
    return [{**hold_body(h), "dossier_code": codes.get(h.dossier_id)}
            for h in holds]


def _set_object_holds(
    session: Session, store: ObjectStore | None, dossier_id: str, *, on: bool
) -> int:
    if store is None:
        return 0
    objects = dossier_objects(session, dossier_id)
    for obj in objects:
        store.set_legal_hold(obj.key, on)
    return len(objects)
