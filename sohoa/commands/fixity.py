"""``sohoa fixity``: re-read stored objects and compare their SHA-256."""

from __future__ import annotations

import dataclasses
import random

import click
from rich.markup import escape

from archive.db import unit_of_work
from archive.fixity import run_fixity
from core.errors import IntegrityError
from sohoa import wiring
from sohoa.output import console, emit_json


@click.command("fixity")
@click.option("--sample", type=click.IntRange(1),
              help="Check only this many objects, drawn at random.")
@click.option("--seed", type=int, help="Seed of the sample, to repeat a draw.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def fixity_cmd(sample: int | None, seed: int | None, as_json: bool) -> None:
    """Check stored objects against their checksums; exit 8 on any problem."""
    ctx = wiring.context()
    rng = random.Random(seed) if seed is not None else None
    with unit_of_work(ctx.sessions) as session:
        report = run_fixity(session, ctx.store, sample=sample, rng=rng,
                            actor="fixity (cli)")
    problems = [dataclasses.asdict(p) for p in report.problems]
    if as_json:
        emit_json({"checked": report.checked, "ok": report.ok,
                   "problems": problems})
    else:
        console.print(f"{report.checked} object(s) checked, {report.ok} intact")
        for p in problems:
            console.print(f"[red]{p['status']}[/] {escape(p['key'])}  dossier "
                          f"{escape(str(p['dossier_code']))}")
    if problems:
        raise IntegrityError(
            f"{len(problems)} object(s) failed the fixity check; restore them "
            "from a copy and run `sohoa fixity` again",
        )
