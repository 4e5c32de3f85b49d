"""Retention schedules of dossiers: class, trigger date, disposal date.

A dossier's class comes from a rule (its procedure code, else the longest
class among its documents' types) or from an archivist's override, which
records who and why. The count starts at the trigger: the end of the year
the dossier was closed (``end_of_year_closed``, the default) or the day it
was closed (``closed_date``); ``SOHOA_RETENTION_TRIGGER`` picks one.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.models import Document, Dossier, RetentionClass, StoredObject, utcnow
from archive.store import ObjectStore
from core.errors import Conflict, InputError, NotFound, SohoaError
from core.textfold import fold
from retention.actor import Actor, require_archivist
from retention.classes import PERMANENT, get_class, list_classes

log = logging.getLogger(__name__)

Trigger = Literal["end_of_year_closed", "closed_date"]


def trigger_date(closed: dt.date, trigger: Trigger) -> dt.date:
    """The day the retention count starts for a dossier closed on ``closed``."""
    if trigger == "closed_date":
        return closed
    return dt.date(closed.year, 12, 31)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def class_for(session: Session, dossier: Dossier) -> RetentionClass:
    """The class the rules give ``dossier``.

    A class listing the dossier's procedure code wins; otherwise the
    longest class among those listing one of its documents' types;
    otherwise the permanent class (nothing is destroyed by default).
    """
    classes = list_classes(session)
    if dossier.procedure_code:
        for cls in classes:
            if dossier.procedure_code in (cls.procedures or []):
                return cls
    types = {fold(d.doc_type) for d in dossier.documents if d.doc_type}
    for cls in classes:  # longest first
        if types & {fold(t) for t in cls.doc_types or []}:
            return cls
    return get_class(session, PERMANENT)


def apply_schedule(
    session: Session, dossier: Dossier, *, trigger: Trigger
) -> Dossier:
    """Fill the class (unless overridden), trigger and disposal dates."""
    if dossier.retention_override_by is None or dossier.retention_class is None:
        dossier.retention_class = class_for(session, dossier).code
    cls = get_class(session, dossier.retention_class)
    if dossier.closed_at is None:
        dossier.retention_trigger = dossier.disposal_date = None
        return dossier
    start = trigger_date(dossier.closed_at.date(), trigger)
    dossier.retention_trigger = start
    dossier.disposal_date = None if cls.years is None else add_years(start, cls.years)
    return dossier


def close_dossier(
    session: Session,
    dossier: Dossier,
    *,
    actor: Actor,
    trigger: Trigger,
    closed_at: dt.datetime | None = None,
    store: ObjectStore | None = None,
) -> Dossier:
    """Close the dossier, compute its dates and lock its objects till then.

    With a ``store``, each live object gets a COMPLIANCE retention until the
    disposal date when that date is still ahead; a store that cannot set it
    is reported in the log, and the catalogue dates still hold.

    Raises:
        Conflict: the dossier is already closed or destroyed.
        InputError: ``closed_at`` lies in the future (a lock set from it
            could never be moved earlier).
    """
    require_archivist(actor, "closing a dossier")
    now = utcnow() if closed_at is None or closed_at.tzinfo else (
        utcnow().replace(tzinfo=None))
    if closed_at is not None and closed_at > now:
        raise InputError(f"closing date {closed_at:%Y-%m-%d} is in the future; a "
                         "dossier is closed on or before today")
    if dossier.closed_at is not None or dossier.state != "open":
        raise Conflict(f"dossier {dossier.code} is already {dossier.state}; "
                       "use `sohoa retention show` to see its dates")
    dossier.closed_at = closed_at or utcnow()
    dossier.state = "closed"
    apply_schedule(session, dossier, trigger=trigger)
    if store is not None and dossier.disposal_date is not None:
        lock_objects(session, store, dossier)
    audit.append(session, actor=actor.label, action="dossier.closed",
                 subject_type="dossier", subject_id=dossier.id,
                 detail=schedule_body(dossier))
    return dossier


def override_class(
    session: Session, dossier: Dossier, code: str, *, actor: Actor,
    reason: str, trigger: Trigger, store: ObjectStore | None = None,
) -> Dossier:
    """Set the class by hand, recording who and why, and recompute dates.

    On a closed dossier, with a ``store``, the objects' lock moves on to a
    later disposal date; a lock is never moved earlier.

    Raises:
        InputError: no reason given.
        Conflict: the dossier was destroyed.
    """
    require_archivist(actor, "overriding a retention class")
    if not reason.strip():
        raise InputError("an override needs a reason (--reason)")
    if dossier.state == "destroyed":
        raise Conflict(f"dossier {dossier.code} was destroyed")
    before = dossier.retention_class
    dossier.retention_class = get_class(session, code).code
    dossier.retention_override_by = actor.label
    dossier.retention_override_reason = reason.strip()
    earlier = dossier.disposal_date
    apply_schedule(session, dossier, trigger=trigger)
    later = dossier.disposal_date is not None and (
        earlier is None or dossier.disposal_date > earlier)
    if store is not None and dossier.closed_at is not None and later:
        lock_objects(session, store, dossier)
    audit.append(session, actor=actor.label, action="dossier.class_overridden",
                 subject_type="dossier", subject_id=dossier.id,
                 detail={"before": before, **schedule_body(dossier),
                         "reason": reason.strip()})
    return dossier


def lock_objects(session: Session, store: ObjectStore, dossier: Dossier) -> int:
    """Give the dossier's objects a retention date at its disposal date."""
    until = dt.datetime.combine(dossier.disposal_date, dt.time(23, 59, 59),
                                tzinfo=dt.UTC)
    if until <= utcnow():
        return 0
    done = 0
    for obj in dossier_objects(session, dossier.id):
        try:
            store.set_retention(obj.key, until, mode="COMPLIANCE")
        except SohoaError as exc:
            log.warning("no retention set on %s: %s", obj.key, exc.message)
            continue
        obj.retain_until = until
        done += 1
    log.info("dossier %s: %d object(s) retained until %s", dossier.code, done,
             until.date())
    return done


