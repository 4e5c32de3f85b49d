"""Anchors of the audit log in the object store, outside the catalogue.

The ``audit_head`` row catches deleted newest events, but whoever can rewrite
the catalogue can rewrite that row too. An anchor is a copy of the head
(length and last hash of the chain) written to
``audit/anchors/<UTC time>.json``: a new key each time, never replaced, and
locked against deletion for :data:`~retention.certificate.KEEP_YEARS` years
like the destruction certificates. :func:`verify_with_anchor` checks the
chain against the head and against the newest anchor.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from archive import audit
from archive.store import ObjectStore
from core.errors import IntegrityError
from retention.certificate import KEEP_YEARS

log = logging.getLogger(__name__)

PREFIX = "audit/anchors/"


@dataclass(frozen=True)
class StoredAnchor:
    """One anchor: where it is kept and the chain's end when it was taken."""

    key: str
    count: int
    last_hash: str
    last_event_id: int
    at: str


def write_anchor(
    session: Session, store: ObjectStore, *, now: dt.datetime | None = None
) -> StoredAnchor:
    """Verify the chain against its head and the newest anchor, then store
    its length and last hash under a new key.

    Raises:
        IntegrityError: the chain is broken (nothing is anchored), or an
            anchor with the same time already exists.
    """
    report, _ = verify_with_anchor(session, store)
    if report.broken is not None:
        raise IntegrityError(
            f"audit log not anchored: {report.broken.reason} (after "
            f"{report.checked} intact event(s)); run `sohoa audit verify` and "
            "restore the catalogue before anchoring again")
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    key = f"{PREFIX}{when:%Y%m%dT%H%M%S%fZ}.json"
    if store.exists(key):
        raise IntegrityError(f"anchor {key} exists already; anchors are never "
                             "replaced: run the command again", object_key=key)
    anchor = StoredAnchor(key, report.checked, report.last_hash,
                          report.last_event_id, when.isoformat())
    body = {k: v for k, v in asdict(anchor).items() if k != "key"}
    until = when + dt.timedelta(days=round(365.25 * KEEP_YEARS))
    store.put_bytes(key, json.dumps(body, sort_keys=True).encode("utf-8"),
                    media_type="application/json", retain_until=until)
    log.info("audit log anchored at %s: %d event(s)", key, anchor.count)
    return anchor


def newest_anchor(store: ObjectStore) -> StoredAnchor | None:
    """The anchor with the latest time, or ``None`` when there is none.

    Raises:
        IntegrityError: the newest anchor is not a valid anchor document.
    """
    keys = [o.key for o in store.list(PREFIX) if o.key.endswith(".json")]
    if not keys:
        return None
    key = max(keys)
    with store.open(key) as stream:
        raw = stream.read()
    try:
        body = json.loads(raw)
        return StoredAnchor(key, int(body["count"]), str(body["last_hash"]),
                            int(body["last_event_id"]), str(body["at"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise IntegrityError(
            f"anchor {key} is not a valid anchor ({exc}); it should hold count, "
            "last_hash, last_event_id and at: compare it with a backup",
            object_key=key) from exc


def verify_with_anchor(
    session: Session, store: ObjectStore
) -> tuple[audit.VerifyReport, StoredAnchor | None]:
    """Verify the chain and its head, then compare it with the newest anchor.

    Returns:
        The report (a ``tail`` break when the chain is shorter than the
        anchor or differs at its last event) and the anchor used, if any.
    """
    report = audit.verify(session)
    anchor = newest_anchor(store)
    if anchor is not None:
        report = audit.check_anchor(session, report, count=anchor.count,
                                    last_hash=anchor.last_hash,
                                    source=f"anchor {anchor.key}")
    return report, anchor
