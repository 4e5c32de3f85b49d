"""Destruction of an approved disposition list, and its certificate.

Each dossier is checked again (still unheld, still due); then each of its
objects is asked of the store. A lock (retention date, legal hold) found
before or during the deletes is reported on the item as ``refused``, and
the dossier keeps its catalogue rows: locks are never forced. Destroyed
dossiers are reduced to a tombstone (:mod:`retention.tombstone`). The
certificate lists every item and is archived permanently.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from archive import audit
from archive.models import Dossier, RetentionClass, StoredObject, utcnow
from archive.store import ObjectStore
from core.errors import Conflict, ObjectLocked, ObjectNotFound
from retention.actor import Actor, require_archivist
from retention.certificate import store_certificate
from retention.disposition import get_disposition
from retention.due import is_due
from retention.holds import active_holds
from retention.models import Disposition, DispositionItem
from retention.schedule import dossier_objects
from retention.tombstone import tombstone

log = logging.getLogger(__name__)


def destroy(
    session: Session,
    store: ObjectStore,
    disposition_id: str,
    *,
    actor: Actor,
    today: dt.date,
    font: Path | None = None,
) -> Disposition:
    """Destroy the dossiers of an approved list and archive the certificate.

    Args:
        session: the unit of work (the caller commits).
        store: the object store holding the dossiers' objects.
        disposition_id: an approved disposition.
        actor: an archivist or admin carrying out the destruction.
        today: the day of destruction (expiry is checked against it).
        font: the TrueType font of the certificate PDF.

    Raises:
        Conflict: the list is not approved.
    """
    require_archivist(actor, "destroying dossiers")
    disposition = get_disposition(session, disposition_id)
    if disposition.state != "approved":
        raise Conflict(f"disposition {disposition.id[:12]} is "
                       f"{disposition.state}; only an approved list is destroyed")
    for item in disposition.items:
        _destroy_item(session, store, item, actor=actor, today=today)
    outcomes = Counter(i.outcome for i in disposition.items)
    disposition.state = "destroyed" if outcomes.keys() == {"destroyed"} else "partial"
    disposition.destroyed_by, disposition.destroyed_at = actor.label, utcnow()
    session.flush()
    _certify(session, store, disposition, font=font)
    audit.append(session, actor=actor.label, action="disposition.destroyed",
                 subject_type="disposition", subject_id=disposition.id,
                 detail={"state": disposition.state, "outcomes": dict(outcomes),
                         "certificate": disposition.certificate_key})
    return disposition


def certificate_body(session: Session, disposition: Disposition) -> dict[str, Any]:
    """The certificate of a destroyed (or partly destroyed) disposition."""
    classes = {i.retention_class for i in disposition.items}
    basis = sorted({
        c.legal_basis for c in (session.get(RetentionClass, code) for code in classes)
        if c is not None and c.legal_basis
    })
    outcomes = Counter(i.outcome for i in disposition.items)
    return {
        "title": "Biên bản hủy tài liệu hết giá trị",
        "disposition_id": disposition.id,
        "state": disposition.state,
        "proposed_by": disposition.proposed_by,
        "proposed_at": _iso(disposition.proposed_at),
        "approved_by": disposition.decided_by,
        "approved_at": _iso(disposition.decided_at),
        "destroyed_by": disposition.destroyed_by,
        "destroyed_at": _iso(disposition.destroyed_at),
        "legal_basis": basis,
        "counts": {"dossiers": len(disposition.items),
                   "destroyed": outcomes.get("destroyed", 0),
                   "objects": sum(len(i.objects) for i in disposition.items
                                  if i.outcome == "destroyed"),
                   **{k: v for k, v in outcomes.items() if k != "destroyed"}},
        "dossiers": [
            {"dossier_id": i.dossier_id, "code": i.dossier_code,
             "retention_class": i.retention_class,
             "disposal_date": i.disposal_date.isoformat(), "outcome": i.outcome,
             "note": i.note, "objects": i.objects}
            for i in disposition.items
        ],
    }


def _destroy_item(
    session: Session, store: ObjectStore, item: DispositionItem, *,
    actor: Actor, today: dt.date,
) -> None:
    dossier = session.get(Dossier, item.dossier_id)
    if active_holds(session, dossier.id):
        _skip(item, "held", "on legal hold since the list was approved")
        return
    if not is_due(dossier, today):
        _skip(item, "not_due", f"not due on {today} (state {dossier.state})")
        return
    objects = dossier_objects(session, dossier.id)
    item.objects = [_object_entry(o) for o in objects]
    locked = _locked(store, objects)
    if not locked:
        locked = _delete_all(store, objects)
    if locked:
        _skip(item, "refused", "the store refused while locked: " + "; ".join(locked))
        return
    removed = tombstone(session, dossier)
    item.outcome, item.note = "destroyed", ""
    audit.append(session, actor=actor.label, action="dossier.destroyed",
                 subject_type="dossier", subject_id=dossier.id,
                 detail={"code": dossier.code, "disposition": item.disposition_id,
                         "objects": len(objects), **removed})
    log.info("dossier %s destroyed: %d object(s)", dossier.code, len(objects))


def _locked(store: ObjectStore, objects: list[StoredObject]) -> list[str]:
    """Keys a lock protects now, with the lock, checked before any delete."""
    found = []
    for obj in objects:
        try:
            info = store.stat(obj.key, version_id=obj.version_id)
        except ObjectNotFound:
            continue
        if info.is_locked():
            why = "legal hold" if info.legal_hold else (
                f"retention until {info.retain_until.isoformat()}")
            found.append(f"{obj.key} ({why})")
    return found


def _delete_all(store: ObjectStore, objects: list[StoredObject]) -> list[str]:
    """Delete each object's recorded version, then any older version."""
    refused = []
    for obj in objects:
        try:
            _delete(store, obj.key, obj.version_id)
        except ObjectLocked as exc:
            refused.append(f"{obj.key} ({exc.message})")
    return refused


def _delete(store: ObjectStore, key: str, version_id: str | None) -> None:
    try:
        store.delete(key, version_id=version_id)
    except ObjectNotFound:
        log.warning("object %s was already gone", key)
    if version_id is not None and store.exists(key):
        store.delete(key)


def _certify(
    session: Session, store: ObjectStore, disposition: Disposition, *,
    font: Path | None,
) -> None:
    body = certificate_body(session, disposition)
    stored = store_certificate(store, body, now=utcnow(), font=font)
    for key, info in stored.items():
        session.add(StoredObject(
            key=key, kind="certificate", sha256=info.sha256, size=info.size,
            media_type=info.media_type, version_id=info.version_id,
            retain_until=info.retain_until,
        ))
    pdf_key = next(k for k in stored if k.endswith(".pdf"))
    disposition.certificate_key = pdf_key.removesuffix(".pdf")
    disposition.certificate_sha256 = stored[pdf_key].sha256
    session.flush()


def _skip(item: DispositionItem, outcome: str, note: str) -> None:
    item.outcome, item.note = outcome, note
    log.warning("dossier %s not destroyed: %s", item.dossier_code, note)


def _object_entry(obj: StoredObject) -> dict[str, Any]:
    return {"key": obj.key, "kind": obj.kind, "sha256": obj.sha256,
            "size": obj.size, "version_id": obj.version_id}


def _iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when else None
