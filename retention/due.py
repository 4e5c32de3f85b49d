"""Due lists: dossiers whose retention period has ended, and early warnings.

A dossier is due when it is closed, not destroyed, its class has a period
and its disposal date is on or before the cut-off day. Held dossiers are
left out (and counted apart). Warnings name the dossiers due within the
warning window (30 days by default) and those whose transfer to the agency
archive, one year after closing (for dossiers kept five years or more),
falls in that window.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Dossier
from retention.holds import held_dossier_ids
from retention.schedule import add_years, schedule_body

TRANSFER_MIN_YEARS = 5


@dataclass
class DueList:
    """Dossiers due on ``before``, their counts per class, and warnings."""

    before: dt.date
    due: list[Dossier] = field(default_factory=list)
    held: int = 0
    soon: list[Dossier] = field(default_factory=list)
    transfer_soon: list[Dossier] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Due dossiers per retention class."""
        return dict(Counter(d.retention_class or "?" for d in self.due))

    def body(self) -> dict[str, Any]:
        """The JSON shape of the list for the CLI and the API."""
        return {
            "before": self.before.isoformat(),
            "total": len(self.due),
            "counts": self.counts,
            "held_excluded": self.held,
            "dossiers": [schedule_body(d) for d in self.due],
            "warnings": [_warning("due", d, d.disposal_date) for d in self.soon]
            + [_warning("transfer", d, transfer_date(d))
               for d in self.transfer_soon],
        }


def due_list(
    session: Session, *, today: dt.date, before: dt.date | None = None,
    warn_days: int = 30,
) -> DueList:
    """The due list on ``before`` (``today`` when not given).

    Args:
        session: a catalogue session (only read).
        today: the day the list is made on (pass it to test expiry).
        before: cut-off day, inclusive.
        warn_days: how many days ahead of ``before`` to warn.
    """
    cutoff = before or today
    held = held_dossier_ids(session)
    result = DueList(cutoff)
    window = cutoff + dt.timedelta(days=warn_days)
    for dossier in _closed(session):
        disposal = dossier.disposal_date
        if disposal is not None and disposal <= cutoff:
            if dossier.id in held:
                result.held += 1
            else:
                result.due.append(dossier)
        elif disposal is not None and disposal <= window:
            result.soon.append(dossier)
        transfer = transfer_date(dossier)
        if transfer is not None and today <= transfer <= window:
            result.transfer_soon.append(dossier)
    return result


def is_due(dossier: Dossier, today: dt.date) -> bool:
    """True when the dossier's period ended on or before ``today``."""
    return (
        dossier.state == "closed"
        and dossier.disposal_date is not None
        and dossier.disposal_date <= today
    )


def transfer_date(dossier: Dossier) -> dt.date | None:
    """Last day to transfer a dossier kept 5 years or more: a year after
    it closed."""
    if dossier.closed_at is None or dossier.state != "closed":
        return None
    if dossier.disposal_date is not None and dossier.retention_trigger is not None:
        kept = dossier.disposal_date.year - dossier.retention_trigger.year
        if kept < TRANSFER_MIN_YEARS:
            return None
    return add_years(dossier.closed_at.date(), 1)


def _closed(session: Session) -> list[Dossier]:
    return list(session.scalars(
        select(Dossier).where(Dossier.state == "closed")
        .order_by(Dossier.disposal_date, Dossier.code)
    ))


def _warning(kind: str, dossier: Dossier, day: dt.date | None) -> dict[str, Any]:
    return {"kind": kind, "dossier_id": dossier.id, "code": dossier.code,
            "retention_class": dossier.retention_class,
            "date": day.isoformat() if day else None}
