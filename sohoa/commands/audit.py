"""``sohoa audit``: verify the hash chain of the audit log, anchor it in the
object store, and read it."""

from __future__ import annotations

import click

from archive import audit
from archive.db import unit_of_work
from core.errors import IntegrityError
from retention import anchors
from sohoa import wiring
from sohoa.output import emit_json, say

JSON = click.option("--json", "as_json", is_flag=True,
                    help="Print one JSON document.")


@click.group("audit")
def audit_cmd() -> None:
    """The tamper-evident audit log."""


@audit_cmd.command("verify")
@JSON
def verify_cmd(as_json: bool) -> None:
    """Walk the chain from the first event, compare its end with the head and
    the newest stored anchor; exit 8 at the first break."""
    ctx = wiring.context()
    with ctx.sessions() as session:
        report, anchor = anchors.verify_with_anchor(session, ctx.store)
    key = anchor.key if anchor else None
    if report.broken is not None:
        # One JSON document either way: the error carries the report.
        raise _broken_error(report.broken, report.checked, key)
    if as_json:
        emit_json({"ok": True, "checked": report.checked,
                   "last_hash": report.last_hash, "anchor": key, "broken": None})
        return
    say(f"audit chain intact: {report.checked} event(s), last hash "
        f"{report.last_hash}")
    say(f"matches anchor {key} ({anchor.count} event(s))" if anchor
        else "no stored anchor yet: `sohoa audit anchor` stores one")


@audit_cmd.command("anchor")
@JSON
def anchor_cmd(as_json: bool) -> None:
    """Verify the chain, then store its length and last hash in the object
    store under audit/anchors/ (a new, locked key; run it daily)."""
    ctx = wiring.context()
    with unit_of_work(ctx.sessions) as session:
        made = anchors.write_anchor(session, ctx.store)
    if as_json:
        emit_json(vars(made))
        return
    say(f"anchored {made.count} event(s), last hash {made.last_hash}, at "
        f"{made.key}")


@audit_cmd.command("log")
@click.option("--subject", help="Only events of this dossier, document, list…")
@click.option("--action", help="Only this action, e.g. hold.placed.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@JSON
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
        say(f"{e['id']:>6} ", e["at"][:19], "", e["actor"], "", e["action"], "",
            e["subject_type"], e["subject_id"][:12])


def event_body(event: audit.AuditEvent) -> dict:
    """The JSON shape of an event."""
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor,
            "action": event.action, "subject_type": event.subject_type,
            "subject_id": event.subject_id, "detail": event.detail,
            "prev_hash": event.prev_hash, "hash": event.hash}


def _broken_error(
    broken: audit.ChainBreak, checked: int, anchor: str | None
) -> IntegrityError:
    context = {"event_id": broken.event_id, "checked": checked,
               "anchor": anchor, "broken": vars(broken)}
    if broken.kind == "tail":
        return IntegrityError(
            f"audit log end broken after event {broken.event_id}: "
            f"{broken.reason}. Restore the catalogue from a backup and compare "
            "its audit_event rows from this event on", **context)
    return IntegrityError(
        f"audit chain broken at event {broken.event_id} ({broken.action}): "
        f"{broken.reason}; {checked} event(s) before it are intact. "
        "Restore the catalogue from a backup and compare the rows from this "
        "event on", **context)

