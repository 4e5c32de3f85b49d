"""An early delete of a locked object is refused and reported, never forced;
the certificate says so and the dossier keeps its rows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from archive.db import unit_of_work
from archive.models import StoredObject
from core.errors import ObjectLocked
from retention import destruction, disposition, schedule
from tests.retention.conftest import AN, BINH, add_dossier, dossier, s3_context, utc

pytestmark = pytest.mark.s3


def test_destroying_before_the_lock_date_is_refused(tmp_path, corpus, s3_store):
    ctx = s3_context(tmp_path / "data", s3_store)
    add_dossier(ctx, corpus, "HS-LOCK", doc_type="Giấy mời")
    year = dt.date.today().year - 1
    with unit_of_work(ctx.sessions) as session:
        found = dossier(session, "HS-LOCK")
        schedule.close_dossier(session, found, actor=AN,
                               trigger="end_of_year_closed",
                               closed_at=utc(year, 5, 5), store=ctx.store)
        disposal = found.disposal_date
    assert disposal == dt.date(year + 5, 12, 31)
    with ctx.sessions() as session:
        obj = session.scalar(select(StoredObject))
    info = ctx.store.stat(obj.key)
    assert info.retain_until.date() == disposal and not info.legal_hold

    # The store itself refuses a delete of that version.
    with pytest.raises(ObjectLocked):
        ctx.store.delete(obj.key, version_id=obj.version_id)

    # A catalogue clock past the disposal date is not enough.
    late = disposal + dt.timedelta(days=1)
    with unit_of_work(ctx.sessions) as session:
        proposed = disposition.propose(session, [dossier(session, "HS-LOCK")],
                                       actor=AN, today=late)
        disposition.decide(session, proposed.id, actor=BINH, approve=True)
        done = destruction.destroy(session, ctx.store, proposed.id, actor=BINH,
                                   today=late)
        (item,) = done.items
        assert done.state == "partial"
        assert item.outcome == "refused"
        assert obj.key in item.note and f"retention until {disposal}" in item.note
        cert = done.certificate_key
    assert ctx.store.sha256_of(obj.key) == obj.sha256
    with ctx.sessions() as session:
        assert dossier(session, "HS-LOCK").state == "closed"
        assert session.get(StoredObject, obj.id).deleted_at is None
    with ctx.store.open(f"{cert}.json") as stream:
        body = json.load(stream)
    assert body["counts"] == {"dossiers": 1, "destroyed": 0, "objects": 0,
                              "refused": 1}
    assert body["dossiers"][0]["outcome"] == "refused"
