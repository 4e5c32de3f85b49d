"""Holds, four-eyes disposition and destruction on a PostgreSQL catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from archive import audit
from archive.db import unit_of_work
from archive.models import Page
from core.errors import Forbidden
from retention import destruction, disposition, holds, schedule
from retention.due import due_list
from tests.retention.conftest import AN, BINH, add_dossier, dossier, pg_context, utc

pytestmark = pytest.mark.db


def test_dispose_of_a_dossier_on_postgresql(tmp_path, corpus, pg_database):
    ctx = pg_context(tmp_path / "data", pg_database)
    add_dossier(ctx, corpus, "HS-PG-1")
    today = dt.date.today()
    with unit_of_work(ctx.sessions) as session:
        found = dossier(session, "HS-PG-1")
        session.add(Page(document_id=found.documents[0].id, number=1,
                         text="Công văn số 1906"))
        schedule.close_dossier(session, found, actor=AN, trigger="closed_date",
                               closed_at=utc(2005, 3, 1), store=ctx.store)
        placed = holds.place_hold(session, ctx.store, [found], actor=AN,
                                  reason="r", reference="x")
    with unit_of_work(ctx.sessions) as session:
        assert due_list(session, today=today).held == 1
        holds.release_hold(session, ctx.store, placed[0].id, actor=AN, reason="r")
        made = disposition.propose(session, due_list(session, today=today).due,
                                   actor=AN, today=today)
        with pytest.raises(Forbidden):
            disposition.decide(session, made.id[:8], actor=AN, approve=True)
        disposition.decide(session, made.id[:8], actor=BINH, approve=True)
        done = destruction.destroy(session, ctx.store, made.id, actor=AN,
                                   today=today)
        assert [i.outcome for i in done.items] == ["destroyed"]
    with ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Page)) == 0
        assert dossier(session, "HS-PG-1").disposal_date == dt.date(2015, 3, 1)
        assert audit.verify(session).checked == 8
