"""Shared parts of the ``sohoa retention`` commands: the unit of work with
the caller's key, common options and the printing of rows and tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.cells import cell_len
from sqlalchemy.orm import Session

from archive.db import unit_of_work
from retention import classes, schedule
from retention.actor import Actor, actor_from_key
from sohoa import wiring
from sohoa.output import emit_json, say, shown

KEY = click.option("--key", envvar="SOHOA_API_KEY", required=True,
                   help="Your API key (archivist or admin); or SOHOA_API_KEY.")
JSON = click.option("--json", "as_json", is_flag=True,
                    help="Print one JSON document.")
DAY = click.DateTime(["%Y-%m-%d"])


@contextmanager
def work(key: str | None = None) -> Iterator[tuple[Session, Actor | None]]:
    """A unit of work with the classes seeded and, given a key, its actor."""
    ctx = wiring.context()
    with unit_of_work(ctx.sessions) as session:
        classes.ensure_classes(session, ctx.settings.retention_cfg.
                               retention_classes_file)
        yield session, (None if key is None else actor_from_key(
            session, key, "this retention command"))


def trigger() -> schedule.Trigger:
    """The event that starts retention periods (``SOHOA_RETENTION_TRIGGER``)."""
    return wiring.settings().retention_cfg.retention_trigger


def print_table(rows: list[dict], columns: tuple[tuple[str, str], ...],
                *, empty: str) -> None:
    """Print ``rows`` as aligned columns under a header line.

    Args:
        rows: JSON shapes of the rows.
        columns: ``(key, title)`` of each column, in order.
        empty: the line printed when there is no row.
    """
    if not rows:
        say(empty)
        return
    lines = [[title.upper() for _, title in columns]]
    lines += [[shown(cell(row.get(key))) for key, _ in columns] for row in rows]
    widths = [max(cell_len(line[i]) for line in lines)
              for i in range(len(columns))]
    for line in lines:
        padded = (v + " " * (w - cell_len(v)) for v, w in zip(line, widths,
                                                               strict=True))
        say("  ".join(padded).rstrip())


def cell(value: Any) -> str:
    """One value as table text: ``-`` for nothing, minutes for times."""
    if value in (None, "", []):
        return "-"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def show_body(body: dict, as_json: bool) -> None:
    """Print one record as ``name value`` lines, or as JSON."""
    if as_json:
        emit_json(body)
        return
    for name, value in body.items():
        if value not in (None, "", [], {}):
            say(f"{name:<16}", cell(value))
