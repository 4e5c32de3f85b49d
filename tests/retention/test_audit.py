"""The audit log's hash chain: appends, verification, tampering, masking,
concurrent writers on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from archive import audit
from archive.audit import AuditEvent
from archive.db import unit_of_work
from core.errors import ExitCode
from tests.retention.conftest import fs_context, pg_context

SOHOA = [sys.executable, "-m", "sohoa"]


def _append_three(ctx) -> None:
    for n, action in enumerate(("hold.placed", "hold.released", "dossier.closed")):
        with unit_of_work(ctx.sessions) as session:
            audit.append(session, actor="Nguyễn Văn An (aaaa0001)", action=action,
                         subject_type="dossier", subject_id=f"d{n}",
                         detail={"reference": f"TTr-{n}", "n": n, "ratio": 0.5})


def _count(ctx) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


def test_chain_links_each_row_to_the_one_before(fs_ctx):
    _append_three(fs_ctx)
    with fs_ctx.sessions() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        report = audit.verify(session)
    # The first row is the seeding of the retention classes.
    assert rows[0].prev_hash == audit.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert report.ok and report.checked == len(rows) == 4
    assert report.last_hash == rows[-1].hash
    assert rows[-1].at.year >= 2024 and rows[-1].detail["ratio"] == 0.5


def test_editing_a_past_row_breaks_the_chain_there(fs_ctx):
    _append_three(fs_ctx)
    with fs_ctx.sessions() as session:
        second = session.scalars(select(AuditEvent).order_by(AuditEvent.id)
                                 .offset(2)).first()
        target = second.id
    with unit_of_work(fs_ctx.sessions) as session:
        session.execute(text("UPDATE audit_event SET detail = :d WHERE id = :i"),
                        {"d": '{"reference": "forged"}', "i": target})
    with fs_ctx.sessions() as session:
        report = audit.verify(session)
    assert not report.ok
    assert report.broken.event_id == target
    assert report.broken.action == "hold.released"
    assert "edited" in report.broken.reason
    assert report.checked == 2


def test_deleting_a_row_breaks_the_link_of_the_next(fs_ctx):
    _append_three(fs_ctx)
    with unit_of_work(fs_ctx.sessions) as session:
        session.execute(text("DELETE FROM audit_event WHERE action = 'hold.placed'"))
    with fs_ctx.sessions() as session:
        report = audit.verify(session)
    assert report.broken.action == "hold.released"
    assert "prev_hash" in report.broken.reason


def test_identifiers_in_details_are_masked(fs_ctx):
    with unit_of_work(fs_ctx.sessions) as session:
        event = audit.append(session, actor="an", action="field.corrected",
                             subject_type="document", subject_id="x",
                             detail={"note": "CCCD 084123456789 checked",
                                     "ids": ["123456789"]})
        event_id = event.id
    with fs_ctx.sessions() as session:
        stored = session.get(AuditEvent, event_id)
        raw = session.scalar(text("SELECT detail FROM audit_event WHERE id = :i"),
                             {"i": event_id})
    assert stored.detail == {"note": "CCCD *********789 checked",
                             "ids": ["******789"]}
    assert "084123456789" not in raw and "123456789" not in raw


def _hammer(ctx, threads: int, each: int) -> None:
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(each):
                with unit_of_work(ctx.sessions) as session:
                    audit.append(session, actor=f"w{worker}", action="test.append",
                                 subject_type="test", subject_id=f"{worker}-{n}")
        except BaseException as exc:  # re-raised in the test thread
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []


def test_concurrent_appends_on_sqlite_keep_one_chain(tmp_path: Path):
    ctx = fs_context(tmp_path / "data")
    _hammer(ctx, threads=4, each=15)
    with ctx.sessions() as session:
        report = audit.verify(session)
    assert report.ok and report.checked == 61 == _count(ctx)


@pytest.mark.db
def test_concurrent_appends_on_postgresql_keep_one_chain(tmp_path, pg_database):
    ctx = pg_context(tmp_path / "data", pg_database)
    _hammer(ctx, threads=4, each=15)
    with ctx.sessions() as session:
        report = audit.verify(session)
    assert report.ok and report.checked == 61 == _count(ctx)
    with unit_of_work(ctx.sessions) as session:
        session.execute(text(
            "UPDATE audit_event SET actor = 'someone else' WHERE id = "
            "(SELECT min(id) + 10 FROM audit_event)"))
    with ctx.sessions() as session:
        assert audit.verify(session).broken.event_id == 11


def test_cli_verify_exits_8_on_a_tampered_log(tmp_path: Path):
    ctx = fs_context(tmp_path / "data")
    _append_three(ctx)
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp_path / "data"),
           "SOHOA_DATABASE_URL": "", "SOHOA_STORAGE": "fs"}
    good = subprocess.run([*SOHOA, "audit", "verify"], env=env,
                          capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
    assert "audit chain intact: 4 event(s)" in good.stdout
    with unit_of_work(ctx.sessions) as session:
        session.execute(text("UPDATE audit_event SET subject_id = 'd9' "
                             "WHERE action = 'dossier.closed'"))
    bad = subprocess.run([*SOHOA, "audit", "verify"], env=env,
                         capture_output=True, text=True, check=False)
    assert bad.returncode == ExitCode.integrity == 8
    assert "audit chain broken at event 4 (dossier.closed)" in bad.stderr
