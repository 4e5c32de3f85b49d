"""``sohoa retention`` commands of classes and schedules: ``classes``,
``class-set``, ``show``, ``close``, ``assign`` and ``due``."""

from __future__ import annotations

import datetime as dt

import click

from retention import classes, holds, schedule
from retention.due import due_list
from sohoa import wiring
from sohoa.commands.retention_common import (
    DAY,
    JSON,
    KEY,
    print_table,
    show_body,
    trigger,
    work,
)
from sohoa.output import emit_json, say

CLASS_COLUMNS = (("code", "code"), ("name", "name"), ("years", "years"),
                 ("doc_types", "document types"), ("procedures", "procedures"))


@click.command("classes")
@JSON
def classes_cmd(as_json: bool) -> None:
    """List the retention classes with their document types and procedures."""
    with work() as (session, _):
        rows = [classes.class_body(c) for c in classes.list_classes(session)]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        row["years"] = row["years"] or "permanent"
    print_table(rows, CLASS_COLUMNS, empty="no retention class")


@click.command("class-set")
@click.argument("code")
@click.option("--name", help="Display name, e.g. '10 năm'.")
@click.option("--years", type=click.IntRange(1), help="Period in years.")
@click.option("--permanent", is_flag=True, help="No period (Vĩnh viễn).")
@click.option("--legal-basis", help="Legal basis text.")
@click.option("--doc-type", "doc_types", multiple=True,
              help="Document type mapped to the class (repeat; replaces).")
@click.option("--procedure", "procedures", multiple=True,
              help="Procedure code mapped to the class (repeat; replaces).")
@click.option("--create", is_flag=True, help="Add the class if it is new.")
@KEY
@JSON
def class_set_cmd(code: str, name: str | None, years: int | None, permanent: bool,
                  legal_basis: str | None, doc_types: tuple[str, ...],
                  procedures: tuple[str, ...], create: bool, key: str,
                  as_json: bool) -> None:
    """Edit a retention class (an archivist's task; logged)."""
    given = {"name": name, "legal_basis": legal_basis, "years": years,
             "doc_types": list(doc_types), "procedures": list(procedures)}
    changes = {k: v for k, v in given.items() if v}
    if permanent:
        changes["years"] = None
    with work(key) as (session, actor):
        row = classes.update_class(session, code, actor=actor, create=create,
                                   **changes)
        body = classes.class_body(row)
    show_body(body, as_json)


@click.command("show")
@click.argument("dossier")
@JSON
def show_cmd(dossier: str, as_json: bool) -> None:
    """Show a dossier's class, trigger date, disposal date and holds."""
    with work() as (session, _):
        found = schedule.find_dossier(session, dossier)
        body = schedule.schedule_body(found)
        body["holds"] = [h.id for h in holds.active_holds(session, found.id)]
    show_body(body, as_json)


@click.command("close")
@click.argument("dossier")
@click.option("--closed-at", type=DAY, help="Day it closed (default: now).")
@KEY
@JSON
def close_cmd(dossier: str, closed_at: dt.datetime | None, key: str,
              as_json: bool) -> None:
    """Close a dossier: assign its class and compute its dates."""
    ctx = wiring.context()
    with work(key) as (session, actor):
        found = schedule.find_dossier(session, dossier)
        when = closed_at.replace(tzinfo=dt.UTC) if closed_at else None
        schedule.close_dossier(session, found, actor=actor, trigger=trigger(),
                               closed_at=when, store=ctx.store)
        body = schedule.schedule_body(found)
    show_body(body, as_json)


@click.command("assign")
@click.argument("dossier")
@click.argument("code")
@click.option("--reason", required=True, help="Why the rule is overridden.")
@KEY
@JSON
def assign_cmd(dossier: str, code: str, reason: str, key: str,
               as_json: bool) -> None:
    """Override a dossier's retention class, recording who and why."""
    ctx = wiring.context()
    with work(key) as (session, actor):
        found = schedule.find_dossier(session, dossier)
        schedule.override_class(session, found, code, actor=actor, reason=reason,
                                trigger=trigger(), store=ctx.store)
        body = schedule.schedule_body(found)
    show_body(body, as_json)


@click.command("due")
@click.option("--before", type=DAY, help="Cut-off day (default: today).")
@JSON
def due_cmd(before: dt.datetime | None, as_json: bool) -> None:
    """List dossiers whose retention period has ended (holds left out)."""
    warn = wiring.settings().retention_cfg.retention_warn_days
    with work() as (session, _):
        body = due_list(session, today=dt.date.today(),
                        before=before.date() if before else None,
                        warn_days=warn).body()
    if as_json:
        emit_json(body)
        return
    counts = ", ".join(f"{c}: {n}" for c, n in sorted(body["counts"].items()))
    say(f"{body['total']} dossier(s) due on {body['before']} "
        f"({counts or 'none'}); {body['held_excluded']} held, left out")
    for d in body["dossiers"]:
        say(" ", d["code"], "", d["retention_class"], " disposal",
            d["disposal_date"])
    for w in body["warnings"]:
        say(f"warning: {w['kind']} of", w["code"], f"due on {w['date']}")


COMMANDS = (classes_cmd, class_set_cmd, show_cmd, close_cmd, assign_cmd, due_cmd)
