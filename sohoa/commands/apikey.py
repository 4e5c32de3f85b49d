"""``sohoa apikey``: create, list and revoke keys of the HTTP API."""

from __future__ import annotations

import click
from rich.markup import escape

from archive.apikeys import ROLES, create_key, list_keys, revoke_key
from archive.db import unit_of_work
from sohoa import wiring
from sohoa.output import console, emit_json


@click.group("apikey")
def apikey_cmd() -> None:
    """Keys of the HTTP API (stored hashed; shown once at creation)."""


@apikey_cmd.command("create")
@click.option("--name", required=True, help="Who holds the key (station, person).")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="station uploads; officer searches and reads; archivist "
                   "also sees citizen IDs; admin does everything.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def create_cmd(name: str, role: str, as_json: bool) -> None:
    """Create a key and print it once: it cannot be shown again."""
    with unit_of_work(wiring.context().sessions) as session:
        row, key = create_key(session, name=name, role=role)
    if as_json:
        emit_json({"prefix": row.prefix, "name": row.name, "role": row.role,
                   "key": key})
        return
    console.print(f"API key for {escape(row.name)} ({row.role}), prefix "
                  f"{row.prefix}; store it now, it is not shown again:")
    click.echo(key)


@apikey_cmd.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def list_cmd(as_json: bool) -> None:
    """List keys by prefix (never the keys themselves)."""
    with wiring.context().sessions() as session:
        rows = [{"prefix": r.prefix, "name": r.name, "role": r.role,
                 "created": r.created_at.isoformat(timespec="seconds"),
                 "revoked": r.revoked_at.isoformat(timespec="seconds")
                 if r.revoked_at else None}
                for r in list_keys(session)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print("no API key; create one with `sohoa apikey create`")
    for r in rows:
        state = f"revoked {r['revoked']}" if r["revoked"] else "active"
        console.print(f"{r['prefix']}  {r['role']:<9}  {escape(r['name'])}  "
                      f"created {r['created']}  {state}")


@apikey_cmd.command("revoke")
@click.argument("prefix")
def revoke_cmd(prefix: str) -> None:
    """Revoke the key with PREFIX; requests with it answer 401 at once."""
    with unit_of_work(wiring.context().sessions) as session:
        row = revoke_key(session, prefix=prefix)
    console.print(f"revoked {row.prefix} ({escape(row.name)}, {row.role})")
