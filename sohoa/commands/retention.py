"""``sohoa retention``: classes, schedules, due lists, holds, disposition.

Changes need an archivist's or admin's API key (``--key``/``SOHOA_API_KEY``),
so the four-eyes rule compares two real people; reading needs none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.markup import escape
from sqlalchemy.orm import Session

from archive.db import unit_of_work
from core.errors import Conflict
from retention import classes, destruction, disposition, holds, schedule
from retention.actor import Actor, actor_from_key
from retention.certificate import find_font
from retention.due import due_list
from sohoa import wiring
from sohoa.output import console, emit_json

KEY = click.option("--key", envvar="SOHOA_API_KEY", required=True,
                   help="Your API key (archivist or admin); or SOHOA_API_KEY.")
JSON = click.option("--json", "as_json", is_flag=True,
                    help="Print one JSON document.")
DAY = click.DateTime(["%Y-%m-%d"])


@click.group("retention")
def retention_cmd() -> None:
    """Retention classes, due lists, legal holds and disposition."""


@contextmanager
def _work(key: str | None = None) -> Iterator[tuple[Session, Actor | None]]:
    ctx = wiring.context()
    with unit_of_work(ctx.sessions) as session:
        classes.ensure_classes(session, ctx.settings.retention_cfg.
                               retention_classes_file)
        yield session, (None if key is None else actor_from_key(
            session, key, "this retention command"))


def _trigger() -> schedule.Trigger:
    return wiring.settings().retention_cfg.retention_trigger


def _rows(rows: list[dict], columns: tuple[str, ...], as_json: bool) -> None:
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        console.print("  ".join(escape(str(row[c])) for c in columns))


def _show(body: dict, as_json: bool) -> None:
    if as_json:
        emit_json(body)
        return
    for name, value in body.items():
        if value not in (None, "", [], {}):
            console.print(f"{name:<16} {escape(str(value))}")


@retention_cmd.command("classes")
@JSON
def classes_cmd(as_json: bool) -> None:
    """List the retention classes with their legal basis and mappings."""
    with _work() as (session, _):
        rows = [classes.class_body(c) for c in classes.list_classes(session)]
    _rows(rows, ("code", "name", "years", "doc_types", "procedures"), as_json)


@retention_cmd.command("class-set")
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
    with _work(key) as (session, actor):
        row = classes.update_class(session, code, actor=actor, create=create,
                                   **changes)
        body = classes.class_body(row)
    _show(body, as_json)


@retention_cmd.command("show")
@click.argument("dossier")
@JSON
def show_cmd(dossier: str, as_json: bool) -> None:
    """Show a dossier's class, trigger date, disposal date and holds."""
    with _work() as (session, _):
        found = schedule.find_dossier(session, dossier)
        body = schedule.schedule_body(found)
        body["holds"] = [h.id for h in holds.active_holds(session, found.id)]
    _show(body, as_json)


@retention_cmd.command("close")
@click.argument("dossier")
@click.option("--closed-at", type=DAY, help="Day it closed (default: now).")
@KEY
@JSON
def close_cmd(dossier: str, closed_at: dt.datetime | None, key: str,
              as_json: bool) -> None:
    """Close a dossier: assign its class and compute its dates."""
    ctx = wiring.context()
    with _work(key) as (session, actor):
        found = schedule.find_dossier(session, dossier)
        when = closed_at.replace(tzinfo=dt.UTC) if closed_at else None
        schedule.close_dossier(session, found, actor=actor, trigger=_trigger(),
                               closed_at=when, store=ctx.store)
        body = schedule.schedule_body(found)
    _show(body, as_json)


@retention_cmd.command("assign")
@click.argument("dossier")
@click.argument("code")
@click.option("--reason", required=True, help="Why the rule is overridden.")
@KEY
@JSON
def assign_cmd(dossier: str, code: str, reason: str, key: str,
               as_json: bool) -> None:
    """Override a dossier's retention class, recording who and why."""
    with _work(key) as (session, actor):
        found = schedule.find_dossier(session, dossier)
        schedule.override_class(session, found, code, actor=actor, reason=reason,
                                trigger=_trigger())
        body = schedule.schedule_body(found)
    _show(body, as_json)


@retention_cmd.command("due")
@click.option("--before", type=DAY, help="Cut-off day (default: today).")
@JSON
def due_cmd(before: dt.datetime | None, as_json: bool) -> None:
    """List dossiers whose retention period has ended (holds left out)."""
    warn = wiring.settings().retention_cfg.retention_warn_days
    with _work() as (session, _):
        body = due_list(session, today=dt.date.today(),
                        before=before.date() if before else None,
                        warn_days=warn).body()
    if as_json:
        emit_json(body)
        return
    counts = ", ".join(f"{c}: {n}" for c, n in sorted(body["counts"].items()))
    console.print(f"{body['total']} dossier(s) due on {body['before']} "
                  f"({counts or 'none'}); {body['held_excluded']} held, left out")
    for d in body["dossiers"]:
        console.print(f"  {escape(d['code'])}  {d['retention_class']}  "
                      f"disposal {d['disposal_date']}")
    for w in body["warnings"]:
        console.print(f"[yellow]warning[/]: {w['kind']} of {escape(w['code'])} "
                      f"due on {w['date']}")


