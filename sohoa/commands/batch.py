"""``sohoa batch status`` and ingesting a batch on Celery workers."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archive.catalogue import batch_progress
from core.errors import SohoaError
from ingest.batch import open_batch
from ingest.context import Context
from ingest.dist_queue import CelerySender, client_app
from ingest.dist_report import FINAL, batch_report, submit_batch
from ingest.report import BatchReport
from sohoa import wiring
from sohoa.output import console, emit_json, err_console

POLL_SECONDS = 0.5


class BatchFailed(SohoaError):
    """A batch run on the workers ended as ``failed``."""

    code = "batch.failed"


@click.group("batch")
def batch_cmd() -> None:
    """Follow batches."""


@batch_cmd.command("status")
@click.argument("batch_id")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def status_cmd(batch_id: str, as_json: bool) -> None:
    """Show a batch's progress: files and pages done, duplicates, quarantined."""
    ctx = wiring.context()
    with ctx.sessions() as session:
        progress = batch_progress(session, batch_id=batch_id)
    if as_json:
        emit_json(dataclasses.asdict(progress))
        return
    p = progress
    why = f" ({p.error})" if p.error else ""
    console.print(f"batch {p.batch_id}: {p.status}{why}, files {p.files_done}/"
                  f"{p.files_total}, pages {p.pages_done}/{p.pages_total}, "
                  f"{p.duplicates} duplicate(s), {p.quarantined} quarantined",
                  markup=False)


def ingest_on_workers(
    ctx: Context, paths: list[Path], *, dossier_code: str | None, station: str,
    per_folder: bool, wait: bool, show: bool,
) -> BatchReport | None:
    """Upload the files, queue the batch and, with ``wait``, follow it to
    the end and return its report; without, print the batch id."""
    batch_id = open_batch(ctx, station=station, files_total=0, status="queued")
    app = client_app(ctx.settings)
    try:
        submit_batch(ctx, batch_id, paths, send=CelerySender(app),
                     dossier_code=dossier_code, per_folder=per_folder)
    finally:
        app.close()
    if not wait:
        console.print(batch_id)
        return None
    _follow(ctx, batch_id, show=show)
    report = batch_report(ctx, batch_id)
    with ctx.sessions() as session:
        progress = batch_progress(session, batch_id=batch_id)
        if progress.status == "failed":
            why = f" ({progress.error})" if progress.error else ""
            raise BatchFailed(f"batch {batch_id} failed on the workers{why}: see "
                              "their logs, then ingest the files again")
    return report


def _follow(ctx: Context, batch_id: str, *, show: bool) -> None:
    bar = Progress(TextColumn(f"[bold]batch {batch_id[:8]}"), BarColumn(),
                   MofNCompleteColumn(), TextColumn("pages"),
                   console=err_console, disable=not (show and
                                                     err_console.is_terminal))
    with bar:
        task = bar.add_task("pages", total=None)
        while True:
            with ctx.sessions() as session:
                p = batch_progress(session, batch_id=batch_id)
            bar.update(task, total=p.pages_total or None, completed=p.pages_done)
            if p.status in FINAL:
                return
            time.sleep(POLL_SECONDS)
