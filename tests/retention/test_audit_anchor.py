"""The end of the audit log: the head row, anchors in the object store, the
``sohoa audit anchor`` and ``verify`` commands, and the head migration."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text

from archive import audit
from archive.audit import AuditEvent, AuditHead
from archive.db import alembic_config, init_schema, unit_of_work
from core.errors import ExitCode, IntegrityError, ObjectLocked
from retention import anchors
from tests.retention.conftest import fs_context, s3_context

SOHOA = [sys.executable, "-m", "sohoa"]


def _append(ctx, *actions: str) -> None:
    for n, action in enumerate(actions):
        with unit_of_work(ctx.sessions) as session:
            audit.append(session, actor="Nguyễn Văn An (aaaa0001)", action=action,
                         subject_type="dossier", subject_id=f"d{n}",
                         detail={"reference": f"TTr-{n}"})


def _delete_last(ctx, *, fix_head: bool = False) -> None:
    """Delete the newest event; with ``fix_head``, rewrite the head to match."""
    with unit_of_work(ctx.sessions) as session:
        session.execute(text(
            "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)"))
        if fix_head:
            last = session.scalars(select(AuditEvent)
                                   .order_by(AuditEvent.id.desc())).first()
            count = session.scalar(select(func.count()).select_from(AuditEvent))
            session.execute(text(
                "UPDATE audit_head SET event_count = :c, last_event_id = :i, "
                "last_hash = :h"), {"c": count, "i": last.id, "h": last.hash})


def _verify(ctx) -> audit.VerifyReport:
    with ctx.sessions() as session:
        return audit.verify(session)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOHOA_DATA_DIR": str(data), "SOHOA_DATABASE_URL": "",
           "SOHOA_STORAGE": "fs"}
    return subprocess.run([*SOHOA, "audit", *args], env=env, capture_output=True,
                          text=True, check=False)


def test_each_append_moves_the_head(fs_ctx):
    _append(fs_ctx, "hold.placed", "hold.released")
    with fs_ctx.sessions() as session:
        head = session.get(AuditHead, audit.HEAD_ID)
        last = session.scalars(select(AuditEvent)
                               .order_by(AuditEvent.id.desc())).first()
    # The seeding of the retention classes is the first event.
    assert (head.event_count, head.last_event_id) == (3, last.id)
    assert head.last_hash == last.hash and last.action == "hold.released"
    assert _verify(fs_ctx).ok


def test_deleting_the_last_event_is_caught_by_the_head(fs_ctx):
    _append(fs_ctx, "hold.placed", "hold.released", "dossier.closed")
    _delete_last(fs_ctx)
    report = _verify(fs_ctx)
    assert not report.ok and report.checked == 3
    assert report.broken.kind == "tail" and report.broken.missing == 1
    assert report.broken.reason.startswith("1 event(s) missing at the end")
    assert "audit_head" in report.broken.reason


def test_an_event_added_after_the_head_is_caught(fs_ctx):
    """A row chained by hand at the end, the head left as it was."""
    _append(fs_ctx, "hold.placed")
    with fs_ctx.sessions() as session:
        before = session.get(AuditHead, audit.HEAD_ID)
    with unit_of_work(fs_ctx.sessions) as session:
        event = audit.append(session, actor="x", action="dossier.closed",
                             subject_type="dossier", subject_id="d9")
        forged_id = event.id
        session.execute(text(
            "UPDATE audit_head SET event_count = :c, last_event_id = :i, "
            "last_hash = :h"), {"c": before.event_count,
                                "i": before.last_event_id, "h": before.last_hash})
    report = _verify(fs_ctx)
    assert report.broken.kind == "tail" and report.broken.event_id == forged_id
    assert "1 event(s) at the end are not in the audit_head" in report.broken.reason


def test_an_append_after_a_deleted_tail_does_not_hide_it(fs_ctx):
    _append(fs_ctx, "hold.placed", "hold.released")
    _delete_last(fs_ctx)
    _append(fs_ctx, "dossier.closed")
    report = _verify(fs_ctx)
    assert report.broken.kind == "row" and report.broken.action == "dossier.closed"
    assert "prev_hash" in report.broken.reason


def test_a_fixed_head_is_caught_by_the_stored_anchor(fs_ctx):
    _append(fs_ctx, "hold.placed", "hold.released", "dossier.closed")
    with unit_of_work(fs_ctx.sessions) as session:
        made = anchors.write_anchor(session, fs_ctx.store)
    assert made.key.startswith("audit/anchors/") and made.count == 4
    stored = json.loads(fs_ctx.store.open(made.key).read())
    assert stored["count"] == 4 and stored["last_hash"] == made.last_hash
    _delete_last(fs_ctx, fix_head=True)
    assert _verify(fs_ctx).ok
    with fs_ctx.sessions() as session:
        report, used = anchors.verify_with_anchor(session, fs_ctx.store)
    assert used == made
    assert report.broken.missing == 1 and made.key in report.broken.reason


def test_the_newest_anchor_counts_and_later_events_pass(fs_ctx):
    _append(fs_ctx, "hold.placed")
    with unit_of_work(fs_ctx.sessions) as session:
        anchors.write_anchor(session, fs_ctx.store,
                             now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    _append(fs_ctx, "hold.released")
    with unit_of_work(fs_ctx.sessions) as session:
        newer = anchors.write_anchor(session, fs_ctx.store)
    _append(fs_ctx, "dossier.closed")
    with fs_ctx.sessions() as session:
        report, used = anchors.verify_with_anchor(session, fs_ctx.store)
    assert report.ok and report.checked == 4
    assert used.key == newer.key and used.count == 3


def test_a_replaced_event_under_the_anchor_is_caught(fs_ctx):
    """Rows rewritten wholesale, with a chain that links and a matching head,
    still differ from the anchor at its last event."""
    _append(fs_ctx, "hold.placed", "hold.released")
    with unit_of_work(fs_ctx.sessions) as session:
        anchors.write_anchor(session, fs_ctx.store)
    _delete_last(fs_ctx, fix_head=True)
    _append(fs_ctx, "dossier.closed")
    with fs_ctx.sessions() as session:
        assert audit.verify(session).ok
        report, _ = anchors.verify_with_anchor(session, fs_ctx.store)
    assert "event number 3 does not hash" in report.broken.reason


def test_a_broken_log_is_not_anchored(fs_ctx):
    _append(fs_ctx, "hold.placed", "hold.released")
    _delete_last(fs_ctx)
    with (unit_of_work(fs_ctx.sessions) as session,
          pytest.raises(IntegrityError, match="not anchored: 1 event")):
        anchors.write_anchor(session, fs_ctx.store)
    assert list(fs_ctx.store.list(anchors.PREFIX)) == []


def test_cli_anchor_and_verify(tmp_path: Path):
    data = tmp_path / "data"
    ctx = fs_context(data)
    _append(ctx, "hold.placed", "hold.released", "dossier.closed")
    good = _cli(data, "verify")
    assert good.returncode == 0, good.stderr
    assert "audit chain intact: 4 event(s)" in good.stdout
    assert "no stored anchor yet" in good.stdout
    made = _cli(data, "anchor", "--json")
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)["key"]
    assert (data / "objects" / key).is_file()
    anchored = _cli(data, "verify")
    assert f"matches anchor {key} (4 event(s))" in anchored.stdout

    _delete_last(ctx)
    cut = _cli(data, "verify")
    assert cut.returncode == ExitCode.integrity == 8
    assert "audit log end broken after event 3: 1 event(s) missing at the end" \
        in cut.stderr
    _delete_last(ctx, fix_head=True)
    fixed = _cli(data, "verify", "--json")
    assert fixed.returncode == 8
    error = json.loads(fixed.stdout)["error"]
    assert error["code"] == "integrity.mismatch" and error["anchor"] == key
    assert error["broken"]["missing"] == 2 and error["checked"] == 2
    assert _cli(data, "anchor").returncode == 8


@pytest.mark.s3
def test_anchors_on_s3_are_locked(tmp_path: Path, s3_store):
    ctx = s3_context(tmp_path / "data", s3_store)
    _append(ctx, "hold.placed")
    with unit_of_work(ctx.sessions) as session:
        made = anchors.write_anchor(session, ctx.store)
    info = s3_store.stat(made.key)
    assert info.retain_until.year >= dt.date.today().year + 99
    with pytest.raises(ObjectLocked):
        s3_store.delete(made.key)
    with ctx.sessions() as session:
        report, used = anchors.verify_with_anchor(session, s3_store)
    assert report.ok and used.count == 2


def test_the_migration_fills_the_head_from_logged_events(fs_ctx):
    _append(fs_ctx, "hold.placed", "hold.released")
    engine = fs_ctx.sessions.kw["bind"]
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005_distributed")
    init_schema(engine)
    with fs_ctx.sessions() as session:
        head = session.get(AuditHead, audit.HEAD_ID)
        last = session.scalars(select(AuditEvent)
                               .order_by(AuditEvent.id.desc())).first()
    assert (head.event_count, head.last_hash) == (3, last.hash)
    assert _verify(fs_ctx).ok
