"""The audit log: one row per state change, each chained to the one before.

Every row carries ``prev_hash`` (the ``hash`` of the row before it) and its
own ``hash``, the SHA-256 of a canonical JSON of its fields plus
``prev_hash``. Editing, deleting or inserting a past row breaks the chain at
that row, and :func:`verify` names the first break.

The one row of ``audit_head`` holds the chain's length and last hash; each
append moves it in the same transaction, so deleting the newest rows (a
shorter chain that still links) is caught too, as is a copy of the head kept
elsewhere (:func:`check_anchor`).

Appends are serialised so the chain stays a line: PostgreSQL takes an
advisory lock; SQLite holds its write lock from the row's INSERT to the end
of the transaction. The head is read and moved after the INSERT, under it.

Details never hold personal data: every string in ``detail`` goes through
:func:`core.masking.mask_ids_in` before it is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import JSON, Integer, String, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.models import Base, utcnow
from core.masking import mask_ids_in

log = logging.getLogger(__name__)

GENESIS = "0" * 64
HEAD_ID = 1
HEAD_SOURCE = "the audit_head table"
_HASHED = ("id", "actor", "action", "subject_type", "subject_id", "detail")
# Any fixed 64-bit number: the key of the advisory lock held while appending.
_PG_AUDIT_LOCK = 5_862_401_118


class AuditEvent(Base):
    """One state change: who did what to which subject, and when."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(100), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The end of the chain as the last append left it (row ``HEAD_ID``)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_count: Mapped[int] = mapped_column(Integer)
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class ChainBreak:
    """The first row whose hash or link does not match (``row``), or an end
    that differs from an anchor (``tail``: ``event_id`` is the last row)."""

    event_id: int
    action: str
    reason: str
    kind: Literal["row", "tail"] = "row"
    missing: int = 0


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify` found: rows checked and the first break, if any."""

    checked: int
    last_hash: str
    broken: ChainBreak | None = None
    last_event_id: int = 0

    @property
    def ok(self) -> bool:
        """True when the whole chain holds."""
        return self.broken is None


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Add an event to the chain in the caller's transaction (no commit).

    Args:
        session: the session of the unit of work that makes the change.
        actor: who did it (``name (key prefix)``, ``ingest``, ``cli:user``).
        action: a dotted verb, e.g. ``hold.placed``, ``document.archived``.
        subject_type: ``dossier``, ``document``, ``disposition`` …
        subject_id: the subject's id.
        detail: small JSON-able facts; strings are masked for ID numbers.
        at: when it happened; now by default.

    Returns:
        The flushed row, hash filled in; the head moved to it.
    """
    _lock(session)
    event = AuditEvent(
        at=_utc(at or utcnow()), actor=mask_ids_in(actor), action=action,
        subject_type=subject_type, subject_id=subject_id,
        detail=_masked(detail or {}), prev_hash="",
        hash=f"pending-{id(session):x}-{action}"[:64],
    )
    session.add(event)
    session.flush()
    head = _head_before(session, event.id)
    event.prev_hash = head.last_hash
    event.hash = event_hash(event, event.prev_hash)
    head.event_count += 1
    head.last_event_id, head.last_hash, head.updated_at = event.id, event.hash, event.at
    session.flush()
    log.debug("audit %s %s %s", action, subject_type, subject_id[:12])
    return event


def event_hash(event: AuditEvent, prev_hash: str) -> str:
    """SHA-256 of the canonical JSON of the event's fields and ``prev_hash``."""
    body = {name: getattr(event, name) for name in _HASHED}
    body.update(at=_iso(event.at), prev_hash=prev_hash)
    canonical = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify(session: Session, *, batch: int = 1000) -> VerifyReport:
    """Walk the chain from the first row; report the first break, or a chain
    whose length or last hash differs from the ``audit_head`` row."""
    head = read_head(session)
    report = _walk(session, batch)
    if report.broken is not None or (head is None and report.checked == 0):
        return report
    if head is None:
        return _tail(report, "the audit_head row is missing", 0)
    report = check_anchor(session, report, count=head.event_count,
                          last_hash=head.last_hash, source=HEAD_SOURCE)
    # Events appended while the walk ran moved the head on: read it again.
    now = read_head(session) if report.checked > head.event_count else head
    extra = report.checked - (now.event_count if now else 0)
    if report.ok and extra > 0:
        return _tail(report, f"{extra} event(s) at the end are not in "
                     f"{HEAD_SOURCE} (added outside the audit log)", 0)
    return report


def check_anchor(
    session: Session, report: VerifyReport, *, count: int, last_hash: str,
    source: str,
) -> VerifyReport:
    """Compare a verified chain with an anchor taken when it had ``count``
    events, the last hashing to ``last_hash`` (later events may follow);
    return ``report`` as it is when it holds, else with a ``tail`` break."""
    if report.broken is not None or count == 0:
        return report
    if report.checked < count:
        missing = count - report.checked
        why = (f"{missing} event(s) missing at the end: {source} records "
               f"{count} event(s), the log holds {report.checked}")
        return _tail(report, why, missing)
    if hash_at(session, count) != last_hash:
        why = (f"event number {count} does not hash to the last hash of "
               f"{source} ({last_hash[:16]}…): rows were replaced")
        return _tail(report, why, 0)
    return report


def read_head(session: Session) -> AuditHead | None:
    """The ``audit_head`` row as stored now (not a cached copy)."""
    return session.get(AuditHead, HEAD_ID, populate_existing=True)


def hash_at(session: Session, position: int) -> str | None:
    """The hash of the ``position``-th event (from 1) in chain order."""
    query = select(AuditEvent.hash).order_by(AuditEvent.id)
    return session.scalar(query.offset(position - 1).limit(1))


def events(
    session: Session, *, subject_id: str | None = None,
    action: str | None = None, limit: int = 100,
) -> list[AuditEvent]:
    """The newest events first, optionally of one subject or action."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))


def _head_before(session: Session, event_id: int) -> AuditHead:
    """The head under the lock, created from the rows when there is none."""
    head = read_head(session)
    before = select(AuditEvent.hash).where(AuditEvent.id < event_id)
    tail = session.scalar(before.order_by(AuditEvent.id.desc()).limit(1))
    if head is None:
        count = session.scalar(select(func.count()).where(AuditEvent.id < event_id))
        head = AuditHead(id=HEAD_ID, event_count=count or 0, last_event_id=0,
                         last_hash=tail or GENESIS)
        session.add(head)
    elif head.last_hash != (tail or GENESIS):
        log.warning("audit log tail differs from %s before event %d: run "
                    "`sohoa audit verify`", HEAD_SOURCE, event_id)
    return head


def _walk(session: Session, batch: int) -> VerifyReport:
    expected_prev, checked, last_id = GENESIS, 0, 0
    for event in _in_batches(session, batch):
        if event.prev_hash != expected_prev:
            reason = "its prev_hash does not match the row before it"
            return VerifyReport(checked, expected_prev, _break(event, reason), last_id)
        if event.hash != event_hash(event, event.prev_hash):
            reason = "its content does not match its hash (row edited)"
            return VerifyReport(checked, expected_prev, _break(event, reason), last_id)
        expected_prev, last_id = event.hash, event.id
        checked += 1
    return VerifyReport(checked, expected_prev, last_event_id=last_id)


def _in_batches(session: Session, batch: int) -> Iterator[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id).limit(batch)
    rows = session.scalars(query).all()
    while rows:
        yield from rows
        rows = session.scalars(query.where(AuditEvent.id > rows[-1].id)).all()


def _break(event: AuditEvent, reason: str) -> ChainBreak:
    log.warning("audit chain broken at event %d (%s): %s", event.id, event.action,
                reason)
    return ChainBreak(event.id, event.action, reason)


def _tail(report: VerifyReport, reason: str, missing: int) -> VerifyReport:
    log.warning("audit chain end broken after event %d: %s",
                report.last_event_id, reason)
    found = ChainBreak(report.last_event_id, "", reason, "tail", missing)
    return dataclasses.replace(report, broken=found)


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK}
        )


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ids_in(value)
    if isinstance(value, dict):
        return {str(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _iso(when: dt.datetime) -> str:
    """The same text whether the database gave the time back aware or not."""
    return _utc(when).isoformat(timespec="microseconds")
