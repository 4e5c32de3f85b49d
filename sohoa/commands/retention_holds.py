"""``sohoa retention`` commands of legal holds: ``hold``, ``holds`` and
``release``."""

from __future__ import annotations

import click

from retention import holds
from sohoa import wiring
from sohoa.commands.retention_common import JSON, KEY, print_table, work
from sohoa.output import emit_json, say

HOLD_COLUMNS = (("id", "hold id"), ("dossier_code", "dossier"),
                ("reason", "reason"), ("reference", "reference"),
                ("placed_by", "placed by"), ("placed_at", "placed at"),
                ("released", "released"), ("group_id", "group"))


@click.command("hold")
@click.argument("dossiers", nargs=-1)
@click.option("--query", help="Hold every dossier of this search's results.")
@click.option("--reason", required=True, help="Why the dossiers are held.")
@click.option("--reference", required=True, help="Case or inspection reference.")
@KEY
@JSON
def hold_cmd(dossiers: tuple[str, ...], query: str | None, reason: str,
             reference: str, key: str, as_json: bool) -> None:
    """Put a legal hold on dossiers (codes or ids) or on a search's results."""
    ctx = wiring.context()
    with work(key) as (session, actor):
        found = holds.hold_targets(session, list(dossiers), query)
        placed = holds.place_hold(session, ctx.store, found, actor=actor,
                                  reason=reason, reference=reference, query=query)
        rows = holds.hold_rows(session, placed)
    if as_json:
        emit_json(rows)
        return
    say(f"{len(rows)} dossier(s) held, group {rows[0]['group_id']}")
    _print_holds(rows)


@click.command("holds")
@click.option("--all", "show_all", is_flag=True, help="Released holds too.")
@JSON
def holds_cmd(show_all: bool, as_json: bool) -> None:
    """List legal holds (active ones by default), newest first."""
    with work() as (session, _):
        rows = holds.hold_rows(
            session, holds.list_holds(session, active_only=not show_all))
    if as_json:
        emit_json(rows)
        return
    _print_holds(rows, empty="no hold" if show_all else "no active hold")


@click.command("release")
@click.argument("hold_id")
@click.option("--reason", required=True, help="Why the hold ends.")
@KEY
def release_cmd(hold_id: str, reason: str, key: str) -> None:
    """Release a hold (or a whole group) and the objects' legal hold."""
    ctx = wiring.context()
    with work(key) as (session, actor):
        released = holds.release_hold(session, ctx.store, hold_id, actor=actor,
                                      reason=reason)
    say(f"{len(released)} hold(s) released")


def _print_holds(rows: list[dict], *, empty: str = "no hold") -> None:
    for row in rows:
        when = row["released_at"]
        row["released"] = f"{when:%Y-%m-%d} by {row['released_by']}" if when \
            else "no"
    print_table(rows, HOLD_COLUMNS, empty=empty)


COMMANDS = (hold_cmd, holds_cmd, release_cmd)
