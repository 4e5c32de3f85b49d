"""Opening batches and dossiers, counting progress, closing batches."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.db import unit_of_work
from archive.models import Batch, Dossier, utcnow
from core import codes
from core.errors import InputError
from ingest.context import Context


def open_batch(
    ctx: Context, *, station: str, files_total: int, status: str = "running"
) -> str:
    """Create a batch row and return its id."""
    with unit_of_work(ctx.sessions) as session:
        batch = Batch(station=station, files_total=files_total, status=status)
        session.add(batch)
        session.flush()
        return batch.id


def set_files_total(ctx: Context, batch_id: str, files_total: int) -> None:
    """Record how many files a pre-opened batch holds and mark it running."""
    with unit_of_work(ctx.sessions) as session:
        batch = session.get(Batch, batch_id)
        batch.files_total = files_total
        batch.status = "running"


def dossier_for(ctx: Context, code: str | None, *, batch_id: str) -> str:
    """The id of the dossier with ``code``, created when new.

    Without a code the batch gets a dossier of its own, coded
    ``HS-<date>-<batch>``.

    Raises:
        InputError: ``code`` is not a well-formed dossier code.
    """
    code = codes.normalise(code) if code else (
        f"HS-{dt.date.today():%Y%m%d}-{batch_id[:8].upper()}")
    problem = codes.code_problem(code)
    if problem:
        error = InputError(f"dossier code {code!r}: {problem}; {codes.RULE}")
        error.code = "input.dossier_code"
        raise error
    try:
        return _dossier_id(ctx, code, batch_id)
    except IntegrityError:
        # Another run created the same dossier at the same moment.
        return _dossier_id(ctx, code, batch_id)


def _dossier_id(ctx: Context, code: str, batch_id: str) -> str:
    with unit_of_work(ctx.sessions) as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        if dossier is None:
            dossier = Dossier(code=code)
            session.add(dossier)
            session.flush()
        batch = session.get(Batch, batch_id)
        if batch is not None and batch.dossier_id is None:
            batch.dossier_id = dossier.id
        return dossier.id


def count(ctx: Context, batch_id: str, **deltas: int) -> None:
    """Add ``deltas`` to the batch's counters (files_done, pages_done…)."""
    with unit_of_work(ctx.sessions) as session:
        batch = session.get(Batch, batch_id)
        for name, delta in deltas.items():
            setattr(batch, name, getattr(batch, name) + delta)


def close_batch(
    ctx: Context, batch_id: str, *, status: str, error: str | None = None
) -> None:
    """Mark the batch finished with ``status`` (done, partial, failed) and,
    for a failed one, the reason."""
    with unit_of_work(ctx.sessions) as session:
        batch = session.get(Batch, batch_id)
        batch.status = status
        batch.finished_at = utcnow()
        if error:
            batch.error = error