@retention_cmd.command("hold")
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
    with _work(key) as (session, actor):
        found = holds.hold_targets(session, list(dossiers), query)
        placed = holds.place_hold(session, ctx.store, found, actor=actor,
                                  reason=reason, reference=reference, query=query)
        rows = [holds.hold_body(h) for h in placed]
    _rows(rows, ("group_id", "id", "dossier_id", "reference"), as_json)


@retention_cmd.command("holds")
@click.option("--all", "show_all", is_flag=True, help="Released holds too.")
@JSON
def holds_cmd(show_all: bool, as_json: bool) -> None:
    """List legal holds (active ones by default)."""
    with _work() as (session, _):
        rows = [holds.hold_body(h)
                for h in holds.list_holds(session, active_only=not show_all)]
    _rows(rows, ("id", "group_id", "dossier_id", "reference", "released_at"),
          as_json)


@retention_cmd.command("release")
@click.argument("hold_id")
@click.option("--reason", required=True, help="Why the hold ends.")
@KEY
def release_cmd(hold_id: str, reason: str, key: str) -> None:
    """Release a hold (or a whole group) and the objects' legal hold."""
    ctx = wiring.context()
    with _work(key) as (session, actor):
        released = holds.release_hold(session, ctx.store, hold_id, actor=actor,
                                      reason=reason)
    console.print(f"{len(released)} hold(s) released")


@retention_cmd.command("propose")
@click.argument("dossiers", nargs=-1)
@click.option("--all-due", is_flag=True, help="Propose every dossier due today.")
@click.option("--note", default="", help="Note for the approver.")
@KEY
@JSON
def propose_cmd(dossiers: tuple[str, ...], all_due: bool, note: str, key: str,
                as_json: bool) -> None:
    """Propose a disposition list (another archivist must approve it)."""
    today = dt.date.today()
    with _work(key) as (session, actor):
        found = disposition.proposal_targets(session, list(dossiers),
                                             all_due=all_due, today=today)
        made = disposition.propose(session, found, actor=actor, today=today,
                                   note=note)
        body = disposition.disposition_body(made)
    _print_disposition(body, as_json)


@retention_cmd.command("dispositions")
@JSON
def dispositions_cmd(as_json: bool) -> None:
    """List disposition lists, newest first."""
    with _work() as (session, _):
        rows = [disposition.disposition_body(d)
                for d in disposition.list_dispositions(session)]
    _rows(rows, ("id", "state", "proposed_by", "decided_by"), as_json)


def _decide_cmd(name: str, *, approve: bool) -> click.Command:
    @retention_cmd.command(
        name, help=f"{name.capitalize()} a proposed list (not your own).")
    @click.argument("disposition_id")
    @click.option("--note", default="", help="Note kept with the decision.")
    @KEY
    @JSON
    def decide_cmd(disposition_id: str, note: str, key: str, as_json: bool) -> None:
        with _work(key) as (session, actor):
            done = disposition.decide(session, disposition_id, actor=actor,
                                      approve=approve, note=note)
            body = disposition.disposition_body(done)
        _print_disposition(body, as_json)

    return decide_cmd


approve_cmd = _decide_cmd("approve", approve=True)
reject_cmd = _decide_cmd("reject", approve=False)


@retention_cmd.command("destroy")
@click.argument("disposition_id")
@KEY
@JSON
def destroy_cmd(disposition_id: str, key: str, as_json: bool) -> None:
    """Destroy an approved list's dossiers and archive the certificate."""
    ctx = wiring.context()
    font = find_font(ctx.settings.retention_cfg.certificate_font)
    with _work(key) as (session, actor):
        done = destruction.destroy(session, ctx.store, disposition_id,
                                   actor=actor, today=dt.date.today(), font=font)
        body = disposition.disposition_body(done)
    _print_disposition(body, as_json)
    kept = [i for i in body["items"] if i["outcome"] != "destroyed"]
    if kept:
        raise Conflict(f"{len(kept)} dossier(s) not destroyed (see the notes "
                       "above and the certificate); locks are never forced")


def _print_disposition(body: dict, as_json: bool) -> None:
    if as_json:
        emit_json(body)
        return
    console.print(f"disposition {body['id']}: {body['state']}")
    for i in body["items"]:
        console.print(f"  {escape(i['code'])}  {i['retention_class']}  disposal "
                      f"{i['disposal_date']}  {i['outcome']}  {escape(i['note'])}")
    if body["certificate_key"]:
        console.print(f"certificate: {body['certificate_key']}.pdf and .json")