def dossier_objects(session: Session, dossier_id: str) -> list[StoredObject]:
    """Live objects of a dossier: its documents' objects and its manifests."""
    doc_ids = select(Document.id).where(Document.dossier_id == dossier_id)
    return list(session.scalars(
        select(StoredObject)
        .where(StoredObject.deleted_at.is_(None))
        .where((StoredObject.dossier_id == dossier_id)
               | StoredObject.document_id.in_(doc_ids))
        .order_by(StoredObject.key)
    ))


def find_dossier(session: Session, ident: str) -> Dossier:
    """The dossier with id or code ``ident``.

    Raises:
        NotFound: no such dossier.
    """
    dossier = session.get(Dossier, ident) or session.scalar(
        select(Dossier).where(Dossier.code == ident)
    )
    if dossier is None:
        raise NotFound(f"no dossier with id or code {ident!r}; "
                       "`sohoa search` lists dossier codes")
    return dossier


def schedule_body(dossier: Dossier) -> dict[str, Any]:
    """The JSON shape of a dossier's retention, for CLI, API and audit."""
    return {
        "dossier_id": dossier.id, "code": dossier.code, "state": dossier.state,
        "retention_class": dossier.retention_class,
        "closed_at": _utc_iso(dossier.closed_at),
        "trigger_date": _iso(dossier.retention_trigger),
        "disposal_date": _iso(dossier.disposal_date),
        "override_by": dossier.retention_override_by,
        "override_reason": dossier.retention_override_reason,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _utc_iso(when: dt.datetime | None) -> str | None:
    """SQLite gives times back without a zone; they were stored in UTC."""
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).isoformat()
