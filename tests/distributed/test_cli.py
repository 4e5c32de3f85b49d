"""``sohoa ingest`` with SOHOA_TASKS=celery, ``sohoa batch status`` and
``sohoa worker-ping`` against a real worker."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.distributed.cluster import Cluster, worker_env

pytestmark = [pytest.mark.db, pytest.mark.redis, pytest.mark.s3, pytest.mark.ocr,
              pytest.mark.slow]

FILE = "A_vn_congvan_1906_SGDDT_2020_p2.jpg"


def _sohoa(cluster: Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    env = worker_env(cluster.settings, cluster.root / "cli")
    return subprocess.run([sys.executable, "-m", "sohoa", *args], env=env,
                          capture_output=True, text=True, timeout=180)


def test_worker_ping_without_worker_fails(cluster: Cluster):
    done = _sohoa(cluster, "worker-ping", "--timeout", "1")
    assert done.returncode == 1
    assert "worker.unreachable" in done.stderr


def test_ingest_on_workers_then_status_and_duplicate(cluster: Cluster, corpus):
    cluster.start_worker("c1")
    cluster.wait_for("c1")
    assert _sohoa(cluster, "worker-ping").returncode == 0

    done = _sohoa(cluster, "ingest", str(corpus / FILE), "--dossier", "HS-CLI",
                  "--json")
    assert done.returncode == 0, done.stderr + cluster.log("c1")
    report = json.loads(done.stdout)
    assert (report["files"], report["documents"], report["pages"]) == (1, 1, 1)
    assert report["status"] == "done"

    status = _sohoa(cluster, "batch", "status", report["batch_id"], "--json")
    progress = json.loads(status.stdout)
    assert (progress["status"], progress["pages_done"]) == ("done", 1)
    assert progress["documents_by_state"] == {"archived": 1}

    queued = _sohoa(cluster, "ingest", str(corpus / FILE), "--no-wait")
    assert queued.returncode == 0, queued.stderr
    batch_id = queued.stdout.strip()
    deadline = time.monotonic() + 60
    while True:
        line = _sohoa(cluster, "batch", "status", batch_id[:12]).stdout
        if "done" in line:
            break
        assert time.monotonic() < deadline, line
        time.sleep(0.5)
    assert "files 1/1" in line and "1 duplicate(s)" in line

    again = _sohoa(cluster, "ingest", str(corpus / FILE), "--json")
    assert again.returncode == 0, again.stderr
    notes = json.loads(again.stdout)["duplicate_notes"]
    assert len(notes) == 1 and notes[0].endswith("in dossier HS-CLI"), notes
