"""The audit log: one row per state change, each chained to the one before.

Every row carries ``prev_hash`` (the ``hash`` of the row before it) and its
own ``hash``, the SHA-256 of a canonical JSON of its fields plus
``prev_hash``. Editing, deleting or inserting a past row breaks the chain at
that row, and :func:`verify` names the first break.

Appends are serialised so the chain stays a line: PostgreSQL takes a
transaction-level advisory lock; SQLite holds its database write lock from
the row's INSERT until the transaction ends. The row is inserted first and
chained after, so on both the previous row is read under the lock.

Details never hold personal data: every string in ``detail`` goes through
:func:`core.masking.mask_ids_in` before it is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Integer, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.models import Base, utcnow
from core.masking import mask_ids_in

log = logging.getLogger(__name__)

GENESIS = "0" * 64
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


@dataclass(frozen=True)
class ChainBreak:
    """The first row whose hash or link does not match."""

    event_id: int
    action: str
    reason: str


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify` found: rows checked and the first break, if any."""

    checked: int
    last_hash: str
    broken: ChainBreak | None = None

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
        The flushed row, hash filled in.
    """
    _lock(session)
    event = AuditEvent(
        at=_utc(at or utcnow()),
        actor=mask_ids_in(actor),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=_masked(detail or {}),
        prev_hash="",
        hash=f"pending-{id(session):x}-{action}"[:64],
    )
    session.add(event)
    session.flush()
    previous = session.scalar(
        select(AuditEvent.hash)
        .where(AuditEvent.id < event.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    event.prev_hash = previous or GENESIS
    event.hash = event_hash(event, event.prev_hash)
    session.flush()
    log.debug("audit %s %s %s", action, subject_type, subject_id[:12])
    return event


def event_hash(event: AuditEvent, prev_hash: str) -> str:
    """SHA-256 of the canonical JSON of the event's fields and ``prev_hash``."""
    body = {
        "id": event.id,
        "at": _iso(event.at),
        "actor": event.actor,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "detail": event.detail,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify(session: Session, *, batch: int = 1000) -> VerifyReport:
    """Walk the chain from the first row and report the first break."""
    expected_prev = GENESIS
    checked = 0
    for event in _events(session, batch):
        if event.prev_hash != expected_prev:
            reason = "its prev_hash does not match the row before it"
            return VerifyReport(checked, expected_prev, _break(event, reason))
        if event.hash != event_hash(event, event.prev_hash):
            reason = "its content does not match its hash (row edited)"
            return VerifyReport(checked, expected_prev, _break(event, reason))
        expected_prev = event.hash
        checked += 1
    return VerifyReport(checked, expected_prev)


def events(
    session: Session,
    *,
    subject_id: str | None = None,
    action: str | None = None,
    limit: int = 100,
) -> list[AuditEvent]:
    """The newest events first, optionally of one subject or action."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))


def _events(session: Session, batch: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > last)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _break(event: AuditEvent, reason: str) -> ChainBreak:
    log.warning("audit chain broken at event %d (%s): %s", event.id,
                event.action, reason)
    return ChainBreak(event.id, event.action, reason)


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
