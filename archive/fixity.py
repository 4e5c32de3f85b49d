"""Fixity: re-read stored objects, recompute SHA-256, record each check.

Each live object of the catalogue (``stored_object`` rows not deleted) is
read back through :meth:`ObjectStore.sha256_of` and compared with the
checksum recorded when it was written. Every check becomes a
``fixity_check`` row; mismatches and missing objects are reported with
their dossier, so an archivist knows which hồ sơ to restore.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass, field

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive import audit
from archive.models import Base, Document, Dossier, StoredObject, utcnow
from archive.store import ObjectStore
from core.errors import ObjectNotFound, StorageError

log = logging.getLogger(__name__)

OK, MISMATCH, MISSING, ERROR = "ok", "mismatch", "missing", "error"


class FixityCheck(Base):
    """One re-read of one object and what it gave."""

    __tablename__ = "fixity_check"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    object_id: Mapped[int] = mapped_column(
        ForeignKey("stored_object.id"), index=True
    )
    key: Mapped[str] = mapped_column(String(400))
    dossier_id: Mapped[str | None] = mapped_column(String(32), index=True)
    expected: Mapped[str] = mapped_column(String(64))
    actual: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


@dataclass(frozen=True)
class Problem:
    """An object that failed its check, with the dossier it belongs to."""

    key: str
    status: str
    dossier_id: str | None
    dossier_code: str | None
    expected: str
    actual: str | None
    note: str = ""


@dataclass
class FixityReport:
    """Counts of one fixity run and its problems."""

    checked: int = 0
    ok: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when every checked object matched."""
        return not self.problems


def run_fixity(
    session: Session,
    store: ObjectStore,
    *,
    sample: int | None = None,
    rng: random.Random | None = None,
    actor: str = "fixity",
) -> FixityReport:
    """Check every live object, or a random ``sample`` of them (no commit).

    Args:
        session: the unit of work that records the checks.
        store: the object store to read from.
        sample: check only this many objects, drawn at random.
        rng: the random source of the sample (seed it for repeatable runs).
        actor: who runs the check, for the audit log.
    """
    objects = _live_objects(session)
    if sample is not None and sample < len(objects):
        objects = (rng or random.SystemRandom()).sample(objects, sample)
    codes = _dossier_codes(session)
    report = FixityReport()
    for obj, dossier_id in objects:
        check = _check(store, obj, dossier_id)
        session.add(check)
        report.checked += 1
        if check.status == OK:
            report.ok += 1
            continue
        report.problems.append(Problem(
            obj.key, check.status, dossier_id, codes.get(dossier_id or ""),
            obj.sha256, check.actual, check.note,
        ))
    session.flush()
    audit.append(session, actor=actor, action="fixity.run",
                 subject_type="store", subject_id="objects",
                 detail={"checked": report.checked, "ok": report.ok,
                         "problems": [p.key for p in report.problems][:50]})
    log.info("fixity: %d object(s) checked, %d problem(s)", report.checked,
             len(report.problems))
    return report


def _check(store: ObjectStore, obj: StoredObject, dossier_id: str | None
           ) -> FixityCheck:
    actual, status, note = None, OK, ""
    try:
        actual = store.sha256_of(obj.key)
        if actual != obj.sha256:
            status = MISMATCH
    except ObjectNotFound:
        status, note = MISSING, "the store has no such object"
    except StorageError as exc:
        status, note = ERROR, exc.message
    if status != OK:
        log.warning("fixity %s: %s", status, obj.key)
    return FixityCheck(object_id=obj.id, key=obj.key, dossier_id=dossier_id,
                       expected=obj.sha256, actual=actual, status=status,
                       note=note)


def _live_objects(session: Session) -> list[tuple[StoredObject, str | None]]:
    rows = session.execute(
        select(StoredObject, Document.dossier_id)
        .outerjoin(Document, Document.id == StoredObject.document_id)
        .where(StoredObject.deleted_at.is_(None))
        .order_by(StoredObject.id)
    ).all()
    return [(obj, obj.dossier_id or doc_dossier) for obj, doc_dossier in rows]


def _dossier_codes(session: Session) -> dict[str, str]:
    rows = session.execute(select(Dossier.id, Dossier.code))
    return {row.id: row.code for row in rows}
