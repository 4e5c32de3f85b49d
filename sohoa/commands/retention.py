"""``sohoa retention``: classes, schedules, due lists, holds, disposition.

Changes need an archivist's or admin's API key (``--key``/``SOHOA_API_KEY``),
so the four-eyes rule compares two real people; reading needs none. The
commands live by subject in ``retention_schedule``, ``retention_holds`` and
``retention_disposition``; this module gathers them in one group."""

from __future__ import annotations

import click

from sohoa.commands import (
    retention_disposition,
    retention_holds,
    retention_schedule,
)


@click.group("retention")
def retention_cmd() -> None:
    """Retention classes, due lists, legal holds and disposition."""


for _module in (retention_schedule, retention_holds, retention_disposition):
    for _command in _module.COMMANDS:
        retention_cmd.add_command(_command)
