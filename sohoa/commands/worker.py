"""``sohoa worker`` and ``sohoa worker-ping``: the Celery side of sohoa."""

from __future__ import annotations

import os

import click
from kombu.exceptions import OperationalError as BrokerError

from core.errors import SohoaError
from core.logging import configure_logging
from ingest.runner import default_workers
from sohoa import wiring
from sohoa.output import console


class WorkerUnreachable(SohoaError):
    """No worker answered, or the broker could not be reached."""

    code = "worker.unreachable"


@click.command("worker")
@click.option("-c", "--concurrency", type=int, default=0, show_default=True,
              help="Worker processes; 0 means one per core.")
@click.option("-Q", "--queues", default="sohoa", show_default=True,
              help="Comma-separated queues to take tasks from.")
@click.option("-n", "--hostname", default=None,
              help="Node name, e.g. ocr1@%h (default: celery@<host>).")
def worker_cmd(concurrency: int, queues: str, hostname: str | None) -> None:
    """Run a worker that reads pages and archives documents (SOHOA_TASKS=celery).

    Start one per machine with as many processes as cores; every worker
    needs the same broker, database and S3 settings.
    """
    from sohoa.celery_app import create_celery

    settings = wiring.settings()
    # One tesseract thread per process: the processes already use every core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    level = settings.log_level if "SOHOA_LOG_LEVEL" in os.environ else "INFO"
    configure_logging(level, settings.log_format)
    app = create_celery(settings)
    argv = ["worker", f"--concurrency={default_workers(concurrency)}",
            f"--queues={queues}", f"--loglevel={level}",
            "--without-gossip", "--without-mingle"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)


@click.command("worker-ping")
@click.option("--timeout", type=float, default=5.0, show_default=True,
              help="Seconds to wait for answers.")
def worker_ping_cmd(timeout: float) -> None:
    """Exit 0 when at least one worker answers a ping (health checks)."""
    from sohoa.celery_app import create_celery

    app = create_celery(wiring.settings())
    try:
        replies = app.control.ping(timeout=timeout)
    except BrokerError as exc:
        raise WorkerUnreachable(
            f"the broker at SOHOA_BROKER_URL cannot be reached: {exc}; "
            "check that Redis runs") from exc
    finally:
        app.close()
    if not replies:
        raise WorkerUnreachable(
            f"no worker answered within {timeout:.0f} s: start one with "
            "`sohoa worker`")
    for reply in replies:
        for name in reply:
            console.print(f"{name}: ok")
