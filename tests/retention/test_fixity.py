"""Fixity: an object corrupted on disk or on a real S3 server is found and
reported with its dossier; every check is recorded."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from archive.db import unit_of_work
from archive.fixity import FixityCheck, run_fixity
from archive.models import StoredObject
from core.errors import ExitCode
from tests.retention.conftest import add_dossier, s3_context

P2 = "A_vn_congvan_1906_SGDDT_2020_p2.jpg"


def _keys(ctx) -> dict[str, str]:
    with ctx.sessions() as session:
        rows = session.scalars(select(StoredObject)).all()
        return {r.key: r.sha256 for r in rows}


def _run(ctx, **kw):
    with unit_of_work(ctx.sessions) as session:
        return run_fixity(session, ctx.store, **kw)


def test_clean_store_passes_and_every_check_is_recorded(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    add_dossier(fs_ctx, corpus, "HS-2", name=P2)
    report = _run(fs_ctx)
    assert report.clean and report.checked == report.ok == 2
    with fs_ctx.sessions() as session:
        statuses = session.scalars(select(FixityCheck.status)).all()
    assert statuses == ["ok", "ok"]


def test_corrupted_and_missing_files_are_reported_with_their_dossier(
        fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    add_dossier(fs_ctx, corpus, "HS-2", name=P2)
    (bad_key, bad_sha), (gone_key, _) = sorted(_keys(fs_ctx).items())
    path = fs_ctx.settings.objects_dir / bad_key
    data = bytearray(path.read_bytes())
    data[5000] ^= 0xFF  # one flipped byte in the middle of the JPEG
    path.write_bytes(bytes(data))
    os.remove(fs_ctx.settings.objects_dir / gone_key)
    report = _run(fs_ctx)
    by_key = {p.key: p for p in report.problems}
    assert report.checked == 2 and report.ok == 0
    assert by_key[bad_key].status == "mismatch"
    assert by_key[bad_key].expected == bad_sha != by_key[bad_key].actual
    assert by_key[gone_key].status == "missing"
    assert {p.dossier_code for p in report.problems} == {"HS-1", "HS-2"}
    with fs_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(FixityCheck).where(
            FixityCheck.status != "ok")) == 2


def test_sample_checks_only_that_many(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    add_dossier(fs_ctx, corpus, "HS-2", name=P2)
    report = _run(fs_ctx, sample=1, rng=random.Random(7))
    assert report.checked == 1


def test_cli_fixity_exits_8_on_a_corrupted_object(fs_ctx, corpus):
    add_dossier(fs_ctx, corpus, "HS-1")
    env = {**os.environ, "SOHOA_DATA_DIR": str(fs_ctx.settings.data_dir),
           "SOHOA_DATABASE_URL": "", "SOHOA_STORAGE": "fs"}
    cmd = [sys.executable, "-m", "sohoa", "fixity"]
    good = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert good.returncode == 0 and "1 object(s) checked, 1 intact" in good.stdout
    (key,) = _keys(fs_ctx)
    (fs_ctx.settings.objects_dir / key).write_bytes(b"not the scan any more")
    bad = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == ExitCode.integrity
    assert f"mismatch {key}" in bad.stdout and "dossier HS-1" in bad.stdout


@pytest.mark.s3
def test_object_corrupted_on_s3_is_reported(tmp_path, corpus, s3, s3_store):
    ctx = s3_context(tmp_path / "data", s3_store)
    add_dossier(ctx, corpus, "HS-S3")
    assert _run(ctx).clean
    (key,) = _keys(ctx)
    # Behind the archive's back: new content under the same key, straight
    # through the S3 API (the server keeps it as the newest version).
    junk = b"\xff\xd8 overwritten outside sohoa"
    s3.client().put_object(s3_store.bucket, key, io.BytesIO(junk), len(junk))
    report = _run(ctx)
    (problem,) = report.problems
    assert (problem.key, problem.status, problem.dossier_code) == (
        key, "mismatch", "HS-S3")
    s3.client().remove_object(s3_store.bucket, key,
                              version_id=s3_store.stat(key).version_id)
    s3.client().remove_object(s3_store.bucket, key,
                              version_id=s3_store.stat(key).version_id)
    assert _run(ctx).problems[0].status == "missing"
