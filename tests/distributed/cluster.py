"""A cluster of real servers and ``sohoa worker`` subprocesses, used by the
distributed tests and by ``bench/distributed_throughput.py``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from core.settings import (
    CatalogueSettings,
    Settings,
    StorageSettings,
    TaskSettings,
    load_settings,
)
from ingest.context import Context
from ingest.dist_queue import client_app
from tests.servers import process
from tests.servers.redis import RedisServer
from tests.servers.s3server import S3Server

MAX_RETRIES = 2
VISIBILITY_TIMEOUT = 12


def dist_settings(data_dir: Path, *, db_url: str, s3: S3Server, bucket: str,
                  broker: str) -> Settings:
    """Settings on the test servers with short retries and timeouts."""
    return load_settings(
        data_dir=data_dir,
        catalogue=CatalogueSettings(database_url=db_url),
        storage_cfg=StorageSettings(
            storage="s3", s3_endpoint=s3.endpoint, s3_access_key=s3.access_key,
            s3_secret_key=SecretStr(s3.secret_key), s3_bucket=bucket,
            s3_region=s3.region, object_lock=True),
        task_cfg=TaskSettings(
            tasks="celery", broker_url=broker, result_backend=broker,
            task_max_retries=MAX_RETRIES, task_retry_backoff=0.5,
            task_retry_backoff_max=2.0,
            task_visibility_timeout=VISIBILITY_TIMEOUT),
    )


def worker_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """The environment of a worker process: the same servers, its own disk."""
    storage, tasks = settings.storage_cfg, settings.task_cfg
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update({
        "SOHOA_DATA_DIR": str(data_dir),
        "SOHOA_DATABASE_URL": settings.database_url,
        "SOHOA_STORAGE": "s3",
        "SOHOA_S3_ENDPOINT": storage.s3_endpoint,
        "SOHOA_S3_ACCESS_KEY": storage.s3_access_key,
        "SOHOA_S3_SECRET_KEY": storage.s3_secret_key.get_secret_value(),
        "SOHOA_S3_BUCKET": storage.s3_bucket,
        "SOHOA_S3_REGION": storage.s3_region,
        "SOHOA_TASKS": "celery",
        "SOHOA_BROKER_URL": tasks.broker_url,
        "SOHOA_RESULT_BACKEND": tasks.result_backend or tasks.broker_url,
        "SOHOA_TASK_MAX_RETRIES": str(tasks.task_max_retries),
        "SOHOA_TASK_RETRY_BACKOFF": str(tasks.task_retry_backoff),
        "SOHOA_TASK_RETRY_BACKOFF_MAX": str(tasks.task_retry_backoff_max),
        "SOHOA_TASK_VISIBILITY_TIMEOUT": str(tasks.task_visibility_timeout),
        "SOHOA_OCR_LANGUAGES": settings.ocr.ocr_languages,
        "SOHOA_LOG_LEVEL": "INFO",
        "OMP_THREAD_LIMIT": "1",
    })
    return env


@dataclass
class Cluster:
    """The servers of one test, its settings and the workers it started."""

    settings: Settings
    ctx: Context
    s3: S3Server
    redis: RedisServer
    root: Path
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        """Start ``sohoa worker --concurrency 1`` as node ``name@…``."""
        data = self.root / name
        data.mkdir()
        proc = process.spawn(
            [sys.executable, "-m", "sohoa", "worker", "--concurrency", "1",
             "--hostname", f"{name}@%h"],
            log_file=self.root / f"{name}.log",
            env=worker_env(self.settings, data),
        )
        self.workers[name] = proc
        return proc

    def wait_for(self, *names: str, timeout: float = 60.0) -> None:
        """Block until every named worker answers a ping."""
        app = client_app(self.settings)
        try:
            deadline = time.monotonic() + timeout
            while True:
                replies = app.control.ping(timeout=1.0)
                nodes = {n.split("@")[0] for r in replies for n in r}
                if set(names) <= nodes:
                    return
                for name in names:
                    proc = self.workers[name]
                    assert proc.poll() is None, self.log(name)
                assert time.monotonic() < deadline, f"workers {names} not up"
        finally:
            app.close()

    def log(self, name: str) -> str:
        """The tail of a worker's log."""
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        """Stop every worker started (TERM the group, then KILL)."""
        for proc in self.workers.values():
            process.stop(proc, grace=10.0)
