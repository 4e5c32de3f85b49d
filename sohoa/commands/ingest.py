"""``sohoa ingest`` and ``sohoa rescan-list``."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from archive.catalogue import rescan_pages
from core import codes
from ingest.pipeline import run_batch
from ingest.report import BatchReport
from sohoa import wiring
from sohoa.commands.batch import ingest_on_workers
from sohoa.output import emit_json, say
from sohoa.progress import BatchProgress


def _check_code(ctx: click.Context, param: click.Parameter,
                value: str | None) -> str | None:
    if value is None:
        return None
    code = codes.normalise(value)
    problem = codes.code_problem(code)
    if problem:
        raise click.BadParameter(f"{problem}; {codes.RULE}")
    return code


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--dossier", "dossier_code", callback=_check_code,
              help="Dossier code (hồ sơ) to file into.")
@click.option("--station", default="", help="Name of the scanning station.")
@click.option("--per-folder", is_flag=True,
              help="One dossier per folder, coded by the folder's name.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--no-wait", is_flag=True,
              help="With SOHOA_TASKS=celery: queue the batch, print its id, exit.")
def ingest_cmd(paths: tuple[Path, ...], dossier_code: str | None, station: str,
               per_folder: bool, as_json: bool, no_wait: bool) -> None:
    """Ingest files and folders of scans (PDF, TIFF, JPEG, PNG) as one batch.

    Exit code 0 when every file was archived or already known, 3 when a file
    or page went to quarantine.
    """
    ctx = wiring.context()
    if ctx.settings.task_cfg.tasks == "celery":
        report = ingest_on_workers(ctx, list(paths), dossier_code=dossier_code,
                                   station=station, per_folder=per_folder,
                                   wait=not no_wait, show=not as_json)
        if report is None:
            return
    else:
        with BatchProgress(enabled=not as_json) as progress:
            report = run_batch(ctx, list(paths), dossier_code=dossier_code,
                               station=station, per_folder=per_folder,
                               listener=progress)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_summary(report)
    sys.exit(int(report.exit_code))


def _print_summary(report: BatchReport) -> None:
    say(f"batch {report.batch_id}: {report.files} file(s), "
        f"{report.documents} document(s) archived, {report.pages} page(s), "
        f"{report.duplicates} duplicate(s), {len(report.quarantined)} "
        f"quarantined, {report.seconds:.1f} s, "
        f"{report.pages_per_minute:.1f} pages/min")
    if report.duplicates:
        say(f"{report.duplicates} file(s) were already archived: "
            "nothing added for them")
        for note in report.duplicate_notes:
            say("  ", note)
    if report.rescan_pages:
        say(f"{report.rescan_pages} page(s) need a rescan: see `sohoa rescan-list`")
    for p in report.quarantined:
        where = f" page {p.page}" if p.page else ""
        # Reasons name their file already; others get it in front.
        text = p.reason if p.reason.startswith(p.file) else (
            f"{p.file}{where}: {p.reason}")
        say(f"quarantined {text} [{p.code}]")


@click.command("rescan-list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def rescan_list_cmd(as_json: bool) -> None:
    """List pages whose OCR confidence is below SOHOA_RESCAN_THRESHOLD."""
    ctx = wiring.context()
    with ctx.sessions() as session:
        rows = rescan_pages(session)
    if as_json:
        emit_json([dataclasses.asdict(r) for r in rows])
        return
    if not rows:
        say("no page needs a rescan")
    for row in rows:
        say(row.dossier_code, "", row.document_id[:12], "", row.filename, "",
            f"page {row.page}", "", f"confidence {row.mean_conf:.0f}")
