"""``sohoa retention`` commands of disposition: ``propose``,
``dispositions``, ``approve``, ``reject`` and ``destroy``."""

from __future__ import annotations

import datetime as dt

import click

from core.errors import Conflict
from retention import destruction, disposition
from retention.certificate import find_font
from sohoa import wiring
from sohoa.commands.retention_common import JSON, KEY, print_table, work
from sohoa.output import emit_json, say

LIST_COLUMNS = (("id", "id"), ("state", "state"), ("dossiers", "dossiers"),
                ("proposed_by", "proposed by"), ("proposed_at", "proposed at"),
                ("decided_by", "decided by"), ("decided_at", "decided at"))


@click.command("propose")
@click.argument("dossiers", nargs=-1)
@click.option("--all-due", is_flag=True, help="Propose every dossier due today.")
@click.option("--note", default="", help="Note for the approver.")
@KEY
@JSON
def propose_cmd(dossiers: tuple[str, ...], all_due: bool, note: str, key: str,
                as_json: bool) -> None:
    """Propose a disposition list (another archivist must approve it)."""
    today = dt.date.today()
    with work(key) as (session, actor):
        found = disposition.proposal_targets(session, list(dossiers),
                                             all_due=all_due, today=today)
        made = disposition.propose(session, found, actor=actor, today=today,
                                   note=note)
        body = disposition.disposition_body(made)
    _print_disposition(body, as_json)


@click.command("dispositions")
@JSON
def dispositions_cmd(as_json: bool) -> None:
    """List disposition lists, newest first."""
    with work() as (session, _):
        rows = [disposition.disposition_body(d)
                for d in disposition.list_dispositions(session)]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        row["dossiers"] = len(row["items"])
    print_table(rows, LIST_COLUMNS, empty="no disposition list")


def _decide_cmd(name: str, *, approve: bool) -> click.Command:
    @click.command(name, help=f"{name.capitalize()} a proposed list (not your own).")
    @click.argument("disposition_id")
    @click.option("--note", default="", help="Note kept with the decision.")
    @KEY
    @JSON
    def decide_cmd(disposition_id: str, note: str, key: str, as_json: bool) -> None:
        with work(key) as (session, actor):
            done = disposition.decide(session, disposition_id, actor=actor,
                                      approve=approve, note=note)
            body = disposition.disposition_body(done)
        _print_disposition(body, as_json)

    return decide_cmd


approve_cmd = _decide_cmd("approve", approve=True)
reject_cmd = _decide_cmd("reject", approve=False)


@click.command("destroy")
@click.argument("disposition_id")
@KEY
@JSON
def destroy_cmd(disposition_id: str, key: str, as_json: bool) -> None:
    """Destroy an approved list's dossiers and archive the certificate."""
    ctx = wiring.context()
    font = find_font(ctx.settings.retention_cfg.certificate_font)
    with work(key) as (session, actor):
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
    say(f"disposition {body['id']}: {body['state']}")
    for i in body["items"]:
        say(" ", i["code"], "", i["retention_class"], " disposal",
            i["disposal_date"], "", i["outcome"], "", i["note"])
    if body["certificate_key"]:
        say(f"certificate: {body['certificate_key']}.pdf and .json")


COMMANDS = (propose_cmd, dispositions_cmd, approve_cmd, reject_cmd, destroy_cmd)
