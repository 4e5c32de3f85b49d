"""Throughput of the distributed pipeline with 1 and then 2 worker processes.

Starts PostgreSQL, Redis and MinIO (SeaweedFS when MinIO is not built) on
loopback, then ingests the same batch of real scans twice, each time into a
fresh database and bucket: once with one ``sohoa worker --concurrency 1``,
once with two. Prints pages/min for both and their ratio.

    .venv/bin/python bench/distributed_throughput.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import CORPUS, UPRIGHT  # noqa: E402
from ingest.context import open_context  # noqa: E402
from sohoa.commands.batch import ingest_on_workers  # noqa: E402
from tests.distributed.cluster import Cluster, dist_settings  # noqa: E402
from tests.servers import minio, postgres, redis, s3server, seaweed  # noqa: E402
from tests.servers.process import BinaryMissing  # noqa: E402


def run(workers: int, root: Path, db_url: str, broker: str, s3) -> tuple[float, int]:
    """Seconds and pages for one batch on ``workers`` worker processes."""
    settings = dist_settings(root / "client", db_url=db_url, s3=s3,
                             bucket=s3.new_bucket_name(), broker=broker)
    settings.task_cfg.task_visibility_timeout = 300
    ctx = open_context(settings)
    cluster = Cluster(settings, ctx, s3, None, root)
    names = [f"w{n}" for n in range(workers)]
    try:
        for name in names:
            cluster.start_worker(name)
        cluster.wait_for(*names)
        batch = root / "batch"
        batch.mkdir()
        for name in UPRIGHT:
            shutil.copy(CORPUS / name, batch)
        started = time.monotonic()
        report = ingest_on_workers(ctx, [batch], dossier_code="BENCH", station="",
                                   per_folder=False, wait=True, show=False)
        return time.monotonic() - started, report.pages
    finally:
        cluster.stop()


def start_s3() -> s3server.S3Server:
    """MinIO when its pinned build is there, else SeaweedFS."""
    try:
        return minio.start()
    except BinaryMissing:
        return seaweed.start()


def main() -> None:
    pg, rd = postgres.start(), redis.start()
    s3 = start_s3()
    results = {}
    try:
        for n, workers in enumerate((1, 2)):
            db = f"bench{n}"
            pg.execute(f"CREATE DATABASE {db}")
            with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
                results[workers] = run(workers, Path(tmp), pg.url(db),
                                       rd.url(n + 1), s3)
    finally:
        s3server.stop(s3)
        redis.stop(rd)
        postgres.stop(pg)
    out = sys.stdout
    for workers, (seconds, pages) in results.items():
        out.write(f"{workers} worker(s): {pages} pages in {seconds:6.1f} s  "
                  f"{60 * pages / seconds:6.1f} pages/min\n")
    one, two = (60 * p / s for s, p in results.values())
    out.write(f"ratio 2 workers / 1 worker: {two / one:.2f}\n")


if __name__ == "__main__":
    main()
