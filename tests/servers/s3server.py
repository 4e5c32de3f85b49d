"""What the MinIO and SeaweedFS fixtures hand to tests: an S3 endpoint."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import urllib3
from minio import Minio
from minio.error import S3Error

from tests.servers import process


@dataclass
class S3Server:
    """A running S3 server on 127.0.0.1 and its root credentials."""

    name: str
    endpoint: str
    access_key: str
    secret_key: str
    root: Path
    proc: subprocess.Popen[bytes]
    region: str = "us-east-1"
    startup_seconds: float = 0.0
    stop_grace: float = 10.0
    buckets: list[str] = field(default_factory=list)

    def client(self) -> Minio:
        """A raw ``minio`` client on this server (for set-up and tampering)."""
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3, read=60),
            retries=urllib3.Retry(total=2, backoff_factor=0.1),
        )
        return Minio(
            self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=False,
            region=self.region,
            http_client=http,
        )

    def new_bucket_name(self) -> str:
        """A bucket name not used before in this session (not created)."""
        name = f"t-{uuid.uuid4().hex[:20]}"
        self.buckets.append(name)
        return name


def answers(server: S3Server) -> bool:
    """True once the server answers an authenticated ``ListBuckets``."""
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=1, read=3), retries=False
    )
    client = Minio(
        server.endpoint,
        access_key=server.access_key,
        secret_key=server.secret_key,
        secure=False,
        region=server.region,
        http_client=http,
    )
    try:
        client.list_buckets()
    except (urllib3.exceptions.HTTPError, S3Error):
        return False
    finally:
        http.clear()
    return True


def stop(server: S3Server) -> None:
    """Stop the server and remove its temp dir."""
    try:
        process.stop(server.proc, grace=server.stop_grace)
    finally:
        process.remove_dir(server.root)


def wait_ready(
    server: S3Server, ready: Callable[[], bool], *, what: str, log_file: Path
) -> S3Server:
    """Wait until ``ready`` holds; stop the server and re-raise if it never
    does."""
    try:
        server.startup_seconds = process.wait_until(
            ready, what=what, timeout=60, proc=server.proc, log_file=log_file)
    except process.ServerStartError:
        stop(server)
        raise
    return server
