"""``sohoa audit``: verify the hash chain of the audit log and read it."""

from __future__ import annotations

import click
from rich.markup import escape

from archive import audit
from core.errors import IntegrityError
from sohoa import wiring
from sohoa.output import console, emit_json


@click.group("audit")
def audit_cmd() -> None:
    """The tamper-evident audit log."""


@audit_cmd.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def verify_cmd(as_json: bool) -> None:
    """Walk the chain from the first event; exit 8 at the first break."""
    with wiring.context().sessions() as session:
        report = audit.verify(session)
    body = {"ok": report.ok, "checked": report.checked,
            "last_hash": report.last_hash,
            "broken": vars(report.broken) if report.broken else None}
    if as_json:
        emit_json(body)
    elif report.ok:
        console.print(f"audit chain intact: {report.checked} event(s), last hash "
                      f"{report.last_hash}")
    if report.broken is not None:
        raise IntegrityError(
            f"audit chain broken at event {report.broken.event_id} "
            f"({report.broken.action}): {report.broken.reason}; "
            f"{report.checked} event(s) before it are intact. Restore the "
            "catalogue from a backup and compare the rows from this event on",
            event_id=report.broken.event_id,
        )


@audit_cmd.command("log")
@click.option("--subject", help="Only events of this dossier, document, list…")
@click.option("--action", help="Only this action, e.g. hold.placed.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def log_cmd(subject: str | None, action: str | None, limit: int,
            as_json: bool) -> None:
    """Print the newest events first."""
    with wiring.context().sessions() as session:
        rows = [event_body(e) for e in audit.events(
            session, subject_id=subject, action=action, limit=limit)]
    if as_json:
        emit_json(rows)
        return
    for e in rows:
        console.print(f"{e['id']:>6}  {e['at'][:19]}  {escape(e['actor'])}  "
                      f"{e['action']}  {e['subject_type']} {e['subject_id'][:12]}")


def event_body(event: audit.AuditEvent) -> dict:
    """The JSON shape of an event."""
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor,
            "action": event.action, "subject_type": event.subject_type,
            "subject_id": event.subject_id, "detail": event.detail,
            "prev_hash": event.prev_hash, "hash": event.hash}
